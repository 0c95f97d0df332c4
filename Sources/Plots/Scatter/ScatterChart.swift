/// Points on two numeric axes, each linear or logarithmic, optionally with the Pareto front
/// (both coordinates minimized) highlighted: a sweep's design points by cycles and area, or
/// energy and latency.
///
/// Front points are drawn larger with a dark outline and joined by a step line, the boundary
/// of the region the front dominates: from each front point right to the next one's x, then
/// down to its y.
public struct ScatterChart: Sendable {
    public let title: String
    public let points: [ScatterPoint]
    public let xLabel: String
    public let yLabel: String
    public let xAxis: AxisKind
    public let yAxis: AxisKind
    public let showParetoFront: Bool
    /// Tick labels on linear axes (log axes always label decades).
    public let valueStyle: NumberStyle
    public let size: ChartSize

    /// Throws `PlotError` if there are no points, a coordinate is not finite, or one is not
    /// positive on a logarithmic axis.
    public init(title: String, points: [ScatterPoint], xLabel: String = "", yLabel: String = "",
                xAxis: AxisKind = .linear, yAxis: AxisKind = .linear, showParetoFront: Bool = false,
                valueStyle: NumberStyle = .si, size: ChartSize = .standard) throws(PlotError) {
        try Validate.nonEmpty(points.count, "points")
        for point in points {
            try Validate.finite(point.x, "x of \(point.label)")
            try Validate.finite(point.y, "y of \(point.label)")
            if xAxis == .logarithmic { try Validate.positive(point.x, "x of \(point.label)") }
            if yAxis == .logarithmic { try Validate.positive(point.y, "y of \(point.label)") }
        }
        self.title = title
        self.points = points
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.showParetoFront = showParetoFront
        self.valueStyle = valueStyle
        self.size = size
    }

    static let pointRadius = 4.0
    static let frontRadius = 5.5
    static let frontColor = "#000000"
    static let ungrouped = "other"

    /// The groups in order of first appearance; points without one are "other".
    var groups: [String] {
        var seen: [String] = []
        for point in points where !seen.contains(point.group ?? Self.ungrouped) { seen.append(point.group ?? Self.ungrouped) }
        return seen
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let xs = points.map(\.x), ys = points.map(\.y)
        let horizontal = ValueAxis.make(xAxis, xs.min()!, xs.max()!, style: valueStyle)
        let vertical = ValueAxis.make(yAxis, ys.min()!, ys.max()!, style: valueStyle)
        let groups = self.groups
        let front = showParetoFront ? paretoFront(points) : []
        var entries: [Legend.Entry] = []
        if points.contains(where: { $0.group != nil }) {
            entries = groups.enumerated().map { Legend.Entry(label: $0.element, color: Palette.color($0.offset)) }
        }
        if showParetoFront { entries.append(Legend.Entry(label: "Pareto-optimal", color: "#ffffff", outline: Self.frontColor)) }
        let legend = Legend(entries: entries, marker: .circle)
        let area = PlotArea(size: size, left: Axes.leftMargin(vertical),
                            top: title.isEmpty ? Spacing.edge * 2 : Spacing.title + Spacing.edge,
                            right: entries.isEmpty ? Spacing.edge * 2 : Spacing.legendGap + legend.width + Spacing.edge,
                            bottom: Axes.bottomTickHeight + Spacing.axisTitle + Spacing.edge)
        let x = horizontal.scale(from: area.left, to: area.right)
        let y = vertical.scale(from: area.bottom, to: area.top)

        var document = SVGDocument(size: size, title: title.isEmpty ? "Scatter" : title)
        if !title.isEmpty { document.add(Shapes.title(title, size: size)) }
        document.add(Axes.left(vertical, scale: y, area: area))
        document.add(Axes.bottom(horizontal, scale: x, area: area))
        if front.count > 1 {
            var steps: [(x: Double, y: Double)] = []
            for (position, index) in front.enumerated() {
                let point = (x: x.position(points[index].x), y: y.position(points[index].y))
                if position > 0 { steps.append((x: point.x, y: steps[steps.count - 1].y)) }
                steps.append(point)
            }
            document.add(Shapes.polyline(steps, stroke: Self.frontColor, width: 1.5, dash: "5 3",
                                         extra: [("class", "pareto-front")]))
        }
        let frontSet = Set(front)
        let order = points.indices.filter { !frontSet.contains($0) } + front
        document.add(SVGElement("g", [("class", "points")], children: order.map { index in
            circle(index, onFront: frontSet.contains(index), x: x, y: y, groups: groups)
        }))
        if !yLabel.isEmpty { document.add(Axes.yTitle(yLabel, area: area, labelWidth: vertical.labelWidth)) }
        if !xLabel.isEmpty {
            document.add(Axes.xTitle(xLabel, area: area, y: area.bottom + Axes.bottomTickHeight + TextMetrics.labelSize + Spacing.titleGap))
        }
        if !entries.isEmpty { document.add(legend.element(x: area.right + Spacing.legendGap, y: area.top)) }
        return document.rendered()
    }

    /// Point `index` as a circle with a tooltip; front points last, so they are drawn on top.
    private func circle(_ index: Int, onFront: Bool, x: AxisScale, y: AxisScale, groups: [String]) -> SVGElement {
        let point = points[index]
        let color = Palette.color(groups.firstIndex(of: point.group ?? Self.ungrouped) ?? 0)
        var tooltip = [point.label,
                       "\(xLabel.isEmpty ? "x" : xLabel): \(NumberFormatting.significant(point.x))",
                       "\(yLabel.isEmpty ? "y" : yLabel): \(NumberFormatting.significant(point.y))"]
        if let group = point.group { tooltip.append(group) }
        if onFront { tooltip.append("Pareto-optimal") }
        return SVGElement("circle", [
            ("class", SVGValue(onFront ? "point pareto" : "point")),
            ("cx", SVGValue(x.position(point.x))), ("cy", SVGValue(y.position(point.y))),
            ("r", SVGValue(onFront ? Self.frontRadius : Self.pointRadius)),
            ("fill", SVGValue(color)), ("fill-opacity", SVGValue(onFront ? 1 : 0.7)),
            ("stroke", SVGValue(onFront ? Self.frontColor : "#ffffff")), ("stroke-width", SVGValue(onFront ? 1.5 : 0.75)),
        ], children: [SVGElement("title", text: tooltip.joined(separator: "\n"))])
    }
}
