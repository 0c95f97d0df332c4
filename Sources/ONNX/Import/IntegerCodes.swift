import ISA

/// The integers of an ONNX output whose type is not float: `QuantizeLinear`'s codes of a real
/// tensor, `q = saturate(round(x / scale) + zeroPoint)` (`x / scale` in Float, rounded half to
/// even, saturated to int8 or uint8), or integers the host computed as they are (scale 1, zero
/// point 0: a per-channel QuantizeLinear's codes, a Dropout mask of BOOL).
///
/// A QDQ model's activations are such codes; the device holds them as int8 codes
/// (`quantization`), a uint8 code `u` as `u - 128`, which is the same real value
/// `scale * (u - zeroPoint)` with the zero point moved by 128 and the same saturation.
public struct IntegerCodes: Equatable, Sendable {
    /// INT8, UINT8, or BOOL (0 and 1).
    public var type: ONNXDataType
    public var scale: Float
    /// ONNX's zero point, in the type's range.
    public var zeroPoint: Int

    public init(type: ONNXDataType, scale: Float = 1, zeroPoint: Int = 0) {
        precondition([.int8, .uint8, .bool].contains(type), "integer codes are INT8, UINT8 or BOOL, not \(type)")
        self.type = type
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The codes' range: [-128, 127], [0, 255] or [0, 1].
    public var range: ClosedRange<Int> {
        switch type {
        case .uint8: 0...255
        case .bool: 0...1
        default: -128...127
        }
    }

    /// The device's int8 quantization holding the same real values.
    public var quantization: Quantization {
        Quantization(scale: Double(scale), zeroPoint: type == .uint8 ? zeroPoint - 128 : zeroPoint)
    }

    /// `QuantizeLinear` of real `values`: the codes, as Floats (exact integers).
    public func quantize(_ values: [Float]) -> [Float] { values.map(code) }

    /// `QuantizeLinear` of one real value: its code, as a Float (an exact integer).
    public func code(_ value: Float) -> Float {
        let scaled = value / scale
        let level = scaled.isNaN ? Float(zeroPoint) : scaled.rounded(.toNearestOrEven) + Float(zeroPoint)
        return min(max(level, Float(range.lowerBound)), Float(range.upperBound))
    }
}
