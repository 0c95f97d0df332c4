import ISA

/// Decoding tensors into arrays of native values for the kernels, and encoding results back.
extension Reference {
    /// The input, decoded and grown by `padding` filled with `padValue` converted to its type.
    static func paddedElements<Scalar: DecodedElement>(_ tensor: Tensor, _ padding: Padding, padValue: Int64) -> [Scalar] {
        let (height, width, channels) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
        var padElement = Tensor(shape: [], type: tensor.type)
        padElement.set(integer: padValue, at: 0)
        let pad = padElement.withUnsafeBytes { Scalar.load($0.baseAddress!, tensor.type) }
        let paddedWidth = width + padding.left + padding.right
        var result = [Scalar](repeating: pad, count: (height + padding.top + padding.bottom) * paddedWidth * channels)
        let type = tensor.type, size = type.byteSize
        tensor.withUnsafeBytes { source in
            result.withUnsafeMutableBufferPointer { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                for y in 0..<height {
                    let row = to + ((y + padding.top) * paddedWidth + padding.left) * channels
                    let sourceRow = from + y * width * channels * size
                    for index in 0..<(width * channels) { row[index] = Scalar.load(sourceRow + index * size, type) }
                }
            }
        }
        return result
    }

    /// All elements of `tensor`, decoded.
    static func elements<Scalar: DecodedElement>(_ tensor: Tensor) -> [Scalar] {
        let type = tensor.type, size = type.byteSize
        return tensor.withUnsafeBytes { bytes in
            (0..<tensor.elementCount).map { Scalar.load(bytes.baseAddress! + $0 * size, type) }
        }
    }

    /// A tensor of `type` holding `values`, each stored by the arithmetic contract.
    static func tensor<Scalar: DecodedElement>(_ values: [Scalar], shape: [Int], type: ElementType) -> Tensor {
        var result = Tensor(shape: shape, type: type)
        result.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for (index, value) in values.enumerated() { value.store(to: base + index * type.byteSize, type) }
        }
        return result
    }
}

/// A value type the reference kernels decode elements into and store results from, through `ElementCodec`.
protocol DecodedElement: Sendable {
    static var zero: Self { get }
    static func load(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Self
    func store(to pointer: UnsafeMutableRawPointer, _ type: ElementType)
}

extension Int64: DecodedElement {
    static func load(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Int64 { ElementCodec.loadInteger(pointer, type) }
    func store(to pointer: UnsafeMutableRawPointer, _ type: ElementType) { ElementCodec.store(integer: self, to: pointer, type) }
}
