import Testing
@testable import ISA

/// The arithmetic contract, checked exhaustively over every int8 x int8 pair against
/// computations written here in a wider type (Int32, Int128, Double), independently of the
/// module's own formulas.
struct ArithmeticTests {
    static let int8Values = Array(Int8.min...Int8.max)

    /// The range of each integer type, spelled out rather than read from `integerRange`.
    static func bounds(_ type: ElementType) -> (low: Int32, high: Int32) {
        switch type {
        case .int8: (-128, 127)
        case .uint8: (0, 255)
        case .int16: (-32768, 32767)
        case .int32: (Int32.min, Int32.max)
        default: preconditionFailure("integer types only")
        }
    }

    static func saturated(_ value: Int32, _ type: ElementType) -> Int32 {
        let (low, high) = bounds(type)
        return value < low ? low : (value > high ? high : value)
    }

    static func reference(_ operation: ElementwiseOperation, _ a: Int8, _ b: Int8) -> Int32 {
        let a = Int32(a), b = Int32(b)
        return switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .maximum: a > b ? a : b
        case .minimum: a < b ? a : b
        }
    }

    /// Round half up: floor((v + 2^(s-1)) / 2^s), in Double (exact for these magnitudes).
    static func roundHalfUp(_ value: Int64, shift: Int) -> Int64 {
        guard shift > 0 else { return value }
        let divisor = Double(sign: .plus, exponent: shift, significand: 1)
        return Int64(((Double(value) + divisor / 2) / divisor).rounded(.down))
    }

    static let operations: [ElementwiseOperation] = [.add, .subtract, .multiply, .maximum, .minimum]

    @Test(arguments: [ElementType.int8, .uint8, .int16, .int32])
    func saturatingOperationsOnEveryInt8Pair(type: ElementType) {
        var mismatches: [String] = []
        for operation in Self.operations {
            for a in Self.int8Values {
                for b in Self.int8Values {
                    let got = Arithmetic.saturate(operation.apply(Int64(a), Int64(b), shift: 0), to: type)
                    let expected = Self.saturated(Self.reference(operation, a, b), type)
                    if got != Int64(expected) && mismatches.count < 10 {
                        mismatches.append("\(operation)(\(a), \(b)) to \(type): \(got), expected \(expected)")
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func roundingShiftOfEveryInt8ProductForShifts0Through16() {
        var mismatches: [String] = []
        for a in Self.int8Values {
            for b in Self.int8Values {
                let product = Int64(a) * Int64(b)
                for shift in 0...16 {
                    let expected = Self.roundHalfUp(product, shift: shift)
                    let shifted = Arithmetic.roundingShiftRight(product, by: shift)
                    let multiplied = ElementwiseOperation.multiply.apply(Int64(a), Int64(b), shift: shift)
                    if (shifted != expected || multiplied != expected) && mismatches.count < 10 {
                        mismatches.append("\(a)*\(b) >> \(shift): \(shifted) / \(multiplied), expected \(expected)")
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func roundingShiftHandCases() {
        #expect(Arithmetic.roundingShiftRight(5, by: 1) == 3)  // 2.5 -> 3
        #expect(Arithmetic.roundingShiftRight(-5, by: 1) == -2)  // -2.5 -> -2 (half up, not away from zero)
        #expect(Arithmetic.roundingShiftRight(-6, by: 2) == -1)  // -1.5 -> -1
        #expect(Arithmetic.roundingShiftRight(-7, by: 2) == -2)  // -1.75 -> -2
        #expect(Arithmetic.roundingShiftRight(7, by: 0) == 7)
    }

    /// No overflow anywhere in Int64, shifts up to 62, against Int128.
    @Test func roundingShiftAtTheEdgesOfInt64() {
        var generator = SplitMix64(seed: 0x5A1F7)
        var values: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max, 1 << 62, -(1 << 62),
                               Int64(Int32.min) * Int64(Int32.min), Int64(Int32.min) * Int64(Int32.max)]
        values += (0..<2000).map { _ in Int64(bitPattern: generator.next()) }
        for value in values {
            for shift in 0...62 {
                let expected = (Int128(value) + (shift == 0 ? 0 : Int128(1) << (shift - 1))) >> shift
                #expect(Int128(Arithmetic.roundingShiftRight(value, by: shift)) == expected, "\(value) >> \(shift)")
            }
        }
    }

    @Test func saturationAtTheEdges() {
        for type in [ElementType.int8, .uint8, .int16, .int32] {
            let (low, high) = Self.bounds(type)
            for value in [Int64.min, Int64(low) - 1, Int64(low), 0, Int64(high), Int64(high) + 1, Int64.max] {
                let expected = min(max(value, Int64(low)), Int64(high))
                #expect(Arithmetic.saturate(value, to: type) == expected, "\(value) to \(type)")
            }
        }
    }

    /// Requantization over int8 x int8 products and int32 accumulators, for several multipliers,
    /// shifts, zero points and clamps, against Int128: clamp(zp + floor((v*m + 2^(s-1)) / 2^s)).
    @Test func requantizeAgainstAWideReference() {
        let multipliers: [Int64] = [1, 3, -7, 0, 19_173, 1 << 14, 1 << 30, Int64(Int32.max), Int64(Int32.min)]
        let shifts = [0, 1, 7, 15, 31, 40, 62]
        let zeroPoints: [Int64] = [0, -128, 5, 127]
        let clamps: [(low: Int64, high: Int64)] = [(-128, 127), (0, 255), (-10, 10), (Int64(Int32.min), Int64(Int32.max))]
        var values: [Int64] = stride(from: -16384, through: 16384, by: 37).map { Int64($0) }
        values += [Int64(Int32.min), Int64(Int32.min) + 1, -1, 0, 1, Int64(Int32.max) - 1, Int64(Int32.max), -16384, 16384, 16129]
        var mismatches: [String] = []
        for multiplier in multipliers {
            for shift in shifts {
                for zeroPoint in zeroPoints {
                    for clamp in clamps {
                        for value in values {
                            let product = Int128(value) * Int128(multiplier)
                            let rounded = shift == 0 ? product : (product + (Int128(1) << (shift - 1))) >> shift
                            let expected = Int64(min(max(rounded + Int128(zeroPoint), Int128(clamp.low)), Int128(clamp.high)))
                            let got = Arithmetic.requantize(value, multiplier: multiplier, shift: shift, zeroPoint: zeroPoint,
                                                            low: clamp.low, high: clamp.high)
                            if got != expected && mismatches.count < 10 {
                                mismatches.append("requantize(\(value), m=\(multiplier), s=\(shift), zp=\(zeroPoint), \(clamp)) = \(got), expected \(expected)")
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func requantizeHandCases() {
        // 100 * 0.75 (m = 3, s = 2) = 75, + zp 10 = 85.
        #expect(Arithmetic.requantize(100, multiplier: 3, shift: 2, zeroPoint: 10, low: -128, high: 127) == 85)
        // -3 * 0.5 = -1.5 rounds half up to -1.
        #expect(Arithmetic.requantize(-3, multiplier: 1, shift: 1, zeroPoint: 0, low: -128, high: 127) == -1)
        #expect(Arithmetic.requantize(1000, multiplier: 1, shift: 0, zeroPoint: 0, low: -128, high: 127) == 127)
        #expect(Arithmetic.requantize(-1000, multiplier: 1, shift: 0, zeroPoint: 0, low: 0, high: 255) == 0)
    }

    @Test func floatToIntegerRoundsHalfToEvenAndSaturates() {
        let cases: [(Float, ElementType, Int64)] = [
            (2.5, .int8, 2), (3.5, .int8, 4), (-2.5, .int8, -2), (-3.5, .int8, -4), (0.5, .int8, 0), (1.5, .int8, 2),
            (2.4999, .int8, 2), (127.4, .int8, 127), (127.5, .int8, 127), (-128.5, .int8, -128), (300, .int8, 127),
            (-1, .uint8, 0), (255.5, .uint8, 255), (1e9, .int16, 32767), (-1e9, .int16, -32768),
            (1e20, .int32, Int64(Int32.max)), (-1e20, .int32, Int64(Int32.min)), (2_147_483_520, .int32, 2_147_483_520),
            (.infinity, .int32, Int64(Int32.max)), (-.infinity, .int8, -128), (.nan, .int16, 0), (-0.0, .int8, 0),
        ]
        for (value, type, expected) in cases {
            #expect(Arithmetic.integer(from: value, as: type) == expected, "\(value) as \(type)")
        }
    }

    @Test func floatElementwiseOperations() {
        #expect(ElementwiseOperation.add.apply(Float(1.5), 2.25) == 3.75)
        #expect(ElementwiseOperation.subtract.apply(Float(1.5), 2.25) == -0.75)
        #expect(ElementwiseOperation.multiply.apply(Float(1.5), -2) == -3)
        #expect(ElementwiseOperation.maximum.apply(Float(1.5), -2) == 1.5)
        #expect(ElementwiseOperation.minimum.apply(Float(1.5), -2) == -2)
        #expect(Arithmetic.roundToHalf(1 + 0x1p-11) == 1)
        #expect(Arithmetic.roundToHalf(70000) == .infinity)
    }
}
