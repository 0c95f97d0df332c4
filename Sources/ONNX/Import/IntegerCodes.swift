import ISA

/// The integers ONNX's `QuantizeLinear` makes of a real tensor, per tensor:
/// `q = saturate(round(x / scale) + zeroPoint)`, `x / scale` in Float, rounded half to even,
/// saturated to int8 or uint8. A QDQ model's activations are these; the device holds them as
/// int8 codes (`quantization`), a uint8 code `u` as `u - 128`, which is the same real value
/// `scale * (u - zeroPoint)` with the zero point moved by 128 and the same saturation.
public struct IntegerCodes: Equatable, Sendable {
    /// uint8 when true, int8 when false.
    public var isUnsigned: Bool
    public var scale: Float
    /// ONNX's zero point, in the type's range.
    public var zeroPoint: Int

    public init(isUnsigned: Bool, scale: Float, zeroPoint: Int) {
        self.isUnsigned = isUnsigned
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The codes' range: [0, 255] or [-128, 127].
    public var range: ClosedRange<Int> { isUnsigned ? 0...255 : -128...127 }

    /// The device's int8 quantization holding the same real values.
    public var quantization: Quantization {
        Quantization(scale: Double(scale), zeroPoint: isUnsigned ? zeroPoint - 128 : zeroPoint)
    }

    /// `QuantizeLinear` of real `values`: the codes, as Floats (exact integers).
    public func quantize(_ values: [Float]) -> [Float] {
        let low = Float(range.lowerBound), high = Float(range.upperBound), zero = Float(zeroPoint)
        return values.map { value in
            let scaled = value / scale
            let level = scaled.isNaN ? zero : scaled.rounded(.toNearestOrEven) + zero
            return min(max(level, low), high)
        }
    }
}
