import ISA
import Testing

/// Test draws on the toolchain's `SplitMix64` (every random test uses one with a fixed seed,
/// so a failure reproduces exactly).
extension SplitMix64 {
    /// A value in `range`: half the time uniform, otherwise near one of its ends, where
    /// off-by-one errors live.
    mutating func value(in range: ClosedRange<Int64>) -> Int64 {
        let nearEnd: Int64 = 16
        switch Int.random(in: 0..<4, using: &self) {
        case 0: return Swift.min(range.lowerBound + Int64.random(in: 0...nearEnd, using: &self), range.upperBound)
        case 1: return Swift.max(range.upperBound - Int64.random(in: 0...nearEnd, using: &self), range.lowerBound)
        default: return Int64.random(in: range, using: &self)
        }
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}

@Test func splitMix64MatchesTheReferenceSequence() {
    // First outputs of Vigna's splitmix64.c seeded with 0.
    var generator = SplitMix64(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(generator.next() == 0x06C4_5D18_8009_454F)
}
