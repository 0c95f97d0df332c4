import ISA

/// The quantization of a layer's input and output activations.
///
/// int8: affine, `real = scale * (q - zeroPoint)`. int16 (DianNao's fixed point): per-tensor
/// power-of-two formats, `scale = 2^-fractionBits` and `zeroPoint = 0`.
public struct ActivationQuantization: Equatable, Sendable {
    public var input: Quantization
    public var output: Quantization

    public init(input: Quantization, output: Quantization) {
        self.input = input
        self.output = output
    }

    /// Defaults used when none is given: int8 scale 1/64, zero point 0 (inputs and outputs);
    /// int16 Q7.8 (8 fraction bits).
    public static func defaults(for dataType: DataType) -> ActivationQuantization {
        let q = dataType == .int16 ? Quantization(scale: 1.0 / 256, zeroPoint: 0) : Quantization(scale: 1.0 / 64, zeroPoint: 0)
        return ActivationQuantization(input: q, output: q)
    }
}

/// A real multiplier as the vector unit's fixed-point scale `roundShift(x * multiplier, shift)`.
///
/// Normalized as in gemmlowp / TFLite: `multiplier` in [2^30, 2^31), `shift` in 0...62, so that
/// `multiplier / 2^shift` approximates the real value to 31 significant bits. Values too small for
/// a shift of 62 keep shift 62 with a smaller multiplier (possibly 0); values of 2^31 or more are
/// clamped to the largest int32 multiplier with shift 0.
struct FixedPointScale: Equatable, Sendable {
    var multiplier: Int
    var shift: Int

    static let maximumShift = 62

    init(multiplier: Int, shift: Int) {
        self.multiplier = multiplier
        self.shift = shift
    }

    init(_ real: Double) {
        guard real > 0, real.isFinite else {
            self.init(multiplier: 0, shift: 0)
            return
        }
        let exponent = Int(real.exponent)  // real = significand * 2^exponent, significand in [1, 2)
        var shift = 30 - exponent
        var multiplier = Int((real * pow2(shift)).rounded())
        if multiplier >= 1 << 31 {
            multiplier /= 2
            shift -= 1
        }
        if shift > Self.maximumShift {
            shift = Self.maximumShift
            multiplier = Int((real * pow2(shift)).rounded())
        }
        if shift < 0 {
            shift = 0
            multiplier = Int(Int32.max)
        }
        self.init(multiplier: multiplier, shift: shift)
    }

    /// The exact power of two `2^exponent` (the int16 fixed-point requantization): a right shift
    /// when `exponent <= 0` (multiplier 1), a multiplier `2^exponent` otherwise.
    static func powerOfTwo(_ exponent: Int) -> FixedPointScale {
        if exponent <= 0 { return FixedPointScale(multiplier: 1, shift: min(-exponent, maximumShift)) }
        return FixedPointScale(multiplier: exponent >= 31 ? Int(Int32.max) : 1 << exponent, shift: 0)
    }

    var real: Double { Double(multiplier) / pow2(shift) }
}

func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }
