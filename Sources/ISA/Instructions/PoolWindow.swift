/// A pooling window reduction on the vector unit (`pool.max`, `pool.sum`).
///
/// For every output pixel (oy, ox) and channel c < `channels`:
/// `out[oy][ox][c] = reduce over r < windowHeight, s < windowWidth of in[oy*strideY + r][ox*strideX + s][c]`.
/// `pool.sum` writes the exact window sum (float types: summed in fp32 starting from the window's
/// first element, then r, s ascending; the order is part of the contract); average pooling is `pool.sum` followed by `vrequant`
/// with the reciprocal of the window size, as DianNao's NFU-2 adder tree feeds NFU-3's multiplier.
/// Padding comes from the load DMA (pad with the type's minimum for max pooling).
/// Pitches of 0 mean packed (`channels`).
public struct PoolWindow: Equatable, Sendable {
    public enum Function: Int, CaseIterable, Sendable { case maximum = 0, sum }

    public var function: Function = .maximum
    public var destinationBuffer: BufferID = .nbout, destinationAddress = 0
    public var sourceBuffer: BufferID = .nbin, sourceAddress = 0
    public var channels = 1, inputWidth = 1, inputPitch = 0
    public var outputHeight = 1, outputWidth = 1, outputPitch = 0
    public var windowHeight = 1, windowWidth = 1, strideY = 1, strideX = 1
    public var sourceType: ElementType = .int8, destinationType: ElementType = .int8

    public init() {}

    public var effectiveInputPitch: Int { inputPitch == 0 ? channels : inputPitch }
    public var effectiveOutputPitch: Int { outputPitch == 0 ? channels : outputPitch }
    public var inputHeight: Int { (outputHeight - 1) * strideY + windowHeight }
    public var inputColumnsReached: Int { (outputWidth - 1) * strideX + windowWidth }
    /// Element reads the reduction performs: outputs x window size.
    public var elementReads: Int { outputHeight * outputWidth * channels * windowHeight * windowWidth }
}
