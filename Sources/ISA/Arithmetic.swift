/// The one arithmetic contract of the device.
///
/// The simulator's functional units and the CPU reference both call these functions, so a
/// bit-exact comparison between them checks the data movement and the mapping, never two
/// slightly different roundings. Integer arithmetic is carried out in `Int64`, which holds every
/// intermediate exactly (the widest is an int32 x int32 product), and is then narrowed with
/// saturation. Floating-point arithmetic is done in `Float` (fp32) and narrowed to fp16 with
/// round-to-nearest-even.
public enum Arithmetic {
    /// Clamps `value` to the representable range of the integer type `type`.
    @inlinable
    public static func saturate(_ value: Int64, to type: ElementType) -> Int64 {
        let range = type.integerRange
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// Arithmetic shift right by `shift` bits with rounding half up (toward +infinity):
    /// `(value + 2^(shift-1)) >> shift`. This is the "add half, then shift" rounding of a
    /// fixed-point datapath; a shift of 0 returns `value` unchanged. `shift` is in 0...62 and
    /// the sum is computed so that it cannot overflow for any `Int64` product of two int32 values.
    @inlinable
    public static func roundingShiftRight(_ value: Int64, by shift: Int) -> Int64 {
        precondition((0...62).contains(shift), "shift out of range")
        guard shift > 0 else { return value }
        return (value >> shift) + ((value >> (shift - 1)) & 1)
    }

    /// Requantization (DianNao's NFU-3 / gemmlowp's output stage in one fixed-point form):
    /// `clamp(zeroPoint + roundingShiftRight(value * multiplier, shift), low, high)`.
    /// The result is then saturated to the destination type by the caller's store.
    @inlinable
    public static func requantize(_ value: Int64, multiplier: Int64, shift: Int, zeroPoint: Int64,
                                  low: Int64, high: Int64) -> Int64 {
        let scaled = roundingShiftRight(value &* multiplier, by: shift) + zeroPoint
        return min(max(scaled, low), high)
    }

    /// Converts a float to an integer type: round half to even, then saturate; NaN becomes 0.
    @inlinable
    public static func integer(from value: Float, as type: ElementType) -> Int64 {
        guard !value.isNaN else { return 0 }
        let rounded = value.rounded(.toNearestOrEven)
        let range = type.integerRange
        if rounded <= Float(range.lowerBound) { return range.lowerBound }
        if rounded >= Float(range.upperBound) { return range.upperBound }
        return Int64(rounded)
    }

    /// Rounds an fp32 value to the nearest fp16 value (ties to even), returned as fp32.
    /// Values beyond fp16's range become infinities, as IEEE 754 conversion specifies.
    @inlinable
    public static func roundToHalf(_ value: Float) -> Float { Float(Float16(value)) }
}

/// Integer and floating-point elementwise operations of the vector unit.
public enum ElementwiseOperation: Sendable {
    case add, subtract, multiply, maximum, minimum

    /// The exact integer result before narrowing; `multiply` rounds by `shift` fraction bits.
    @inlinable
    public func apply(_ a: Int64, _ b: Int64, shift: Int) -> Int64 {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: Arithmetic.roundingShiftRight(a * b, by: shift)
        case .maximum: Swift.max(a, b)
        case .minimum: Swift.min(a, b)
        }
    }

    /// The fp32 result; `multiply` ignores `shift` (no fixed-point scaling in float mode).
    @inlinable
    public func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .maximum: Swift.max(a, b)
        case .minimum: Swift.min(a, b)
        }
    }
}
