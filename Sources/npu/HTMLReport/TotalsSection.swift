import HostRuntime
import ISA
import Plots
import Simulator

/// The report's "Totals" section: headline figures as cards, then every total of the text
/// report. Each number carries its `--json` key (`data-total`, nested keys joined by `.`) and
/// its exact value (`data-value`), equal to the JSON report's.
enum TotalsSection {
    static func html(_ report: NetworkRun.Report, config: HardwareConfig) -> String {
        let s = report.statistics
        guard !report.compiled.segments.isEmpty else {
            return HTML.section("totals", "Totals", HTML.element("p", [], "No device layers: every operation ran on the host CPU.")
                                    + facts([("host ops", hostOperations(report))]))
        }
        let seconds = Double(s.cycles) / (config.clockGHz * 1e9)
        let perSecond = s.cycles == 0 ? 0 : Double(report.batch) * config.clockGHz * 1e9 / Double(s.cycles)
        let gops = seconds == 0 ? 0 : 2 * Double(s.macs) / seconds / 1e9
        let cards = [
            ("cycles", Format.grouped(s.cycles)),
            ("latency", Quantity.time(seconds: seconds)),
            ("inferences/s", HTML.fixed(perSecond, 1)),
            ("utilization", HTML.percent(s.utilization)),
            ("DRAM traffic", Quantity.bytes(s.dramTraffic.total)),
            ("energy", Quantity.energy(pJ: s.energy.totalPJ)),
        ].map { HTML.element("div", [("class", "card")], HTML.element("div", [("class", "card-label")], HTML.escape($0.0))
                                                        + HTML.element("div", [("class", "card-value")], HTML.escape($0.1))) }
        let stalls = s.stalls
        let stallParts = MemoryReport.stallCauses
            .map { number("stall_cycles." + $0.key, HTML.Number(stalls[keyPath: $0.cycles]), after: " " + $0.name) }.joined(separator: " · ")
        let energy = s.energy
        var rows: [(String, String)] = [
            ("cycles", number("cycles", HTML.Number(s.cycles))
                + HTML.escape(" (\(Quantity.time(seconds: seconds)) at \(NumberFormatting.significant(config.clockGHz, digits: 4)) GHz"
                    + (report.batch == 1 ? ")" : " for \(report.batch) images, \(Format.grouped(s.cycles / report.batch)) per image)"))),
            ("inferences/s", number("inferences_per_second", HTML.Number(perSecond, shown: HTML.fixed(perSecond, 1)))),
            ("MACs", number("macs", HTML.Number(s.macs))
                + HTML.escape("; \(HTML.fixed(gops, 1)) GOP/s of \(HTML.fixed(2 * Double(config.peakMACsPerCycle) * config.clockGHz, 1)) peak")),
            ("utilization", number("utilization", HTML.Number(s.utilization, shown: HTML.percent(s.utilization)))
                + HTML.escape(" of \(Format.grouped(config.peakMACsPerCycle)) MACs/cycle")),
            ("DRAM read", number("dram_bytes_read", HTML.Number(s.dramBytesRead), after: " bytes")
                + HTML.escape(" (\(Quantity.bytes(s.dramBytesRead)))")),
            ("DRAM written", number("dram_bytes_written", HTML.Number(s.dramBytesWritten), after: " bytes")
                + HTML.escape(" (\(Quantity.bytes(s.dramBytesWritten)))")),
            ("DRAM bandwidth", HTML.escape("\(HTML.fixed(s.averageDRAMBandwidthGBps, 2)) GB/s average, "
                                           + "\(HTML.fixed(s.peakDRAMBandwidthGBps, 2)) GB/s peak (over \(Format.grouped(Statistics.peakBandwidthWindowCycles)) cycles)")),
            ("stalls", stallParts + HTML.escape(" (cycles, summed over the load, compute and store engines)")),
            ("energy", number("energy_pj", HTML.Number(energy.totalPJ, shown: Quantity.energy(pJ: energy.totalPJ)))
                + HTML.escape(" (MAC \(Quantity.energy(pJ: energy.macPJ)), SRAM \(Quantity.energy(pJ: energy.sramPJ)), "
                              + "DRAM \(Quantity.energy(pJ: energy.dramPJ)), vector \(Quantity.energy(pJ: energy.vectorPJ)))")),
            ("activations", number("peak_activation_bytes", HTML.Number(report.compiled.peakActivationBytes,
                                                                         shown: Quantity.bytes(report.compiled.peakActivationBytes)),
                                   after: " peak in DRAM")
                + HTML.escape(" (\(Quantity.bytes(report.compiled.unsharedActivationBytes)) without reuse); "
                              + "weights \(Quantity.bytes(report.compiled.constantBytes))")),
            ("vs fp32", agreement(report)),
            ("host ops", hostOperations(report)),
        ]
        let tables = RunReport.activationTableText(report)
        if !tables.isEmpty { rows.append(("PWL tables", HTML.escape(tables))) }
        return HTML.section("totals", "Totals", HTML.element("div", [("class", "cards")], cards.joined()) + "\n" + facts(rows))
    }

    /// A number with its JSON key and exact value, then `after` as plain text.
    private static func number(_ key: String, _ number: HTML.Number, after: String = "") -> String {
        HTML.element("span", [("class", "num"), ("data-total", key), ("data-value", number.exact)], HTML.escape(number.shown))
            + HTML.escape(after)
    }

    private static func facts(_ rows: [(String, String)]) -> String {
        HTML.element("table", [("class", "facts")], HTML.element("tbody", [], rows.map {
            HTML.element("tr", [], HTML.element("th", [("scope", "row")], HTML.escape($0.0)) + HTML.element("td", [], $0.1))
        }.joined(separator: "\n")))
    }

    /// The device output against the fp32 reference (`fp32_agreement`), or why it is absent.
    private static func agreement(_ report: NetworkRun.Report) -> String {
        guard let a = report.agreement else { return HTML.escape("not measured (timing-only)") }
        return HTML.escape("\(a.output): cosine similarity ")
            + number("fp32_agreement.cosine_similarity", HTML.Number(a.error.cosineSimilarity,
                                                                      shown: NumberFormatting.fixed(a.error.cosineSimilarity, decimals: 4)))
            + HTML.escape(", max abs error ")
            + number("fp32_agreement.max_abs_error", HTML.Number(a.error.maxAbsError,
                                                                  shown: NumberFormatting.significant(a.error.maxAbsError, digits: 4)))
            + HTML.escape(", top-1 \(a.topOne.matching) of \(a.topOne.rows)")
    }

    /// The host operations and where they run (`host_operations`).
    private static func hostOperations(_ report: NetworkRun.Report) -> String {
        let compiled = report.compiled
        guard !compiled.hostOperations.isEmpty else { return "none" }
        return HTML.escape(compiled.hostOperations.map { "\($0.node) (\($0.op))" }.joined(separator: ", ") + " on the CPU"
                           + (compiled.segments.count > 1 ? ", between \(compiled.segments.count) device segments" : "")
                           + (report.hostValues.isEmpty ? " (not run: timing-only)" : "")
                           + "; the layer table lists them where they run")
    }
}
