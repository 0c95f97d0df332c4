import Foundation
import Testing
@testable import Plots

/// Every chart is a standalone, well-formed SVG document that references nothing outside itself.
struct WellFormedTests {
    static let charts: [(name: String, svg: String)] = (try? DemoCharts.all()) ?? []

    @Test func allFiveChartsRender() {
        #expect(Self.charts.count == 5)
    }

    @Test(arguments: charts.map(\.name))
    func parsesAsStandaloneSVG(name: String) throws {
        let svg = try #require(Self.charts.first { $0.name == name }).svg
        let root = try SVGTree.parse(svg)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == SVGDocument.namespace)
        #expect(root.attributes["viewBox"] == "0 0 800 400")
        #expect(root.attributes["width"] == "800")
        #expect(root.attributes["height"] == "400")
    }

    @Test(arguments: charts.map(\.name))
    func referencesNothingExternal(name: String) throws {
        let svg = try #require(Self.charts.first { $0.name == name }).svg
        let withoutNamespace = svg.replacingOccurrences(of: "xmlns=\"\(SVGDocument.namespace)\"", with: "")
        for reference in ["http", "href", "url(", "@import", "<image", "<script", "<style", " id="] {
            #expect(!withoutNamespace.contains(reference), "\(name) contains \(reference)")
        }
    }

    @Test func outputIsDeterministic() throws {
        let first = try DemoCharts.all().map(\.svg)
        let second = try DemoCharts.all().map(\.svg)
        #expect(first == second)
    }

    @Test func namesWithMarkupAreEscapedEverywhere() throws {
        let name = "a<b&\"c\"'d>"
        let charts = [
            try StackedBarChart(title: name, categories: [name, "x"], series: [.init(name: name, values: [1, 2])],
                                xLabel: name, yLabel: name).svg,
            try BarChart(title: name, categories: [name], values: [3], xLabel: name, yLabel: name).svg,
            try RooflineChart(title: name, points: [.init(name: name, intensity: 2, performance: 3, category: name)],
                              peak: 10, bandwidth: 2, xLabel: name, yLabel: name).svg,
            try ScatterChart(title: name, points: [ScatterPoint(x: 1, y: 2, label: name, group: name)],
                             xLabel: name, yLabel: name, showParetoFront: true).svg,
            try HeatMap(title: name, rowLabels: [name], columnLabels: [name], values: [[1]], rowTitle: name,
                        columnTitle: name).svg,
        ]
        for svg in charts {
            let root = try SVGTree.parse(svg)
            #expect(svg.contains("a&lt;b&amp;&quot;c&quot;&apos;d&gt;"))
            #expect(!svg.contains(name))
            let texts = root.all.map(\.text) + root.all.flatMap { $0.attributes.values }
            #expect(texts.contains { $0.contains(name) }, "the parser reads the name back unescaped")
        }
    }

    @Test func escapeHandlesEveryMarkupCharacterAndDropsControlCharacters() {
        #expect(XMLEscaping.escape("a<b&\"c\"") == "a&lt;b&amp;&quot;c&quot;")
        #expect(XMLEscaping.escape("x>y'z") == "x&gt;y&apos;z")
        #expect(XMLEscaping.escape("tab\tbell\u{07}") == "tab\tbell")
        #expect(XMLEscaping.escape("µ² résumé") == "µ² résumé")
    }
}
