/// A convolution / GEMM tile on the systolic array (`matmul`).
///
/// Computes, for every output pixel (oy, ox) of an `outputHeight x outputWidth` tile and every
/// output channel k < `outputChannels`:
///
///     out[oy][ox][k] (+)= sum over r < kernelHeight, s < kernelWidth, c < channels of
///         in[oy*strideY + r*dilationY][ox*strideX + s*dilationX][c] * w[r][s][c][k]
///
/// with an implicit im2col: the input tile is read from NBin as it is (height x `inputWidth`
/// pixels of `inputPitch` elements, channels innermost), never expanded. Weights are in SB as
/// rows (r, s, c) of `weightPitch` elements, output channels innermost; accumulators are in
/// NBout as pixels of `outputPitch` elements. Operand and accumulator types come from the
/// current `cfg.dtype`. A GEMM `[M x K] x [K x N]` is the case `outputHeight = 1`,
/// `outputWidth = inputWidth = M`, `channels = K`, `outputChannels = N`, 1x1 kernel.
/// The summation order is fixed (accumulator first, then r, s, c ascending) so that fp16 mode
/// is bit-exact too. Pitches of 0 mean packed (`channels`, `outputChannels`, `outputChannels`).
public struct MatrixTile: Equatable, Sendable {
    /// Byte addresses of the input tile (NBin), weights (SB) and accumulators (NBout).
    public var inputAddress = 0, weightAddress = 0, outputAddress = 0
    public var inputWidth = 1, inputPitch = 0, channels = 1
    public var outputHeight = 1, outputWidth = 1, outputChannels = 1, outputPitch = 0, weightPitch = 0
    public var kernelHeight = 1, kernelWidth = 1
    public var strideY = 1, strideX = 1, dilationY = 1, dilationX = 1
    /// Add to the accumulators instead of overwriting them.
    public var accumulate = false
    /// The dataflow to run in (`array`: the configured one). Only timing and SRAM traffic depend
    /// on it; the result does not.
    public var dataflow = MatmulDataflow.array

    public init() {}

    public var effectiveInputPitch: Int { inputPitch == 0 ? channels : inputPitch }
    public var effectiveOutputPitch: Int { outputPitch == 0 ? outputChannels : outputPitch }
    public var effectiveWeightPitch: Int { weightPitch == 0 ? outputChannels : weightPitch }
    /// Input rows the window reaches: `(outputHeight - 1) * strideY + (kernelHeight - 1) * dilationY + 1`.
    public var inputHeight: Int { (outputHeight - 1) * strideY + (kernelHeight - 1) * dilationY + 1 }
    /// Input columns the window reaches; must not exceed `inputWidth`.
    public var inputColumnsReached: Int { (outputWidth - 1) * strideX + (kernelWidth - 1) * dilationX + 1 }
    /// Output pixels P of the tile.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Length of one dot product: the window size R * S * C.
    public var reductionLength: Int { kernelHeight * kernelWidth * channels }
    /// Useful multiply-accumulates: P * K * R * S * C.
    public var macs: Int { outputPixels * outputChannels * reductionLength }
}
