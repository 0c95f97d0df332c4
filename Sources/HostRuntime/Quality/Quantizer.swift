import ISA

/// Conversion between real values and quantized device tensors by a `Quantization`
/// (real = scale * (q - zeroPoint)).
public enum Quantizer {
    /// `q = round(x / scale) + zeroPoint` in Double, rounded half to even and saturated to an
    /// integer `type` (NaN becomes the zero point); a float `type` stores `x / scale + zeroPoint`
    /// rounded to the type. `values` fills `shape` row-major.
    public static func quantize(_ values: [Float], shape: [Int], type: ElementType, _ quantization: Quantization) -> Tensor {
        var tensor = Tensor(shape: shape, type: type)
        precondition(values.count == tensor.elementCount, "\(values.count) values for shape \(shape)")
        let scale = quantization.scale, zeroPoint = Double(quantization.zeroPoint), size = type.byteSize
        let range = type.integerRange
        tensor.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for (index, value) in values.enumerated() {
                let scaled = Double(value) / scale
                if type.isFloatingPoint {
                    ElementCodec.store(float: Float(scaled + zeroPoint), to: base + index * size, type)
                    continue
                }
                let level = scaled.isNaN ? zeroPoint : scaled.rounded(.toNearestOrEven) + zeroPoint
                let saturated = Swift.min(Swift.max(level, Double(range.lowerBound)), Double(range.upperBound))
                ElementCodec.store(integer: Int64(saturated), to: base + index * size, type)
            }
        }
        return tensor
    }

    /// `scale * (q - zeroPoint)` for every element, row-major, computed in Double.
    public static func dequantize(_ tensor: Tensor, _ quantization: Quantization) -> [Float] {
        let scale = quantization.scale, zeroPoint = Double(quantization.zeroPoint)
        if tensor.type.isFloatingPoint { return tensor.floats.map { Float(scale * (Double($0) - zeroPoint)) } }
        return tensor.integers.map { Float(scale * (Double($0) - zeroPoint)) }
    }
}
