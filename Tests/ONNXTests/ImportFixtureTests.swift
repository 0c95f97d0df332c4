import Compiler
import Foundation
import HostRuntime
import Testing
@testable import ONNX

/// The ONNX fixtures (`Tests/Fixtures/onnx`, made by `scripts/onnx/make_fixtures.py`) through the
/// importer: every model in the supported subset computes onnxruntime's output in the fp32 graph
/// reference, and runs bit-exact on the simulated device in int8 with its real weights (or, for
/// two average poolings the device cannot divide, is refused by the compiler with its reason);
/// every other model is rejected with one clear line.
struct ImportFixtureTests {
    /// Models the importer takes: their output is checked against onnxruntime and the device.
    static let covered = [
        "conv_basic", "conv_stride_pads", "conv_dilation", "conv_group", "conv_depthwise", "conv_depthwise_multiplier",
        "conv_pointwise", "conv_auto_pad_opset11", "conv_initializers_as_inputs", "conv_opset21",
        "convtranspose_stride2", "convtranspose_k2s2",
        "gemm_linear", "gemm_alpha_beta", "matmul_const", "matmul_3d",
        "add_residual", "add_const_broadcast", "sub_const", "sub_tensors", "mul_const", "div_const",
        "relu", "leakyrelu", "clip_relu6", "clip_relu6_opset11", "sigmoid", "tanh",
        "maxpool_2x2", "maxpool_ceil_pads", "avgpool_include_pad", "globalaveragepool",
        "batchnorm", "lrn_alexnet", "lrn_strong", "concat_channels",
        "squeeze", "squeeze_opset11", "unsqueeze", "unsqueeze_opset11",
        "softmax_last", "softmax_axis1", "softmax_axis1_opset11", "dropout", "identity", "constant_add", "pad_opset11",
        "resize_nearest", "resize_nearest_asymmetric", "resize_nearest_sizes", "resize_nearest_opset11",
        "flatten_shape_pattern", "flatten_shape_pattern_opset11", "tiny_cnn", "cnn_external_data",
        "lstm_forward", "lstm_bidirectional", "gru_linear_before_reset",
        "rnn_forward", "rnn_forward_initial", "rnn_bidirectional", "rnn_bidirectional_initial",
    ]

    /// Models the importer takes and the fp32 reference computes as onnxruntime does, but the
    /// device cannot run: each with a part of the compiler's reason.
    static let referenceOnly: [String: String] = [
        "avgpool_exclude_pad": "average pooling with count_include_pad=false and padding is not supported",
        "avgpool_ceil": "average pooling in ceil mode with a partial last window divides by a smaller count",
    ]

    /// Models whose operators are all supported, used in a form the importer rejects: each with
    /// a part of the expected message.
    static let unsupportedForms: [String: String] = [
        "mul_tensors": "Mul of two computed tensors is not supported",
        "flatten": "flattens a 4x3x3 map",
        "reshape_flatten": "flattens a 4x3x3 map",
        "reshape_opset21": "flattens a 4x6x6 map",
        "reshape_4d": "reorders elements between ONNX's NCHW and our HWC layout",
        "gather_scalar": "gathers from a computed tensor",
        "gather_1d": "gathers from a computed tensor",
        "dropout_mask": "is used; only the first output is supported",
        "pad_constant": "only zero padding is supported",
        "transpose_nhwc": "moves elements; only transposes that move size-1 axes",
        "transpose_roundtrip": "moves elements; only transposes that move size-1 axes",
        // Our LSTM's cell state starts at 0; these fixtures give a constant non-zero initial_c.
        "lstm_forward_initial": "initial_c is not zero",
        "lstm_bidirectional_initial": "initial_c is not zero",
        // ONNX's GRU default (linear_before_reset 0) resets h before R_h; ours (PyTorch's) after.
        "gru_forward": "linear_before_reset 0 resets the state before the recurrent matmul",
        "gru_forward_initial": "linear_before_reset 0 resets the state before the recurrent matmul",
        "gru_bidirectional": "linear_before_reset 0 resets the state before the recurrent matmul",
        "gru_bidirectional_initial": "linear_before_reset 0 resets the state before the recurrent matmul",
    ]

    struct Fixture: Decodable {
        var name: String
        var file: String
        var input: String
        var output: String
        var ops: [String]
    }

    struct Index: Decodable { var fixtures: [Fixture] }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx")

    static let fixtures: [Fixture] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("fixtures.json")),
              let index = try? JSONDecoder().decode(Index.self, from: data) else { return [] }
        return index.fixtures
    }()

    static func fixture(_ name: String) throws -> Fixture {
        try #require(fixtures.first { $0.name == name }, "no fixture \(name) in fixtures.json")
    }

    /// The models whose operators lie outside the supported subset.
    static var outsideSubset: [String] {
        let supported = Set(ONNXImporter.supportedOperators)
        return fixtures.filter { !Set($0.ops).isSubset(of: supported) }.map(\.name)
    }

    @Test func everyFixtureIsClassified() throws {
        #expect(Self.fixtures.count == 87)
        let supported = Set(ONNXImporter.supportedOperators)
        for fixture in Self.fixtures {
            let inSubset = Set(fixture.ops).isSubset(of: supported)
            let listed = Self.covered.contains(fixture.name) || Self.referenceOnly[fixture.name] != nil
                || Self.unsupportedForms[fixture.name] != nil
            #expect(inSubset == listed, "\(fixture.name) (\(fixture.ops)) is \(inSubset ? "in" : "outside") the subset")
        }
        #expect(Set(Self.covered).isDisjoint(with: Self.unsupportedForms.keys))
        #expect(Set(Self.covered).isDisjoint(with: Self.referenceOnly.keys))
    }

    @Test(arguments: covered)
    func matchesOnnxruntimeAndRunsBitExact(_ name: String) throws {
        let (imported, input, hwc) = try Self.importAndCompare(name)
        let report = try NetworkRun.run(imported.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                      parameters: imported.parameters,
                                                                      inputs: [input.graphName: [hwc]]))
        #expect(report.verification == .bitExact)
    }

    @Test(arguments: referenceOnly.keys.sorted())
    func matchesOnnxruntimeButNotOnTheDevice(_ name: String) throws {
        let (imported, input, hwc) = try Self.importAndCompare(name)
        let error = #expect(throws: (any Error).self) {
            try NetworkRun.run(imported.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                              parameters: imported.parameters, inputs: [input.graphName: [hwc]]))
        }
        #expect(error.map { "\($0)".contains(Self.referenceOnly[name]!) } == true, "\(String(describing: error))")
    }

    /// Imports fixture `name`, runs the fp32 graph reference on its input and compares the output
    /// with onnxruntime's; returns the model, its input and the input's values in HWC order.
    static func importAndCompare(_ name: String) throws -> (ImportedModel, ImportedTensor, [Float]) {
        let fixture = try Self.fixture(name)
        let imported = try ONNXImporter.load(contentsOf: Self.directory.appendingPathComponent(fixture.file))
        let input = try #require(imported.inputs.first)
        #expect(imported.inputs.count == 1)
        let onnxInput = try NumpyArray(contentsOf: Self.directory.appendingPathComponent(fixture.input))
        let expected = try NumpyArray(contentsOf: Self.directory.appendingPathComponent(fixture.output))
        #expect(onnxInput.shape == input.onnxShape)
        let output = try #require(imported.outputs.first)
        #expect(expected.shape == output.onnxShape)

        let hwc = input.toGraphOrder(onnxInput.floats)
        #expect(input.toONNXOrder(hwc) == onnxInput.floats)
        let values = try FloatGraphReference.run(imported.graph, parameters: imported.parameters, inputs: [input.graphName: hwc])
        let computed = output.toONNXOrder(try #require(values[output.graphName]))
        let reference = expected.floats
        try #require(computed.count == reference.count)
        let largest = reference.map(abs).max() ?? 0
        let difference = zip(computed, reference).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-4 * max(1, largest), "max abs difference \(difference) (largest expected \(largest))")
        return (imported, input, hwc)
    }

    @Test(arguments: unsupportedForms.keys.sorted())
    func unsupportedFormIsRejected(_ name: String) throws {
        let fixture = try Self.fixture(name)
        let error = try #require(throws: ImportError.self) {
            try ONNXImporter.load(contentsOf: Self.directory.appendingPathComponent(fixture.file))
        }
        #expect(error.kind != .unsupportedOperator)
        #expect(error.description.contains(Self.unsupportedForms[name]!), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func operatorsOutsideTheSubsetAreRejected() throws {
        let supported = Set(ONNXImporter.supportedOperators)
        #expect(Self.outsideSubset.count == 6)
        for name in Self.outsideSubset {
            let fixture = try Self.fixture(name)
            let unsupported = Set(fixture.ops).subtracting(supported)
            let error = try #require(throws: ImportError.self) {
                try ONNXImporter.load(contentsOf: Self.directory.appendingPathComponent(fixture.file))
            }
            #expect(error.kind == .unsupportedOperator, "\(name): \(error)")
            #expect(unsupported.contains { error.description.contains("(\($0)): unsupported operator; supported: Add, AveragePool") },
                    "\(name): \(error)")
        }
    }
}
