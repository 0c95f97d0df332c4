/// One SVG element: a name, attributes in the order given, and either child elements or text.
///
/// Charts build trees of these instead of concatenating strings, so that every attribute value
/// and every text node passes through `XMLEscaping` exactly once and layer names such as
/// `a<b&"c"` can never break the document. Attribute order is kept as written, which keeps the
/// output byte-for-byte deterministic.
struct SVGElement: Sendable, Equatable {
    var name: String
    var attributes: [Attribute]
    var children: [SVGElement]
    var text: String?

    /// A name/value pair; the value is unescaped text.
    struct Attribute: Sendable, Equatable {
        var name: String
        var value: String
    }

    init(_ name: String, _ attributes: [(String, SVGValue)] = [], children: [SVGElement] = [],
         text: String? = nil) {
        self.name = name
        self.attributes = attributes.map { Attribute(name: $0.0, value: $0.1.text) }
        self.children = children
        self.text = text
    }

    /// The element as XML, one element per line, indented two spaces per level.
    func rendered(indent: Int = 0) -> String {
        var lines: [String] = []
        render(into: &lines, depth: indent)
        return lines.joined(separator: "\n")
    }

    private func render(into lines: inout [String], depth: Int) {
        let pad = String(repeating: "  ", count: depth)
        let attributeText = attributes.map { " \($0.name)=\"\(XMLEscaping.escape($0.value))\"" }.joined()
        if let text {
            lines.append("\(pad)<\(name)\(attributeText)>\(XMLEscaping.escape(text))</\(name)>")
        } else if children.isEmpty {
            lines.append("\(pad)<\(name)\(attributeText)/>")
        } else {
            lines.append("\(pad)<\(name)\(attributeText)>")
            for child in children { child.render(into: &lines, depth: depth + 1) }
            lines.append("\(pad)</\(name)>")
        }
    }
}

/// An attribute value: text as is, or a number written with `NumberFormatting.coordinate`.
struct SVGValue: Sendable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    let text: String

    init(_ text: String) { self.text = text }
    init(_ number: Double) { self.text = NumberFormatting.coordinate(number) }
    init(stringLiteral value: String) { self.text = value }
    init(floatLiteral value: Double) { self.init(value) }
    init(integerLiteral value: Int) { self.text = String(value) }
}
