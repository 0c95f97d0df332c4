import HostRuntime
import ISA
import Plots

/// The report's plots of the device layers, as inline SVG from `Plots`: cycles stacked by cause
/// (`CycleCauses`), utilization, and the roofline. Each sits in a `<figure data-plot=NAME>`
/// (`cycles`, `utilization`, `roofline`), which `scripts/report/make_docs.sh` extracts.
enum PlotsSection {
    /// Width of the full-width charts, in SVG pixels (the page scales them to its column).
    static let wideSize = ChartSize(width: 1200, height: 460)
    static let rooflineSize = ChartSize(width: 1200, height: 560)

    static func html(_ report: NetworkRun.Report, config: HardwareConfig) throws -> String {
        guard !report.layers.isEmpty else {
            return HTML.section("plots", "Plots", HTML.element("p", [], "No device layers to plot."))
        }
        let figures = [
            figure("cycles", try cycles(report).svg, caption: cyclesCaption(report)),
            figure("utilization", try utilization(report, config: config).svg,
                   caption: "MACs over the layer's span times the array's \(Format.grouped(config.peakMACsPerCycle)) MACs/cycle."),
            figure("roofline", try roofline(report, config: config).svg, caption: rooflineCaption(report)),
        ]
        return HTML.section("plots", "Plots", figures.joined(separator: "\n"))
    }

    /// Per-layer cycles stacked by what the compute engine was doing (`CycleCauses`).
    static func cycles(_ report: NetworkRun.Report) throws(PlotError) -> StackedBarChart {
        let causes = report.layers.map { CycleCauses($0.statistics) }
        return try StackedBarChart(title: "\(report.model): cycles per layer by cause", categories: report.layers.map(\.info.name),
                                   series: CycleCauses.names.enumerated().map { index, name in
                                       .init(name: name, values: causes.map { Double($0.parts[index]) })
                                   },
                                   yLabel: "cycles", size: wideSize)
    }

    static func utilization(_ report: NetworkRun.Report, config: HardwareConfig) throws(PlotError) -> BarChart {
        try BarChart(title: "\(report.model): MAC utilization per layer", categories: report.layers.map(\.info.name),
                     values: report.layers.map { 100 * RunReport.utilization($0.statistics, config: config) },
                     yLabel: "utilization (%)", yMaximum: 100, valueSuffix: "%", size: wideSize)
    }

    /// Each device layer with MACs and DRAM traffic at MACs per DRAM byte (read + written) and
    /// MACs per cycle of its span, under peak = rows x cols MACs/cycle and the DRAM's bytes per
    /// cycle, coloured by its roofline bound. Layers without MACs or traffic have no place on
    /// the log axes and are left out.
    static func roofline(_ report: NetworkRun.Report, config: HardwareConfig) throws(PlotError) -> RooflineChart {
        try RooflineChart(title: "\(report.model): roofline", points: rooflineRows(report).map { row in
            let l = row.statistics
            return .init(name: row.info.name, intensity: Double(l.macs) / Double(l.dramTraffic.total),
                         performance: Double(l.macs) / Double(l.cycles), category: RunReport.bound(row))
        }, peak: Double(config.peakMACsPerCycle), bandwidth: config.dramBytesPerCycle, size: rooflineSize)
    }

    static func rooflineRows(_ report: NetworkRun.Report) -> [NetworkRun.LayerRow] {
        report.layers.filter { $0.statistics.macs > 0 && $0.statistics.dramTraffic.total > 0 && $0.statistics.cycles > 0 }
    }

    private static func figure(_ name: String, _ svg: String, caption: String) -> String {
        HTML.element("figure", [("class", "plot"), ("data-plot", name)],
                     HTML.inlineSVG(svg) + HTML.element("figcaption", [], HTML.escape(caption)))
    }

    /// The definition of the causes, and each one's share of the layers' summed spans.
    private static func cyclesCaption(_ report: NetworkRun.Report) -> String {
        let totals = report.layers.map { CycleCauses($0.statistics).parts }
            .reduce(into: [Int](repeating: 0, count: CycleCauses.names.count)) { sum, parts in
                for index in parts.indices { sum[index] += parts[index] }
            }
        let all = max(totals.reduce(0, +), 1)
        let shares = zip(CycleCauses.names, totals).map { "\($0.0) \(HTML.percent(Double($0.1) / Double(all)))" }
        return "Each layer's span (first start to last completion) from the compute engine's view: the array busy, "
            + "the vector unit busy alone, waiting for a load's data, waiting for a free output buffer slot, waiting for "
            + "instructions, and the rest (stores draining, overlap with neighbouring layers). Over all layers: "
            + shares.joined(separator: ", ") + "."
    }

    private static func rooflineCaption(_ report: NetworkRun.Report) -> String {
        let left = report.layers.count - rooflineRows(report).count
        return "MACs per DRAM byte (read + written) against MACs per cycle of each layer's span; the roof is the array's peak "
            + "and the DRAM's bytes per cycle. Colour: the layer's roofline bound."
            + (left == 0 ? "" : " \(left) layer\(left == 1 ? "" : "s") without MACs or DRAM traffic (pooling, element-wise) "
                               + "\(left == 1 ? "is" : "are") not shown.")
    }
}
