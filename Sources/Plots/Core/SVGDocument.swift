/// A complete, standalone SVG document of a given size, assembled from `SVGElement`s.
///
/// The output references nothing outside itself: no fonts (only the generic `sans-serif`
/// family), no links, no `id`s or `url(#...)` paint servers (which would collide when several
/// charts are inlined in one HTML page). It is valid both as an `.svg` file and inline in HTML.
struct SVGDocument: Sendable {
    let size: ChartSize
    /// Accessible name of the whole image (the chart title, or a description).
    let title: String
    private(set) var elements: [SVGElement] = []

    init(size: ChartSize, title: String) {
        self.size = size
        self.title = title
    }

    mutating func add(_ element: SVGElement) { elements.append(element) }
    mutating func add(_ newElements: [SVGElement]) { elements.append(contentsOf: newElements) }

    /// The SVG namespace, the only URI the document contains (it is a name, never fetched).
    static let namespace = "http://www.w3.org/2000/svg"

    /// The document text, ending with a newline.
    func rendered() -> String {
        let width = SVGValue(size.width).text, height = SVGValue(size.height).text
        let root = SVGElement("svg", [
            ("xmlns", SVGValue(Self.namespace)),
            ("viewBox", SVGValue("0 0 \(width) \(height)")),
            ("width", SVGValue(width)), ("height", SVGValue(height)),
            ("role", "img"),
            ("font-family", "sans-serif"), ("font-size", SVGValue(TextMetrics.labelSize)),
        ], children: [
            SVGElement("title", text: title),
            SVGElement("rect", [("x", 0), ("y", 0), ("width", SVGValue(size.width)),
                                ("height", SVGValue(size.height)), ("fill", "#ffffff")]),
        ] + elements)
        return root.rendered() + "\n"
    }
}

/// Small constructors for the elements every chart uses.
enum Shapes {
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start",
                     size: Double = TextMetrics.labelSize, weight: String? = nil,
                     fill: String = Palette.text, rotate: Double? = nil, baseline: String? = nil) -> SVGElement {
        var attributes: [(String, SVGValue)] = [("x", SVGValue(x)), ("y", SVGValue(y))]
        if anchor != "start" { attributes.append(("text-anchor", SVGValue(anchor))) }
        if let baseline { attributes.append(("dominant-baseline", SVGValue(baseline))) }
        if size != TextMetrics.labelSize { attributes.append(("font-size", SVGValue(size))) }
        if let weight { attributes.append(("font-weight", SVGValue(weight))) }
        attributes.append(("fill", SVGValue(fill)))
        if let rotate {
            attributes.append(("transform", SVGValue("rotate(\(SVGValue(rotate).text) \(SVGValue(x).text) \(SVGValue(y).text))")))
        }
        return SVGElement("text", attributes, text: content)
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                     width: Double = 1, dash: String? = nil) -> SVGElement {
        var attributes: [(String, SVGValue)] = [
            ("x1", SVGValue(x1)), ("y1", SVGValue(y1)), ("x2", SVGValue(x2)), ("y2", SVGValue(y2)),
            ("stroke", SVGValue(stroke)), ("stroke-width", SVGValue(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", SVGValue(dash))) }
        return SVGElement("line", attributes)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                     extra: [(String, SVGValue)] = [], children: [SVGElement] = []) -> SVGElement {
        SVGElement("rect", [("x", SVGValue(x)), ("y", SVGValue(y)), ("width", SVGValue(width)),
                            ("height", SVGValue(height)), ("fill", SVGValue(fill))] + extra,
                   children: children)
    }

    /// A polyline through `points` (x, y pairs in pixels).
    static func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double,
                         dash: String? = nil, extra: [(String, SVGValue)] = []) -> SVGElement {
        let coordinates = points.map { "\(SVGValue($0.x).text),\(SVGValue($0.y).text)" }.joined(separator: " ")
        var attributes: [(String, SVGValue)] = [("points", SVGValue(coordinates)), ("fill", "none"),
                                                ("stroke", SVGValue(stroke)), ("stroke-width", SVGValue(width))]
        if let dash { attributes.append(("stroke-dasharray", SVGValue(dash))) }
        return SVGElement("polyline", attributes + extra)
    }

    /// The chart title centred above the plot.
    static func title(_ title: String, size: ChartSize) -> SVGElement {
        text(title, x: size.width / 2, y: Spacing.edge + TextMetrics.titleSize, anchor: "middle",
             size: TextMetrics.titleSize, weight: "bold")
    }
}
