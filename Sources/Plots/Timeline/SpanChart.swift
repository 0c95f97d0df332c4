/// A Gantt chart: one row per item, each a horizontal bar from its start to its end on a shared
/// linear time axis, e.g. every layer's span (first start to last completion, in cycles) over a
/// run. Overlapping spans (a layer's loads running under the previous layer's compute) show as
/// bars that overlap in x on neighbouring rows.
///
/// Rows are drawn top to bottom in the order given. Names are written left of their rows,
/// thinned to every n-th when rows are shorter than a line of text (each bar's tooltip keeps
/// its full name, start, end and length). Bars are coloured by category, with a legend.
public struct SpanChart: Sendable {
    /// One row: a name, its interval and optionally a category to colour it by.
    public struct Span: Sendable, Equatable {
        public let name: String
        /// Start and end on the time axis, `start <= end`.
        public let start: Double
        public let end: Double
        public let category: String?

        public init(name: String, start: Double, end: Double, category: String? = nil) {
            self.name = name
            self.start = start
            self.end = end
            self.category = category
        }
    }

    public let title: String
    public let spans: [Span]
    public let xLabel: String
    /// How time ticks and tooltip values are written.
    public let valueStyle: NumberStyle
    public let size: ChartSize

    /// Throws `PlotError` if there are no spans, or a start or end is negative or not finite, or
    /// a span ends before it starts (`negativeValue` naming its duration).
    public init(title: String, spans: [Span], xLabel: String = "", valueStyle: NumberStyle = .si,
                size: ChartSize = .standard) throws(PlotError) {
        try Validate.nonEmpty(spans.count, "spans")
        for span in spans {
            try Validate.nonNegative(span.start, "start of \(span.name)")
            try Validate.nonNegative(span.end, "end of \(span.name)")
            try Validate.nonNegative(span.end - span.start, "duration of \(span.name)")
        }
        self.title = title
        self.spans = spans
        self.xLabel = xLabel
        self.valueStyle = valueStyle
        self.size = size
    }

    /// Longest row name shown whole; longer ones are cut with an ellipsis.
    static let maximumNameCharacters = 18
    /// Fraction of its row a bar fills; the rest separates neighbouring rows.
    static let barFraction = 0.8
    /// Narrowest bar drawn, in pixels, so that a very short span stays visible.
    static let minimumBarWidth = 1.0
    /// Smallest row pitch, as a multiple of the tick font size, at which every name is written.
    static let namePitch = 1.2

    /// The categories in order of first appearance; spans without one are "other".
    var categories: [String] {
        var seen: [String] = []
        for span in spans where !seen.contains(span.category ?? Self.uncategorized) {
            seen.append(span.category ?? Self.uncategorized)
        }
        return seen
    }

    static let uncategorized = "other"

    /// The chart as a standalone SVG document.
    public var svg: String {
        let categories = self.categories
        let showLegend = spans.contains { $0.category != nil }
        let legend = Legend(entries: categories.enumerated().map { Legend.Entry(label: $0.element, color: Palette.color($0.offset)) },
                            marker: .square)
        let names = spans.map { TextMetrics.truncated($0.name, to: Self.maximumNameCharacters) }
        let nameWidth = names.map { TextMetrics.width($0, fontSize: TextMetrics.tickSize) }.max() ?? 0
        let axis = ValueAxis.linear(spans.map(\.start).min()!, spans.map(\.end).max()!, style: valueStyle)
        let area = PlotArea(size: size, left: Spacing.edge + nameWidth + Spacing.tickLabelGap + Spacing.tick,
                            top: title.isEmpty ? Spacing.edge * 2 : Spacing.title + Spacing.edge,
                            right: showLegend ? Spacing.legendGap + legend.width + Spacing.edge : Spacing.edge * 2,
                            bottom: Axes.bottomTickHeight + (xLabel.isEmpty ? Spacing.edge : Spacing.axisTitle + Spacing.edge))
        let x = axis.scale(from: area.left, to: area.right)
        let rowHeight = area.height / Double(spans.count)
        let stride = Swift.max(1, Int((TextMetrics.tickSize * Self.namePitch / rowHeight).rounded(.up)))

        var document = SVGDocument(size: size, title: title.isEmpty ? "Spans" : title)
        if !title.isEmpty { document.add(Shapes.title(title, size: size)) }
        document.add(Axes.bottom(axis, scale: x, area: area))
        document.add(Shapes.line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: Palette.axis))
        var bars: [SVGElement] = []
        var labels: [SVGElement] = []
        for (row, span) in spans.enumerated() {
            let top = area.top + Double(row) * rowHeight
            let height = rowHeight * Self.barFraction
            let left = x.position(span.start)
            let width = Swift.max(x.position(span.end) - left, Self.minimumBarWidth)
            let color = Palette.color(categories.firstIndex(of: span.category ?? Self.uncategorized) ?? 0)
            let tooltip = [span.name,
                           "\(valueStyle.valueLabel(span.start)) to \(valueStyle.valueLabel(span.end))"
                               + " (\(valueStyle.valueLabel(span.end - span.start)))"]
                + (span.category.map { [$0] } ?? [])
            bars.append(Shapes.rect(x: left, y: top + (rowHeight - height) / 2, width: width, height: height, fill: color,
                                    extra: [("class", "span"), ("data-name", SVGValue(span.name))],
                                    children: [SVGElement("title", text: tooltip.joined(separator: "\n"))]))
            if row % stride == 0 {
                labels.append(Shapes.text(names[row], x: area.left - Spacing.tick,
                                          y: top + rowHeight / 2 + TextMetrics.centringShift(TextMetrics.tickSize),
                                          anchor: "end", size: TextMetrics.tickSize))
            }
        }
        document.add(SVGElement("g", [("class", "spans")], children: bars))
        document.add(SVGElement("g", [("class", "row-labels")], children: labels))
        if !xLabel.isEmpty {
            document.add(Axes.xTitle(xLabel, area: area, y: area.bottom + Axes.bottomTickHeight + TextMetrics.labelSize + Spacing.titleGap))
        }
        if showLegend { document.add(legend.element(x: area.right + Spacing.legendGap, y: area.top)) }
        return document.rendered()
    }
}
