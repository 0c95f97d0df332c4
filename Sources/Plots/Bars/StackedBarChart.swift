/// Bars per category split into stacked segments by series: per-layer cycles stacked by cause
/// (compute, DRAM bandwidth stall, dependency stall, ...).
///
/// Series stack from the bottom in the order given and the legend lists them top to bottom as
/// they appear on the bars. Each bar carries a tooltip with the category's full name, every
/// series' value and the total, so names thinned out under a 200-layer axis remain readable.
public struct StackedBarChart: Sendable {
    /// One series: a name for the legend and one value per category.
    public struct Series: Sendable, Equatable {
        public let name: String
        /// Non-negative values, one per category, in the categories' order.
        public let values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public let title: String
    public let categories: [String]
    public let series: [Series]
    public let xLabel: String
    public let yLabel: String
    /// How tick labels and tooltip values are written (SI suffixes by default: 12k, 3.4M).
    public let valueStyle: NumberStyle
    public let size: ChartSize

    /// Throws `PlotError` if there are no categories or series, a series' length differs from
    /// the number of categories, or a value is negative or not finite.
    public init(title: String, categories: [String], series: [Series], xLabel: String = "",
                yLabel: String = "", valueStyle: NumberStyle = .si, size: ChartSize = .standard) throws(PlotError) {
        try Validate.nonEmpty(categories.count, "categories")
        try Validate.nonEmpty(series.count, "series")
        for item in series {
            try Validate.count(item.values.count, categories.count, "values of series \(item.name)")
            for (index, value) in item.values.enumerated() {
                try Validate.nonNegative(value, "series \(item.name), category \(categories[index])")
            }
        }
        self.title = title
        self.categories = categories
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueStyle = valueStyle
        self.size = size
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        CategoryBarPlot(title: title, categories: categories, seriesNames: series.map(\.name),
                        values: series.map(\.values), yMaximum: nil, xLabel: xLabel, yLabel: yLabel,
                        valueStyle: valueStyle, valueSuffix: "", size: size, showLegend: true).svg()
    }
}
