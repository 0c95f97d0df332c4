/// A grid of values coloured on a sequential scale: a sweep's metric over two parameters
/// (rows x columns), e.g. cycles by array size and buffer size.
///
/// Colours run linearly from the smallest value present (the colormap's first stop) to the
/// largest (its last stop); if all values are equal every cell takes the middle colour.
/// Missing cells (`nil`, e.g. configurations that did not fit) are drawn light grey. Each cell
/// has a tooltip; values are also written in the cells when every label fits its cell.
public struct HeatMap: Sendable {
    public let title: String
    public let rowLabels: [String]
    public let columnLabels: [String]
    /// values[row][column]; row 0 is drawn at the top.
    public let values: [[Double?]]
    /// Title of the vertical (row) and horizontal (column) axes.
    public let rowTitle: String
    public let columnTitle: String
    public let valueStyle: NumberStyle
    public let colormap: SequentialColormap
    public let size: ChartSize

    /// Throws `PlotError` if there are no rows or columns, the grid's shape differs from the
    /// labels, a value is not finite, or every cell is missing.
    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double?]],
                rowTitle: String = "", columnTitle: String = "", valueStyle: NumberStyle = .si,
                colormap: SequentialColormap = .viridis, size: ChartSize = .standard) throws(PlotError) {
        try Validate.nonEmpty(rowLabels.count, "rows")
        try Validate.nonEmpty(columnLabels.count, "columns")
        try Validate.count(values.count, rowLabels.count, "rows of values")
        for (row, cells) in values.enumerated() {
            try Validate.count(cells.count, columnLabels.count, "cells in row \(rowLabels[row])")
            for (column, value) in cells.enumerated() {
                if let value { try Validate.finite(value, "cell \(rowLabels[row]), \(columnLabels[column])") }
            }
        }
        try Validate.nonEmpty(values.joined().compactMap { $0 }.count, "non-missing cells")
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.valueStyle = valueStyle
        self.colormap = colormap
        self.size = size
    }

    /// Longest row label shown whole.
    static let maximumRowLabelCharacters = 18
    /// Padding around a value written in a cell.
    static let cellPadding = 4.0
    /// Above this luminance a cell's text is dark, below it light.
    static let darkTextThreshold = 0.5

    /// The fraction along the colormap for `value`, given the grid's extremes.
    static func fraction(_ value: Double, minimum: Double, maximum: Double) -> Double {
        maximum > minimum ? (value - minimum) / (maximum - minimum) : 0.5
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let present = values.joined().compactMap { $0 }
        let minimum = present.min()!, maximum = present.max()!
        let legend = ColorLegend(colormap: colormap, minimum: minimum, maximum: maximum, style: valueStyle)
        let rowNames = rowLabels.map { TextMetrics.truncated($0, to: Self.maximumRowLabelCharacters) }
        let rowLabelWidth = rowNames.map { TextMetrics.width($0, fontSize: TextMetrics.tickSize) }.max() ?? 0
        let left = Spacing.edge + (rowTitle.isEmpty ? 0 : Spacing.axisTitle) + rowLabelWidth + Spacing.tick + Spacing.tickLabelGap
        let right = Spacing.legendGap + legend.width + Spacing.edge
        let top = title.isEmpty ? Spacing.edge * 2 : Spacing.title + Spacing.edge
        let columnWidth = (size.width - left - right) / Double(columnLabels.count)
        let columns = CategoryLabels(names: columnLabels, slotWidth: columnWidth)
        let bottom = columns.height + (columnTitle.isEmpty ? Spacing.edge : Spacing.axisTitle + Spacing.edge)
        let area = PlotArea(size: size, left: left, top: top, right: right, bottom: bottom)
        let cellWidth = area.width / Double(columnLabels.count)
        let cellHeight = area.height / Double(rowLabels.count)
        let texts = values.map { $0.map { $0.map { valueStyle.valueLabel($0) } } }
        let writeValues = cellHeight >= TextMetrics.cellSize + Self.cellPadding
            && texts.joined().compactMap { $0 }.allSatisfy {
                TextMetrics.width($0, fontSize: TextMetrics.cellSize) + Self.cellPadding <= cellWidth
            }

        var document = SVGDocument(size: size, title: title.isEmpty ? "Heat map" : title)
        if !title.isEmpty { document.add(Shapes.title(title, size: size)) }
        var cells: [SVGElement] = []
        for (row, rowValues) in values.enumerated() {
            for (column, value) in rowValues.enumerated() {
                let x = area.left + Double(column) * cellWidth, y = area.top + Double(row) * cellHeight
                let place = "\(rowLabels[row]), \(columnLabels[column])"
                guard let value else {
                    cells.append(Shapes.rect(x: x, y: y, width: cellWidth, height: cellHeight, fill: Palette.missing,
                                             extra: [("class", "cell missing"), ("stroke", SVGValue(Palette.missingStroke)),
                                                     ("stroke-width", 0.5)],
                                             children: [SVGElement("title", text: "\(place): no data")]))
                    continue
                }
                let color = colormap.color(at: Self.fraction(value, minimum: minimum, maximum: maximum))
                cells.append(Shapes.rect(x: x, y: y, width: cellWidth, height: cellHeight, fill: color.hex,
                                         extra: [("class", "cell")],
                                         children: [SVGElement("title", text: "\(place): \(texts[row][column]!)")]))
                if writeValues {
                    cells.append(Shapes.text(texts[row][column]!, x: x + cellWidth / 2,
                                             y: y + cellHeight / 2 + TextMetrics.centringShift(TextMetrics.cellSize), anchor: "middle",
                                             size: TextMetrics.cellSize,
                                             fill: color.approximateLuminance > Self.darkTextThreshold ? "#000000" : "#ffffff"))
                }
            }
        }
        document.add(SVGElement("g", [("class", "cells")], children: cells))
        document.add(rowLabelElements(rowNames, area: area, cellHeight: cellHeight))
        document.add(columns.elements(area: area, slotWidth: cellWidth))
        if !rowTitle.isEmpty { document.add(Axes.yTitle(rowTitle, area: area, labelWidth: rowLabelWidth - Spacing.tickLabelGap)) }
        if !columnTitle.isEmpty {
            document.add(Axes.xTitle(columnTitle, area: area, y: area.bottom + columns.height + TextMetrics.labelSize + Spacing.titleGap))
        }
        document.add(legend.element(x: area.right + Spacing.legendGap, top: area.top, height: area.height))
        return document.rendered()
    }

    /// Row labels right-aligned left of the grid, thinned to every n-th when rows are too short.
    private func rowLabelElements(_ names: [String], area: PlotArea, cellHeight: Double) -> SVGElement {
        let stride = Swift.max(1, Int((TextMetrics.tickSize * 1.2 / cellHeight).rounded(.up)))
        var children: [SVGElement] = []
        for (row, name) in names.enumerated() where row % stride == 0 {
            let y = area.top + (Double(row) + 0.5) * cellHeight
            children.append(Shapes.text(name, x: area.left - Spacing.tick, y: y + TextMetrics.centringShift(TextMetrics.tickSize),
                                        anchor: "end", size: TextMetrics.tickSize))
        }
        return SVGElement("g", [("class", "row-labels")], children: children)
    }
}
