import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, built with Foundation's `XMLParser` so that "parses as XML" is checked
/// by a real parser, and so tests can read attributes back as numbers.
final class SVGTree {
    let name: String
    let attributes: [String: String]
    var children: [SVGTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `xml`, throwing with the parser's message if it is not well-formed.
    static func parse(_ xml: String) throws -> SVGTree {
        let parser = XMLParser(data: Data(xml.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")")
        }
        return root
    }

    /// This element and all its descendants, in document order.
    var all: [SVGTree] { [self] + children.flatMap(\.all) }

    /// Descendants (and self) named `name`.
    func elements(_ name: String) -> [SVGTree] { all.filter { $0.name == name } }

    /// Descendants (and self) whose space-separated `class` contains `className`.
    func elements(withClass className: String) -> [SVGTree] {
        all.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(className)) }
    }

    /// Attribute `name` as a number; a missing or malformed one fails the test loudly.
    func number(_ name: String) -> Double {
        guard let text = attributes[name], let value = Double(text) else {
            preconditionFailure("attribute \(name) of <\(self.name)> is not a number: \(attributes[name] ?? "missing")")
        }
        return value
    }

    /// The text of the first `<title>` child.
    var tooltip: String? { children.first { $0.name == "title" }?.text }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: SVGTree?
        var stack: [SVGTree] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let element = SVGTree(name: elementName, attributes: attributeDict)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
