import Foundation
import ISA
import Testing
@testable import ONNX

/// Seeded random byte mutations of the fixture models: each either fails to decode, or imports,
/// or is rejected with one line (`ImportError`); a crash or hang fails the whole run.
struct ImportFuzzTests {
    static let models = ["tiny_cnn", "flatten_shape_pattern", "convtranspose_stride2", "resize_nearest", "pad_opset11",
                         "softmax_axis1_opset11", "concat_channels", "avgpool_include_pad", "gemm_alpha_beta", "squeeze"]

    @Test func mutatedFixturesImportOrThrow() throws {
        var generator = SplitMix64(seed: 0x1_4D50_0127)
        var imported = 0, rejected = 0
        let start = Date()
        for name in Self.models {
            let url = ImportFixtureTests.directory.appendingPathComponent("\(name).onnx")
            let original = [UInt8](try Data(contentsOf: url))
            for _ in 0..<300 {
                guard let model = try? ONNXModel(bytes: FuzzTests.mutated(original, using: &generator), baseDirectory: nil) else { continue }
                do {
                    _ = try ONNXImporter.importModel(model, name: name)
                    imported += 1
                } catch let error as ImportError {
                    rejected += 1
                    #expect(!error.description.contains("\n"))
                }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 10, "took \(seconds) s")
        #expect(imported > 0)
        #expect(rejected > 0)
    }
}
