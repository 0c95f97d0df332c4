import ISA

/// Activation quantization for a whole network from its fp32 tensors (`FloatGraphReference.run`),
/// keyed by tensor name as `NetworkCompiler.compile(_:config:dataType:parameters:quantization:options:)`
/// takes it: graph input names and node names.
///
/// Each tensor is calibrated on its own range (`Calibration`). The compiler looks a tensor up by
/// the tensor holding its storage first: dropout, flatten and reshape share their input's values
/// (so the same quantization), and the inputs of a concatenation are stored in it and use the
/// concatenation's, whose range covers all of theirs.
public enum NetworkCalibration {
    /// Asymmetric int8 per tensor: `Calibration.int8(of:)` over the tensor's values.
    public static func int8(values: [String: [Float]]) -> [String: Quantization] {
        values.mapValues { Calibration.int8(of: $0) }
    }

    /// Asymmetric int8 per tensor over several sample inputs: `Calibration.int8(min:max:)` over the
    /// smallest and largest value of the tensor in any sample (a tensor missing from a sample is
    /// calibrated on the others).
    public static func int8(samples: [[String: [Float]]]) -> [String: Quantization] {
        var ranges: [String: ClosedRange<Float>] = [:]
        for sample in samples {
            for (name, values) in sample {
                guard let low = values.min(), let high = values.max() else { continue }
                let range = ranges[name].map { min($0.lowerBound, low)...max($0.upperBound, high) } ?? low...high
                ranges[name] = range
            }
        }
        return ranges.mapValues { Calibration.int8(min: $0.lowerBound, max: $0.upperBound) }
    }

    /// 16-bit fixed point per tensor: `Calibration.fixedPoint(of:)` over the tensor's values.
    public static func fixedPoint(values: [String: [Float]]) -> [String: Quantization] {
        values.mapValues { Calibration.fixedPoint(of: $0) }
    }

    /// 16-bit fixed point per tensor over several sample inputs: the largest magnitude of the
    /// tensor in any sample.
    public static func fixedPoint(samples: [[String: [Float]]]) -> [String: Quantization] {
        var magnitudes: [String: Float] = [:]
        for sample in samples {
            for (name, values) in sample {
                magnitudes[name] = values.reduce(magnitudes[name] ?? 0) { max($0, abs($1)) }
            }
        }
        return magnitudes.mapValues { Calibration.fixedPoint(maxAbs: $0) }
    }
}
