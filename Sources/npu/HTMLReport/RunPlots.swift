import Foundation
import HostRuntime
import ISA
import Plots

/// `npu run --plots DIR`: the report's charts as standalone SVG files, the same charts the HTML
/// page shows inline: `cycles.svg` (per-layer cycles stacked by cause, `CycleCauses`),
/// `utilization.svg`, `roofline.svg` (left out when no layer has both MACs and DRAM traffic) and
/// `timeline.svg` (the layer spans over the run).
enum RunPlots {
    /// The files, by name; none without device layers.
    static func files(_ report: NetworkRun.Report, config: HardwareConfig) throws -> [(name: String, svg: String)] {
        guard !report.layers.isEmpty else { return [] }
        var files = [("cycles.svg", try PlotsSection.cycles(report).svg),
                     ("utilization.svg", try PlotsSection.utilization(report, config: config).svg)]
        if !PlotsSection.rooflineRows(report).isEmpty { files.append(("roofline.svg", try PlotsSection.roofline(report, config: config).svg)) }
        files.append(("timeline.svg", try TimelineSection.gantt(report).svg))
        return files
    }

    /// Writes the files into `directory` (created if needed).
    static func write(_ report: NetworkRun.Report, config: HardwareConfig, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create '\(directory)': \(error.localizedDescription)")
        }
        for file in try files(report, config: config) { try Files.write(Data(file.svg.utf8), to: directory + "/" + file.name) }
    }
}
