import ISA

extension Tensor {
    /// A tensor of values drawn uniformly from `range` with a `SplitMix64` generator seeded by
    /// `seed`: the same arguments give the same bytes on every platform.
    ///
    /// Integer types draw integers uniformly from `ceil(lower)...floor(upper)` (a range holding no
    /// integer collapses to `ceil(lower)`), clamped to the type's range; the default range is
    /// the type's full range. Float types draw `lower + (upper - lower) * u` with `u` uniform in
    /// [0, 1) on a 2^-53 grid, bounds clamped to the type's finite range, then round the value to
    /// the type; the default range is -1...1.
    public static func random(shape: [Int], type: ElementType, range: ClosedRange<Double>? = nil, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        var tensor = Tensor(shape: shape, type: type)
        if type.isFloatingPoint {
            let finite = Double(type == .fp16 ? Float(Float16.greatestFiniteMagnitude) : Float.greatestFiniteMagnitude)
            let requested = range ?? -1...1
            let lower = min(max(requested.lowerBound, -finite), finite)
            let upper = min(max(requested.upperBound, -finite), finite)
            for index in 0..<tensor.elementCount {
                tensor.set(float: Float(lower + (upper - lower) * generator.nextUnitInterval()), at: index)
            }
        } else {
            let typeRange = type.integerRange
            func clamped(_ value: Double) -> Int64 {
                value.isNaN ? typeRange.lowerBound
                    : Int64(min(max(value, Double(typeRange.lowerBound)), Double(typeRange.upperBound)))
            }
            let lower = range.map { clamped($0.lowerBound.rounded(.up)) } ?? typeRange.lowerBound
            let upper = max(lower, range.map { clamped($0.upperBound.rounded(.down)) } ?? typeRange.upperBound)
            let span = UInt64(upper - lower) + 1
            for index in 0..<tensor.elementCount {
                tensor.set(integer: lower + Int64(generator.next(below: span)), at: index)
            }
        }
        return tensor
    }
}
