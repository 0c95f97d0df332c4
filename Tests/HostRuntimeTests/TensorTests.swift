import ISA
import Testing
@testable import HostRuntime

struct TensorTests {
    @Test func storesDeviceFormatBytes() {
        let tensor = Tensor(shape: [2], type: .int16, integers: [0x1234, -2])
        #expect(tensor.bytes == [0x34, 0x12, 0xFE, 0xFF])
        #expect(tensor.integers == [0x1234, -2])
        #expect(tensor.description == "i16[2]")
    }

    @Test func settersNarrowByTheArithmeticContract() {
        var tensor = Tensor(shape: [2, 2], type: .int8)
        tensor.set(integer: 300, at: 0)
        tensor.set(float: -2.5, at: 1)
        tensor.set(float: 3.5, at: 2)
        tensor.set(integer: -1000, at: 3)
        #expect(tensor.integers == [127, -2, 4, -128])
        let half = Tensor(shape: [2], type: .fp16, floats: [1.0 + 0x1p-11, 70000])
        #expect(half.floats == [1.0, .infinity])
    }

    @Test func indexesRowMajor() {
        let tensor = Tensor(shape: [2, 3, 4], type: .int8)
        #expect(tensor.index(ofFlatIndex: 0) == [0, 0, 0])
        #expect(tensor.index(ofFlatIndex: 23) == [1, 2, 3])
        #expect(tensor.index(ofFlatIndex: 13) == [1, 0, 1])
        #expect(Tensor(shape: [], type: .fp32).elementCount == 1)
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test(arguments: ElementType.allCases)
    func randomIsDeterministic(type: ElementType) {
        let a = Tensor.random(shape: [3, 5], type: type, seed: 42)
        #expect(a == Tensor.random(shape: [3, 5], type: type, seed: 42))
        #expect(a != Tensor.random(shape: [3, 5], type: type, seed: 43))
    }

    @Test func randomStaysInItsRange() {
        let integers = Tensor.random(shape: [1000], type: .int8, range: -3.5...2.2, seed: 7).integers
        #expect(Set(integers) == Set(-3...2))
        let floats = Tensor.random(shape: [1000], type: .fp16, seed: 7).floats
        #expect(floats.allSatisfy { (-1...1).contains($0) })
        let full = Tensor.random(shape: [4000], type: .uint8, seed: 1).integers
        #expect(full.min() == 0 && full.max() == 255)
        #expect(Tensor.random(shape: [4], type: .int8, range: 0.2...0.8, seed: 1).integers == [1, 1, 1, 1])
        #expect(Tensor.random(shape: [2], type: .int8, range: 1000...2000, seed: 1).integers == [127, 127])
    }

    /// Pins the generator and the draw (values checked against an independent Python model).
    @Test func randomBytesArePinned() {
        #expect(Tensor.random(shape: [6], type: .int8, seed: 2024).integers == Self.pinnedInt8)
    }

    static let pinnedInt8: [Int64] = [31, -104, -52, -99, 84, 13]
}
