import Testing
@testable import Plots

struct HeatMapTests {
    @Test func extremesTakeTheFirstAndLastStops() throws {
        let map = try HeatMap(title: "h", rowLabels: ["r0", "r1"], columnLabels: ["c0", "c1", "c2"],
                              values: [[3, 7, nil], [-2, 10, 4]])
        let cells = try SVGTree.parse(map.svg).elements(withClass: "cell")
        let fill = { (tooltip: String) in cells.first { $0.tooltip == tooltip }?.attributes["fill"] }
        #expect(fill("r1, c0: -2") == SequentialColormap.viridis.stops.first!.hex)
        #expect(fill("r1, c1: 10") == SequentialColormap.viridis.stops.last!.hex)
        #expect(fill("r0, c2: no data") == Palette.missing)
        #expect(fill("r0, c0: 3") == SequentialColormap.viridis.color(at: 5.0 / 12).hex)
    }

    @Test func smallGridsWriteValuesInCellsLargeOnesDoNot() throws {
        let small = try HeatMap(title: "h", rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: [[1, 2], [3, 4]])
        let smallTexts = try SVGTree.parse(small.svg).elements(withClass: "cells")[0].elements("text").map(\.text)
        #expect(smallTexts == ["1", "2", "3", "4"])
        let names = (0..<60).map { "c\($0)" }
        let large = try HeatMap(title: "h", rowLabels: (0..<40).map { "r\($0)" }, columnLabels: names,
                                values: (0..<40).map { row in names.indices.map { Double(row * 1000 + $0) } })
        #expect(try SVGTree.parse(large.svg).elements(withClass: "cells")[0].elements("text").isEmpty)
    }

    @Test func colormapInterpolatesBetweenStops() {
        let map = SequentialColormap(stops: [RGBColor(red: 0, green: 0, blue: 0), RGBColor(red: 200, green: 100, blue: 50)])
        #expect(map.color(at: 0.5) == RGBColor(red: 100, green: 50, blue: 25))
        #expect(map.color(at: -1) == map.stops[0] && map.color(at: 2) == map.stops[1])
        #expect(SequentialColormap.viridis.color(at: 1.0 / 9).hex == "#482878")
    }

    @Test func shapeMismatchThrows() {
        #expect(throws: PlotError.countMismatch(what: "cells in row b", expected: 2, actual: 1)) {
            try HeatMap(title: "h", rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: [[1, 2], [3]])
        }
        #expect(throws: PlotError.empty(what: "non-missing cells")) {
            try HeatMap(title: "h", rowLabels: ["a"], columnLabels: ["x"], values: [[nil]])
        }
    }
}
