import Compiler
import Foundation
import HostRuntime
import ISA

/// `npu run TOPOLOGY.csv`: a SCALE-Sim topology (`ScaleSimTopology`), timing only, with our
/// mapper (`--mapping default`) or SCALE-Sim's fixed mapping (`--mapping scalesim`,
/// `ScaleSimMapping`), whose reports `--scalesim-reports DIR` writes in SCALE-Sim's format.
enum RunTopology {
    static func run(_ path: String, _ parsed: Arguments) throws {
        _ = try parsed.requirePositionals(1, "topology file")
        for option in ["input", "save-output", "save-reference", "calibrate", "batch", "pwl-segments", "pwl-range"]
            where parsed.value(option) != nil {
            throw UsageError("--\(option) does not apply to a SCALE-Sim topology (timing only)")
        }
        if parsed.has("allow-host-ops") { throw UsageError("--allow-host-ops does not apply to a SCALE-Sim topology") }
        let topology = try ScaleSimTopology.load(path: path)
        let (config, dataType) = try parsed.configAndDataType()
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        switch parsed.value("mapping") ?? "default" {
        case "scalesim":
            if try TraceOption.path(parsed) != nil {
                throw UsageError("--trace needs the simulator; --mapping scalesim computes SCALE-Sim's closed-form cycles")
            }
            if parsed.value("html") != nil || parsed.value("plots") != nil {
                throw UsageError("--html and --plots need the simulator's per-layer statistics; --mapping scalesim computes SCALE-Sim's closed-form cycles (use --report or --csv)")
            }
            let layers = topology.layers.map { ScaleSimMapping(layer: $0, array: config.array) }
            if let directory = parsed.value("scalesim-reports") {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw UsageError("cannot create '\(directory)': \(error.localizedDescription)")
                }
                for file in ScaleSimReports.files(layers, config: config) {
                    try Files.write(Data(file.contents.utf8), to: directory + "/" + file.name)
                }
            }
            let json = ScaleSimRunReport.json(layers, model: name, config: config)
            if let path = parsed.value("report") { try Files.write(Data(json.utf8), to: path) }
            if let path = parsed.value("csv") { try Files.write(Data(ScaleSimRunReport.csv(layers).utf8), to: path) }
            print(parsed.has("json") ? json : ScaleSimRunReport.text(layers, model: name, config: config))
        case "default":
            guard parsed.value("scalesim-reports") == nil else {
                throw UsageError("--scalesim-reports needs --mapping scalesim (SCALE-Sim's reports describe its own mapping)")
            }
            let progress = ProgressLine()
            defer { progress.finish() }
            let report = try NetworkRun.run(try topology.graph(name: name),
                                            options: NetworkRun.Options(config: config, dataType: dataType, mode: .timingOnly,
                                                                        keepTimelines: try TraceOption.path(parsed) != nil,
                                                                        progress: { progress.update($1, of: $2, $0.rawValue) }))
            progress.finish()
            try TraceOption.write(DeviceTrace(network: report, config: config), parsed, metadata: [("model", .string(report.model))])
            let json = RunReport.json(report, config: config, verify: false)
            if let path = parsed.value("report") { try Files.write(Data(json.utf8), to: path) }
            if let path = parsed.value("csv") { try Files.write(Data(RunReport.csv(report).utf8), to: path) }
            if let path = parsed.value("html") {
                let page = HTMLReport(report: report, config: config, dataType: dataType, mode: .timingOnly, verify: false, json: json)
                try Files.write(Data(try page.page().utf8), to: path)
            }
            if let directory = parsed.value("plots") { try RunPlots.write(report, config: config, to: directory) }
            print(parsed.has("json") ? json : RunReport.text(report, config: config, dataType: dataType, verify: false))
        case let other:
            throw UsageError("--mapping must be default or scalesim, got '\(other)'")
        }
    }
}

/// Renders a run under SCALE-Sim's fixed mapping.
enum ScaleSimRunReport {
    static func text(_ layers: [ScaleSimMapping], model: String, config: HardwareConfig) -> String {
        // A flexible array: the dataflow chosen for each layer, after its name.
        let flexible = config.array.flexibleDataflow
        let rows = layers.map { layer -> [String] in
            let t = layer.timing
            return [layer.layer.name] + (flexible ? [t.dataflow.rawValue] : [])
                + ["\(t.spatialRows)", "\(t.spatialColumns)", "\(t.temporal)", "\(t.rowFolds)x\(t.columnFolds)",
                   Format.grouped(layer.macs), Format.grouped(layer.totalCycles),
                   String(format: "%.1f%%", layer.overallUtilizationPercent), String(format: "%.1f%%", layer.mappingEfficiencyPercent)]
        }
        let cycles = layers.reduce(0) { $0 + $1.totalCycles }, macs = layers.reduce(0) { $0 + $1.macs }
        let utilization = cycles == 0 ? 0 : Double(macs) / (Double(cycles) * Double(config.peakMACsPerCycle))
        return [
            "\(model) on \(config.name) (\(config.array.rows)x\(config.array.cols) \(config.array.dataflowName), SCALE-Sim 3.0.0 fixed mapping, timing only)",
            Format.table(header: ["layer"] + (flexible ? ["dataflow"] : []) + ["Sr", "Sc", "T", "folds", "MACs", "cycles", "util", "mapping"],
                         rows: rows), "",
            "cycles      \(Format.grouped(cycles)) (sum of SCALE-Sim's per-layer Total Cycles)",
            "MACs        \(Format.grouped(macs)); utilization \(String(format: "%.1f", 100 * utilization))%",
        ].joined(separator: "\n")
    }

    static func json(_ layers: [ScaleSimMapping], model: String, config: HardwareConfig) -> String {
        let rows: [[String: Any]] = layers.map { layer in
            let t = layer.timing
            return ["name": layer.layer.name, "dataflow": t.dataflow.rawValue, "sr": t.spatialRows, "sc": t.spatialColumns, "t": t.temporal, "row_folds": t.rowFolds,
                    "column_folds": t.columnFolds, "macs": layer.macs, "cycles": layer.totalCycles,
                    "utilization": layer.overallUtilizationPercent / 100, "mapping_efficiency": layer.mappingEfficiencyPercent / 100]
        }
        let object: [String: Any] = ["model": model, "config": config.name, "mapping": "scalesim",
                                     "cycles": layers.reduce(0) { $0 + $1.totalCycles }, "macs": layers.reduce(0) { $0 + $1.macs },
                                     "layers": rows]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func csv(_ layers: [ScaleSimMapping]) -> String {
        var lines = ["name,dataflow,sr,sc,t,row_folds,column_folds,macs,cycles"]
        for layer in layers {
            let t = layer.timing
            lines.append("\(layer.layer.name),\(t.dataflow.rawValue),\(t.spatialRows),\(t.spatialColumns),\(t.temporal),\(t.rowFolds),\(t.columnFolds),\(layer.macs),\(layer.totalCycles)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
