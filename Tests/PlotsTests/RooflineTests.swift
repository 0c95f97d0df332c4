import Testing
@testable import Plots

struct RooflineTests {
    static let chart = try! RooflineChart(title: "r", points: [
        .init(name: "conv1", intensity: 2, performance: 20, category: "memory"),
        .init(name: "fc", intensity: 100, performance: 200, category: "compute"),
    ], peak: 256, bandwidth: 16)

    @Test func ridgeIsAtPeakOverBandwidth() throws {
        #expect(Self.chart.ridgeIntensity == 16)
        let root = try SVGTree.parse(Self.chart.svg)
        let ridge = try #require(root.elements(withClass: "ridge").first)
        #expect(ridge.attributes["data-intensity"] == "16")
        let bandwidth = try #require(root.elements(withClass: "roof-bandwidth").first)
        let compute = try #require(root.elements(withClass: "roof-compute").first)
        let slopeEnd = bandwidth.attributes["points"]!.split(separator: " ").last!
        let flatStart = compute.attributes["points"]!.split(separator: " ").first!
        #expect(slopeEnd == flatStart, "the segments meet at the ridge")
        let corner = slopeEnd.split(separator: ",").map { Double($0)! }
        #expect(abs(corner[0] - ridge.number("cx")) < 0.01 && abs(corner[1] - ridge.number("cy")) < 0.01)
        let flatEnd = compute.attributes["points"]!.split(separator: " ").last!.split(separator: ",").map { Double($0)! }
        #expect(flatEnd[1] == corner[1], "the compute roof is flat")
    }

    @Test func roofSlopeIsOneDecadePerDecade() throws {
        let root = try SVGTree.parse(Self.chart.svg)
        let ticks = { (axis: String) in
            root.elements(withClass: axis)[0].elements("text").map { ($0.text, $0.number(axis == "x-axis" ? "x" : "y")) }
        }
        let x = ticks("x-axis"), y = ticks("y-axis")
        let decadeWidth = x[1].1 - x[0].1, decadeHeight = y[0].1 - y[1].1
        let roof = root.elements(withClass: "roof-bandwidth")[0].attributes["points"]!.split(separator: " ")
            .map { $0.split(separator: ",").map { Double($0)! } }
        let slope = (roof[0][1] - roof[1][1]) / decadeHeight / ((roof[1][0] - roof[0][0]) / decadeWidth)
        #expect(abs(slope - 1) < 0.01)
        #expect(x.map(\.0).contains("10") && y.map(\.0).contains("100"))
    }

    @Test func pointsCarryTooltipsAndCategoryColours() throws {
        let points = try SVGTree.parse(Self.chart.svg).elements(withClass: "point")
        #expect(points.count == 2)
        #expect(points[0].tooltip == "conv1\nArithmetic intensity (MACs/byte): 2\nPerformance (MACs/cycle): 20\nmemory")
        #expect(points[0].attributes["fill"] == Palette.color(0))
        #expect(points[1].attributes["fill"] == Palette.color(1))
    }

    @Test func nonPositiveIntensityThrows() {
        #expect(throws: PlotError.nonPositiveOnLogAxis(what: "intensity of x", value: 0)) {
            try RooflineChart(title: "r", points: [.init(name: "x", intensity: 0, performance: 1)], peak: 1, bandwidth: 1)
        }
    }
}
