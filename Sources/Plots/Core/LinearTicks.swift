import Foundation

/// "Nice" tick values for a linear axis: multiples of 1, 2 or 5 times a power of ten, covering
/// a data range, and the axis domain rounded out to whole steps.
///
/// The step is the one of {1, 2, 5, 10} x 10^k closest (in ratio) to span / `targetCount`,
/// using the thresholds of d3-array's `tickIncrement` (sqrt 50, sqrt 10, sqrt 2), so an axis
/// gets roughly 4 to 10 ticks: 0...97 gives 0, 20, ..., 100; 0...1,234,567 gives steps of 200k.
public struct LinearTicks: Sendable, Equatable {
    /// The axis domain: the first and last tick.
    public let lower: Double
    public let upper: Double
    /// Distance between neighbouring ticks.
    public let step: Double
    /// The tick values from `lower` to `upper`, each computed as an integer multiple of the step.
    public let values: [Double]

    /// Ticks covering `minimum...maximum` (finite, in either order). An empty range is widened:
    /// [0, 0] becomes [0, 1], [v, v] becomes [0, v] (or [v, 0] for negative v).
    public init(covering minimum: Double, _ maximum: Double, targetCount: Int = 5) {
        precondition(minimum.isFinite && maximum.isFinite, "tick range must be finite")
        precondition(targetCount > 0, "target tick count must be positive")
        var low = Swift.min(minimum, maximum)
        var high = Swift.max(minimum, maximum)
        if low == high {
            if low == 0 { high = 1 } else if low > 0 { low = 0 } else { high = 0 }
        }
        let raw = (high - low) / Double(targetCount)
        let exponent = Int(floor(log10(raw)))
        let normalized = raw / pow(10, Double(exponent))
        var factor: Double = normalized >= sqrt(50) ? 10 : normalized >= sqrt(10) ? 5 : normalized >= sqrt(2) ? 2 : 1
        var power = exponent
        if factor == 10 { factor = 1; power += 1 }
        /// value(i) = i * factor * 10^power, computed so that negative powers divide by an exact
        /// integer (0.3 is 3 / 10, not 3 * 0.1).
        func value(_ index: Int) -> Double {
            power >= 0 ? Double(index) * factor * pow(10, Double(power))
                       : Double(index) * factor / pow(10, Double(-power))
        }
        let step = value(1)
        let first = Int(floor(low / step + Self.roundingSlack))
        let last = Int(ceil(high / step - Self.roundingSlack))
        self.step = step
        self.values = (first...last).map(value)
        self.lower = values.first!
        self.upper = values.last!
    }

    /// Tolerance, in steps, for a bound that is a tick up to floating-point error (0.1 + 0.2).
    static let roundingSlack = 1e-9
}
