import Foundation
import HostRuntime
import Testing

/// `npu run FILE.onnx` as a user runs it: a committed fixture with its onnxruntime input and
/// output (`scripts/onnx/make_fixtures.py`), the `.npy` options, a batch, and bad input.
@Suite struct ONNXRunCLITests {
    static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/onnx")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The fp32 reference matches onnxruntime within 1e-4 relative; the device output is bit-exact
    /// against the integer reference and close to fp32; both files have the ONNX output's shape.
    @Test(arguments: ["tiny_cnn", "conv_basic", "cnn_external_data", "lstm_bidirectional"])
    func fixtureRunsVerifiedAndSavesItsOutputs(_ name: String) throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
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

    /// `--allow-host-ops`: HardSwish runs on the host between two verified device segments and is
    /// listed; the saved output is close to onnxruntime's. Without the flag: one line, status 1.
    @Test func hostOperationsRunWhenAllowed() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("y.npy")
        let arguments = ["run", Self.fixture("host_hardswish.onnx"), "--input", Self.fixture("host_hardswish.input.npy"), "--verify"]
        let run = try ToolRun.npu(arguments + ["--allow-host-ops", "--save-output", output.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("host ops    HardSwish_1 (hardswish) on the CPU, between 2 device segments"))
        #expect(run.standardOutput.contains("verified: bit-exact"))
        let expected = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("host_hardswish.output.npy"))
        let device = try NumpyArray(contentsOf: output)
        #expect(device.shape == expected.shape)
        let scale = max(1, expected.floats.map(abs).max() ?? 0)
        #expect(zip(device.floats, expected.floats).allSatisfy { abs($0 - $1) <= 0.1 * scale }, "int8 close to fp32")

        let refused = try ToolRun.npu(arguments)
        #expect(refused.status == 1)
        #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("node 'HardSwish_1' (HardSwish): unsupported operator; supported: Add"))
        #expect(refused.standardError.contains("; rerun with --allow-host-ops to run it on the host"))
    }

    /// A model the host runs whole (a Gather, a supported operator: no flag needed): no device segment, the host operation in the JSON,
    /// the output exactly onnxruntime's (fp32 on the host), verification skipped as such.
    @Test func hostOnlyModelReportsNoDeviceLayers() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("y.npy")
        let run = try ToolRun.npu(["run", Self.fixture("gather_1d.onnx"), "--input", Self.fixture("gather_1d.input.npy"),
                                   "--save-output", output.path, "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["device_segments"] as? Int == 0 && object["verified"] as? Bool == false)
        #expect(object["verification"] as? String == "no (no device layers: every operation ran on the host)")
        let host = try #require(object["host_operations"] as? [[String: Any]])
        #expect(host.map { $0["op"] as? String } == ["gather"])
        let expected = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("gather_1d.output.npy"))
        #expect(try NumpyArray(contentsOf: output).floats == expected.floats)
    }

    /// Two images stacked on the first axis run as a batch of two, and the outputs stack the same way.
    @Test func stackedInputsRunAsABatch() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
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
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--calibrate", "0"], "--calibrate needs a sample count in 1...4096 or a .npy file, got '0'"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--calibrate", "many"], "--calibrate needs a sample count"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--calibrate", "Tests/Fixtures/onnx/conv_basic.input.npy"],
         "--calibrate Tests/Fixtures/onnx/conv_basic.input.npy: shape [1, 3, 8, 8] does not match the input"),
        (["run", "lenet5", "--calibrate", "Tests/Fixtures/onnx/tiny_cnn.input.npy"], "--calibrate takes the .npy of an ONNX model's input"),
        (["run", "lenet5", "--timing-only", "--calibrate", "4"], "--calibrate needs values"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--input", "Tests/Fixtures/onnx/conv_basic.input.npy"], "does not match the input"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--input", "Tests/Fixtures/onnx/tiny_cnn.input.npy", "--batch", "3"],
         "--input holds 1 image but --batch is 3"),
        (["run", "Tests/Fixtures/onnx/tiny_cnn.onnx", "--timing-only", "--save-output", "y.npy"], "--save-output needs values"),
        (["run", "lenet5", "--save-output", "y.npy"], "--save-output and --save-reference need an ONNX model"),
        (["run", "lenet5", "--input", "Tests/Fixtures/onnx/tiny_cnn.input.npy"], "--input takes the .npy of an ONNX model's input"),
        (["run", "lenet5", "--allow-host-ops"], "--allow-host-ops applies to ONNX models"),
    ])
    func badInputGivesOneLine(_ arguments: [String], _ message: String) throws {
        let run = try ToolRun.npu(arguments)
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    /// A QDQ model whose output is QuantizeLinear's int8 tensor: `--save-output` writes int8
    /// codes, within one of onnxruntime's (which accumulates in float); the run verifies.
    @Test func quantizedModelSavesItsIntegers() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("y.npy")
        let run = try ToolRun.npu(["run", Self.fixture("qdq_conv_relu_int8_output.onnx"), "--input",
                                   Self.fixture("qdq_conv_relu_int8_output.input.npy"), "--save-output", output.path, "--verify"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("verified: bit-exact"))
        let expected = try NumpyArray(contentsOf: Self.fixtures.appendingPathComponent("qdq_conv_relu_int8_output.output.npy"))
        let device = try NumpyArray(contentsOf: output)
        #expect(device.dtype == .int8 && device.shape == expected.shape)
        #expect(zip(device.floats, expected.floats).allSatisfy { abs($0 - $1) <= 1 })
    }

    /// `--calibrate N` draws N seeded samples and `--calibrate S.npy` takes the given ones: the
    /// quantization, hence the device output, changes with the calibration set; each run verifies.
    @Test func calibrationSamplesChooseTheQuantization() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = Self.fixture("tiny_cnn.input.npy")
        let samples = directory.appendingPathComponent("samples.npy")
        let image = try NumpyArray(contentsOf: URL(fileURLWithPath: input))
        // Two samples: the input itself and the input scaled by 4 (wider ranges, coarser steps).
        try NumpyArray(shape: [2] + image.shape.dropFirst(), dtype: .float32, floats: image.floats + image.floats.map { $0 * 4 })
            .write(to: samples)
        var outputs: [[Float]] = []
        for calibration in [[], ["--calibrate", "8"], ["--calibrate", samples.path]] {
            let output = directory.appendingPathComponent("y\(outputs.count).npy")
            let run = try ToolRun.npu(["run", Self.fixture("tiny_cnn.onnx"), "--input", input, "--save-output", output.path, "--verify"]
                                      + calibration)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("verified: bit-exact"))
            outputs.append(try NumpyArray(contentsOf: output).floats)
        }
        #expect(outputs[0] != outputs[1] && outputs[0] != outputs[2] && outputs[1] != outputs[2])
    }

    /// Garbage in a `.onnx` file: one line, status 1.
    @Test func malformedModelGivesOneLine() throws {
        let directory = try Repository.temporaryDirectory("npusim-onnx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("bad.onnx")
        try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: model)
        let run = try ToolRun.npu(["run", model.path])
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        #expect(run.standardError.contains("bad.onnx"))
    }
}
