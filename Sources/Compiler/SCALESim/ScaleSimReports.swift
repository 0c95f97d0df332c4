import ISA

/// SCALE-Sim 3.0.0's three reports for a run under its fixed mapping (`--scalesim-reports DIR`),
/// with its exact headers and row format (`simulator.generate_reports`: `LayerID, ` then the
/// values joined by `, `, a trailing comma, Python's `str` of each number). Units are its own:
/// cycles, and words of one byte.
///
/// Compute report (`single_layer_sim.get_compute_report_items`): `Total Cycles`, `Overall Util %`,
/// `Mapping Efficiency %` and `Compute Util %` are `ScaleSimMapping`'s, equal to SCALE-Sim's;
/// `Stall Cycles` is 0 (its CALC bandwidth mode never stalls; in USER mode SCALE-Sim's memory
/// system can add stalls, which are not modelled here). `Total Cycles (incl. prefetch)` adds
/// the cycles to fill the first active halves of the ifmap and filter SRAMs before compute
/// starts (`dramPrefetchCycles`); SCALE-Sim's figure comes from its trace-driven buffer model
/// and differs (see the README).
///
/// Bandwidth report: SRAM bandwidths are the SRAM reads (writes) over `Total Cycles`, as
/// SCALE-Sim divides them (`calc_report_data`), and equal its own. DRAM bandwidths are DRAM words
/// over the cycles between the first and last DRAM access plus one, as SCALE-Sim divides them,
/// with the DRAM words and cycles of the detailed report.
///
/// Detailed access report: SRAM reads and writes are `ScaleSimMapping`'s (equal to SCALE-Sim's).
/// SRAM start and stop cycles span the layer's compute, `0` to `Total Cycles` (SCALE-Sim's are
/// the first and last cycle with a request in its demand matrices, a few tens of cycles inside
/// that span). DRAM reads are each operand read once (compulsory traffic: the ifmap's
/// `H * W * C` words, the filters' `W * K`); SCALE-Sim counts again what its buffers evict and
/// refetch, so its figures are at least these (equal for AlexNet's filters under ws, up to the
/// ifmap SRAM reads when the ifmap does not fit). DRAM ofmap writes are the ofmap SRAM writes:
/// SCALE-Sim's write buffer drains every word it receives, partial sums included (its figure
/// adds the padding of its last drain, `cols - 1` words). DRAM reads run from
/// `-dramPrefetchCycles` to `Total Cycles`; ofmap writes from 0 to `Total Cycles`.
public enum ScaleSimReports {
    /// `COMPUTE_REPORT.csv`'s header (`simulator.generate_reports`).
    public static let computeHeader = "LayerID, Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,"
    /// `BANDWIDTH_REPORT.csv`'s header (without sparsity).
    public static let bandwidthHeader = "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,"
    /// `DETAILED_ACCESS_REPORT.csv`'s header.
    public static let detailedAccessHeader = "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,"

    /// File names SCALE-Sim writes, with their contents for `layers` on `config`.
    public static func files(_ layers: [ScaleSimMapping], config: HardwareConfig) -> [(name: String, contents: String)] {
        [("COMPUTE_REPORT.csv", compute(layers, config: config)),
         ("BANDWIDTH_REPORT.csv", bandwidth(layers, config: config)),
         ("DETAILED_ACCESS_REPORT.csv", detailedAccess(layers, config: config))]
    }

    /// Cycles to fill the first active half of the ifmap and filter SRAMs from DRAM before the
    /// layer's first cycle (SCALE-Sim prefetches the active buffer first, `active_buf_frac = 0.5`,
    /// both operands at once on their own ports): `max over operands of ceil(min(words, half the SRAM) / bandwidth)`.
    public static func dramPrefetchCycles(_ layer: ScaleSimMapping, config: HardwareConfig) -> Int {
        let wordsPerCycle = max(1, Int(config.dramBytesPerCycle.rounded(.down)))
        func fill(_ words: Int, _ capacity: Int) -> Int { (min(words, capacity / 2) + wordsPerCycle - 1) / wordsPerCycle }
        return max(fill(ifmapDRAMReads(layer), config.nbin.capacityBytes), fill(filterDRAMReads(layer), config.sb.capacityBytes))
    }

    /// The ifmap's words (`H * W * C`), each read from DRAM once.
    static func ifmapDRAMReads(_ layer: ScaleSimMapping) -> Int {
        layer.layer.ifmapHeight * layer.layer.ifmapWidth * layer.layer.channels
    }

    /// The filters' words (`W * K`).
    static func filterDRAMReads(_ layer: ScaleSimMapping) -> Int { layer.layer.window * layer.layer.filters }

    /// Every word written to the ofmap SRAM, drained to DRAM.
    static func ofmapDRAMWrites(_ layer: ScaleSimMapping) -> Int { layer.ofmapSRAMWrites }

    static func compute(_ layers: [ScaleSimMapping], config: HardwareConfig) -> String {
        rows(computeHeader, layers) { layer in
            ["\(layer.totalCycles + dramPrefetchCycles(layer, config: config))", "\(layer.totalCycles)", "0",
             python(layer.overallUtilizationPercent), python(layer.mappingEfficiencyPercent), python(layer.computeUtilizationPercent)]
        }
    }

    static func bandwidth(_ layers: [ScaleSimMapping], config: HardwareConfig) -> String {
        rows(bandwidthHeader, layers) { layer in
            let cycles = Double(layer.totalCycles)
            let readSpan = Double(layer.totalCycles + dramPrefetchCycles(layer, config: config) + 1)
            let writeSpan = cycles + 1
            return [python(Double(layer.ifmapSRAMReads) / cycles), python(Double(layer.filterSRAMReads) / cycles),
                    python(Double(layer.ofmapSRAMWrites) / cycles),
                    python(Double(ifmapDRAMReads(layer)) / readSpan), python(Double(filterDRAMReads(layer)) / readSpan),
                    python(Double(ofmapDRAMWrites(layer)) / writeSpan)]
        }
    }

    static func detailedAccess(_ layers: [ScaleSimMapping], config: HardwareConfig) -> String {
        rows(detailedAccessHeader, layers) { layer in
            let stop = layer.totalCycles, prefetch = -dramPrefetchCycles(layer, config: config)
            return ["0", "\(stop)", "\(layer.ifmapSRAMReads)", "0", "\(stop)", "\(layer.filterSRAMReads)",
                    "0", "\(stop)", "\(layer.ofmapSRAMWrites)",
                    "\(prefetch)", "\(stop)", "\(ifmapDRAMReads(layer))", "\(prefetch)", "\(stop)", "\(filterDRAMReads(layer))",
                    "0", "\(stop)", "\(ofmapDRAMWrites(layer))"]
        }
    }

    /// The header, then one row per layer: `id, v1, v2, ...,` (SCALE-Sim's format).
    private static func rows(_ header: String, _ layers: [ScaleSimMapping], _ values: (ScaleSimMapping) -> [String]) -> String {
        var lines = [header]
        for (id, layer) in layers.enumerated() {
            lines.append("\(id), " + values(layer).joined(separator: ", ") + ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A double as Python's `str` prints it: the shortest text that reads back as the same value
    /// (Swift's `description` is the same algorithm), with `.0` on whole numbers below 1e16.
    public static func python(_ value: Double) -> String { "\(value)" }
}
