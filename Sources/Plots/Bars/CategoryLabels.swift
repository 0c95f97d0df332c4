/// Layout of category names under a bar chart's x axis: horizontal when they fit their slot,
/// otherwise rotated 45 degrees, and thinned to every n-th name when even rotated names would
/// overlap (a 200-layer network leaves about 3 pixels per bar).
struct CategoryLabels: Sendable {
    /// Longest name shown whole; longer ones are cut with an ellipsis (the bar's tooltip keeps
    /// the full name).
    static let maximumCharacters = 18
    /// Smallest horizontal distance between neighbouring rotated labels, in pixels: at 45
    /// degrees their baselines are then 0.71 x 2 = 1.4 font sizes apart, leaving a visible gap.
    static let minimumRotatedSpacing = TextMetrics.tickSize * 2
    /// sin 45 degrees: how far a rotated label reaches down and left per unit of its length.
    static let diagonal = 0.7071

    let names: [String]
    let rotated: Bool
    /// Every `stride`-th label is drawn, starting with the first.
    let stride: Int
    let widest: Double

    init(names: [String], slotWidth: Double) {
        self.names = names.map { TextMetrics.truncated($0, to: Self.maximumCharacters) }
        let allWidest = self.names.map { TextMetrics.width($0, fontSize: TextMetrics.tickSize) }.max() ?? 0
        let horizontalGap = 6.0
        if allWidest + horizontalGap <= slotWidth {
            rotated = false
            stride = 1
        } else {
            rotated = true
            stride = Swift.max(1, Int((Self.minimumRotatedSpacing / slotWidth).rounded(.up)))
        }
        let stride = self.stride
        widest = self.names.enumerated().filter { $0.offset % stride == 0 }
            .map { TextMetrics.width($0.element, fontSize: TextMetrics.tickSize) }.max() ?? 0
    }

    /// Height the labels take below the axis line.
    var height: Double {
        let offset = Spacing.tick + Spacing.tickLabelGap + TextMetrics.tickSize
        return offset + (rotated ? widest * Self.diagonal : 0) + Spacing.titleGap
    }

    /// How far rotated labels reach left of their anchor (0 for horizontal labels).
    var leftReach: Double { rotated ? widest * Self.diagonal : 0 }

    /// The labels, each centred on its slot, below `area`.
    func elements(area: PlotArea, slotWidth: Double) -> SVGElement {
        var children: [SVGElement] = []
        for (index, name) in names.enumerated() where index % stride == 0 {
            let x = area.left + (Double(index) + 0.5) * slotWidth
            children.append(Shapes.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + Spacing.tick, stroke: Palette.axis))
            if rotated {
                let y = area.bottom + Spacing.tick + Spacing.tickLabelGap + TextMetrics.tickSize * 0.7
                children.append(Shapes.text(name, x: x, y: y, anchor: "end", size: TextMetrics.tickSize, rotate: -45))
            } else {
                let y = area.bottom + Spacing.tick + Spacing.tickLabelGap + TextMetrics.tickSize
                children.append(Shapes.text(name, x: x, y: y, anchor: "middle", size: TextMetrics.tickSize))
            }
        }
        return SVGElement("g", [("class", "category-labels")], children: children)
    }
}
