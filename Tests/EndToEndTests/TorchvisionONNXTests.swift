import Foundation
import HostRuntime
import Testing

/// The exporter's files: `$NPUSIM_TORCHVISION_ONNX` and the models in it.
enum TorchvisionExports {
    /// `$NPUSIM_TORCHVISION_ONNX`, relative to the current directory (or else to the package root).
    static let directory: URL? = {
        guard let path = ProcessInfo.processInfo.environment["NPUSIM_TORCHVISION_ONNX"], !path.isEmpty else { return nil }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: here.path) ? here : Repository.root.appendingPathComponent(path)
    }()

    /// Whether the exporter wrote all three files of model `name`.
    static func exported(_ name: String) -> Bool {
        guard let directory else { return false }
        return ["\(name).onnx", "\(name).input.npy", "\(name).output.npy"].allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    static func missing(_ name: String) -> Comment {
        "\(name).onnx, .input.npy or .output.npy missing in $NPUSIM_TORCHVISION_ONNX: run python3 scripts/onnx/export_torchvision.py DIR"
    }
}

/// torchvision models (seeded random weights) exported with `torch.onnx.export`, opset 17, by
/// `scripts/onnx/export_torchvision.py`, run as a user runs them: `npu run NAME.onnx --input
/// NAME.input.npy --verify` on `edge`, int8. Each model's fp32 reference must match onnxruntime's
/// output within 1e-3 relative (max abs difference <= 1e-3 * max(1, max |expected|)), the device
/// output must verify bit-exact against the integer reference, and its top-1 class must agree with
/// the fp32 reference's (the LSTM model: cosine similarity > 0.99 over every step's outputs). The
/// exporter re-estimates BatchNorm statistics and picks each classifier's input so that fp32's
/// top-1 leads by a margin int8 noise does not overturn (`scripts/onnx/README.md`). The QDQ
/// ResNet-18 is checked against onnxruntime's own int8 run of it (`checkQuantized`).
///
/// Opt-in, with the exporter's output directory (about a minute for all seven in the debug build;
/// `-c release` needs `-Xswiftc -enable-testing`):
///
///     python3 scripts/onnx/export_torchvision.py .build-onnx-models
///     NPUSIM_TORCHVISION_ONNX=.build-onnx-models swift test --filter TorchvisionONNXTests
///
/// A model whose files are not in the directory is skipped with a message naming the file.
@Suite(.enabled(if: TorchvisionExports.directory != nil, "set NPUSIM_TORCHVISION_ONNX to the export_torchvision.py output directory"),
       .serialized)
struct TorchvisionONNXTests {
    @Test(.enabled(if: TorchvisionExports.exported("resnet18"), TorchvisionExports.missing("resnet18"))) func resnet18() throws { try check("resnet18") }
    @Test(.enabled(if: TorchvisionExports.exported("vgg11"), TorchvisionExports.missing("vgg11"))) func vgg11() throws { try check("vgg11") }
    @Test(.enabled(if: TorchvisionExports.exported("googlenet"), TorchvisionExports.missing("googlenet"))) func googlenet() throws { try check("googlenet") }
    @Test(.enabled(if: TorchvisionExports.exported("densenet121"), TorchvisionExports.missing("densenet121"))) func densenet121() throws { try check("densenet121") }
    @Test(.enabled(if: TorchvisionExports.exported("mobilenet_v2"), TorchvisionExports.missing("mobilenet_v2"))) func mobilenetV2() throws { try check("mobilenet_v2") }
    @Test(.enabled(if: TorchvisionExports.exported("lstm"), TorchvisionExports.missing("lstm"))) func lstm() throws { try check("lstm", classifier: false) }
    @Test(.enabled(if: TorchvisionExports.exported("resnet18_qdq"), TorchvisionExports.missing("resnet18_qdq")))
    func resnet18QDQ() throws { try checkQuantized("resnet18_qdq") }

    /// A QDQ model (onnxruntime's static quantizer on the ResNet-18 export): run as a user runs
    /// it, the device must verify bit-exact and compute onnxruntime's int8 pipeline: the same
    /// top-1 class, logits within a few int8 steps (onnxruntime accumulates each layer in float,
    /// the device in int32 with a fixed-point multiplier, so a code may differ by one at a rounding
    /// tie, and a difference travels on), cosine similarity above 0.999.
    func checkQuantized(_ name: String) throws {
        let directory = try #require(TorchvisionExports.directory)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-qdq-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try ToolRun.npu(["run", directory.appendingPathComponent("\(name).onnx").path,
                                   "--input", directory.appendingPathComponent("\(name).input.npy").path,
                                   "--verify", "--json", "--save-output", output.path], timeout: 3600)
        try #require(run.status == 0 || run.status == 2, "\(name): \(run.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["verification"] as? String == "bit-exact", "\(name): \(object["verification"] ?? "?")")
        let expected = try NumpyArray(contentsOf: directory.appendingPathComponent("\(name).output.npy")).floats
        let device = try NumpyArray(contentsOf: output).floats
        try #require(device.count == expected.count)
        let (deviceClass, onnxClass) = (Self.argmax(device), Self.argmax(expected))
        let cosine = Self.cosine(device, expected)
        let largest = zip(device, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(deviceClass == onnxClass, "\(name): device top-1 \(deviceClass), onnxruntime \(onnxClass)")
        #expect(cosine > 0.999, "\(name): device/onnxruntime cosine similarity \(cosine)")
        print("\(name): \(object["verification"] ?? "?"), top-1 device \(deviceClass) onnxruntime \(onnxClass), cosine \(cosine), "
              + "max abs difference \(largest)")
    }

    /// Runs `name` through `npu run` and checks it against onnxruntime; `classifier`: compare the
    /// device's top-1 class with fp32's, else the cosine similarity of all outputs.
    func check(_ name: String, classifier: Bool = true) throws {
        let directory = try #require(TorchvisionExports.directory)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-torchvision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (output, reference) = (scratch.appendingPathComponent("y.npy"), scratch.appendingPathComponent("ref.npy"))
        let started = ContinuousClock.now
        let run = try ToolRun.npu(["run", directory.appendingPathComponent("\(name).onnx").path,
                                   "--input", directory.appendingPathComponent("\(name).input.npy").path,
                                   "--config", "edge", "--dtype", "int8", "--verify", "--json",
                                   "--save-output", output.path, "--save-reference", reference.path], timeout: 3600)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        // Status 2: the run finished but the device output did not verify (checked below).
        try #require(run.status == 0 || run.status == 2, "\(name): \(run.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let verification = object["verification"] as? String ?? "?"
        #expect(verification == "bit-exact", "\(name): \(verification)")

        let expected = try NumpyArray(contentsOf: directory.appendingPathComponent("\(name).output.npy"))
        let (device, fp32) = (try NumpyArray(contentsOf: output), try NumpyArray(contentsOf: reference))
        #expect(fp32.shape == expected.shape && device.shape == expected.shape, "\(name): shapes \(fp32.shape), \(device.shape), onnxruntime \(expected.shape)")
        let scale = max(1, expected.floats.map(abs).max() ?? 0)
        let fp32Error = zip(fp32.floats, expected.floats).map { abs($0 - $1) }.max() ?? .infinity
        #expect(fp32Error <= 1e-3 * scale, "\(name): fp32 reference max abs error \(fp32Error) against onnxruntime (scale \(scale))")

        let agreement: String
        if classifier {
            let (deviceClass, fp32Class) = (Self.argmax(device.floats), Self.argmax(fp32.floats))
            #expect(expected.floats.count == 1000 && deviceClass == fp32Class, "\(name): device top-1 \(deviceClass), fp32 \(fp32Class)")
            agreement = "top-1 device \(deviceClass) fp32 \(fp32Class) onnxruntime \(Self.argmax(expected.floats))"
        } else {
            let cosine = Self.cosine(device.floats, fp32.floats)
            #expect(cosine > 0.99, "\(name): device/fp32 cosine similarity \(cosine)")
            agreement = "cosine \(cosine)"
        }
        print("\(name): fp32 max abs error \(String(format: "%.3g", fp32Error)) (scale \(String(format: "%.3g", scale))), "
              + "\(verification), \(agreement), \(String(format: "%.1f", seconds)) s")
    }

    static func argmax(_ values: [Float]) -> Int {
        values.indices.max { values[$0] < values[$1] } ?? -1
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var (dot, aa, bb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) { (dot, aa, bb) = (dot + Double(x) * Double(y), aa + Double(x) * Double(x), bb + Double(y) * Double(y)) }
        return aa == 0 || bb == 0 ? 0 : dot / (aa.squareRoot() * bb.squareRoot())
    }
}
