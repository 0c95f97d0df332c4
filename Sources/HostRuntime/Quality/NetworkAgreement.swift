import Compiler
import ISA

/// How a network output computed on the device agrees with its fp32 reference: the element
/// errors (`QuantizationError`) and, reading each pixel's channels as class scores, top-1
/// agreement (`TopOneAgreement`; a classifier's `1 x 1 x classes` output is one row).
public struct NetworkAgreement: Equatable, Sendable {
    /// The output tensor compared.
    public var output: String
    public var error: QuantizationError
    public var topOne: TopOneAgreement

    public init(output: String, error: QuantizationError, topOne: TopOneAgreement) {
        self.output = output
        self.error = error
        self.topOne = topOne
    }

    /// Compares the fp32 `reference` and the dequantized `device` values of tensor `output` of
    /// `shape` (HWC, `shape.elementCount` values each; a different count is a caller's bug).
    public init(output: String, shape: FeatureShape, reference: [Float], device: [Float]) {
        precondition(reference.count == shape.elementCount, "reference has \(reference.count) values for \(shape)")
        self.init(output: output, error: QuantizationError(reference: reference, device: device),
                  topOne: TopOneAgreement(reference: reference, device: device, classes: shape.channels))
    }

    /// Compares the fp32 `reference` with a quantized device tensor, dequantized by `quantization`
    /// (`Quantizer.dequantize`).
    public init(output: String, shape: FeatureShape, reference: [Float], device: Tensor, quantization: Quantization) {
        self.init(output: output, shape: shape, reference: reference, device: Quantizer.dequantize(device, quantization))
    }

    /// One agreement per graph output, in `analysis.outputs` order, from the fp32 values
    /// (`FloatGraphReference.run`) and the dequantized device values, both by tensor name.
    /// Returns nil when either lacks an output.
    public static func outputs(of analysis: Graph.Analysis, reference: [String: [Float]],
                               device: [String: [Float]]) -> [NetworkAgreement]? {
        var agreements: [NetworkAgreement] = []
        for name in analysis.outputs {
            guard let expected = reference[name], let actual = device[name] else { return nil }
            agreements.append(NetworkAgreement(output: name, shape: analysis.shapes[name]!, reference: expected, device: actual))
        }
        return agreements
    }
}
