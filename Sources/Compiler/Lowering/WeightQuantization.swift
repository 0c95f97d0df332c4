import Foundation
import ISA

/// A weight matrix `[window][K]` (row-major, column k one output) and its bias quantized for a
/// matrix unit that multiplies raw input codes: the integer weights, the bias in accumulator
/// units, and the real value of one accumulator unit per column (`accumulatorScales`), from
/// which every requantization of the accumulators derives. `LayerNumerics` documents the
/// schemes; the recurrent layers (`RecurrentNumerics`) quantize their matrices the same way.
struct QuantizedWeights: Sendable {
    var weights: [Int]
    /// Per column: the bias `round(b / accumulatorScale)`, minus `z_x * sum of the column's
    /// weights` for int8 (zero-point folding), saturated to int32.
    var bias: [Int]
    /// Per column: the real value of one accumulator unit (`s_x * s_w[k]`; int16: `2^-(fx + fw)`).
    var accumulatorScales: [Double]
    /// int16 only: the weights' fraction bits fw (every accumulator is then Q(fx + fw)).
    var fractionBits: Int?

    /// int8: per-column symmetric weights `s_w[k] = max|w_k| / 127`, `q = round(w / s_w[k])` in
    /// [-127, 127] (a column of zeros gets `s_w = 1`), affine input `(s_x, z_x)`.
    ///
    /// `fixedScales` (a QDQ model's weight scales, `LayerParameters.weightScales`) replaces the
    /// chosen `s_w[k]` where it is positive and finite; `q` then spans int8's full [-128, 127],
    /// as `QuantizeLinear` does, so weights that are `s_w[k]` times int8 values get exactly those.
    static func int8(_ real: [Double], window: Int, columns: Int, bias realBias: [Double], input: Quantization,
                     fixedScales: [Double]? = nil) -> QuantizedWeights {
        var q = [Int](repeating: 0, count: window * columns), bias = [Int](repeating: 0, count: columns)
        var scales = [Double](repeating: 1, count: columns)
        for k in 0..<columns {
            var largest = 0.0
            for i in 0..<window { largest = max(largest, abs(real[i * columns + k])) }
            scales[k] = largest > 0 ? largest / 127 : 1
            var lowest = -127
            if let fixed = fixedScales?[k], fixed > 0, fixed.isFinite {
                scales[k] = fixed
                lowest = -128
            }
            var sum = 0
            for i in 0..<window {
                let value = Int((real[i * columns + k] / scales[k]).rounded())
                q[i * columns + k] = min(max(value, lowest), 127)
                sum += q[i * columns + k]
            }
            bias[k] = saturatedInt32(realBias[k] / (input.scale * scales[k]) - Double(input.zeroPoint * sum))
        }
        return QuantizedWeights(weights: q, bias: bias, accumulatorScales: scales.map { input.scale * $0 }, fractionBits: nil)
    }

    /// int16 fixed point with the input in Q.fx: the largest fw <= 15 with every |q| <= 32767 and
    /// `32768 * max_k sum |q_k| + max |bias| < 2^31` (no int32 accumulator can wrap for any int16
    /// input), weights `round(w * 2^fw)`, bias in Q(fx + fw).
    static func int16(_ real: [Double], window: Int, columns: Int, bias realBias: [Double], inputFractionBits fx: Int) -> QuantizedWeights {
        var fw = -16
        for candidate in stride(from: 15, through: -16, by: -1) {
            let scale = pow2(candidate)
            var fits = true, worstSum = 0.0, worstBias = 0.0
            for k in 0..<columns where fits {
                var sum = 0.0
                for i in 0..<window {
                    let q = (real[i * columns + k] * scale).rounded()
                    if abs(q) > 32767 { fits = false }
                    sum += abs(q)
                }
                worstSum = max(worstSum, sum)
                worstBias = max(worstBias, abs((realBias[k] * pow2(fx + candidate)).rounded()))
            }
            if fits && 32768 * worstSum + worstBias < pow2(31) {
                fw = candidate
                break
            }
        }
        return QuantizedWeights(weights: real.map { Int(($0 * pow2(fw)).rounded()) },
                                bias: realBias.map { saturatedInt32($0 * pow2(fx + fw)) },
                                accumulatorScales: Array(repeating: pow2(-(fx + fw)), count: columns), fractionBits: fw)
    }

    /// `vrequantc bias` records (mult, shift, bias) per column, int32 words, of the requantization
    /// `scale(k)` of column k's accumulators.
    func records(_ scale: (Int) -> FixedPointScale) -> [Int] {
        bias.indices.flatMap { k -> [Int] in
            let s = scale(k)
            return [s.multiplier, s.shift, bias[k]]
        }
    }

    static func saturatedInt32(_ value: Double) -> Int {
        Int(min(max(value.rounded(), Double(Int32.min)), Double(Int32.max)))
    }
}
