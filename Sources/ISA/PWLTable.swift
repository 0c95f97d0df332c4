import Foundation

/// A piecewise-linear function table of the vector unit (DianNao's NFU-3 evaluates sigmoid and
/// tanh with 16-segment piecewise-linear interpolation).
///
/// In memory a table is `segments` entries of three little-endian 32-bit words:
/// `start, slope, intercept`. Evaluation at x picks the last segment whose `start <= x` (the
/// first segment if none) and computes
///
///     integer tables: y = intercept + roundShift(slope * (x - start), shift)
///     float tables:   y = intercept + slope * (x - start)            (words are fp32 bit patterns)
///
/// Integer tables work in the fixed-point units of their input and output (e.g. Q3.12 in,
/// Q0.15 out); `shift` is the number of fraction bits of the slopes.
public struct PWLTable: Equatable, Sendable {
    public struct Segment: Equatable, Sendable {
        public var start: Int32
        public var slope: Int32
        public var intercept: Int32
        public init(start: Int32, slope: Int32, intercept: Int32) {
            self.start = start
            self.slope = slope
            self.intercept = intercept
        }
    }

    /// The largest table `pwl.load` accepts.
    public static let maximumSegments = 64
    public static let bytesPerSegment = 12

    public var segments: [Segment]
    public var shift: Int

    public init(segments: [Segment], shift: Int) {
        self.segments = segments
        self.shift = shift
    }

    /// Reads a table of `count` segments from little-endian words.
    public init(bytes: some Collection<UInt8>, count: Int, shift: Int) {
        let words = Array(bytes)
        func word(_ index: Int) -> Int32 {
            Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(words[index * 4 + $1]) << UInt32(8 * $1) })
        }
        segments = (0..<count).map { Segment(start: word(3 * $0), slope: word(3 * $0 + 1), intercept: word(3 * $0 + 2)) }
        self.shift = shift
    }

    /// The table as little-endian bytes, as `pwl.load` reads it.
    public var bytes: [UInt8] {
        segments.flatMap { [$0.start, $0.slope, $0.intercept] }.flatMap { word in
            (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: word) >> UInt32(8 * $0)) }
        }
    }

    private func segmentIndex(_ below: (Segment) -> Bool) -> Int {
        var index = 0
        for candidate in 1..<max(segments.count, 1) where below(segments[candidate]) { index = candidate }
        return index
    }

    /// Integer evaluation (the device's and the reference's, bit for bit).
    public func evaluate(_ x: Int64) -> Int64 {
        let segment = segments[segmentIndex { Int64($0.start) <= x }]
        return Int64(segment.intercept) + Arithmetic.roundingShiftRight(Int64(segment.slope) * (x - Int64(segment.start)), by: shift)
    }

    /// Float evaluation, for tables whose words are fp32 bit patterns.
    public func evaluate(_ x: Float) -> Float {
        let segment = segments[segmentIndex { Float(bitPattern: UInt32(bitPattern: $0.start)) <= x }]
        let start = Float(bitPattern: UInt32(bitPattern: segment.start))
        let slope = Float(bitPattern: UInt32(bitPattern: segment.slope))
        let intercept = Float(bitPattern: UInt32(bitPattern: segment.intercept))
        return intercept + slope * (x - start)
    }
}

/// The functions the toolchain fits PWL tables to.
public enum PWLFunction: String, CaseIterable, Sendable {
    case sigmoid, tanh, exp

    public func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        case .exp: Foundation.exp(x)
        }
    }
}

extension PWLTable {
    /// Parameters of a fitted fixed-point table.
    public struct FitParameters: Equatable, Sendable {
        public var function: PWLFunction
        /// Interpolated segments between `minimum` and `maximum`; the table adds one constant
        /// segment on each side (value of the function at the bound), so it has `segments + 2` entries.
        public var segments: Int
        public var minimum: Double
        public var maximum: Double
        /// Fraction bits of the input and output fixed-point formats.
        public var inputFractionBits: Int
        public var outputFractionBits: Int
        /// Fraction bits of the slopes.
        public var slopeShift: Int

        public init(function: PWLFunction, segments: Int = 16, minimum: Double = -8, maximum: Double = 8,
                    inputFractionBits: Int = 12, outputFractionBits: Int = 15, slopeShift: Int = 16) {
            self.function = function
            self.segments = segments
            self.minimum = minimum
            self.maximum = maximum
            self.inputFractionBits = inputFractionBits
            self.outputFractionBits = outputFractionBits
            self.slopeShift = slopeShift
        }
    }

    /// Fits a fixed-point table by chords: segment i interpolates the function linearly between
    /// its breakpoints, which are equally spaced over [minimum, maximum] in input units.
    public static func fit(_ parameters: FitParameters) throws(ISAError) -> PWLTable {
        let p = parameters
        guard p.segments >= 1, p.segments + 2 <= maximumSegments, p.maximum > p.minimum else {
            throw .invalidOperands(mnemonic: ".pwl", "needs 1...\(maximumSegments - 2) segments and max > min")
        }
        let inScale = Double(1 << p.inputFractionBits), outScale = Double(1 << p.outputFractionBits)
        func word(_ value: Double) throws(ISAError) -> Int32 {
            guard let result = Int32(exactly: value.rounded()) else {
                throw .invalidOperands(mnemonic: ".pwl", "a table value \(value) does not fit 32 bits; lower the fraction bits")
            }
            return result
        }
        let low = (p.minimum * inScale).rounded(), high = (p.maximum * inScale).rounded()
        let breakpoints = (0...p.segments).map { (low + (high - low) * Double($0) / Double(p.segments)).rounded() }
        func output(_ x: Double) -> Double { p.function(x / inScale) * outScale }
        var table: [Segment] = [Segment(start: Int32.min, slope: 0, intercept: try word(output(low)))]
        for i in 0..<p.segments {
            let x0 = breakpoints[i], x1 = breakpoints[i + 1]
            let slope = (output(x1) - output(x0)) / (x1 - x0) * Double(1 << p.slopeShift)
            table.append(Segment(start: try word(x0), slope: try word(slope), intercept: try word(output(x0))))
        }
        table.append(Segment(start: try word(high), slope: 0, intercept: try word(output(high))))
        return PWLTable(segments: table, shift: p.slopeShift)
    }
}

extension PWLTable {
    /// The largest absolute error of the fitted table of `parameters` against the exact function,
    /// in real units, over every representable input of the range `[minimum, maximum]` (each
    /// `x / 2^inputFractionBits`): `max |evaluate(x) / 2^outputFractionBits - f(x / 2^inputFractionBits)|`.
    /// It includes the chord error, the rounding of the table's words and of the slope product,
    /// and the output format's resolution. (Outside the range the table holds the value at the
    /// bound, so the error there grows to `|f(±inf) - f(bound)|`, 3.4e-4 for sigmoid at 8.)
    public static func maximumError(_ parameters: FitParameters) throws(ISAError) -> Double {
        let table = try fit(parameters)
        let inScale = Double(1 << parameters.inputFractionBits), outScale = Double(1 << parameters.outputFractionBits)
        let low = Int64((parameters.minimum * inScale).rounded()), high = Int64((parameters.maximum * inScale).rounded())
        var largest = 0.0
        for x in low...high {
            let error = abs(Double(table.evaluate(x)) / outScale - parameters.function(Double(x) / inScale))
            largest = max(largest, error)
        }
        return largest
    }
}
