import Foundation

/// Decade ticks for a logarithmic axis: 10^a, 10^(a+1), ..., 10^b with 10^a <= minimum and
/// 10^b >= maximum, so data never sits outside the labelled range.
public struct LogTicks: Sendable, Equatable {
    /// The axis domain, both powers of ten.
    public let lower: Double
    public let upper: Double
    /// The decades from `lower` to `upper`.
    public let values: [Double]

    /// Decades covering `minimum...maximum` (both positive and finite, in either order). A range
    /// inside one decade, or a single value that is a power of ten, still spans at least one
    /// full decade.
    public init(covering minimum: Double, _ maximum: Double) {
        precondition(minimum > 0 && maximum > 0 && minimum.isFinite && maximum.isFinite,
                     "log ticks need positive finite bounds")
        let low = Swift.min(minimum, maximum), high = Swift.max(minimum, maximum)
        let first = Int(floor(log10(low) + 1e-12))
        var last = Int(ceil(log10(high) - 1e-12))
        if last <= first { last = first + 1 }
        values = (first...last).map { Self.decade($0) }
        lower = values.first!
        upper = values.last!
    }

    /// 10^exponent, written so that negative exponents divide by an exact integer power of ten.
    static func decade(_ exponent: Int) -> Double {
        exponent >= 0 ? pow(10, Double(exponent)) : 1 / pow(10, Double(-exponent))
    }

    /// The label of decade `value`: SI-suffixed at and above 1000 (`1k`, `10M`), plain below
    /// (`1`, `0.01`).
    public static func label(_ value: Double) -> String {
        if value >= 1000 { return NumberFormatting.si(value, decimals: 0) }
        let exponent = Int((log10(value)).rounded())
        return NumberFormatting.fixed(value, decimals: Swift.max(0, -exponent))
    }
}
