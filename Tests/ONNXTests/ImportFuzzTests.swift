import Foundation
import ISA
import Testing
@testable import ONNX

/// Seeded random byte mutations of every fixture model (120 each: over 10,000 in all, the quick
/// mode the issue asks for): each either fails to decode, or imports, or is rejected with one
/// line (`ImportError`); a crash or hang fails the whole run.
struct ImportFuzzTests {
    static var models: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: ImportFixtureTests.directory.path)) ?? []
        return names.filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test func mutatedFixturesImportOrThrow() throws {
        var generator = SplitMix64(seed: 0x1_4D50_0127)
        var imported = 0, rejected = 0, mutations = 0
        #expect(Self.models.count >= 80)
        for name in Self.models {
            let url = ImportFixtureTests.directory.appendingPathComponent("\(name).onnx")
            let original = [UInt8](try Data(contentsOf: url))
            for _ in 0..<120 {
                mutations += 1
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
        #expect(mutations >= 10_000)
        #expect(imported > 0)
        #expect(rejected > 0)
    }
}
