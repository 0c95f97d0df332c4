import ISA

/// A dense, row-major tensor held as raw little-endian bytes in the device's element format, so
/// that copying it to or from DRAM is a plain byte copy.
///
/// Elements are read and written through `ElementCodec`, which narrows by the arithmetic
/// contract (integers saturate, floats round to nearest even). Two tensors are equal when their
/// shapes, types and bytes are equal: equality is bit-exact (a NaN equals the same NaN pattern,
/// `-0.0` differs from `0.0`).
public struct Tensor: Equatable, Sendable {
    /// Extent of each axis, outermost first. An empty shape is a scalar of one element.
    public let shape: [Int]
    public let type: ElementType
    /// The elements in row-major order, `type.byteSize` little-endian bytes each.
    public private(set) var bytes: [UInt8]

    /// A tensor of zeros.
    public init(shape: [Int], type: ElementType) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.type = type
        bytes = [UInt8](repeating: 0, count: shape.reduce(1, *) * type.byteSize)
    }

    /// A tensor over existing device-format bytes (for example, read from DRAM).
    public init(shape: [Int], type: ElementType, bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(bytes.count == shape.reduce(1, *) * type.byteSize,
                     "\(bytes.count) bytes do not hold \(shape) elements of \(type)")
        self.shape = shape
        self.type = type
        self.bytes = bytes
    }

    /// A tensor of integer values, saturated to `type` (or converted, for float types).
    public init(shape: [Int], type: ElementType, integers: [Int64]) {
        self.init(shape: shape, type: type)
        precondition(integers.count == elementCount, "\(integers.count) values for shape \(shape)")
        for (index, value) in integers.enumerated() { set(integer: value, at: index) }
    }

    /// A tensor of float values, rounded to `type` (integer types: round half to even, saturate).
    public init(shape: [Int], type: ElementType, floats: [Float]) {
        self.init(shape: shape, type: type)
        precondition(floats.count == elementCount, "\(floats.count) values for shape \(shape)")
        for (index, value) in floats.enumerated() { set(float: value, at: index) }
    }

    /// Number of elements: the product of the extents.
    public var elementCount: Int { bytes.count / type.byteSize }

    /// Reads element `flatIndex` (row-major) as an integer (floats: round half to even, saturate to int32).
    public func integer(at flatIndex: Int) -> Int64 {
        precondition((0..<elementCount).contains(flatIndex), "element \(flatIndex) out of range")
        return bytes.withUnsafeBytes { ElementCodec.loadInteger($0.baseAddress! + flatIndex * type.byteSize, type) }
    }

    /// Reads element `flatIndex` (row-major) as fp32.
    public func float(at flatIndex: Int) -> Float {
        precondition((0..<elementCount).contains(flatIndex), "element \(flatIndex) out of range")
        return bytes.withUnsafeBytes { ElementCodec.loadFloat($0.baseAddress! + flatIndex * type.byteSize, type) }
    }

    /// Writes element `flatIndex`, saturated to the tensor's type (or converted, for float types).
    public mutating func set(integer value: Int64, at flatIndex: Int) {
        precondition((0..<elementCount).contains(flatIndex), "element \(flatIndex) out of range")
        let type = type
        bytes.withUnsafeMutableBytes { ElementCodec.store(integer: value, to: $0.baseAddress! + flatIndex * type.byteSize, type) }
    }

    /// Writes element `flatIndex`, rounded to the tensor's type.
    public mutating func set(float value: Float, at flatIndex: Int) {
        precondition((0..<elementCount).contains(flatIndex), "element \(flatIndex) out of range")
        let type = type
        bytes.withUnsafeMutableBytes { ElementCodec.store(float: value, to: $0.baseAddress! + flatIndex * type.byteSize, type) }
    }

    /// All elements as integers, row-major.
    public var integers: [Int64] {
        let type = type
        return bytes.withUnsafeBytes { raw in (0..<elementCount).map { ElementCodec.loadInteger(raw.baseAddress! + $0 * type.byteSize, type) } }
    }

    /// All elements as fp32, row-major.
    public var floats: [Float] {
        let type = type
        return bytes.withUnsafeBytes { raw in (0..<elementCount).map { ElementCodec.loadFloat(raw.baseAddress! + $0 * type.byteSize, type) } }
    }

    /// The multi-dimensional index of element `flatIndex` (row-major).
    public func index(ofFlatIndex flatIndex: Int) -> [Int] {
        var remainder = flatIndex
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = remainder % shape[axis]
            remainder /= shape[axis]
        }
        return index
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(to newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, type: type, bytes: bytes)
    }

    /// Calls `body` with the raw bytes (for kernels that decode many elements).
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes(body)
    }

    /// Calls `body` with the raw bytes, mutable.
    public mutating func withUnsafeMutableBytes<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeMutableBytes(body)
    }
}

extension Tensor: CustomStringConvertible {
    /// Type and shape, e.g. `i8[4,16]`.
    public var description: String { "\(type)[\(shape.map(String.init).joined(separator: ","))]" }
}
