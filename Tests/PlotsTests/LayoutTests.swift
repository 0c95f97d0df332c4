import Testing
@testable import Plots

/// Layout checks with the same text-width estimate the charts use: every label lies on the
/// canvas and thinned category labels keep their distance.
struct LayoutTests {
    static var charts: [(name: String, svg: String)] {
        ((try? DemoCharts.all()) ?? []) + [("crowded", (try? DemoCharts.crowded().svg) ?? "")]
    }

    /// The horizontal extent of a text element: rotated by -45 or -90 degrees (as the charts
    /// rotate) or straight, according to its anchor.
    static func horizontalExtent(_ text: SVGTree) -> ClosedRange<Double> {
        let x = text.number("x")
        let size = text.attributes["font-size"].flatMap(Double.init) ?? TextMetrics.labelSize
        let width = TextMetrics.width(text.text, fontSize: size)
        let transform = text.attributes["transform"] ?? ""
        if transform.hasPrefix("rotate(-90") { return (x - size)...x }
        if transform.hasPrefix("rotate(-45") { return (x - width * CategoryLabels.diagonal)...x }
        switch text.attributes["text-anchor"] {
        case "middle": return (x - width / 2)...(x + width / 2)
        case "end": return (x - width)...x
        default: return x...(x + width)
        }
    }

    @Test(arguments: charts.map(\.name))
    func everyLabelIsOnTheCanvas(name: String) throws {
        let svg = try #require(Self.charts.first { $0.name == name }).svg
        let root = try SVGTree.parse(svg)
        let width = root.number("width"), height = root.number("height")
        for text in root.elements("text") {
            let extent = Self.horizontalExtent(text)
            #expect(extent.lowerBound >= 0 && extent.upperBound <= width, "\(name): \(text.text) at \(extent)")
            #expect(text.number("y") > 0 && text.number("y") <= height, "\(name): \(text.text)")
        }
    }

    @Test func crowdedCategoryLabelsAreThinnedAndSpaced() throws {
        let root = try SVGTree.parse(try DemoCharts.crowded().svg)
        let labels = root.elements(withClass: "category-labels")[0].elements("text").map { $0.number("x") }
        #expect(labels.count < 200 && labels.count >= 10)
        for (a, b) in zip(labels, labels.dropFirst()) {
            #expect(b - a >= CategoryLabels.minimumRotatedSpacing - 0.01)
        }
        #expect(root.elements(withClass: "legend-entry").count == 8)
        #expect(root.elements(withClass: "bar").count == 200)
    }
}
