import Foundation

/// A roofline chart (S. Williams, A. Waterman, D. Patterson, "Roofline: an insightful visual
/// performance model for multicore architectures", CACM 52(4), 2009): layers placed by
/// arithmetic intensity (x) and attained performance (y) on log-log axes, under the roof
/// min(peak, bandwidth x intensity).
///
/// The roof is drawn as its two segments, the sloped bandwidth limit and the flat compute
/// limit, meeting at the ridge point, intensity = peak / bandwidth, which is marked. Units are
/// the caller's: if x is MACs per DRAM byte and y is MACs per cycle, bandwidth is DRAM bytes
/// per cycle and peak is MACs per cycle.
public struct RooflineChart: Sendable {
    /// One layer: where it sits and, optionally, a category to colour it by (e.g. its bound).
    public struct Point: Sendable, Equatable {
        public let name: String
        /// Arithmetic intensity, positive.
        public let intensity: Double
        /// Attained performance, positive.
        public let performance: Double
        public let category: String?

        public init(name: String, intensity: Double, performance: Double, category: String? = nil) {
            self.name = name
            self.intensity = intensity
            self.performance = performance
            self.category = category
        }
    }

    public let title: String
    public let points: [Point]
    /// The compute roof, in y units.
    public let peak: Double
    /// The bandwidth roof's slope, in y units per x unit.
    public let bandwidth: Double
    public let xLabel: String
    public let yLabel: String
    public let size: ChartSize

    /// Throws `PlotError` if peak or bandwidth is not positive, or a point's intensity or
    /// performance is not positive and finite (a layer with no DRAM traffic has no place on a
    /// log axis; leave it out). An empty point list draws the roof alone.
    public init(title: String, points: [Point], peak: Double, bandwidth: Double,
                xLabel: String = "Arithmetic intensity (MACs/byte)",
                yLabel: String = "Performance (MACs/cycle)", size: ChartSize = .standard) throws(PlotError) {
        try Validate.positive(peak, "peak")
        try Validate.positive(bandwidth, "bandwidth")
        for point in points {
            try Validate.positive(point.intensity, "intensity of \(point.name)")
            try Validate.positive(point.performance, "performance of \(point.name)")
        }
        self.title = title
        self.points = points
        self.peak = peak
        self.bandwidth = bandwidth
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.size = size
    }

    /// The intensity at which the two roofs meet: peak / bandwidth.
    public var ridgeIntensity: Double { peak / bandwidth }

    /// How far, as a factor, the x axis reaches beyond the ridge on each side at least, so both
    /// roof segments are visible even when every layer sits on one side.
    static let ridgeMargin = 8.0
    /// Headroom above the peak, as a factor, so the flat roof and its label stay inside the plot.
    static let peakHeadroom = 1.5
    static let pointRadius = 4.0
    static let roofColor = "#444444"

    /// The categories in order of first appearance; points without one are "other".
    var categories: [String] {
        var seen: [String] = []
        for point in points where !seen.contains(point.category ?? Self.uncategorized) {
            seen.append(point.category ?? Self.uncategorized)
        }
        return seen
    }

    static let uncategorized = "other"

    /// The chart as a standalone SVG document.
    public var svg: String {
        let ridge = ridgeIntensity
        let xAxis = ValueAxis.logarithmic(Swift.min(points.map(\.intensity).min() ?? ridge, ridge / Self.ridgeMargin),
                                          Swift.max(points.map(\.intensity).max() ?? ridge, ridge * Self.ridgeMargin))
        let yAxis = ValueAxis.logarithmic(Swift.min(points.map(\.performance).min() ?? peak, peak / 100),
                                          Swift.max(points.map(\.performance).max() ?? peak, peak * Self.peakHeadroom))
        let categories = self.categories
        let showLegend = categories.count > 1 || points.contains { $0.category != nil }
        let legend = Legend(entries: categories.enumerated().map { Legend.Entry(label: $0.element, color: Palette.color($0.offset)) },
                            marker: .circle)
        let area = PlotArea(size: size, left: Axes.leftMargin(yAxis),
                            top: title.isEmpty ? Spacing.edge * 2 : Spacing.title + Spacing.edge,
                            right: showLegend ? Spacing.legendGap + legend.width + Spacing.edge : Spacing.edge * 2,
                            bottom: Axes.bottomTickHeight + Spacing.axisTitle + Spacing.edge)
        let x = xAxis.scale(from: area.left, to: area.right)
        let y = yAxis.scale(from: area.bottom, to: area.top)

        var document = SVGDocument(size: size, title: title.isEmpty ? "Roofline" : title)
        if !title.isEmpty { document.add(Shapes.title(title, size: size)) }
        document.add(Axes.left(yAxis, scale: y, area: area))
        document.add(Axes.bottom(xAxis, scale: x, area: area))
        document.add(roof(x: x, y: y, xAxis: xAxis, yAxis: yAxis))
        document.add(SVGElement("g", [("class", "points")], children: points.map { point in
            let color = Palette.color(categories.firstIndex(of: point.category ?? Self.uncategorized) ?? 0)
            let tooltip = [point.name,
                           "\(xLabel): \(NumberFormatting.significant(point.intensity))",
                           "\(yLabel): \(NumberFormatting.significant(point.performance))"]
                + (point.category.map { [$0] } ?? [])
            return SVGElement("circle", [("class", "point"), ("cx", SVGValue(x.position(point.intensity))),
                                         ("cy", SVGValue(y.position(point.performance))), ("r", SVGValue(Self.pointRadius)),
                                         ("fill", SVGValue(color)), ("fill-opacity", 0.85),
                                         ("stroke", "#ffffff"), ("stroke-width", 0.75)],
                              children: [SVGElement("title", text: tooltip.joined(separator: "\n"))])
        }))
        document.add(Axes.yTitle(yLabel, area: area, labelWidth: yAxis.labelWidth))
        document.add(Axes.xTitle(xLabel, area: area, y: area.bottom + Axes.bottomTickHeight + TextMetrics.labelSize + Spacing.titleGap))
        if showLegend { document.add(legend.element(x: area.right + Spacing.legendGap, y: area.top)) }
        return document.rendered()
    }

    /// The two roof segments (clipped to the plot), the ridge marker with a dashed drop line to
    /// the x axis, and labels for peak, bandwidth and ridge.
    private func roof(x: AxisScale, y: AxisScale, xAxis: ValueAxis, yAxis: ValueAxis) -> SVGElement {
        let ridge = ridgeIntensity
        let slopeStart = Swift.max(xAxis.lower, yAxis.lower / bandwidth)
        let start = (x: x.position(slopeStart), y: y.position(bandwidth * slopeStart))
        let corner = (x: x.position(ridge), y: y.position(peak))
        let end = (x: x.position(xAxis.upper), y: y.position(peak))
        let angle = atan2(corner.y - start.y, corner.x - start.x) * 180 / .pi
        let middle = (x: (start.x + corner.x) / 2, y: (start.y + corner.y) / 2)
        let labelOffset = 6.0
        return SVGElement("g", [("class", "roof")], children: [
            Shapes.polyline([start, corner], stroke: Self.roofColor, width: 2, extra: [("class", "roof-bandwidth")]),
            Shapes.polyline([corner, end], stroke: Self.roofColor, width: 2, extra: [("class", "roof-compute")]),
            Shapes.line(x1: corner.x, y1: corner.y, x2: corner.x, y2: y.start, stroke: Self.roofColor, dash: "4 3"),
            SVGElement("circle", [("class", "ridge"), ("cx", SVGValue(corner.x)), ("cy", SVGValue(corner.y)), ("r", 5),
                                  ("fill", "#ffffff"), ("stroke", SVGValue(Self.roofColor)), ("stroke-width", 2),
                                  ("data-intensity", SVGValue(NumberFormatting.significant(ridge, digits: 6)))],
                       children: [SVGElement("title", text: "ridge: intensity \(NumberFormatting.significant(ridge))")]),
            Shapes.text("peak \(NumberFormatting.significant(peak))", x: end.x - labelOffset, y: end.y - labelOffset,
                        anchor: "end", fill: Self.roofColor),
            Shapes.text("bandwidth \(NumberFormatting.significant(bandwidth))", x: middle.x, y: middle.y - labelOffset,
                        anchor: "middle", fill: Self.roofColor, rotate: angle),
            Shapes.text("ridge \(NumberFormatting.significant(ridge))", x: corner.x + labelOffset,
                        y: y.start - labelOffset, size: TextMetrics.tickSize, fill: Self.roofColor),
        ])
    }
}
