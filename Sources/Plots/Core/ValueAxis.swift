/// A numeric axis: its kind, domain and labelled ticks, before it is given pixel positions.
struct ValueAxis: Sendable {
    struct Tick: Sendable {
        let value: Double
        let label: String
    }

    let kind: AxisKind
    let lower: Double
    let upper: Double
    let ticks: [Tick]

    /// A linear axis with nice ticks covering `minimum...maximum`.
    static func linear(_ minimum: Double, _ maximum: Double, style: NumberStyle) -> ValueAxis {
        let ticks = LinearTicks(covering: minimum, maximum)
        return ValueAxis(kind: .linear, lower: ticks.lower, upper: ticks.upper,
                         ticks: ticks.values.map { Tick(value: $0, label: style.tickLabel($0, step: ticks.step)) })
    }

    /// A log axis with decade ticks covering `minimum...maximum` (both positive).
    static func logarithmic(_ minimum: Double, _ maximum: Double) -> ValueAxis {
        let ticks = LogTicks(covering: minimum, maximum)
        return ValueAxis(kind: .logarithmic, lower: ticks.lower, upper: ticks.upper,
                         ticks: ticks.values.map { Tick(value: $0, label: LogTicks.label($0)) })
    }

    /// An axis of `kind` covering `minimum...maximum`.
    static func make(_ kind: AxisKind, _ minimum: Double, _ maximum: Double, style: NumberStyle) -> ValueAxis {
        switch kind {
        case .linear: linear(minimum, maximum, style: style)
        case .logarithmic: logarithmic(minimum, maximum)
        }
    }

    /// The scale putting `lower` at pixel `start` and `upper` at `end`.
    func scale(from start: Double, to end: Double) -> AxisScale {
        AxisScale(kind: kind, lower: lower, upper: upper, start: start, end: end)
    }

    /// Width of the widest tick label at the tick font size.
    var labelWidth: Double {
        ticks.map { TextMetrics.width($0.label, fontSize: TextMetrics.tickSize) }.max() ?? 0
    }
}

/// Drawing of axes: grid lines, tick marks, tick labels, axis lines and axis titles.
enum Axes {
    /// A y axis on the left edge of `area`, with horizontal grid lines across it.
    static func left(_ axis: ValueAxis, scale: AxisScale, area: PlotArea) -> SVGElement {
        var children: [SVGElement] = []
        for tick in axis.ticks {
            let y = scale.position(tick.value)
            children.append(Shapes.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: Palette.grid))
            children.append(Shapes.line(x1: area.left - Spacing.tick, y1: y, x2: area.left, y2: y, stroke: Palette.axis))
            children.append(Shapes.text(tick.label, x: area.left - Spacing.tick - Spacing.tickLabelGap,
                                        y: y + TextMetrics.centringShift(TextMetrics.tickSize), anchor: "end", size: TextMetrics.tickSize))
        }
        children.append(Shapes.line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: Palette.axis))
        return SVGElement("g", [("class", "y-axis")], children: children)
    }

    /// An x axis on the bottom edge of `area`, with vertical grid lines across it.
    static func bottom(_ axis: ValueAxis, scale: AxisScale, area: PlotArea) -> SVGElement {
        var children: [SVGElement] = []
        for tick in axis.ticks {
            let x = scale.position(tick.value)
            children.append(Shapes.line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: Palette.grid))
            children.append(Shapes.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + Spacing.tick, stroke: Palette.axis))
            children.append(Shapes.text(tick.label, x: x, y: area.bottom + Spacing.tick + Spacing.tickLabelGap + TextMetrics.tickSize,
                                        anchor: "middle", size: TextMetrics.tickSize))
        }
        children.append(baseline(area))
        return SVGElement("g", [("class", "x-axis")], children: children)
    }

    /// The horizontal axis line along the bottom of `area`.
    static func baseline(_ area: PlotArea) -> SVGElement {
        Shapes.line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: Palette.axis)
    }

    /// Height below the plot taken by numeric x tick labels.
    static let bottomTickHeight = Spacing.tick + Spacing.tickLabelGap + TextMetrics.tickSize + Spacing.titleGap

    /// Left margin for a y axis with these tick labels and a rotated title.
    static func leftMargin(_ axis: ValueAxis) -> Double {
        Spacing.edge + Spacing.axisTitle + Spacing.titleGap + axis.labelWidth + Spacing.tickLabelGap + Spacing.tick
    }

    /// The y-axis title, rotated, centred on the plot's height, just left of tick labels
    /// `labelWidth` wide.
    static func yTitle(_ label: String, area: PlotArea, labelWidth: Double) -> SVGElement {
        let x = area.left - Spacing.tick - Spacing.tickLabelGap - labelWidth - Spacing.titleGap * 2
        return Shapes.text(label, x: x, y: area.top + area.height / 2, anchor: "middle", rotate: -90)
    }

    /// The x-axis title, centred under the plot with its baseline at `y`.
    static func xTitle(_ label: String, area: PlotArea, y: Double) -> SVGElement {
        Shapes.text(label, x: area.left + area.width / 2, y: y, anchor: "middle")
    }
}
