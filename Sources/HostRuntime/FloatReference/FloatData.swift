import ISA
/// Seeded fp32 data: sample inputs for the fp32 reference and for calibration.
public enum FloatData {
    /// `count` values uniform in `range` (default -1...1): `lower + (upper - lower) * u` computed
    /// in Double with `u` from `SplitMix64(seed:).nextUnitInterval()`, then rounded to Float. The
    /// same arguments give the same values on every platform.
    public static func random(count: Int, range: ClosedRange<Float> = -1...1, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let lower = Double(range.lowerBound), width = Double(range.upperBound) - Double(range.lowerBound)
        return (0..<max(count, 0)).map { _ in Float(lower + width * generator.nextUnitInterval()) }
    }

    /// `count` seeded token ids uniform in `0..<vocabulary` (as integer-valued floats), the
    /// input of an embedding.
    public static func tokens(count: Int, vocabulary: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<max(count, 0)).map { _ in Float(min(Int(generator.nextUnitInterval() * Double(vocabulary)), vocabulary - 1)) }
    }
}
