import ISA

/// Conversion between real values and quantized device tensors by a `Quantization`
/// (real = scale * (q - zeroPoint)).
public enum Quantizer {
    /// `q = saturate(round(x / scale) + zeroPoint)` for an integer `type`: `x / scale` divided in
    /// Float, as ONNX's `QuantizeLinear` specifies and onnxruntime computes it (so a QDQ model's
    /// input gets exactly its integers), rounded half to even, saturated to the type (NaN
    /// becomes the zero point). A float `type` stores `x / scale + zeroPoint` (in Double) rounded
    /// to the type. `values` fills `shape` row-major.
    public static func quantize(_ values: [Float], shape: [Int], type: ElementType, _ quantization: Quantization) -> Tensor {
        var tensor = Tensor(shape: shape, type: type)
        precondition(values.count == tensor.elementCount, "\(values.count) values for shape \(shape)")
        let scale = quantization.scale, zeroPoint = Double(quantization.zeroPoint), size = type.byteSize
        let range = type.integerRange
        tensor.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            let floatScale = Float(scale)
            for (index, value) in values.enumerated() {
                if type.isFloatingPoint {
                    ElementCodec.store(float: Float(Double(value) / scale + zeroPoint), to: base + index * size, type)
                    continue
                }
                let scaled = Double(value / floatScale)
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
