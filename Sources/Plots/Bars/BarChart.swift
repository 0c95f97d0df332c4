/// One bar per category: utilization per layer, in percent.
///
/// The value axis starts at zero and reaches at least `yMaximum` (pass 100 for percentages so
/// that every utilization chart has the same scale); it extends further, to nice ticks, if a
/// value is larger.
public struct BarChart: Sendable {
    public let title: String
    public let categories: [String]
    /// Non-negative values, one per category.
    public let values: [Double]
    public let xLabel: String
    public let yLabel: String
    public let yMaximum: Double?
    /// Appended to values in tooltips, e.g. "%".
    public let valueSuffix: String
    public let valueStyle: NumberStyle
    public let size: ChartSize

    /// Throws `PlotError` if there are no categories, the counts differ, or a value is negative
    /// or not finite.
    public init(title: String, categories: [String], values: [Double], xLabel: String = "",
                yLabel: String = "", yMaximum: Double? = nil, valueSuffix: String = "",
                valueStyle: NumberStyle = .grouped, size: ChartSize = .standard) throws(PlotError) {
        try Validate.nonEmpty(categories.count, "categories")
        try Validate.count(values.count, categories.count, "values")
        for (index, value) in values.enumerated() { try Validate.nonNegative(value, "category \(categories[index])") }
        if let yMaximum { try Validate.nonNegative(yMaximum, "yMaximum") }
        self.title = title
        self.categories = categories
        self.values = values
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yMaximum = yMaximum
        self.valueSuffix = valueSuffix
        self.valueStyle = valueStyle
        self.size = size
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        CategoryBarPlot(title: title, categories: categories, seriesNames: [yLabel], values: [values],
                        yMaximum: yMaximum, xLabel: xLabel, yLabel: yLabel, valueStyle: valueStyle,
                        valueSuffix: valueSuffix, size: size, showLegend: false).svg()
    }
}
