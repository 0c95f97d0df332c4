/// One point of a scatter chart: a design point of a sweep, say, at (cycles, area).
public struct ScatterPoint: Sendable, Equatable {
    public let x: Double
    public let y: Double
    /// Shown in the point's tooltip.
    public let label: String
    /// Points of one group share a colour and a legend entry.
    public let group: String?

    public init(x: Double, y: Double, label: String, group: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
        self.group = group
    }
}
