import Plots

/// Markup helpers of the HTML report: escaping, elements, numbers carrying their exact values,
/// inline SVG and the embedded JSON. Every piece of text passes through `escape` once.
enum HTML {
    /// `text` safe as element content and inside a quoted attribute (`XMLEscaping`).
    static func escape(_ text: String) -> String { XMLEscaping.escape(text) }

    /// `<name attributes>content</name>`; `content` is markup, attribute values are escaped here.
    static func element(_ name: String, _ attributes: [(String, String)] = [], _ content: String) -> String {
        "<\(name)\(attributeText(attributes))>\(content)</\(name)>"
    }

    static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// A number as shown, with its exact value for sorting and for tests: `data-value` holds the
    /// integer itself, or a double's shortest round-trip decimal form.
    struct Number {
        var shown: String
        var exact: String

        init(_ value: Int, shown: String? = nil) {
            self.shown = shown ?? Format.grouped(value)
            exact = String(value)
        }

        init(_ value: Double, shown: String) {
            self.shown = shown
            exact = "\(value)"
        }
    }

    /// A table cell holding `number`, right-aligned; `key` names the quantity (`data-key`).
    static func numberCell(_ number: Number, key: String) -> String {
        element("td", [("class", "num"), ("data-key", key), ("data-value", number.exact)], escape(number.shown))
    }

    /// A table cell of text.
    static func textCell(_ text: String, key: String, className: String? = nil) -> String {
        element("td", [("data-key", key)] + (className.map { [("class", $0)] } ?? []), escape(text))
    }

    /// A standalone SVG document (from `Plots`) ready to inline in HTML: an HTML parser puts an
    /// `<svg>` element in the SVG namespace by itself, so the `xmlns` attribute, the page's only
    /// URI, is dropped.
    static func inlineSVG(_ svg: String) -> String {
        svg.replacingOccurrences(of: " xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    }

    /// `json` inside `<script type="application/json" id="report-data">`. No `</` may appear in a
    /// script element, nor `<!--`: both become JSON string escapes (`<\/`, `\u003c!--`), which
    /// `JSON.parse` reads back as the same text. `<` only occurs inside JSON strings.
    static func jsonScript(_ json: String, id: String) -> String {
        let safe = json.replacingOccurrences(of: "</", with: "<\\/").replacingOccurrences(of: "<!--", with: "\\u003c!--")
        return "<script type=\"application/json\" id=\"\(escape(id))\">\(safe)</script>"
    }

    /// A section with a heading, `id` for the page's contents links.
    static func section(_ id: String, _ heading: String, _ content: String) -> String {
        element("section", [("id", id)], element("h2", [], escape(heading)) + "\n" + content)
    }

    /// A percentage with one decimal: 0.4567 -> "45.7%".
    static func percent(_ fraction: Double) -> String { NumberFormatting.fixed(100 * fraction, decimals: 1) + "%" }

    /// A fixed-point number with thousands grouped: `fixed(1234.5, 2) == "1,234.50"`.
    static func fixed(_ value: Double, _ decimals: Int) -> String { NumberFormatting.grouped(value, decimals: decimals) }
}
