import ISA

/// Chooses activation quantization (`Quantization`: real = scale * (q - zeroPoint)) from float
/// data, as post-training calibration does with the range observed on sample inputs.
///
/// Non-finite bounds are treated as the largest finite Float (NaN as 0), so a calibration never
/// traps; such a range is useless, and the quality metrics will say so.
public enum Calibration {
    /// Asymmetric int8 (gemmlowp / TFLite / PyTorch's `MinMaxObserver` with `quint8` shifted to
    /// int8): the range `[min(lower, 0), max(upper, 0)]` (0 is always exactly representable, so
    /// zero padding and ReLU's zeros quantize without error) is spread over the 256 levels,
    /// `scale = (upper' - lower') / 255`, and `zeroPoint = -128 - round(lower' / scale)` (ties to
    /// even), in -128...127. An all-zero range gets scale 1, zero point 0.
    public static func int8(min lower: Float, max upper: Float) -> Quantization {
        let low = Swift.min(finite(lower), 0), high = Swift.max(finite(upper), 0)
        guard high > low else { return Quantization(scale: 1, zeroPoint: 0) }
        let scale = (high - low) / Double(int8Levels - 1)
        let zeroPoint = Double(Int8.min) - (low / scale).rounded(.toNearestOrEven)
        return Quantization(scale: scale, zeroPoint: Int(Swift.min(Swift.max(zeroPoint, Double(Int8.min)), Double(Int8.max))))
    }

    /// `int8(min:max:)` over the smallest and largest of `values` (0...0 when empty).
    public static func int8(of values: [Float]) -> Quantization {
        int8(min: values.min() ?? 0, max: values.max() ?? 0)
    }

    /// 16-bit fixed point: scale `2^-f`, zero point 0, with the largest `f` in
    /// 0...`maximumFractionBits` such that `maxAbs * 2^f < 2^15` (the int16 range holds the
    /// data); f = 0 when even that does not hold (the data saturate).
    public static func fixedPoint(maxAbs: Float) -> Quantization {
        let magnitude = abs(finite(maxAbs))
        var fractionBits = maximumFractionBits
        while fractionBits > 0, magnitude * Double(sign: .plus, exponent: fractionBits, significand: 1) >= int16Limit {
            fractionBits -= 1
        }
        return Quantization(scale: Double(sign: .plus, exponent: -fractionBits, significand: 1), zeroPoint: 0)
    }

    /// `fixedPoint(maxAbs:)` over the largest magnitude of `values`.
    public static func fixedPoint(of values: [Float]) -> Quantization {
        fixedPoint(maxAbs: values.reduce(0) { Swift.max($0, abs($1)) })
    }

    /// The fraction bits of `fixedPoint` stop here: int16 holds values below 1 with 15 of them.
    public static let maximumFractionBits = 15
    /// Quantization levels of an 8-bit integer.
    static let int8Levels = 256
    /// 2^15: the first magnitude int16 cannot hold.
    static let int16Limit = Double(1 << 15)

    private static func finite(_ value: Float) -> Double {
        value.isNaN ? 0 : Double(Swift.min(Swift.max(value, -.greatestFiniteMagnitude), .greatestFiniteMagnitude))
    }
}
