import Testing
@testable import Plots

struct BarChartTests {
    @Test func barHeightsAreProportionalToValues() throws {
        let chart = try BarChart(title: "t", categories: ["a", "b", "c"], values: [10, 25, 40], yLabel: "u")
        let rects = try SVGTree.parse(chart.svg).elements(withClass: "segment")
        #expect(rects.count == 3)
        let heights = rects.map { $0.number("height") }
        #expect(abs(heights[1] / heights[0] - 2.5) < 0.01)
        #expect(abs(heights[2] / heights[0] - 4) < 0.01)
        let bottoms = rects.map { $0.number("y") + $0.number("height") }
        #expect(bottoms.allSatisfy { abs($0 - bottoms[0]) < 0.02 }, "bars share a baseline")
    }

    @Test func utilizationAxisRunsToOneHundred() throws {
        let chart = try BarChart(title: "t", categories: ["a", "b"], values: [50, 12.5], yLabel: "%", yMaximum: 100,
                                 valueSuffix: "%")
        let root = try SVGTree.parse(chart.svg)
        let labels = root.elements(withClass: "y-axis")[0].elements("text").map(\.text)
        #expect(labels == ["0", "20", "40", "60", "80", "100"])
        let bar = root.elements(withClass: "bar")[1]
        #expect(bar.tooltip == "b: 12.5%")
        #expect(bar.attributes["data-category"] == "b")
        let half = root.elements(withClass: "segment")[0].number("height")
        let axisLines = root.elements(withClass: "y-axis")[0].elements("line")
        let span = axisLines.last!.number("y2") - axisLines.last!.number("y1")
        #expect(abs(half - span / 2) < 0.02)
    }

    @Test func stackedSegmentsSumToTheBarsHeight() throws {
        let chart = try StackedBarChart(title: "t", categories: ["l1", "l2", "l3"], series: [
            .init(name: "compute", values: [100, 300, 0]),
            .init(name: "DRAM stall", values: [50, 0, 200]),
            .init(name: "dependency stall", values: [25, 100, 100]),
        ])
        let root = try SVGTree.parse(chart.svg)
        let bars = root.elements(withClass: "bar")
        #expect(bars.count == 3)
        let unit = bars[0].elements("rect").map { $0.number("height") }.reduce(0, +) / 175
        for (bar, total) in zip(bars, [175.0, 400, 300]) {
            let segments = bar.elements("rect")
            let sum = segments.map { $0.number("height") }.reduce(0, +)
            #expect(abs(sum - total * unit) < 0.05)
            let top = segments.map { $0.number("y") }.min()!, bottom = segments.map { $0.number("y") + $0.number("height") }.max()!
            #expect(abs((bottom - top) - sum) < 0.05, "segments touch without gaps or overlaps")
        }
        #expect(bars[1].elements("rect").count == 2, "a zero segment draws nothing")
        #expect(bars[0].tooltip == "l1\ncompute: 100\nDRAM stall: 50\ndependency stall: 25\ntotal: 175")
        let legend = root.elements(withClass: "legend-entry").map { $0.tooltip }
        #expect(legend == ["dependency stall", "DRAM stall", "compute"], "legend lists series as stacked, top first")
    }

    @Test func manyCategoriesAreRotatedAndThinned() throws {
        let chart = try DemoCharts.stacked()
        let labels = try SVGTree.parse(chart.svg).elements(withClass: "category-labels")[0].elements("text")
        #expect(labels.count < DemoCharts.layerCount)
        #expect(labels.count > DemoCharts.layerCount / 10)
        #expect(labels.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-45") == true })
        let few = try BarChart(title: "t", categories: ["a", "b"], values: [1, 2])
        let flat = try SVGTree.parse(few.svg).elements(withClass: "category-labels")[0].elements("text")
        #expect(flat.count == 2 && flat.allSatisfy { $0.attributes["transform"] == nil })
    }

    @Test func badInputThrows() {
        #expect(throws: PlotError.countMismatch(what: "values", expected: 2, actual: 1)) {
            try BarChart(title: "t", categories: ["a", "b"], values: [1])
        }
        #expect(throws: PlotError.negativeValue(what: "series s, category b", value: -1)) {
            try StackedBarChart(title: "t", categories: ["a", "b"], series: [.init(name: "s", values: [1, -1])])
        }
        #expect(throws: PlotError.empty(what: "categories")) {
            try BarChart(title: "t", categories: [], values: [])
        }
        #expect(throws: PlotError.nonFiniteValue(what: "category a", value: .infinity)) {
            try BarChart(title: "t", categories: ["a"], values: [.infinity])
        }
    }
}
