/// Why a chart could not be built from the data given.
public enum PlotError: Error, Equatable, Sendable {
    /// Two inputs that must match in length do not, e.g. a series with 3 values for 4 categories.
    case countMismatch(what: String, expected: Int, actual: Int)
    /// A value is NaN or infinite.
    case nonFiniteValue(what: String, value: Double)
    /// A value is negative where only magnitudes make sense (bar heights, stacked segments).
    case negativeValue(what: String, value: Double)
    /// A value is zero or negative on a logarithmic axis.
    case nonPositiveOnLogAxis(what: String, value: Double)
    /// There is nothing to plot (no categories, no points, no cells).
    case empty(what: String)
}

/// Shared input checks, each naming the offending item in its error.
enum Validate {
    static func finite(_ value: Double, _ what: @autoclosure () -> String) throws(PlotError) {
        guard value.isFinite else { throw .nonFiniteValue(what: what(), value: value) }
    }

    static func nonNegative(_ value: Double, _ what: @autoclosure () -> String) throws(PlotError) {
        try finite(value, what())
        guard value >= 0 else { throw .negativeValue(what: what(), value: value) }
    }

    static func positive(_ value: Double, _ what: @autoclosure () -> String) throws(PlotError) {
        try finite(value, what())
        guard value > 0 else { throw .nonPositiveOnLogAxis(what: what(), value: value) }
    }

    static func count(_ actual: Int, _ expected: Int, _ what: @autoclosure () -> String) throws(PlotError) {
        guard actual == expected else { throw .countMismatch(what: what(), expected: expected, actual: actual) }
    }

    static func nonEmpty(_ count: Int, _ what: @autoclosure () -> String) throws(PlotError) {
        guard count > 0 else { throw .empty(what: what()) }
    }
}
