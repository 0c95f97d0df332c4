import Foundation
import Testing
@testable import ISA

/// Piecewise-linear function tables: fit accuracy, byte layout, evaluation.
struct PWLTableTests {
    /// DianNao's configuration: 16 segments over [-8, 8], input Q3.12, output Q0.15, slopes with
    /// 16 fraction bits.
    static func parameters(_ function: PWLFunction) -> PWLTable.FitParameters {
        PWLTable.FitParameters(function: function, segments: 16, minimum: -8, maximum: 8,
                               inputFractionBits: 12, outputFractionBits: 15, slopeShift: 16)
    }

    static let inputScale = 4096.0, outputScale = 32768.0

    /// Largest |table(x) - f(x)| over every representable input x in [-8, 8] (Q3.12: 65,537 points).
    static func maximumError(_ function: PWLFunction) throws -> Double { try PWLTable.maximumError(parameters(function)) }

    /// The error bound of chord interpolation: on a segment of width h, |f - chord| <= h^2/8 *
    /// max|f''|. Here h = 1 (16 segments over 16 units); max|sigmoid''| = 1/(6*sqrt(3)) ~ 0.0962
    /// (at x = ln(2 +- sqrt(3))), max|tanh''| = 4/(3*sqrt(3)) ~ 0.770 (at x = atanh(1/sqrt(3))).
    /// Fixed-point rounding (breakpoint values, slopes, the final shift) adds under 2 output
    /// LSBs; we allow 4 LSBs of 2^-15.
    ///
    /// Measured (this fit, every input in [-8, 8]): sigmoid 0.01167 at x ~ +-1.50, tanh 0.08176
    /// at x ~ +-0.53, both within 3% and 15% of their bounds. Chords lie on one side of a
    /// convex piece, so a fit that shifted each segment by half its deviation would halve both.
    static func bound(_ function: PWLFunction) -> Double {
        let secondDerivativeMaximum = switch function {
        case .sigmoid: 1 / (6 * 3.0.squareRoot())
        case .tanh: 4 / (3 * 3.0.squareRoot())
        case .exp: Foundation.exp(8.0)
        }
        let segmentWidth = 1.0
        return segmentWidth * segmentWidth / 8 * secondDerivativeMaximum + 4 / outputScale
    }

    @Test(arguments: [PWLFunction.sigmoid, .tanh])
    func fitErrorIsWithinTheChordBound(function: PWLFunction) throws {
        let error = try Self.maximumError(function)
        #expect(error < Self.bound(function), "max error \(error)")
        #expect(error > Self.bound(function) / 2, "max error \(error): the bound is meant to be tight")
    }

    /// `PWLTable.maximumError` (what `npu run` reports for recurrent gates): the measured
    /// figures above, and narrower segments (32 over [-4, 4]: width 1/4) within their chord bound.
    @Test func maximumErrorOfTheDefaultAndAFinerTable() throws {
        #expect(abs(try Self.maximumError(.sigmoid) - 0.01167) < 0.00005)
        #expect(abs(try Self.maximumError(.tanh) - 0.08176) < 0.00005)
        let finer = try PWLTable.maximumError(PWLTable.FitParameters(function: .tanh, segments: 32, minimum: -4, maximum: 4))
        #expect(finer < 0.25 * 0.25 / 8 * (4 / (3 * 3.0.squareRoot())) + 4 / Self.outputScale, "\(finer)")
        #expect(finer > 0.001, "\(finer)")
    }

    @Test func documentedBounds() {
        #expect(abs(Self.bound(.sigmoid) - 0.01215) < 0.0001)
        #expect(abs(Self.bound(.tanh) - 0.09635) < 0.0001)
    }

    @Test func tableStructureAndSaturation() throws {
        let table = try PWLTable.fit(Self.parameters(.sigmoid))
        #expect(table.segments.count == 18)
        #expect(table.shift == 16)
        #expect(table.segments.first == PWLTable.Segment(start: Int32.min, slope: 0, intercept: 11))  // sigmoid(-8) * 2^15 = 10.99
        #expect(table.segments[1].start == -32768)
        #expect(table.segments.last == PWLTable.Segment(start: 32768, slope: 0, intercept: 32757))
        #expect(table.segments.map(\.start) == table.segments.map(\.start).sorted())
        // Outside [-8, 8] the table holds the bound's value.
        #expect(table.evaluate(-1_000_000) == 11 && table.evaluate(Int64(Int32.min)) == 11)
        #expect(table.evaluate(1_000_000) == 32757)
        // Breakpoints are exact: the chord passes through f there (to half an LSB).
        for segment in table.segments.dropFirst() {
            let x = Int64(segment.start)
            #expect(abs(Double(table.evaluate(x)) - PWLFunction.sigmoid(Double(x) / Self.inputScale) * Self.outputScale) <= 0.5)
        }
        // sigmoid(0) = 0.5 exactly, tanh(0) = 0.
        #expect(table.evaluate(0) == 16384)
        #expect(try PWLTable.fit(Self.parameters(.tanh)).evaluate(0) == 0)
    }

    @Test(arguments: PWLFunction.allCases)
    func bytesRoundTrip(function: PWLFunction) throws {
        let table = try PWLTable.fit(PWLTable.FitParameters(function: function, segments: 8, minimum: -4, maximum: 2,
                                                            inputFractionBits: 10, outputFractionBits: 12, slopeShift: 14))
        let bytes = table.bytes
        #expect(bytes.count == table.segments.count * PWLTable.bytesPerSegment)
        #expect(PWLTable(bytes: bytes, count: table.segments.count, shift: table.shift) == table)
        // Little-endian words: the first segment starts at Int32.min = 00 00 00 80.
        #expect(Array(bytes.prefix(4)) == [0x00, 0x00, 0x00, 0x80])
    }

    @Test func explicitBytesDecode() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]
        #expect(PWLTable(bytes: bytes, count: 1, shift: 3).segments == [PWLTable.Segment(start: -1, slope: 2, intercept: 256)])
    }

    /// A float table: words are fp32 bit patterns. Segments: below 0 -> 0; [0, 2) -> x; from 2 -> 2 + (x - 2) / 2.
    /// The first start is the most negative finite float, not -infinity: 0 * (x - -inf) is NaN.
    @Test func floatTableEvaluation() {
        func word(_ value: Float) -> Int32 { Int32(bitPattern: value.bitPattern) }
        let table = PWLTable(segments: [
            PWLTable.Segment(start: word(-.greatestFiniteMagnitude), slope: word(0), intercept: word(0)),
            PWLTable.Segment(start: word(0), slope: word(1), intercept: word(0)),
            PWLTable.Segment(start: word(2), slope: word(0.5), intercept: word(2)),
        ], shift: 0)
        #expect(table.evaluate(Float(-3)) == 0)
        #expect(table.evaluate(Float(0)) == 0)
        #expect(table.evaluate(Float(1.25)) == 1.25)
        #expect(table.evaluate(Float(2)) == 2)
        #expect(table.evaluate(Float(6)) == 4)
        #expect(PWLTable(bytes: table.bytes, count: 3, shift: 0).evaluate(Float(6)) == 4)
    }

    @Test func integerEvaluationRoundsTheSlopeProduct() {
        // y = 10 + roundShift(3 * (x - 4), 2) for x >= 4; below the first start the first segment applies.
        let table = PWLTable(segments: [PWLTable.Segment(start: 4, slope: 3, intercept: 10),
                                        PWLTable.Segment(start: 100, slope: -1, intercept: 0)], shift: 2)
        #expect(table.evaluate(4) == 10)
        #expect(table.evaluate(5) == 11)  // 0.75 -> 1
        #expect(table.evaluate(6) == 12)  // 1.5 -> 2 (half up)
        #expect(table.evaluate(0) == 7)  // -3 -> 10 - 3
        #expect(table.evaluate(104) == -1)  // -4 >> 2
        #expect(table.evaluate(102) == 0)  // -0.5 rounds half up to 0
    }

    @Test func fitRejectsImpossibleParameters() {
        let shape = ISAError.invalidOperands(mnemonic: ".pwl", "needs 1...62 segments and max > min")
        #expect(throws: shape) { try PWLTable.fit(.init(function: .tanh, segments: 0)) }
        #expect(throws: shape) { try PWLTable.fit(.init(function: .tanh, segments: 63)) }
        #expect(throws: shape) { try PWLTable.fit(.init(function: .tanh, minimum: 1, maximum: 1)) }
        do {
            _ = try PWLTable.fit(.init(function: .exp, outputFractionBits: 20))
            Issue.record("exp(8) * 2^20 does not fit 32 bits")
        } catch {
            #expect(error.description.hasPrefix(".pwl: a table value "))
            #expect(error.description.hasSuffix(" does not fit 32 bits; lower the fraction bits"))
        }
        #expect((try? PWLTable.fit(.init(function: .tanh, segments: 62))) != nil)
    }
}
