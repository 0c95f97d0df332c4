import Foundation
import HostRuntime
import Testing

/// `npu run FILE.onnx` as a user runs it: a committed fixture with its onnxruntime input and
/// output (`scripts/onnx/make_fixtures.py`), the `.npy` options, a batch, and bad input.
@Suite struct ONNXRunCLITests {
    static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/onnx")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The fp32 reference matches onnxruntime within 1e-4 relative; the device output is bit-exact
    /// against the integer reference and close to fp32; both files have the ONNX output's shape.
    @Test(arguments: ["tiny_cnn", "conv_basic", "cnn_external_data", "lstm_bidirectional"])
    func fixtureRunsVerifiedAndSavesItsOutputs(_ name: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (output, reference) = (directory.appendingPathComponent("y.npy"), directory.appendingPathComponent("ref.npy"))
        let run = try ToolRun.npu(["run", Self.fixture("\(name).onnx"), "--input", Self.fixture("\(name).input.npy"),
                                   "--save-output", output.path, "--save-reference", reference.path, "--verify"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("verified: bit-exact"))
        let expected = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("\(name).output.npy"))
        let (device, fp32) = (try NumpyArray(contentsOf: output), try NumpyArray(contentsOf: reference))
        #expect(device.shape == expected.shape && fp32.shape == expected.shape)
        let scale = max(1, expected.floats.map(abs).max() ?? 0)
        #expect(zip(fp32.floats, expected.floats).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
        #expect(zip(device.floats, expected.floats).allSatisfy { abs($0 - $1) <= 0.1 * scale }, "int8 close to fp32")
    }

    /// Two images stacked on the first axis run as a batch of two, and the outputs stack the same way.
    @Test func stackedInputsRunAsABatch() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let single = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("tiny_cnn.input.npy"))
        let stacked = try NumpyArray(shape: [2] + single.shape.dropFirst(), dtype: .float32, floats: single.floats + single.floats.map { -$0 })
        let (input, reference) = (directory.appendingPathComponent("x.npy"), directory.appendingPathComponent("ref.npy"))
        try stacked.write(to: input)
        let run = try ToolRun.npu(["run", Self.fixture("tiny_cnn.onnx"), "--input", input.path, "--save-reference", reference.path,
                                   "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["batch"] as? Int == 2 && object["verified"] as? Bool == true)
        let fp32 = try NumpyArray(contentsOf: reference)
        let expected = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("tiny_cnn.output.npy"))
        #expect(fp32.shape == [2] + expected.shape.dropFirst())
        #expect(zip(fp32.floats.prefix(expected.elementCount), expected.floats).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    @Test(arguments: [
        (["run", "Tests/Fixtures/onnx/missing.onnx"], "cannot read 'Tests/Fixtures/onnx/missing.onnx'"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.input.npy.onnx"], "cannot read"),
        (["run", "Tests/Fixtures/onnx/quantizelinear_int8.onnx"], "(QuantizeLinear): unsupported operator; supported: Add"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--input", "Tests/Fixtures/onnx/conv_basic.input.npy"], "does not match the input"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--input", "Tests/Fixtures/onnx/tiny_cnn.input.npy", "--batch", "3"],
         "--input holds 1 image but --batch is 3"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--timing-only", "--save-output", "y.npy"], "--save-output needs values"),
        (["run", "lenet5", "--save-output", "y.npy"], "--save-output and --save-reference need an ONNX model"),
        (["run", "lenet5", "--input", "Tests/Fixtures/onnx/tiny_cnn.input.npy"], "--input takes the .npy of an ONNX model's input"),
    ])
    func badInputGivesOneLine(_ arguments: [String], _ message: String) throws {
        let run = try ToolRun.npu(arguments)
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    /// Garbage in a `.onnx` file: one line, status 1.
    @Test func malformedModelGivesOneLine() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("bad.onnx")
        try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: model)
        let run = try ToolRun.npu(["run", model.path])
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        #expect(run.standardError.contains("bad.onnx"))
    }
}
