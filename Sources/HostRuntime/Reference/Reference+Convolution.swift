import Dispatch
import ISA

extension Reference {
    /// Parameters of a 2-D convolution (the matrix unit's `matmul` window plus the load DMA's padding).
    public struct Convolution: Equatable, Sendable {
        public var strideY: Int, strideX: Int
        public var dilationY: Int, dilationX: Int
        public var padding: Padding
        /// The value the load DMA writes into padding, converted to the input type by the
        /// arithmetic contract (`ElementCodec.store(integer:)`), as `Transfer.padValue` is.
        public var padValue: Int64
        /// Channel groups G: group g reads input channels `g*C/G ..< (g+1)*C/G` and writes output
        /// channels `g*K/G ..< (g+1)*K/G`. 1 is an ordinary convolution; `C` is depthwise.
        public var groups: Int

        public init(strideY: Int = 1, strideX: Int = 1, dilationY: Int = 1, dilationX: Int = 1,
                    padding: Padding = Padding(), padValue: Int64 = 0, groups: Int = 1) {
            self.strideY = strideY
            self.strideX = strideX
            self.dilationY = dilationY
            self.dilationX = dilationX
            self.padding = padding
            self.padValue = padValue
            self.groups = groups
        }
    }

    /// 2-D convolution of `input [H, W, C]` with `weights [R, S, C/G, K]` in `G = groups` channel
    /// groups, giving `[OH, OW, K]` with `OH = floor((H + top + bottom - dilationY * (R - 1) - 1) / strideY) + 1`
    /// (likewise OW). With `k` in group `g = k / (K/G)`:
    ///
    ///     out[oy][ox][k] = sum over r, s, c < C/G of
    ///                      in[oy*strideY + r*dilationY][ox*strideX + s*dilationX][g*C/G + c] * w[r][s][c][k]
    ///
    /// on the padded input (padding reads `padValue`), exactly as `MatrixTile` documents (G = 1);
    /// a grouped convolution is G such convolutions side by side (PyTorch's `Conv2d(groups:)`).
    /// The operands' common type selects the matrix unit's mode (`DataType`):
    /// - int8 x int8 or int16 x int16: exact products summed modulo 2^32 and stored as int32 (the
    ///   device's accumulators wrap in two's complement; they do not saturate);
    /// - fp16 x fp16: products (exact in fp32) added to an fp32 sum that starts at 0.0 and runs
    ///   over r, s, c ascending (c within the group); the result is fp32. This order is the
    ///   contract, so fp16 is bit-exact.
    ///
    /// A batch `input [N, H, W, C]` is convolved image by image, giving `[N, OH, OW, K]`.
    public static func conv2d(_ input: Tensor, _ weights: Tensor, _ parameters: Convolution = Convolution()) throws(ReferenceError) -> Tensor {
        try forEachImage(input, "conv2d") { image throws(ReferenceError) in try conv2dImage(image, weights, parameters) }
    }

    /// `conv2d` of one `[H, W, C]` map.
    private static func conv2dImage(_ input: Tensor, _ weights: Tensor, _ parameters: Convolution) throws(ReferenceError) -> Tensor {
        let operation = "conv2d"
        guard weights.shape.count == 4 else { throw ReferenceError(operation, "weights must be [R, S, C/G, K], got \(weights.description)") }
        let mode = try matrixMode(input.type, weights.type, operation)
        let (height, width, channels) = (input.shape[0], input.shape[1], input.shape[2])
        let (kernelHeight, kernelWidth, kernelChannels, outputChannels) = (weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3])
        let p = parameters
        guard p.groups >= 1 else { throw ReferenceError(operation, "groups must be at least 1, got \(p.groups)") }
        guard channels % p.groups == 0, outputChannels % p.groups == 0 else {
            throw ReferenceError(operation, "\(channels) input and \(outputChannels) output channels are not both divisible by \(p.groups) groups")
        }
        guard kernelChannels == channels / p.groups else {
            let grouping = p.groups == 1 ? "" : " per group (\(p.groups) groups)"
            throw ReferenceError(operation, "input has \(channels / p.groups) channels\(grouping) but weights have \(kernelChannels)")
        }
        let geometry = Geometry(
            paddedWidth: width + p.padding.left + p.padding.right, channels: channels, groups: p.groups,
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, outputChannels: outputChannels,
            outputHeight: try slidingExtent(height, before: p.padding.top, after: p.padding.bottom, window: kernelHeight,
                                            dilation: p.dilationY, stride: p.strideY, axis: "row", operation),
            outputWidth: try slidingExtent(width, before: p.padding.left, after: p.padding.right, window: kernelWidth,
                                           dilation: p.dilationX, stride: p.strideX, axis: "column", operation),
            strideY: p.strideY, strideX: p.strideX, dilationY: p.dilationY, dilationX: p.dilationX)
        let outputShape = [geometry.outputHeight, geometry.outputWidth, outputChannels]
        _ = try checkedElementCount(outputShape, operation)
        _ = try checkedElementCount([height + p.padding.top + p.padding.bottom, geometry.paddedWidth, channels], operation)
        switch mode {
        case .int8, .int16:
            let result: [Int32] = convolve(input: paddedElements(input, p.padding, padValue: p.padValue),
                                           weights: elements(weights), geometry)
            return tensor(result, shape: outputShape, type: mode.accumulatorType)
        case .fp16:
            let result: [Float] = convolve(input: paddedElements(input, p.padding, padValue: p.padValue),
                                           weights: elements(weights), geometry)
            return tensor(result, shape: outputShape, type: mode.accumulatorType)
        }
    }

    /// Matrix product `a [M, K] x b [K, N] -> [M, N]` in the matrix unit's modes (the 1x1
    /// convolution case of `conv2d`, with the same numerics).
    public static func gemm(_ a: Tensor, _ b: Tensor) throws(ReferenceError) -> Tensor {
        let operation = "gemm"
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw ReferenceError(operation, "operands must be matrices, got \(a.description) and \(b.description)")
        }
        guard a.shape[1] == b.shape[0] else {
            throw ReferenceError(operation, "inner dimensions differ: \(a.description) x \(b.description)")
        }
        do {
            let product = try conv2d(a.reshaped(to: [1] + a.shape), b.reshaped(to: [1, 1] + b.shape))
            return product.reshaped(to: [a.shape[0], b.shape[1]])
        } catch {
            throw ReferenceError(operation, error.message)
        }
    }

    /// The matrix unit's mode for two operand types.
    static func matrixMode(_ a: ElementType, _ b: ElementType, _ operation: String) throws(ReferenceError) -> DataType {
        guard a == b, let mode = DataType.allCases.first(where: { $0.operandType == a }) else {
            throw ReferenceError(operation, "operands are \(a) and \(b); the matrix unit multiplies i8 x i8, i16 x i16 or f16 x f16")
        }
        return mode
    }

    /// Sizes of one convolution, hoisted out of the inner loops.
    struct Geometry {
        /// `channels` counts all input channels (the padded input's innermost extent).
        var paddedWidth: Int, channels: Int, groups: Int
        var kernelHeight: Int, kernelWidth: Int, outputChannels: Int
        var outputHeight: Int, outputWidth: Int
        var strideY: Int, strideX: Int, dilationY: Int, dilationX: Int

        var groupChannels: Int { channels / groups }
        var groupOutputs: Int { outputChannels / groups }
        var macs: Int { outputHeight * outputWidth * outputChannels * kernelHeight * kernelWidth * groupChannels }
    }

    /// The convolution loop nest: for each output pixel, the K accumulators start at zero and take
    /// the products in r, s, c order (then group by group, which leaves each accumulator's order
    /// r, s, c); the innermost loop runs over the group's outputs (contiguous in the weights and
    /// the output), which the compiler vectorizes. Depthwise (one input and one output channel per
    /// group) runs over all channels at once instead. Large convolutions split their output
    /// pixels over all cores; every pixel is computed the same way, so the result does not depend
    /// on the split.
    static func convolve<Scalar: MatrixAccumulator>(input: [Scalar], weights: [Scalar], _ g: Geometry) -> [Scalar] {
        let pixels = g.outputHeight * g.outputWidth
        var output = [Scalar](repeating: .zero, count: pixels * g.outputChannels)
        input.withUnsafeBufferPointer { inputBuffer in
            weights.withUnsafeBufferPointer { weightBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    let pointers = KernelPointers(input: inputBuffer.baseAddress, weights: weightBuffer.baseAddress,
                                                  output: outputBuffer.baseAddress)
                    let work = g.macs
                    guard pixels > 0, work > 0 else { return }
                    let chunks = work > parallelWorkThreshold ? min(pixels, 64) : 1
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for pixel in (chunk * pixels / chunks)..<((chunk + 1) * pixels / chunks) {
                            convolvePixel(pixel, pointers, g)
                        }
                    }
                }
            }
        }
        return output
    }

    @inline(__always)
    private static func convolvePixel<Scalar: MatrixAccumulator>(_ pixel: Int, _ pointers: KernelPointers<Scalar>, _ g: Geometry) {
        guard let input = pointers.input, let weights = pointers.weights, let output = pointers.output else { return }
        let (oy, ox) = pixel.quotientAndRemainder(dividingBy: g.outputWidth)
        let k = g.outputChannels, c = g.channels, groupChannels = g.groupChannels, groupOutputs = g.groupOutputs
        let accumulators = output + pixel * k
        let rowStride = g.paddedWidth * c
        let depthwise = groupChannels == 1 && groupOutputs == 1
        for r in 0..<g.kernelHeight {
            let inputRow = input + (oy * g.strideY + r * g.dilationY) * rowStride + ox * g.strideX * c
            for s in 0..<g.kernelWidth {
                let inputPixel = inputRow + s * g.dilationX * c
                let weightTap = weights + (r * g.kernelWidth + s) * groupChannels * k
                if depthwise {
                    for channel in 0..<k {
                        accumulators[channel] = Scalar.multiplyAdd(accumulators[channel], inputPixel[channel], weightTap[channel])
                    }
                    continue
                }
                for group in 0..<g.groups {
                    let groupInput = inputPixel + group * groupChannels
                    let groupAccumulators = accumulators + group * groupOutputs
                    var weightRow = weightTap + group * groupOutputs
                    for channel in 0..<groupChannels {
                        let a = groupInput[channel]
                        for outputChannel in 0..<groupOutputs {
                            groupAccumulators[outputChannel] = Scalar.multiplyAdd(groupAccumulators[outputChannel], a, weightRow[outputChannel])
                        }
                        weightRow += k
                    }
                }
            }
        }
    }
}

/// The raw pointers the parallel kernel reads and writes. Each task writes a disjoint range of
/// output pixels, which is what makes sharing them across threads sound.
struct KernelPointers<Scalar>: @unchecked Sendable {
    var input: UnsafePointer<Scalar>?
    var weights: UnsafePointer<Scalar>?
    var output: UnsafeMutablePointer<Scalar>?
}

/// An accumulator of the matrix unit: `Int32` (wrapping) for the integer modes, `Float` for fp16.
protocol MatrixAccumulator: DecodedElement {
    /// `accumulator + a * b` with the mode's arithmetic.
    static func multiplyAdd(_ accumulator: Self, _ a: Self, _ b: Self) -> Self
}

extension Int32: MatrixAccumulator {
    /// Integer operands are at most 16 bits, so each product is exact in 32 bits and the wrapping
    /// sum equals the exact sum modulo 2^32 (the device's two's-complement accumulator).
    @inline(__always)
    static func multiplyAdd(_ accumulator: Int32, _ a: Int32, _ b: Int32) -> Int32 { accumulator &+ a &* b }
    @inline(__always)
    static func load(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Int32 {
        Int32(truncatingIfNeeded: ElementCodec.loadInteger(pointer, type))
    }
    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer, _ type: ElementType) {
        ElementCodec.store(integer: Int64(self), to: pointer, type)
    }
}

extension Float: MatrixAccumulator {
    /// fp16 x fp16 is exact in fp32, so this rounds once, fused or not.
    @inline(__always)
    static func multiplyAdd(_ accumulator: Float, _ a: Float, _ b: Float) -> Float { accumulator + a * b }
    @inline(__always)
    static func load(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Float { ElementCodec.loadFloat(pointer, type) }
    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer, _ type: ElementType) {
        ElementCodec.store(float: self, to: pointer, type)
    }
}
