import Compiler
import HostRuntime
import ISA
import Plots

/// The report's per-layer table, in execution order with the host operations where they run.
/// Every number cell carries its exact value (`data-value`: cycles, MACs, DRAM bytes read plus
/// written, pJ, ...) under a `data-key`; clicking a header sorts by it (`SortScript`), and
/// the "#" column restores execution order. Without JavaScript the table reads in execution order.
enum LayerTableSection {
    /// One column: its header, whether it holds numbers (right-aligned, sorted numerically).
    private struct Column {
        var header: String
        var numeric: Bool
        var title: String
    }

    /// The DRAM column's unit: MB, or kB when no layer moves a megabyte (a small model's
    /// layers would all read 0.00 MB).
    private struct DRAMUnit {
        var name: String
        var bytes: Double
        var decimals: Int

        init(_ report: NetworkRun.Report) {
            let largest = report.layers.map(\.statistics.dramTraffic.total).max() ?? 0
            (name, bytes, decimals) = largest >= 1_000_000 ? ("MB", 1e6, 2) : ("kB", 1e3, 1)
        }
    }

    static func html(_ report: NetworkRun.Report, config: HardwareConfig) -> String {
        let flexible = config.array.flexibleDataflow
        let dram = DRAMUnit(report)
        let columns = [
            Column(header: "#", numeric: true, title: "execution order"),
            Column(header: "layer", numeric: false, title: "layer name (its first graph node)"),
            Column(header: "op", numeric: false, title: "operation"),
        ] + (flexible ? [Column(header: "dataflow", numeric: false, title: "the dataflow the compiler chose")] : []) + [
            Column(header: "output", numeric: false, title: "one image's output shape"),
            Column(header: "MACs", numeric: true, title: "multiply-accumulates (whole batch)"),
            Column(header: "cycles", numeric: true, title: "the layer's span: first start to last completion"),
            Column(header: "util", numeric: true, title: "MACs / (cycles x rows x cols)"),
            Column(header: "DRAM \(dram.name)", numeric: true, title: "DRAM bytes read and written (sorts by bytes)"),
            Column(header: "GB/s", numeric: true, title: "average DRAM bandwidth over the span"),
            Column(header: "bound", numeric: false, title: "the roofline's bound: compute, memory or latency"),
            Column(header: "energy µJ", numeric: true, title: "energy estimate (sorts by pJ)"),
        ]
        let header = HTML.element("thead", [], HTML.element("tr", [], columns.map {
            HTML.element("th", [("scope", "col"), ("title", $0.title)] + ($0.numeric ? [("class", "num")] : []), HTML.escape($0.header))
        }.joined()))
        let compiled = report.compiled
        var order = 0
        var rows: [String] = []
        for step in compiled.schedule {
            switch step {
            case .device(let index):
                for layer in compiled.segments[index].layers {
                    rows.append(deviceRow(report.layers[layer], order: order, config: config, flexible: flexible, dram: dram))
                    order += 1
                }
            case .host(let index):
                rows.append(hostRow(compiled.hostOperations[index], order: order, flexible: flexible))
                order += 1
            }
        }
        let table = HTML.element("table", [("class", "layers sortable"), ("id", "layer-table")],
                                 header + "\n" + HTML.element("tbody", [], rows.joined(separator: "\n")))
        let note = HTML.element("p", [("class", "note")], HTML.escape(
            "\(report.layers.count) device layer\(report.layers.count == 1 ? "" : "s")"
                + (compiled.hostOperations.isEmpty ? "" : " and \(compiled.hostOperations.count) host operation"
                   + (compiled.hostOperations.count == 1 ? "" : "s") + " (on the CPU, shaded)")
                + ". Click a column header to sort; # restores execution order."))
        return HTML.section("layers", "Layers", note + "\n" + HTML.element("div", [("class", "table-scroll")], table))
    }

    private static func deviceRow(_ row: NetworkRun.LayerRow, order: Int, config: HardwareConfig, flexible: Bool, dram: DRAMUnit) -> String {
        let l = row.statistics
        let utilization = RunReport.utilization(l, config: config)
        let bandwidth = RunReport.gbps(l.dramTraffic.total, cycles: l.cycles, clockGHz: config.clockGHz)
        let cells = [
            HTML.numberCell(HTML.Number(order, shown: String(order + 1)), key: "order"),
            HTML.textCell(row.info.name, key: "name", className: "name"),
            HTML.textCell(row.info.op, key: "op"),
        ] + (flexible ? [HTML.textCell(row.info.dataflow?.rawValue ?? "-", key: "dataflow")] : []) + [
            HTML.textCell("\(row.info.outputShape)", key: "output_shape"),
            HTML.numberCell(HTML.Number(row.info.macs), key: "macs"),
            HTML.numberCell(HTML.Number(l.cycles), key: "cycles"),
            HTML.numberCell(HTML.Number(utilization, shown: HTML.percent(utilization)), key: "utilization"),
            HTML.numberCell(HTML.Number(l.dramTraffic.total, shown: HTML.fixed(Double(l.dramTraffic.total) / dram.bytes, dram.decimals)),
                            key: "dram_bytes"),
            HTML.numberCell(HTML.Number(bandwidth, shown: HTML.fixed(bandwidth, 1)), key: "gbps"),
            HTML.textCell(RunReport.bound(row), key: "bound", className: "bound-" + RunReport.bound(row)),
            HTML.numberCell(HTML.Number(l.energy.totalPJ, shown: HTML.fixed(l.energy.totalPJ / 1e6, 3)), key: "energy_pj"),
        ]
        return HTML.element("tr", [("data-layer", row.info.name)], cells.joined())
    }

    /// A host operation's row: its name, op and shape; no device figures (those cells carry no
    /// `data-value` and sort last).
    private static func hostRow(_ operation: HostOperation, order: Int, flexible: Bool) -> String {
        let empty = HTML.element("td", [("class", "num")], "-")
        let cells = [
            HTML.numberCell(HTML.Number(order, shown: String(order + 1)), key: "order"),
            HTML.textCell(operation.node, key: "name", className: "name"),
            HTML.textCell(operation.op, key: "op"),
        ] + (flexible ? [HTML.textCell("-", key: "dataflow")] : []) + [
            HTML.textCell("\(operation.outputShape)", key: "output_shape"),
            empty, empty, empty, empty, empty,
            HTML.textCell("host CPU", key: "bound", className: "bound-host"),
            empty,
        ]
        return HTML.element("tr", [("class", "host"), ("data-host", operation.node)], cells.joined())
    }
}
