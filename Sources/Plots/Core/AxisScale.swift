import Foundation

/// Whether an axis is linear or logarithmic (base 10, decade ticks).
public enum AxisKind: Sendable, Equatable {
    case linear
    case logarithmic
}

/// Maps data values in `lower...upper` onto pixel positions from `start` to `end` (`end` may be
/// smaller than `start`, as for a y axis whose values grow upward).
struct AxisScale: Sendable {
    let kind: AxisKind
    let lower: Double
    let upper: Double
    let start: Double
    let end: Double

    /// The pixel position of `value`; values outside the domain extrapolate linearly (in log
    /// space for a log axis).
    func position(_ value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .linear:
            fraction = upper == lower ? 0 : (value - lower) / (upper - lower)
        case .logarithmic:
            fraction = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return start + fraction * (end - start)
    }
}
