/// How numbers on a linear value axis (and in tooltips) are written.
public enum NumberStyle: Sendable, Equatable {
    /// SI suffixes chosen per value: `0, 200k, 400k, ..., 1.2M`. Compact, for counts and cycles.
    case si
    /// Thousands separated by commas: `0, 200,000, 400,000`. Exact, for tables and small ranges.
    case grouped

    /// The label of tick `value` on an axis whose ticks are `step` apart: just enough decimals
    /// to tell neighbouring ticks apart, trailing zeros removed.
    public func tickLabel(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        switch self {
        case .si:
            let group = NumberFormatting.siGroup(value)
            let stepInGroup = step / NumberFormatting.power10(3 * group)
            return NumberFormatting.si(value, decimals: Self.decimals(forStep: stepInGroup))
        case .grouped:
            return NumberFormatting.grouped(value, decimals: Self.decimals(forStep: step))
        }
    }

    /// A value in a tooltip: up to `decimals` decimals, trailing zeros removed.
    public func valueLabel(_ value: Double, decimals: Int = 2) -> String {
        switch self {
        case .si: NumberFormatting.si(value, decimals: decimals)
        case .grouped: NumberFormatting.trimmed(NumberFormatting.grouped(value, decimals: decimals))
        }
    }

    /// Decimals that show a multiple of `step` exactly (steps are 1, 2 or 5 times 10^k):
    /// 0 for steps >= 1, k for 10^-k.
    static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite, step < 1 else { return 0 }
        var decimals = 0
        var scaled = step
        while scaled < 0.9999, decimals < maximumDecimals {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }

    /// Beyond this many decimals a tick label is noise rather than information.
    static let maximumDecimals = 9
}
