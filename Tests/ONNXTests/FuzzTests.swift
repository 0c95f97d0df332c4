import Foundation
import ISA
import Testing
@testable import ONNX

/// Seeded random mutations of a valid model: decoding each either succeeds or throws an
/// `ONNXError` (a crash or hang fails the whole run), quickly.
struct FuzzTests {
    /// `bytes` with one to four random edits: a bit flip, a random byte, an insertion, a deletion,
    /// a truncation, or a varint-like run of 0xFF bytes (which makes huge lengths and bad tags).
    static func mutated(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            case 1: bytes[index] = UInt8.random(in: 0...255, using: &generator)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
            case 3: bytes.remove(at: index)
            case 4: bytes.removeSubrange(index...)
            default: bytes.insert(contentsOf: [UInt8](repeating: 0xFF, count: Int.random(in: 1...10, using: &generator)),
                                  at: index)
            }
        }
        return bytes
    }

    @Test func mutatedModelsDecodeOrThrow() {
        let original = SampleModel.small
        var generator = SplitMix64(seed: 0x0_4E4E_58)
        var decoded = 0, kinds: [ONNXError.Kind: Int] = [:]
        let start = Date()
        for _ in 0..<20_000 {
            do {
                _ = try ONNXModel(bytes: Self.mutated(original, using: &generator), baseDirectory: nil)
                decoded += 1
            } catch let error as ONNXError {
                kinds[error.kind, default: 0] += 1
                #expect(!error.description.contains("\n"))
            } catch {
                Issue.record("not an ONNXError: \(error)")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 5, "20,000 decodes took \(seconds) s")
        // The mutations reach past the first byte: some models survive, and each kind of fault occurs.
        #expect(decoded > 0)
        #expect(kinds[.malformed, default: 0] > 1000)
        #expect(kinds[.invalid, default: 0] > 0)
    }
}
