import Compiler
import Foundation
import HostRuntime
import Testing
@testable import ONNX

/// The ONNX fixtures the host runs in part or whole: each imports, computes onnxruntime's output
/// in the fp32 graph reference, and runs through `NetworkRun` with its host operations listed and
/// its device segments verified bit-exact. A supported operator in a form the device cannot run
/// (a Transpose that moves elements, a Gather, an average pooling excluding padding) goes to the
/// host by itself; an operator outside the supported set needs `ImportOptions.allowHostOps`,
/// and without it is rejected in one line that hints at it.
struct HostFixtureTests {
    /// Each model's host operations (`HostOperation.op`), in the order they run.
    static let onHost: [String: [String]] = [
        "mul_tensors": ["mul"], "reshape_4d": ["reshape"], "gather_scalar": ["gather"], "gather_1d": ["gather"],
        "pad_constant": ["pad"], "transpose_nhwc": ["transpose"], "transpose_roundtrip": ["transpose", "transpose"],
        "avgpool_exclude_pad": ["averagepool"], "avgpool_ceil": ["averagepool"],
        "host_hardswish": ["hardswish"], "host_transpose_pair": ["transpose", "transpose"], "host_reducemean": ["reducemean"],
        "host_slice": ["slice"], "host_exp": ["exp"], "host_concat_height": ["concat"],
        "dropout_mask": ["dropoutmask"], "quantizelinear_per_channel": ["quantizelinear"],
    ]

    /// The models with an operator outside the supported set, and a part of each one's one-line
    /// error without `allowHostOps`.
    static let rejected: [String: String] = [
        "host_hardswish": "(HardSwish): unsupported operator; supported: Add, AveragePool",
        "host_reducemean": "(ReduceMean): unsupported operator; supported: Add, AveragePool",
        "host_slice": "(Slice): unsupported operator; supported: Add, AveragePool",
        "host_exp": "(Exp): unsupported operator; supported: Add, AveragePool",
    ]

    /// The models with device layers around their host operations.
    static let withDeviceLayers: Set = ["mul_tensors", "transpose_roundtrip", "host_hardswish", "host_transpose_pair", "host_reducemean",
                                        "host_slice", "host_exp", "host_concat_height"]

    @Test(arguments: onHost.keys.sorted())
    func matchesOnnxruntimeAndRunsWithHostOperations(_ name: String) throws {
        let (imported, input, hwc) = try ImportFixtureTests.importAndCompare(name, options: ImportOptions(allowHostOps: true))
        let report = try NetworkRun.run(imported.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                      parameters: imported.parameters,
                                                                      inputs: [input.graphName: [hwc]]))
        #expect(report.compiled.hostOperations.map(\.op) == Self.onHost[name])
        #expect(report.compiled.segments.isEmpty != Self.withDeviceLayers.contains(name))
        #expect(report.verification == (report.compiled.segments.isEmpty ? .skipped(NetworkExecution.noDeviceLayers) : .bitExact),
                "\(report.verification)")
        // The run's output (device values dequantized, or the host's) is close to onnxruntime's.
        let fixture = try ImportFixtureTests.fixture(name)
        let expected = try NumpyArray(contentsOf: ImportFixtureTests.directory.appendingPathComponent(fixture.output)).floats
        let output = try #require(imported.outputs.first)
        let computed = output.toONNXOrder(try #require(report.outputValues[output.graphName]))
        let scale = max(1, expected.map(abs).max() ?? 0)
        let difference = zip(computed, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= (report.compiled.segments.isEmpty ? 1e-4 : 0.1) * scale, "max abs difference \(difference)")
    }

    @Test(arguments: rejected.keys.sorted())
    func rejectedWithTheHintWithoutHostOperations(_ name: String) throws {
        let fixture = try ImportFixtureTests.fixture(name)
        let error = try #require(throws: ImportError.self) {
            try ONNXImporter.load(contentsOf: ImportFixtureTests.directory.appendingPathComponent(fixture.file))
        }
        #expect(error.description.contains(Self.rejected[name]!), "\(error)")
        #expect(error.description.hasSuffix("; rerun with --allow-host-ops to run it on the host"), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    /// A model of supported operators imports without `allowHostOps` into the same graph, host
    /// functions included.
    @Test(arguments: onHost.keys.filter { rejected[$0] == nil }.sorted())
    func supportedOperatorsGoToTheHostByThemselves(_ name: String) throws {
        let url = ImportFixtureTests.directory.appendingPathComponent(try ImportFixtureTests.fixture(name).file)
        #expect(try ONNXImporter.load(contentsOf: url).graph == ONNXImporter.load(contentsOf: url, options: ImportOptions(allowHostOps: true)).graph)
    }
}
