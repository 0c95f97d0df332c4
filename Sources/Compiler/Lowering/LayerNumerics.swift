import Foundation
import ISA

/// Values of `cfg.requant`'s registers: `clamp(zp + roundShift(x * mult, shift), lo, hi)`.
struct RequantRegisters: Equatable, Sendable {
    var scale: FixedPointScale
    var zeroPoint: Int
    var low: Int
    var high: Int

    var parameters: RequantizationParameters {
        var p = RequantizationParameters()
        p.multiplier = scale.multiplier
        p.shift = scale.shift
        p.zeroPoint = zeroPoint
        p.low = low
        p.high = high
        return p
    }
}

/// How a layer's integers are computed: the quantized constants and every requantization.
///
/// **int8** (per-output-channel symmetric weights, affine activations):
/// 1. Batch norm folds into the weights first: `w' = w * g / sqrt(v + eps)`,
///    `b' = (b - mean) * g / sqrt(v + eps) + beta`.
/// 2. `s_w[k] = max|w'_k| / 127`, `q_w = round(w' / s_w[k])` in [-127, 127]; or, for a QDQ
///    model, its own scales (`LayerParameters.weightScales`), `q_w` in [-128, 127].
/// 3. Zero-point folding: the device multiplies raw `q_x` (padding is written by the load DMA with
///    `pad_value = z_x`, so every window element, border or not, is a `q_x`), hence
///    `bias_q[k] = round(b'[k] / (s_x s_w[k])) - z_x * sum over the window of q_w[.., k]` makes
///    `acc + bias_q = sum (q_x - z_x) q_w + round(b' / (s_x s_w))` exactly (saturated to int32).
/// 4. One `vrequantc bias` (the output stage) per requantization of the accumulators, with the
///    records (mult, shift, bias_q[k]) of `M_k = s_x s_w[k] / s_y` as (mult in [2^30, 2^31),
///    shift <= 62), zero point `z_y`, clamp: none [-128, 127]; relu lo = z_y; relu6 hi = min(127,
///    z_y + round(6 / s_y)). LeakyReLU is the max of two requantizations (`M_k` and `alpha * M_k`,
///    both records carrying the bias): for acc > 0 the first is larger, for acc < 0 the second.
///    Sigmoid / tanh: requantize to int16 Q3.12 (`M_k * 4096 * s_y`, i.e. real * 4096; its records
///    carry the bias), a 16-segment PWL table over [-8, 8] (in_frac 12, out_frac 15, slope shift
///    16; `PWLTable.fit`, as kernels/sigmoid_tanh.s) gives Q0.15, requantized to (s_y, z_y) by
///    `1 / (32768 s_y)`.
///
/// **int16** (DianNao fixed point, per-tensor power-of-two formats): input Q.fx, output Q.fy (from
/// the scales); weight fraction bits fw are the largest (<= 15) with every |q_w| <= 32767 and
/// `32768 * max_k sum |q_w_k| + max |bias_q| < 2^31`, so no int32 accumulator can wrap for any
/// int16 input (the input's fill range is the full int16 range); bias in Q(fx+fw); requantization
/// shift `fx + fw - fy` (multiplier 1; a negative shift becomes the multiplier 2^-shift). The
/// output stage is `vrequantc bias` as for int8, every record holding the same (mult, shift).
///
/// **Pooling**: max pooling pads with the type minimum; average pooling is `pool.sum` to int32,
/// minus `n * z_x` (the window's zero points), then a requantization by `s_x / (s_y n)` (int16:
/// `2^(fy - fx) / n`) with count_include_pad semantics (padding is `z_x`, a real zero).
struct LayerNumerics: Sendable {
    /// Value the load DMA writes into the input's padding.
    var padValue: Int
    /// Main requantization. A convolution's output stage takes the zero point and clamp from
    /// here and (mult, shift, bias) per channel from `records`; a pooling layer takes all of it.
    var main: RequantRegisters
    /// LeakyReLU's second requantization.
    var leaky: RequantRegisters?
    /// Sigmoid / tanh: to Q3.12, the table, and from Q0.15.
    var toQ12: RequantRegisters?
    var pwl: PWLTable.FitParameters?
    var fromQ15: RequantRegisters?
    /// Average pooling: the immediate subtracted from the window sums, and the requantization.
    var poolSubtract: Int
    var poolRequant: RequantRegisters?
    var inputFillRange: ClosedRange<Double>?

    // Constants (nil for timing-only programs).
    var weights: [Int]?
    /// `vrequantc bias` records (mult, shift, bias) per output channel, int32 words, of the
    /// requantization of the accumulators (`P`: the main one, or to Q3.12) and LeakyReLU's second (`PA`).
    var records: [Int]?
    var alphaRecords: [Int]?
    var pwlTable: PWLTable?

    /// int32 words per `vrequantc bias` record.
    static let recordWords = 3

    static let q12Fraction = 12
    static let q15Fraction = 15

    static func pwlParameters(_ function: PWLFunction) -> PWLTable.FitParameters {
        PWLTable.FitParameters(function: function, segments: 16, minimum: -8, maximum: 8,
                               inputFractionBits: q12Fraction, outputFractionBits: q15Fraction, slopeShift: 16)
    }

    init(_ g: LayerGeometry, parameters: LayerParameters?, quantization: ActivationQuantization) throws(CompilerError) {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: g.name, message) }
        let type = g.elementType
        let (typeLow, typeHigh) = (Int(type.integerRange.lowerBound), Int(type.integerRange.upperBound))
        let int8 = g.dataType == .int8
        let qx = quantization.input, qy = quantization.output
        guard qx.scale > 0, qy.scale > 0, qx.scale.isFinite, qy.scale.isFinite else { throw fail("quantization scales must be positive") }
        guard type.integerRange.contains(Int64(qx.zeroPoint)), type.integerRange.contains(Int64(qy.zeroPoint)) else {
            throw fail("zero points must lie in the \(type) range")
        }
        let fx = int8 ? 0 : Int((-log2(qx.scale)).rounded()), fy = int8 ? 0 : Int((-log2(qy.scale)).rounded())
        if !int8 && (qx.zeroPoint != 0 || qy.zeroPoint != 0) { throw fail("int16 fixed point has zero points 0") }
        let zx = int8 ? qx.zeroPoint : 0, zy = int8 ? qy.zeroPoint : 0
        inputFillRange = int8 ? nil : Double(typeLow)...Double(typeHigh)
        poolSubtract = 0
        poolRequant = nil
        weights = nil; records = nil; alphaRecords = nil; pwlTable = nil
        leaky = nil; toQ12 = nil; pwl = nil; fromQ15 = nil

        // Average pooling (a pooling layer or a fused one) on values quantized as (s, z).
        func averageRequant(window n: Int, inScale: Double, inZero: Int) -> (Int, RequantRegisters) {
            let scale = int8 ? FixedPointScale(inScale / (qy.scale * Double(n)))
                             : FixedPointScale(pow2(fy - fx) / Double(n))
            return (n * inZero, RequantRegisters(scale: scale, zeroPoint: zy, low: typeLow, high: typeHigh))
        }

        if g.isPooling {
            padValue = g.poolKind == .max ? typeLow : zx
            main = RequantRegisters(scale: FixedPointScale(multiplier: 1, shift: 0), zeroPoint: 0, low: typeLow, high: typeHigh)
            if g.poolKind == .max {
                guard qx == qy || !int8 else { throw fail("max pooling keeps the input's quantization; give the same input and output quantization") }
            } else {
                (poolSubtract, poolRequant) = averageRequant(window: g.kernelHeight * g.kernelWidth, inScale: qx.scale, inZero: zx)
            }
            return
        }

        padValue = zx
        let K = g.outputChannels, window = g.kernelHeight * g.kernelWidth * g.channelsPerGroup

        // Activation clamps and stages.
        var low = typeLow, high = typeHigh
        switch g.activation {
        case .relu: low = max(typeLow, zy)
        case .relu6:
            low = max(typeLow, zy)
            high = min(typeHigh, zy + Int((6 / qy.scale).rounded()))
        default: break
        }

        // Fold batch norm and quantize weights.
        var realWeights: [Double] = [], realBias = [Double](repeating: 0, count: K)
        // A QDQ model's weight scales, times the batch norm factor when one folds in (`|factor|`:
        // the folded weights are the model's integers times `s_w[k] * factor`).
        var fixedScales: [Double]?
        if let parameters {
            if let scales = parameters.weightScales {
                guard scales.count == K else { throw fail("expected \(K) weight scales, got \(scales.count)") }
                fixedScales = scales.map(Double.init)
            }
            guard parameters.weights.count == window * K else {
                throw fail("expected \(window * K) weights ([\(g.kernelHeight)][\(g.kernelWidth)][\(g.channelsPerGroup)][\(K)]), got \(parameters.weights.count)")
            }
            realWeights = parameters.weights.map(Double.init)
            if g.hasBias {
                guard let b = parameters.bias, b.count == K else { throw fail("expected \(K) biases") }
                realBias = b.map(Double.init)
            }
            if g.hasBatchNorm {
                guard let bn = parameters.batchNorm, [bn.gamma.count, bn.beta.count, bn.mean.count, bn.variance.count].allSatisfy({ $0 == K }) else {
                    throw fail("expected batch norm statistics for \(K) channels")
                }
                for k in 0..<K {
                    let factor = Double(bn.gamma[k]) / (Double(bn.variance[k]) + Double(bn.epsilon)).squareRoot()
                    for i in 0..<window { realWeights[i * K + k] *= factor }
                    fixedScales?[k] *= abs(factor)
                    realBias[k] = (realBias[k] - Double(bn.mean[k])) * factor + Double(bn.beta[k])
                }
            }
        }
        /// The quantized bias (zero points folded in), per output channel, and the output-stage
        /// records of channel k's scale with it.
        var quantized: QuantizedWeights?
        func outputStage(_ scale: (Int) -> FixedPointScale) -> [Int] { quantized?.records(scale) ?? [] }

        if int8 {
            main = RequantRegisters(scale: FixedPointScale(multiplier: 1, shift: 0), zeroPoint: zy, low: low, high: high)
            if parameters != nil {
                quantized = QuantizedWeights.int8(realWeights, window: window, columns: K, bias: realBias, input: qx,
                                                   fixedScales: fixedScales)
                weights = quantized!.weights
            }
            func table(_ factor: Double) -> [Int] { outputStage { FixedPointScale(quantized!.accumulatorScales[$0] * factor) } }
            switch g.activation {
            case .leakyRelu(let alpha):
                leaky = main
                records = table(1 / qy.scale)
                alphaRecords = table(alpha / qy.scale)
            case .sigmoid, .tanh:
                toQ12 = RequantRegisters(scale: FixedPointScale(multiplier: 1, shift: 0), zeroPoint: 0,
                                         low: Int(Int16.min), high: Int(Int16.max))
                fromQ15 = RequantRegisters(scale: FixedPointScale(1 / (pow2(LayerNumerics.q15Fraction) * qy.scale)),
                                           zeroPoint: zy, low: low, high: high)
                records = table(pow2(LayerNumerics.q12Fraction))
            default:
                records = table(1 / qy.scale)
            }
        } else {
            // int16: choose fw, then every requantization is a power of two.
            var fw = 8
            if parameters != nil {
                quantized = QuantizedWeights.int16(realWeights, window: window, columns: K, bias: realBias, inputFractionBits: fx)
                fw = quantized!.fractionBits!
                weights = quantized!.weights
            }
            let shift = fx + fw - fy
            main = RequantRegisters(scale: .powerOfTwo(-shift), zeroPoint: 0, low: low, high: high)
            switch g.activation {
            case .leakyRelu(let alpha):
                let alphaBits = 16
                leaky = RequantRegisters(scale: FixedPointScale(multiplier: Int((alpha * pow2(alphaBits)).rounded()) << max(0, -shift),
                                                                shift: max(0, shift) + alphaBits),
                                         zeroPoint: 0, low: low, high: high)
            case .sigmoid, .tanh:
                toQ12 = RequantRegisters(scale: .powerOfTwo(LayerNumerics.q12Fraction - (fx + fw)), zeroPoint: 0,
                                         low: Int(Int16.min), high: Int(Int16.max))
                fromQ15 = RequantRegisters(scale: .powerOfTwo(fy - LayerNumerics.q15Fraction), zeroPoint: 0, low: low, high: high)
            default: break
            }
            records = outputStage { _ in (toQ12 ?? main).scale }
            if let leaky { alphaRecords = outputStage { _ in leaky.scale } }
        }
        if parameters == nil { (records, alphaRecords) = (nil, nil) }
        if case .sigmoid = g.activation { pwl = LayerNumerics.pwlParameters(.sigmoid) }
        if case .tanh = g.activation { pwl = LayerNumerics.pwlParameters(.tanh) }
        if let pwl, parameters != nil {
            do { pwlTable = try PWLTable.fit(pwl) } catch { throw fail("PWL table: \(error)") }
        }
        if let pooling = g.fusedPooling, pooling.kind == .average {
            // Pools the requantized outputs, quantized as (s_y, z_y).
            (poolSubtract, poolRequant) = averageRequant(window: pooling.windowHeight * pooling.windowWidth, inScale: qy.scale, inZero: zy)
            if !int8 { poolRequant!.scale = FixedPointScale(1 / Double(pooling.windowHeight * pooling.windowWidth)) }
        }
    }
}
