import Compiler
import Foundation
import HostRuntime
import Testing
@testable import ONNX

/// The ONNX fixtures (`Tests/Fixtures/onnx`, made by `scripts/onnx/make_fixtures.py`) through the
/// importer: every model in the supported subset computes onnxruntime's output in the fp32 graph
/// reference, and runs bit-exact on the simulated device in int8 with its real weights; the
/// models the host runs in part or whole (`HostFixtureTests.onHost`) import with their host
/// operations; the QDQ models are checked against onnxruntime's integers (`QDQImportTests`). Every
/// fixture is in one of these lists.
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
        "squeeze", "squeeze_opset11", "unsqueeze", "unsqueeze_opset11", "flatten", "reshape_flatten", "reshape_opset21",
        "softmax_last", "softmax_axis1", "softmax_axis1_opset11", "dropout", "identity", "constant_add", "pad_opset11",
        "resize_nearest", "resize_nearest_asymmetric", "resize_nearest_sizes", "resize_nearest_opset11",
        "flatten_shape_pattern", "flatten_shape_pattern_opset11", "tiny_cnn", "cnn_external_data",
        "lstm_forward", "lstm_forward_initial", "lstm_bidirectional", "lstm_bidirectional_initial",
        "gru_forward", "gru_forward_initial", "gru_bidirectional", "gru_bidirectional_initial", "gru_linear_before_reset",
        "rnn_forward", "rnn_forward_initial", "rnn_bidirectional", "rnn_bidirectional_initial",
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

    /// Every fixture imports: covered here, run with host operations (`HostFixtureTests`) or
    /// checked against onnxruntime's integers (`QDQImportTests`), each in one list.
    @Test func everyFixtureIsClassified() throws {
        #expect(Self.fixtures.count == 93)
        let supported = Set(ONNXImporter.supportedOperators)
        let onHost = Set(HostFixtureTests.onHost.keys)
        for fixture in Self.fixtures {
            let inSubset = Set(fixture.ops).isSubset(of: supported)
            let listed = Self.covered.contains(fixture.name) || onHost.contains(fixture.name)
                || QDQImportTests.fixtures.contains(fixture.name)
            #expect(listed, "\(fixture.name) (\(fixture.ops)) is in no list")
            #expect(inSubset || onHost.contains(fixture.name), "\(fixture.name) (\(fixture.ops)) is outside the subset but not run on the host")
        }
        #expect(Set(Self.covered).isDisjoint(with: onHost))
        #expect(Set(Self.covered).isDisjoint(with: QDQImportTests.fixtures))
    }

    /// Bit-exact on the device; a model without device layers (a softmax, a flatten) is not verified and says so.
    @Test(arguments: covered)
    func matchesOnnxruntimeAndRunsBitExact(_ name: String) throws {
        let (imported, input, hwc) = try Self.importAndCompare(name)
        let report = try NetworkRun.run(imported.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                      parameters: imported.parameters,
                                                                      inputs: [input.graphName: [hwc]]))
        #expect(report.verification == (report.compiled.segments.isEmpty ? .skipped(NetworkExecution.noDeviceLayers) : .bitExact))
    }

    /// Imports fixture `name`, runs the fp32 graph reference on its input and compares the output
    /// with onnxruntime's; returns the model, its input and the input's values in HWC order.
    static func importAndCompare(_ name: String, options: ImportOptions = ImportOptions()) throws -> (ImportedModel, ImportedTensor, [Float]) {
        let fixture = try Self.fixture(name)
        let imported = try ONNXImporter.load(contentsOf: Self.directory.appendingPathComponent(fixture.file), options: options)
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

    /// Without host operations: the host-operation fixtures' operators (HardSwish, ReduceMean,
    /// Slice, Exp) are rejected, with the hint to allow them.
    @Test func operatorsOutsideTheSubsetAreRejected() throws {
        let supported = Set(ONNXImporter.supportedOperators)
        #expect(Self.outsideSubset.count == 4)
        for name in Self.outsideSubset {
            let fixture = try Self.fixture(name)
            let unsupported = Set(fixture.ops).subtracting(supported)
            let error = try #require(throws: ImportError.self) {
                try ONNXImporter.load(contentsOf: Self.directory.appendingPathComponent(fixture.file))
            }
            #expect(error.kind == .unsupportedOperator, "\(name): \(error)")
            #expect(unsupported.contains { error.description.contains("(\($0)): unsupported operator; supported: Add, AveragePool") },
                    "\(name): \(error)")
            let onHost = unsupported.contains { error.description.contains("(\($0))") && HostKernels.builders[$0] != nil }
            #expect(error.description.hasSuffix(ImportSession.hostHint) == onHost, "\(name): \(error)")
        }
    }
}
