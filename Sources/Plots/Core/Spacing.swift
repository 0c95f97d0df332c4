/// Fixed spacing of the chart frame, in pixels.
enum Spacing {
    /// Gap at the chart's edge.
    static let edge = 10.0
    /// Height reserved for the title above the plot.
    static let title = 34.0
    /// Length of a tick mark and gap between it and its label.
    static let tick = 5.0
    static let tickLabelGap = 3.0
    /// Room for a rotated y-axis title or a horizontal x-axis title.
    static let axisTitle = 20.0
    /// Gap between tick labels and an axis title.
    static let titleGap = 5.0
    /// Gap between the plot and the legend.
    static let legendGap = 16.0
}
