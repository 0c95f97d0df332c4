import Compiler
import Foundation
import HostRuntime
import ISA
import Testing
@testable import ONNX

/// QDQ models (`QuantizeLinear` / `DequantizeLinear`): the fixtures' integers as onnxruntime
/// computes them, from the imported model run on the device with the model's own quantization.
struct QDQImportTests {
    /// The QDQ fixtures these tests run (`ImportFixtureTests` classifies the others).
    static let fixtures: Set<String> = ["quantizelinear_int8", "quantizelinear_uint8", "quantizelinear_opset21", "qdq_conv_relu",
                                        "qdq_conv_relu_int8_output"]

    /// Imports fixture `name` and runs it on `edge` int8 with its input and the quantization
    /// the model fixes; returns the model, the device's output in ONNX order and onnxruntime's.
    static func run(_ name: String) throws -> (ImportedModel, NetworkRun.Report, device: [Float], expected: NumpyArray) {
        let fixture = try ImportFixtureTests.fixture(name)
        let directory = ImportFixtureTests.directory
        let imported = try ONNXImporter.load(contentsOf: directory.appendingPathComponent(fixture.file))
        let input = try #require(imported.inputs.first), output = try #require(imported.outputs.first)
        let values = input.toGraphOrder(try NumpyArray(contentsOf: directory.appendingPathComponent(fixture.input)).floats)
        let report = try NetworkRun.run(imported.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                      parameters: imported.parameters, inputs: [input.graphName: [values]],
                                                                      quantization: imported.quantization))
        let device = output.toONNXOrder(try #require(report.outputValues[output.graphName]))
        return (imported, report, device, try NumpyArray(contentsOf: directory.appendingPathComponent(fixture.output)))
    }

    /// A lone per-tensor QuantizeLinear: the host quantizes the input as the operator specifies
    /// (Float division, ties to even, saturation), exactly onnxruntime's integers.
    @Test(arguments: ["quantizelinear_int8", "quantizelinear_uint8", "quantizelinear_opset21"])
    func quantizeLinearIsExact(_ name: String) throws {
        let (imported, _, device, expected) = try Self.run(name)
        let codes = try #require(imported.outputs[0].codes)
        #expect(codes.type == (expected.dtype == .uint8 ? .uint8 : .int8))
        #expect(codes.quantize(device) == expected.floats)
        // The fixtures hold ties and values past the type's range: a Double division or no
        // saturation would differ somewhere.
        #expect(Set(expected.floats).contains(Float(codes.range.upperBound)) || Set(expected.floats).contains(Float(codes.range.lowerBound)))
    }

    /// Conv -> Relu between Q/DQ pairs: the device runs the model's int8 weights and int32 bias
    /// with the model's activation scales and zero points; every code equals onnxruntime's
    /// (which accumulates in float) or is one step off, and the run verifies bit-exact.
    @Test(arguments: ["qdq_conv_relu", "qdq_conv_relu_int8_output"])
    func quantizedConvolutionMatchesOnnxruntime(_ name: String) throws {
        let (imported, report, device, expected) = try Self.run(name)
        #expect(report.verification == .bitExact)
        let fixed = imported.quantization.values
        #expect(fixed.count == 2)
        #expect(fixed.contains(Quantization(scale: Double(Float(0.05)), zeroPoint: -5)))
        #expect(fixed.contains(Quantization(scale: Double(Float(0.03)), zeroPoint: -128)))
        let output = imported.outputs[0]
        let scale = Float(0.03)
        let codes = output.codes.map { $0.quantize(device) } ?? device.map { ($0 / scale).rounded() }
        let reference = output.codes == nil ? expected.floats.map { ($0 / scale).rounded() } : expected.floats
        let differences = zip(codes, reference).map { abs($0 - $1) }
        #expect(differences.max() ?? 0 <= 1)
        #expect(differences.filter { $0 == 0 }.count * 10 >= differences.count * 9, "at most one code in ten off by one")
        #expect(expected.floats.contains { $0 != expected.floats[0] }, "a constant output would prove nothing")
    }

    /// The weights' scales travel from DequantizeLinear to the layer's parameters, and the
    /// compiler quantizes with them: integers a `max / 127` scale would not give come back.
    @Test func modelWeightScalesAreKept() throws {
        let fixture = try ImportFixtureTests.fixture("qdq_conv_relu")
        let imported = try ONNXImporter.load(contentsOf: ImportFixtureTests.directory.appendingPathComponent(fixture.file))
        let parameters = try #require(imported.parameters.values.first { $0.weightScales != nil })
        let scales = try #require(parameters.weightScales)
        #expect(scales.count == 4)
        for (index, weight) in parameters.weights.enumerated() {
            let code = weight / scales[index % 4]
            #expect(abs(code - code.rounded()) < 1e-3, "weight \(index) is no multiple of its scale")
        }
    }
}

extension QDQImportTests {
    typealias M = ImportTestModels

    /// onnxruntime's quantizer drops the Relu after a convolution and lets `QuantizeLinear` with
    /// zero point -128 clamp instead: the importer puts the Relu back, so the fp32 reference has
    /// no negative value, while a zero point above the minimum adds nothing.
    @Test(arguments: [(Int8(-128), true), (Int8(-5), false)])
    func saturatingZeroPointIsARelu(zeroPoint: Int8, rectifies: Bool) throws {
        let nodes = [M.node("Conv", ["x", "w"], ["c"], name: "conv"),
                     M.node("QuantizeLinear", ["c", "s", "z"], ["q"], name: "quantize"),
                     M.node("DequantizeLinear", ["q", "s", "z"], ["y"], name: "dequantize")]
        let initializers = [M.floats("w", [4, 3, 3, 3]), M.floats("s", [], [0.05]),
                            ONNXTensor(name: "z", dataType: .int8, dims: [], values: .int8([zeroPoint]))]
        let model = try M.imported(nodes: nodes, initializers: initializers, inputs: [M.value("x", [1, 3, 6, 6])], outputs: [M.output("y")])
        #expect(model.graph.nodes.contains { $0.op == .activation(.relu) } == rectifies)
        let input = try #require(model.inputs.first), output = try #require(model.outputs.first)
        let values = try FloatGraphReference.run(model.graph, parameters: model.parameters,
                                                 inputs: [input.graphName: input.toGraphOrder(M.input(for: input))])
        let minimum = try #require(values[output.graphName]?.min())
        #expect((minimum >= 0) == rectifies)
    }
}
