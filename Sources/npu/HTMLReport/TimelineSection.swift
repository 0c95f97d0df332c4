import HostRuntime
import ISA
import Plots
import Simulator

/// The report's "Timeline" section: each engine's cycles busy, stalled by cause and idle (they
/// add up to the run's cycles, `EngineStatistics`), the compute engine's two units, and a
/// Gantt chart of the device layers' spans (first start to last completion) over the run.
enum TimelineSection {
    /// The Gantt chart's height, in SVG pixels: its frame (title, axis) plus a row pitch per
    /// layer, between a smallest and a largest height (rows thinner than a line of text get every
    /// n-th name, `SpanChart`).
    static let ganttFrameHeight = 110.0
    static let ganttRowPitch = 16.0
    static let ganttHeights = 220.0...760.0

    static func ganttSize(layers: Int) -> ChartSize {
        let height = ganttFrameHeight + ganttRowPitch * Double(layers)
        return ChartSize(width: PlotsSection.wideSize.width,
                         height: min(max(height, ganttHeights.lowerBound), ganttHeights.upperBound))
    }

    /// Each device layer's span over the run, coloured by operation.
    static func gantt(_ report: NetworkRun.Report) throws(PlotError) -> SpanChart {
        let spans = report.layers.map {
            SpanChart.Span(name: $0.info.name, start: Double($0.statistics.firstStart), end: Double($0.statistics.lastEnd), category: $0.info.op)
        }
        return try SpanChart(title: "\(report.model): layer spans over the run", spans: spans, xLabel: "cycle",
                             size: ganttSize(layers: spans.count))
    }

    static func html(_ report: NetworkRun.Report) throws -> String {
        let s = report.statistics
        guard !report.layers.isEmpty else {
            return HTML.section("timeline", "Timeline", HTML.element("p", [], "No device layers."))
        }
        let causes = MemoryReport.stallCauses
        func cell(_ cycles: Int, key: String) -> String {
            let share = s.cycles == 0 ? 0 : Double(cycles) / Double(s.cycles)
            return HTML.element("td", [("class", "num"), ("data-key", key), ("data-value", String(cycles)),
                                       ("title", "\(Format.grouped(cycles)) cycles")],
                                HTML.escape(Format.grouped(cycles)) + HTML.element("span", [("class", "share")], HTML.escape(HTML.percent(share))))
        }
        let header = HTML.element("thead", [], HTML.element("tr", [], (["engine", "busy"] + causes.map(\.name)).enumerated().map {
            HTML.element("th", [("scope", "col")] + ($0.offset == 0 ? [] : [("class", "num")]), HTML.escape($0.element))
        }.joined()))
        let engines = Engine.allCases.map { engine in
            let e = s[engine]
            return HTML.element("tr", [("data-engine", "\(engine)")],
                                HTML.element("th", [("scope", "row")], HTML.escape("\(engine)")) + cell(e.busyCycles, key: "busy")
                                    + causes.map { cell(e.stalls[keyPath: $0.cycles], key: $0.name) }.joined())
        }
        let units = ComputeUnit.allCases.map { "\($0) unit \(Format.grouped(s[$0].busyCycles)) busy" }.joined(separator: ", ")
        let table = HTML.element("table", [("class", "engines")], header + HTML.element("tbody", [], engines.joined(separator: "\n")))
        let note = "Cycles of the whole run (\(Format.grouped(s.cycles))) per engine, with their share: busy, stalled by cause "
            + "(dependency: waiting for the previous engine's data; buffer full: for a free buffer slot; DRAM latency and "
            + "bandwidth: a DMA waiting for DRAM; fetch: for its next instruction), and idle after its last instruction. "
            + "Compute: \(units)."
        let gantt = try self.gantt(report)
        return HTML.section("timeline", "Timeline",
                            HTML.element("div", [("class", "table-scroll")], table) + HTML.element("p", [("class", "note")], HTML.escape(note))
                                + HTML.element("figure", [("class", "plot"), ("data-plot", "timeline")],
                                               HTML.inlineSVG(gantt.svg) + HTML.element("figcaption", [], HTML.escape(
                                                   "Each device layer from its first instruction's start to its last one's completion, "
                                                       + "coloured by operation; host operations run between device segments and take no device cycles."))))
    }
}
