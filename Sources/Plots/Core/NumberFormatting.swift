import Foundation

/// Locale-independent, deterministic number formatting for coordinates, tick labels and
/// tooltips. Nothing here reads the process locale, so a chart's text is the same on every
/// machine and tests can compare it exactly.
public enum NumberFormatting {
    /// Decimal places kept in SVG coordinates: a hundredth of a pixel is below what any
    /// renderer shows, and a fixed precision keeps the output byte-for-byte stable.
    static let coordinateDecimals = 2

    /// Largest magnitude (after scaling by 10^decimals) written digit by digit; larger values
    /// fall back to Swift's shortest round-trip representation.
    private static let exactLimit = 9.0e17

    /// SI prefixes for thousands, millions, ... (index = power of 1000).
    private static let siSuffixes = ["", "k", "M", "G", "T", "P", "E"]

    /// A coordinate with at most two decimals, trailing zeros removed: `12.5`, `3`, `-0.25`.
    static func coordinate(_ value: Double) -> String {
        trimmed(fixed(value, decimals: coordinateDecimals))
    }

    /// `value` rounded half away from zero to exactly `decimals` places (`decimals` >= 0), e.g.
    /// `fixed(2.5, decimals: 2) == "2.50"`. Non-finite values are written `nan`, `inf`, `-inf`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        precondition(decimals >= 0, "decimals must be non-negative")
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let scale = power10(decimals)
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < exactLimit else { return "\(value)" }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = String(units / divisor)
        let sign = (value < 0 && units != 0) ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        let fraction = String(units % divisor)
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// `value` with an SI suffix (k, M, G, ...) chosen from its own magnitude, at most
    /// `decimals` decimals with trailing zeros removed: `12000 -> "12k"`, `3.4e6 -> "3.4M"`,
    /// `950 -> "950"`, `0.25 -> "0.25"`. Values below 1000 get no suffix (no milli, micro).
    public static func si(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        let group = siGroup(value)
        return trimmed(fixed(value / power10(3 * group), decimals: decimals)) + siSuffixes[group]
    }

    /// `value` with thousands separated by commas and exactly `decimals` decimals:
    /// `grouped(1234567.8, decimals: 1) == "1,234,567.8"`.
    public static func grouped(_ value: Double, decimals: Int = 0) -> String {
        let plain = fixed(value, decimals: decimals)
        guard value.isFinite, !plain.contains("e") else { return plain }
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1)
        let digits = Array(parts[0])
        var whole = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { whole += "," }
            whole.append(digit)
        }
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + whole + fraction
    }

    /// `value` with `digits` significant digits (at most nine decimals), thousands grouped and
    /// trailing zeros removed: `significant(0.012345, digits: 3) == "0.0123"`,
    /// `significant(1234567, digits: 3) == "1,234,567"` (whole digits are never dropped).
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        precondition(digits > 0, "digits must be positive")
        guard value.isFinite, value != 0 else { return fixed(value, decimals: 0) }
        let magnitude = Int(floor(log10(abs(value))))
        let decimals = Swift.min(Swift.max(digits - 1 - magnitude, 0), 9)
        return trimmed(grouped(value, decimals: decimals))
    }

    /// `text` (a fixed-point number) without trailing fractional zeros or a bare trailing dot.
    static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result == "-0" ? "0" : result
    }

    /// The power of 1000 used as SI prefix for `value` (0 below 1000, capped at exa).
    static func siGroup(_ value: Double) -> Int {
        let magnitude = abs(value)
        guard magnitude >= 1000 else { return 0 }
        var group = 0
        while group + 1 < siSuffixes.count && magnitude >= power10(3 * (group + 1)) * 0.9995 { group += 1 }
        return group
    }

    /// 10^exponent, exact for the small non-negative exponents used here.
    static func power10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10 }
        } else {
            for _ in 0..<(-exponent) { result /= 10 }
        }
        return result
    }
}
