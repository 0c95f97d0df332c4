/// The drawing shared by `StackedBarChart` and `BarChart`: one bar per category, made of one
/// segment per series stacked from zero, on a linear value axis starting at zero.
struct CategoryBarPlot: Sendable {
    let title: String
    let categories: [String]
    let seriesNames: [String]
    /// values[series][category], all finite and non-negative.
    let values: [[Double]]
    /// Top of the value axis when no bar is taller (e.g. 100 for percentages).
    let yMaximum: Double?
    let xLabel: String
    let yLabel: String
    let valueStyle: NumberStyle
    /// Appended to values in tooltips (e.g. "%").
    let valueSuffix: String
    let size: ChartSize
    let showLegend: Bool

    /// Fraction of its slot a bar fills; the rest separates neighbouring bars.
    static let barFraction = 0.8

    func svg() -> String {
        let totals = categories.indices.map { category in values.reduce(0) { $0 + $1[category] } }
        let top = Swift.max(totals.max() ?? 0, yMaximum ?? 0)
        let axis = ValueAxis.linear(0, top, style: valueStyle)
        let legend = Legend(entries: seriesNames.enumerated().reversed().map {
            Legend.Entry(label: $0.element, color: Palette.color($0.offset))
        }, marker: .square)
        let rightMargin = showLegend ? Spacing.legendGap + legend.width + Spacing.edge : Spacing.edge * 2
        let topMargin = (title.isEmpty ? Spacing.edge : Spacing.title) + TextMetrics.tickSize / 2
        var leftMargin = Axes.leftMargin(axis)
        var slot = (size.width - leftMargin - rightMargin) / Double(categories.count)
        var labels = CategoryLabels(names: categories, slotWidth: slot)
        if labels.leftReach - slot / 2 + Spacing.edge > leftMargin {
            leftMargin = labels.leftReach - slot / 2 + Spacing.edge
            slot = (size.width - leftMargin - rightMargin) / Double(categories.count)
            labels = CategoryLabels(names: categories, slotWidth: slot)
        }
        let bottomMargin = labels.height + (xLabel.isEmpty ? Spacing.edge : Spacing.axisTitle + Spacing.edge)
        let area = PlotArea(size: size, left: leftMargin, top: topMargin, right: rightMargin, bottom: bottomMargin)
        slot = area.width / Double(categories.count)
        let scale = axis.scale(from: area.bottom, to: area.top)

        var document = SVGDocument(size: size, title: title.isEmpty ? yLabel : title)
        if !title.isEmpty { document.add(Shapes.title(title, size: size)) }
        document.add(Axes.left(axis, scale: scale, area: area))
        document.add(SVGElement("g", [("class", "bars")], children: categories.indices.map {
            bar($0, total: totals[$0], slot: slot, area: area, scale: scale)
        }))
        document.add(Axes.baseline(area))
        document.add(labels.elements(area: area, slotWidth: slot))
        if !yLabel.isEmpty { document.add(Axes.yTitle(yLabel, area: area, labelWidth: axis.labelWidth)) }
        if !xLabel.isEmpty {
            document.add(Axes.xTitle(xLabel, area: area, y: area.bottom + labels.height + TextMetrics.labelSize + Spacing.titleGap))
        }
        if showLegend { document.add(legend.element(x: area.right + Spacing.legendGap, y: area.top)) }
        return document.rendered()
    }

    /// The bar of category `index`: a group with a tooltip and one rect per non-zero segment.
    private func bar(_ index: Int, total: Double, slot: Double, area: PlotArea, scale: AxisScale) -> SVGElement {
        let width = slot * Self.barFraction
        let x = area.left + Double(index) * slot + (slot - width) / 2
        var tooltip = [categories[index]]
        var children: [SVGElement] = []
        var base = 0.0
        for (series, name) in seriesNames.enumerated() {
            let value = values[series][index]
            let text = valueStyle.valueLabel(value) + valueSuffix
            tooltip.append(seriesNames.count > 1 ? "\(name): \(text)" : text)
            guard value > 0 else { continue }
            let y0 = scale.position(base), y1 = scale.position(base + value)
            children.append(Shapes.rect(x: x, y: y1, width: width, height: y0 - y1, fill: Palette.color(series),
                                        extra: [("class", "segment"), ("data-series", SVGValue(name))]))
            base += value
        }
        if seriesNames.count > 1 { tooltip.append("total: " + valueStyle.valueLabel(total) + valueSuffix) }
        let title = SVGElement("title", text: seriesNames.count > 1 ? tooltip.joined(separator: "\n")
                                                                    : tooltip.joined(separator: ": "))
        return SVGElement("g", [("class", "bar"), ("data-category", SVGValue(categories[index]))],
                          children: [title] + children)
    }
}
