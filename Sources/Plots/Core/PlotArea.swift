/// The rectangle, in SVG pixels, inside the axes where data is drawn.
struct PlotArea: Sendable {
    let left: Double
    let top: Double
    let width: Double
    let height: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// The area left in `size` after the given margins; at least a few pixels each way so
    /// absurd label lengths degrade a chart instead of inverting it.
    init(size: ChartSize, left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.width = Swift.max(size.width - left - right, Self.minimumExtent)
        self.height = Swift.max(size.height - top - bottom, Self.minimumExtent)
    }

    static let minimumExtent = 20.0
}
