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

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014; constants from Vigna's reference implementation): a tiny, fast generator whose
/// output depends on the seed alone. Used wherever the toolchain needs reproducible randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-and-reject method ("Fast random
    /// integer generation in an interval", 2019), written out so it never depends on the
    /// standard library's choice of algorithm. `bound` must be positive.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "empty range")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// A uniform value in [0, 1) with 53 random bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
