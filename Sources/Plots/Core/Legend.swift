/// A vertical legend of coloured markers and labels, placed to the right of the plot.
struct Legend: Sendable {
    enum Marker: Sendable { case square, circle }

    struct Entry: Sendable {
        let label: String
        let color: String
        /// Outline of the marker, for entries standing for an outlined mark.
        var outline: String? = nil
    }

    let entries: [Entry]
    let marker: Marker

    /// Longest label kept whole; longer ones are cut with an ellipsis (full text in a tooltip).
    static let maximumLabelCharacters = 28
    static let markerSize = 10.0
    static let rowHeight = 18.0
    static let markerGap = 6.0

    /// Width the legend needs, marker included.
    var width: Double {
        let longest = entries.map {
            TextMetrics.width(TextMetrics.truncated($0.label, to: Self.maximumLabelCharacters),
                              fontSize: TextMetrics.labelSize)
        }.max() ?? 0
        return Self.markerSize + Self.markerGap + longest
    }

    var height: Double { Double(entries.count) * Self.rowHeight }

    /// The legend with its top-left corner at (`x`, `y`).
    func element(x: Double, y: Double) -> SVGElement {
        var rows: [SVGElement] = []
        for (index, entry) in entries.enumerated() {
            let rowTop = y + Double(index) * Self.rowHeight
            let markerElement: SVGElement = switch marker {
            case .square:
                Shapes.rect(x: x, y: rowTop, width: Self.markerSize, height: Self.markerSize, fill: entry.color)
            case .circle:
                SVGElement("circle", [("cx", SVGValue(x + Self.markerSize / 2)),
                                      ("cy", SVGValue(rowTop + Self.markerSize / 2)),
                                      ("r", SVGValue(Self.markerSize / 2 - 1)), ("fill", SVGValue(entry.color))]
                           + (entry.outline.map { [("stroke", SVGValue($0)), ("stroke-width", 1.5)] } ?? []))
            }
            let shown = TextMetrics.truncated(entry.label, to: Self.maximumLabelCharacters)
            let label = Shapes.text(shown, x: x + Self.markerSize + Self.markerGap,
                                    y: rowTop + Self.markerSize - 1)
            rows.append(SVGElement("g", [("class", "legend-entry")],
                                   children: [SVGElement("title", text: entry.label), markerElement, label]))
        }
        return SVGElement("g", [("class", "legend")], children: rows)
    }
}
