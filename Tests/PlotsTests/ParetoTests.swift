import Testing
@testable import Plots

struct ParetoTests {
    static func points(_ coordinates: [(Double, Double)]) -> [ScatterPoint] {
        coordinates.enumerated().map { ScatterPoint(x: $0.element.0, y: $0.element.1, label: "p\($0.offset)") }
    }

    @Test func handMadeSetWithDuplicatesAndTies() {
        let set = Self.points([
            (5, 5),   // 0 dominated by 2
            (1, 9),   // 1 front (smallest x)
            (3, 4),   // 2 front
            (3, 4),   // 3 duplicate of 2: only the lower index
            (3, 6),   // 4 same x as 2, larger y: dominated
            (6, 2),   // 5 front
            (8, 2),   // 6 same y as 5, larger x: dominated
            (9, 1),   // 7 front (smallest y)
            (1, 10),  // 8 same x as 1, larger y: dominated
            (7, 3),   // 9 dominated by 5
        ])
        #expect(paretoFront(set) == [1, 2, 5, 7])
    }

    @Test func duplicatesKeepTheLowestIndexWhateverTheOrder() {
        #expect(paretoFront(Self.points([(2, 2), (2, 2), (2, 2)])) == [0])
        #expect(paretoFront(Self.points([(3, 1), (1, 3), (3, 1), (1, 3)])) == [1, 0])
    }

    @Test func edgeCases() {
        #expect(paretoFront([]) == [])
        #expect(paretoFront(Self.points([(4, 4)])) == [0])
        #expect(paretoFront(Self.points([(1, 1), (2, 2), (3, 3)])) == [0], "one point dominating all")
        #expect(paretoFront(Self.points([(1, 3), (2, 2), (3, 1)])) == [0, 1, 2], "all on the front, sorted by x")
        #expect(paretoFront(Self.points([(.nan, 0), (1, .infinity), (5, 5)])) == [2], "non-finite never on the front")
    }

    /// Whether `q` is at least as good as `p` in both coordinates and strictly better in one.
    static func dominates(_ q: ScatterPoint, _ p: ScatterPoint) -> Bool {
        let noWorse: Bool = q.x <= p.x && q.y <= p.y
        let better: Bool = q.x < p.x || q.y < p.y
        return noWorse && better
    }

    static func samePlace(_ q: ScatterPoint, _ p: ScatterPoint) -> Bool {
        let sameX: Bool = q.x == p.x
        return sameX && q.y == p.y
    }

    @Test func frontMatchesTheDefinitionOnAGrid() {
        var set: [ScatterPoint] = []
        for index in 0..<60 {
            let x = Double((index * 37) % 11), y = Double((index * 53) % 13)
            set.append(ScatterPoint(x: x, y: y, label: "p\(index)"))
        }
        let front = Set(paretoFront(set))
        for (i, p) in set.enumerated() {
            let dominated = set.contains { q in Self.dominates(q, p) }
            let earlierDuplicate = set.prefix(i).contains { q in Self.samePlace(q, p) }
            let expected = !dominated && !earlierDuplicate
            #expect(front.contains(i) == expected, "point \(i)")
        }
    }

    @Test func chartHighlightsTheFrontAndJoinsItWithSteps() throws {
        let set = Self.points([(1, 9), (3, 4), (5, 5), (6, 2)])
        let root = try SVGTree.parse(try ScatterChart(title: "t", points: set, showParetoFront: true).svg)
        let front = root.elements(withClass: "pareto")
        #expect(front.map { $0.tooltip?.split(separator: "\n").first } == ["p0", "p1", "p3"])
        let line = try #require(root.elements(withClass: "pareto-front").first)
        let vertices = line.attributes["points"]!.split(separator: " ")
        #expect(vertices.count == 5, "three points and two corners")
        let pairs = vertices.map { $0.split(separator: ",").map { Double($0)! } }
        for (a, b) in zip(pairs, pairs.dropFirst()) {
            #expect(a[0] == b[0] || a[1] == b[1], "each step is horizontal or vertical")
        }
        let plain = try SVGTree.parse(try ScatterChart(title: "t", points: set).svg)
        #expect(plain.elements(withClass: "pareto").isEmpty)
    }

    @Test func logAxesRejectNonPositiveValues() {
        #expect(throws: PlotError.nonPositiveOnLogAxis(what: "y of p", value: 0)) {
            try ScatterChart(title: "t", points: [ScatterPoint(x: 1, y: 0, label: "p")], yAxis: .logarithmic)
        }
    }
}
