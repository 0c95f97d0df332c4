import HostRuntime
import ISA
import Plots

/// The report's "Configuration" section: the machine the run simulated.
enum ConfigurationSection {
    static func html(_ report: NetworkRun.Report, config: HardwareConfig, dataType: DataType) -> String {
        func buffer(_ buffer: HardwareConfig.Buffer) -> String {
            "\(Format.bytes(buffer.capacityBytes)), \(buffer.portBytesPerCycle) B/cycle port"
        }
        let array = config.array
        let rows: [(String, String)] = [
            ("configuration", config.name),
            ("array", "\(array.rows) x \(array.cols) MACs (\(Format.grouped(config.peakMACsPerCycle)) MACs/cycle)"
                + (array.doubleBuffered ? ", double-buffered operands" : "")),
            ("dataflow", array.flexibleDataflow ? "any (the compiler chooses each layer's: ws, os or is)" : dataflowText(array.dataflow)),
            ("data type", "\(dataType)"),
            ("clock", "\(NumberFormatting.significant(config.clockGHz, digits: 4)) GHz; peak "
                + "\(HTML.fixed(2 * Double(config.peakMACsPerCycle) * config.clockGHz, 1)) GOP/s"),
            ("NBin (inputs)", buffer(config.nbin)),
            ("SB (weights)", buffer(config.sb)),
            ("NBout (outputs)", buffer(config.nbout)),
            ("vector unit", "\(config.vector.lanes) lanes"),
            ("DRAM model", MemoryReport.dramText(report.statistics, config: config)),
            ("DRAM bandwidth", "\(NumberFormatting.significant(config.dram.bandwidthGBps, digits: 4)) GB/s "
                + "(\(NumberFormatting.significant(config.dramBytesPerCycle, digits: 4)) B/cycle), "
                + "\(config.dram.latencyCycles) cycles latency"),
            ("queues", "\(config.queueDepth) instructions per engine"),
            ("batch", report.batch == 1 ? "1 image" : "\(report.batch) images"),
        ]
        let body = rows.map { HTML.element("tr", [], HTML.element("th", [("scope", "row")], HTML.escape($0.0))
                                                     + HTML.element("td", [], HTML.escape($0.1))) }
        return HTML.section("configuration", "Configuration",
                            HTML.element("table", [("class", "facts")], HTML.element("tbody", [], body.joined(separator: "\n"))))
    }

    private static func dataflowText(_ dataflow: Dataflow) -> String {
        switch dataflow {
        case .weightStationary: "weight-stationary (ws)"
        case .outputStationary: "output-stationary (os)"
        case .inputStationary: "input-stationary (is)"
        }
    }
}
