/// A vertical colour bar for a sequential scale: the colormap from the minimum (bottom) to the
/// maximum (top), labelled at both ends and at nice ticks between.
///
/// It is drawn as thin stacked rectangles rather than a `linearGradient`, because a gradient
/// needs an `id` and `url(#id)`, which collide when several charts are inlined in one page.
struct ColorLegend: Sendable {
    let colormap: SequentialColormap
    let minimum: Double
    let maximum: Double
    let style: NumberStyle

    static let barWidth = 14.0
    static let steps = 64
    /// Nice ticks closer than this to an end label are dropped so labels never overlap.
    static let minimumLabelSpacing = TextMetrics.tickSize * 1.4

    /// Labels (value, text) from bottom to top.
    var labels: [ValueAxis.Tick] {
        guard maximum > minimum else { return [ValueAxis.Tick(value: minimum, label: style.valueLabel(minimum))] }
        let ticks = LinearTicks(covering: minimum, maximum)
        let inner = ticks.values.filter { $0 > minimum && $0 < maximum }
        return [ValueAxis.Tick(value: minimum, label: style.valueLabel(minimum))]
            + inner.map { ValueAxis.Tick(value: $0, label: style.tickLabel($0, step: ticks.step)) }
            + [ValueAxis.Tick(value: maximum, label: style.valueLabel(maximum))]
    }

    var width: Double {
        Self.barWidth + Spacing.tick + Spacing.tickLabelGap
            + (labels.map { TextMetrics.width($0.label, fontSize: TextMetrics.tickSize) }.max() ?? 0)
    }

    /// The bar with its top-left corner at (`x`, `top`) and the given height.
    func element(x: Double, top: Double, height: Double) -> SVGElement {
        var children: [SVGElement] = []
        let stepHeight = height / Double(Self.steps)
        for step in 0..<Self.steps {
            let fraction = (Double(step) + 0.5) / Double(Self.steps)
            children.append(Shapes.rect(x: x, y: top + height - Double(step + 1) * stepHeight, width: Self.barWidth,
                                        height: stepHeight + 0.5, fill: colormap.color(at: fraction).hex))
        }
        children.append(Shapes.rect(x: x, y: top, width: Self.barWidth, height: height, fill: "none",
                                    extra: [("stroke", SVGValue(Palette.axis)), ("stroke-width", 0.5)]))
        let scale = AxisScale(kind: .linear, lower: minimum, upper: maximum == minimum ? minimum + 1 : maximum,
                              start: top + height, end: top)
        var lastY = Double.infinity
        let all = labels
        for (index, tick) in all.enumerated() {
            let y = maximum == minimum ? top + height / 2 : scale.position(tick.value)
            let isEnd = index == 0 || index == all.count - 1
            let nextEndY = scale.position(maximum)
            if !isEnd && (lastY - y < Self.minimumLabelSpacing || y - nextEndY < Self.minimumLabelSpacing) { continue }
            lastY = y
            children.append(Shapes.line(x1: x + Self.barWidth, y1: y, x2: x + Self.barWidth + Spacing.tick, y2: y,
                                        stroke: Palette.axis))
            children.append(Shapes.text(tick.label, x: x + Self.barWidth + Spacing.tick + Spacing.tickLabelGap,
                                        y: y + TextMetrics.centringShift(TextMetrics.tickSize), size: TextMetrics.tickSize))
        }
        return SVGElement("g", [("class", "color-legend")], children: children)
    }
}
