import Testing
@testable import Plots

/// `SpanChart`: a Gantt chart of spans on a shared time axis.
struct SpanChartTests {
    private static let spans: [SpanChart.Span] = [
        .init(name: "conv1", start: 0, end: 400, category: "conv"),
        .init(name: "pool1", start: 380, end: 500, category: "maxpool"),
        .init(name: "conv2", start: 500, end: 1000, category: "conv"),
    ]

    @Test func barsSitAtTheirStartAndAreAsLongAsTheirSpan() throws {
        let root = try SVGTree.parse(try SpanChart(title: "t", spans: Self.spans, xLabel: "cycle").svg)
        #expect(root.name == "svg")
        let bars = root.elements(withClass: "span")
        #expect(bars.map { $0.attributes["data-name"] } == ["conv1", "pool1", "conv2"])
        let unit = bars[0].number("width") / 400
        #expect(abs(bars[1].number("width") - 120 * unit) < 0.02)
        #expect(abs(bars[2].number("width") - 500 * unit) < 0.02)
        #expect(abs(bars[1].number("x") - (bars[0].number("x") + 380 * unit)) < 0.02, "pool1 starts before conv1 ends")
        #expect(abs(bars[2].number("x") - (bars[0].number("x") + 500 * unit)) < 0.02)
        let tops = bars.map { $0.number("y") }
        #expect(tops[0] < tops[1] && tops[1] < tops[2], "rows run top to bottom in the order given")
        #expect(bars[1].tooltip == "pool1\n380 to 500 (120)\nmaxpool")
    }

    @Test func barsAreColouredByCategoryWithALegend() throws {
        let root = try SVGTree.parse(try SpanChart(title: "t", spans: Self.spans).svg)
        let fills = root.elements(withClass: "span").map { $0.attributes["fill"] }
        #expect(fills[0] == fills[2] && fills[0] != fills[1])
        #expect(root.elements(withClass: "legend-entry").map(\.tooltip) == ["conv", "maxpool"])
    }

    @Test func namesAreThinnedWhenRowsAreShorterThanALine() throws {
        let many = (0..<200).map { SpanChart.Span(name: "layer\($0)", start: Double($0 * 10), end: Double($0 * 10 + 15)) }
        let root = try SVGTree.parse(try SpanChart(title: "t", spans: many).svg)
        #expect(root.elements(withClass: "span").count == 200)
        let labels = root.elements(withClass: "row-labels")[0].elements("text").map(\.text)
        #expect(labels.count < 200 && labels.count > 10)
        #expect(labels.first == "layer0")
        #expect(root.elements(withClass: "legend").isEmpty, "no categories, no legend")
    }

    @Test func aZeroLengthSpanStaysVisible() throws {
        let root = try SVGTree.parse(try SpanChart(title: "t", spans: [.init(name: "a", start: 0, end: 1000),
                                                                       .init(name: "b", start: 500, end: 500)]).svg)
        #expect(root.elements(withClass: "span")[1].number("width") >= SpanChart.minimumBarWidth)
    }

    @Test func badSpansThrow() {
        #expect(throws: PlotError.empty(what: "spans")) { try SpanChart(title: "t", spans: []) }
        #expect(throws: PlotError.negativeValue(what: "duration of a", value: -5)) {
            try SpanChart(title: "t", spans: [.init(name: "a", start: 10, end: 5)])
        }
        #expect(throws: PlotError.self) { try SpanChart(title: "t", spans: [.init(name: "a", start: .nan, end: 5)]) }
    }

    @Test func referencesNothingExternal() throws {
        let svg = try SpanChart(title: "t", spans: Self.spans).svg
            .replacingOccurrences(of: "xmlns=\"\(SVGDocument.namespace)\"", with: "")
        for reference in ["http", "href", "url(", " id="] { #expect(!svg.contains(reference)) }
    }
}
