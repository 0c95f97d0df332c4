/// The size of a chart in CSS pixels; the SVG scales with its `viewBox` when embedded.
public struct ChartSize: Sendable, Equatable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        precondition(width > 0 && height > 0, "chart size must be positive")
        self.width = width
        self.height = height
    }

    /// 800 x 400: readable on a laptop screen and in a report column without scaling.
    public static let standard = ChartSize(width: 800, height: 400)
}
