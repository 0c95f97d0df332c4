import Compiler
import Foundation
import HostRuntime
import ISA
import Simulator

/// `npu run MODEL`: a whole network on the simulated NPU, layer by layer.
struct RunCommand: Command {
    let name = "run"
    let summary = "run a zoo model or an ONNX file on the NPU: per-layer cycles, utilization, DRAM traffic, energy"
    let usage = """
        usage: npu run MODEL|FILE.onnx [--config NAME|FILE.json|FILE.cfg] [--dataflow ws|os|is|any] [--dtype int8|int16]
                             [--batch N] [--timing-only]
                             [--verify[=layers]] [--seed N] [--json] [--report FILE.json] [--csv FILE.csv] [--html FILE.html] [--plots DIR]
                             [--pwl-segments N] [--pwl-range R]
                             [--input X.npy] [--save-output Y.npy] [--save-reference REF.npy]
                             [--calibrate N|SAMPLES.npy] [--allow-host-ops]
                             [--trace FILE.json [--trace-detail instructions|layers]]
               npu run TOPOLOGY.csv [--config FILE.cfg|NAME|FILE.json] [--dataflow ws|os|is|any] [--mapping default|scalesim]
                             [--scalesim-reports DIR] [--json] [--report FILE.json] [--csv FILE.csv] [--html FILE.html] [--plots DIR]

        Compiles MODEL (see `npu models`) or an ONNX model for the configuration (default edge), runs it on the
        simulated NPU and prints a per-layer table (name, op, output shape, MACs, cycles,
        utilization, DRAM MB, average GB/s, bound) and the totals: cycles, latency, achieved
        GOP/s against peak, inferences per second, DRAM traffic, energy, peak activation memory.
        On a terminal, a progress line on standard error shows the layers compiled and the
        device segments run, the time elapsed and an estimate of the time left.

          --dataflow DF     the array's dataflow: ws, os or is (weight-, output-, input-stationary),
                            or any: a flexible array on which the compiler chooses each layer's
                            dataflow (the table then shows it per layer; default: the config's)
          --batch N         run N images together (default 1): every tensor holds N images, each
                            weight byte loaded serves all of them, and fully connected layers
                            stream the N images through the array as N pixels; inferences/s is
                            N / latency; functional runs draw N seeded inputs (image i: seed + i)
          --timing-only     no values: compile without weights (the default is a functional run)
          --input X.npy     an ONNX model's input, in its own order and shape (NCHW, float32 or any
                            numeric dtype); N images stacked on the first axis run as a batch of N
          --save-output Y.npy      the first output as the run computed it (float32, ONNX order;
                                   the device's values dequantized, or a host operation's; a QDQ
                                   model's QuantizeLinear output: its int8 or uint8 integers)
          --save-reference R.npy   the fp32 CPU reference's first output on the same input
          --allow-host-ops  an ONNX model's operators outside the supported set, such as HardSwish,
                            Exp, Slice or ReduceMean, run on the host CPU in fp32 instead of
                            failing the import; listed under "host ops" (forms of supported
                            operators the device cannot run, such as an element-moving
                            Transpose, run there without the flag)
          --calibrate N     calibrate activation ranges on N seeded inputs (uniform in [-1, 1])
                            instead of the run's own images
          --calibrate S.npy calibrate on the samples in S.npy (an ONNX model's input shape, N
                            samples stacked on the first axis)
          --pwl-segments N  segments of the sigmoid and tanh tables of recurrent gates (default 62, 1-62)
          --pwl-range R     the tables interpolate over [-R, R] (default 6, at most 8); the report
                            gives each table's max abs error against the exact function there
          --verify          check the network output bit for bit against the integer reference
          --verify=layers   keep every layer's output and check each one
          --json            one JSON object (model, config, batch, cycles, inferences_per_second, macs,
                            utilization, dram_bytes_read, dram_bytes_written, energy_pj, verified, layers,
                            each with its cycles, macs, utilization, dataflow and stall_cycles per engine;
                            a recurrent layer also has its projection and its steps, each with cycles,
                            macs, utilization and DRAM bytes, and activation_tables the PWL errors)
          --report FILE     write that JSON object to FILE;  --csv FILE  the per-layer table as CSV
          --html FILE       one self-contained HTML page (no external references, opens offline): the
                            configuration, the totals, the verification result, plots (cycles per
                            layer by cause, utilization, roofline, layer spans over the run), the
                            engines' busy and stall cycles, and the per-layer table (sortable by
                            clicking a header); it embeds the --json object (script#report-data)
          --plots DIR       the page's charts as SVG files: cycles.svg (per layer, by cause),
                            utilization.svg, roofline.svg, timeline.svg (layer spans)

        A SCALE-Sim topology CSV (conv form: Layer name, IFMAP Height, IFMAP Width, Filter Height,
        Filter Width, Channels, Num Filter, Strides; GEMM form: Layer name, M, N, K; recognized
        from the header row; a name containing DP is depthwise) runs timing-only, each row an
        independent layer; --config takes SCALE-Sim's .cfg files (ArrayHeight, ArrayWidth, the
        three SRAM sizes, Dataflow, Bandwidth) as well as our own configurations.
          --mapping default    our mapper and simulator (the default)
          --mapping scalesim   SCALE-Sim 3.0.0's fixed mapping: the whole layer's operand matrices,
                               folds = ceil(Sr/rows) x ceil(Sc/cols), no overlap between folds, its
                               cycle numbering; per-layer cycles equal SCALE-Sim's Total Cycles
          --scalesim-reports DIR   write SCALE-Sim's COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and
                               DETAILED_ACCESS_REPORT.csv (its columns; words of one byte) into DIR
                               (with --mapping scalesim)
          --html FILE          with the default mapping only (the page shows the simulator's statistics)
          --dram MODEL[:N]  time DRAM with banks and row buffers: ddr3-1600, ddr4-3200, lpddr4-3200
                            or hbm2 (N channels instead of its own; the compiler plans with its
                            peak bandwidth and latency), or simple (default: the config's)
        \(TraceOption.usage)

        Functional runs use seeded random weights (an ONNX model: its own) and seeded inputs (or
        --input), with every tensor's quantization calibrated on the fp32 reference (a QDQ model's
        QuantizeLinear nodes fix their tensors' scales and zero points, its weights keep their scales); operations the device cannot run (LRN, softmax,
        upsampling) run on the host CPU between device segments and are listed.
        """

    func run(_ arguments: [String]) throws {
        let verifyLayers = arguments.contains("--verify=layers")
        let verify = verifyLayers || arguments.contains("--verify")
        let rest = arguments.filter { $0 != "--verify" && $0 != "--verify=layers" }
        if let bad = rest.first(where: { $0.hasPrefix("--verify=") }) {
            throw UsageError("\(bad): the only form is --verify=layers")
        }
        let parsed = try Arguments(rest, options: Set(["config", "dataflow", "dram", "dma-requests", "dtype", "seed", "batch", "report", "csv", "pwl-segments", "pwl-range",
                                                   "input", "save-output", "save-reference", "calibrate",
                                                   "mapping", "scalesim-reports", "html", "plots"]).union(TraceOption.options),
                                   flags: ["timing-only", "json", "allow-host-ops"])
        if let path = parsed.positionals.first, path.hasSuffix(".csv") {
            try RunTopology.run(path, parsed)
            return
        }
        for option in ["mapping", "scalesim-reports"] where parsed.value(option) != nil {
            throw UsageError("--\(option) applies to a SCALE-Sim topology (.csv)")
        }
        let model = try RunModel.load(try parsed.requirePositionals(1, "model name (see npu models) or .onnx file")[0],
                                      allowHostOps: parsed.has("allow-host-ops"))
        let (config, dataType) = try parsed.configAndDataType()
        let seed = try parsed.seed()
        let batchText = parsed.value("batch")
        var batch = 1
        if let batchText {
            guard let value = Int(batchText), value >= 1 else { throw UsageError("--batch needs a positive integer, got '\(batchText)'") }
            batch = value
        }
        let timingOnly = parsed.has("timing-only")
        if timingOnly && verify { throw UsageError("--verify needs values; drop --timing-only") }
        for option in ["input", "save-output", "save-reference", "calibrate"] where timingOnly && parsed.value(option) != nil {
            throw UsageError("--\(option) needs values; drop --timing-only")
        }
        if model.imported == nil && (parsed.value("save-output") != nil || parsed.value("save-reference") != nil) {
            throw UsageError("--save-output and --save-reference need an ONNX model")
        }
        var inputs: [String: [[Float]]]?
        if let path = parsed.value("input") {
            let given = try model.inputs(path)
            if batchText != nil && given.batch != batch {
                throw UsageError("--input holds \(given.batch) image\(given.batch == 1 ? "" : "s") but --batch is \(batch)")
            }
            (inputs, batch) = (given.values, given.batch)
        }
        let mode: SimulationMode = timingOnly ? .timingOnly : .functional
        let tables = try activationTables(parsed)
        let progress = ProgressLine()
        defer { progress.finish() }   // also when the run fails, before its error line
        let report = try NetworkRun.run(model.graph, options: NetworkRun.Options(
            config: config, dataType: dataType, seed: seed, mode: mode, verify: verify, verifyLayers: verifyLayers, batch: batch,
            activationTables: tables, parameters: model.parameters, inputs: inputs, quantization: model.imported?.quantization ?? [:],
            calibration: try calibration(parsed, model), keepTimelines: try TraceOption.path(parsed) != nil,
            progress: { progress.update($1, of: $2, $0.rawValue) }))
        progress.finish()
        if let output = model.imported?.outputs.first {
            if let path = parsed.value("save-output"), let values = report.outputValues[output.graphName] {
                try model.save(values, batch: batch, to: path)
            }
            if let path = parsed.value("save-reference"), let values = report.referenceValues[output.graphName] {
                try model.save(values, batch: batch, to: path)
            }
        }
        let json = RunReport.json(report, config: config, verify: verify)
        if let path = parsed.value("report") { try Files.write(Data(json.utf8), to: path) }
        if let path = parsed.value("csv") { try Files.write(Data(RunReport.csv(report).utf8), to: path) }
        if let path = parsed.value("html") {
            let page = HTMLReport(report: report, config: config, dataType: dataType, mode: mode, verify: verify, json: json)
            try Files.write(Data(try page.page().utf8), to: path)
        }
        if let directory = parsed.value("plots") { try RunPlots.write(report, config: config, to: directory) }
        try TraceOption.write(DeviceTrace(network: report, config: config), parsed, metadata: [("model", .string(report.model))])
        print(parsed.has("json") ? json : RunReport.text(report, config: config, dataType: dataType, verify: verify))
        if verify, case .mismatch = report.verification { exit(2) }
    }

    /// `--calibrate N` (seeded samples) or `--calibrate FILE.npy` (an ONNX model's samples).
    func calibration(_ parsed: Arguments, _ model: RunModel) throws -> NetworkRun.CalibrationSource {
        guard let text = parsed.value("calibrate") else { return .runInputs }
        if text.hasSuffix(".npy") { return .samples(try model.inputs(text, option: "--calibrate").values) }
        guard let count = Int(text), (1...4096).contains(count) else {
            throw UsageError("--calibrate needs a sample count in 1...4096 or a .npy file, got '\(text)'")
        }
        return .seeded(count: count)
    }

    /// `--pwl-segments` and `--pwl-range`, checked.
    private func activationTables(_ parsed: Arguments) throws -> ActivationTables {
        var tables = ActivationTables()
        if let text = parsed.value("pwl-segments") {
            guard let segments = Int(text), (1...(PWLTable.maximumSegments - 2)).contains(segments) else {
                throw UsageError("--pwl-segments needs an integer in 1...\(PWLTable.maximumSegments - 2), got '\(text)'")
            }
            tables.segments = segments
        }
        if let text = parsed.value("pwl-range") {
            guard let range = Double(text), range > 0, range <= 8 else {
                throw UsageError("--pwl-range needs a number in (0, 8] (the reach of Q3.12), got '\(text)'")
            }
            tables.range = range
        }
        return tables
    }
}

/// Renders `npu run` results.
enum RunReport {
    static func bound(_ row: NetworkRun.LayerRow) -> String { "\(row.info.roofline.bound)" }

    static func gbps(_ bytes: Int, cycles: Int, clockGHz: Double) -> Double {
        cycles == 0 ? 0 : Double(bytes) * clockGHz / Double(cycles)
    }

    static func text(_ report: NetworkRun.Report, config: HardwareConfig, dataType: DataType, verify: Bool) -> String {
        let s = report.statistics
        let peak = Double(config.peakMACsPerCycle) * config.clockGHz * 2
        let seconds = Double(s.cycles) / (config.clockGHz * 1e9)
        // A flexible array: the dataflow the compiler chose for each layer, after its op.
        let flexible = config.array.flexibleDataflow
        func deviceRow(_ row: NetworkRun.LayerRow) -> [String] {
            let l = row.statistics
            return [row.info.name, row.info.op] + (flexible ? [row.info.dataflow?.rawValue ?? "-"] : []) + ["\(row.info.outputShape)", Format.grouped(row.info.macs), Format.grouped(l.cycles),
                    String(format: "%.1f%%", 100 * utilization(l, config: config)), String(format: "%.2f", Double(l.dramTraffic.total) / 1e6),
                    String(format: "%.1f", gbps(l.dramTraffic.total, cycles: l.cycles, clockGHz: config.clockGHz)), bound(row)]
        }
        // In execution order: host operations where they run, on the CPU.
        let compiled = report.compiled
        let rows = compiled.schedule.flatMap { step -> [[String]] in
            switch step {
            case .device(let index): compiled.segments[index].layers.map { deviceRow(report.layers[$0]) }
            case .host(let index):
                [[compiled.hostOperations[index].node, compiled.hostOperations[index].op] + (flexible ? ["-"] : [])
                 + ["\(compiled.hostOperations[index].outputShape)", "-", "-", "-", "-", "-", "host CPU"]]
            }
        }
        // A batch: the header says so, and the cycles line gives cycles per image (inferences/s is N / latency).
        let batch = report.batch
        let batchText = batch == 1 ? "" : ", batch \(batch)"
        var lines = ["\(report.model) on \(config.name) (\(config.array.rows)x\(config.array.cols) \(config.array.dataflowName), \(dataType), \(config.clockGHz) GHz, \(config.dram.bandwidthGBps) GB/s\(batchText))",
                     Format.table(header: ["layer", "op"] + (flexible ? ["dataflow"] : []) + ["output", "MACs", "cycles", "util", "DRAM MB", "GB/s", "bound"],
                                  rows: rows), ""]
        // Without device layers (every operation on the host) there are no device figures to give.
        let device: [(String, String)] = report.compiled.segments.isEmpty
            ? [("device", "none: every operation is a host operation")] : [
            ("cycles", "\(Format.grouped(s.cycles)) (\(String(format: "%.3f", seconds * 1e3)) ms at \(config.clockGHz) GHz"
                + (batch == 1 ? "" : " for \(batch) images, \(Format.grouped(s.cycles / batch)) per image")
                + ", \(String(format: "%.1f", Double(batch) / seconds)) inferences/s)"),
            ("MACs", "\(Format.grouped(s.macs)); \(String(format: "%.1f", 2 * Double(s.macs) / seconds / 1e9)) GOP/s of \(String(format: "%.1f", peak)) peak, utilization \(String(format: "%.1f", 100 * s.utilization))%"),
            ("DRAM", String(format: "read %.2f MB, written %.2f MB, %.2f GB/s average", Double(s.dramBytesRead) / 1e6, Double(s.dramBytesWritten) / 1e6, s.averageDRAMBandwidthGBps)),
            ("DRAM model", MemoryReport.dramText(s, config: config)),
            ("buffers", MemoryReport.bufferText(s, config: config)),
            ("stalls", MemoryReport.stallText(s.stalls) + " (cycles, summed over the load, compute and store engines)"),
            ("energy", String(format: "%.3f mJ (MAC %.3f, SRAM %.3f, DRAM %.3f)", s.energy.totalPJ / 1e9, s.energy.macPJ / 1e9, s.energy.sramPJ / 1e9, s.energy.dramPJ / 1e9)),
            ("activations", String(format: "peak %.2f MB in DRAM (%.2f MB without reuse); weights %.2f MB", Double(report.compiled.peakActivationBytes) / 1e6,
                                   Double(report.compiled.unsharedActivationBytes) / 1e6, Double(report.compiled.constantBytes) / 1e6)),
            ("vs fp32", report.agreement.map { String(format: "%@: cosine similarity %.4f, max abs error %.4g, top-1 %d of %d", $0.output,
                                                         $0.error.cosineSimilarity, $0.error.maxAbsError, $0.topOne.matching, $0.topOne.rows) }
                        ?? "not measured (timing-only)"),
        ]
        let totals = device + [
            ("host ops", report.compiled.hostOperations.isEmpty ? "none"
                : report.compiled.hostOperations.map { "\($0.node) (\($0.op))" }.joined(separator: ", ")
                  + " on the CPU" + (report.compiled.segments.count > 1 ? ", between \(report.compiled.segments.count) device segments" : "")
                  + (report.hostValues.isEmpty ? " (not run: timing-only)" : "")),
            ("PWL tables", activationTableText(report)),
            ("wall time", String(format: "compile %.2f s, simulate %.2f s, reference %.2f s, host ops %.2f s", report.compileSeconds,
                                 report.simulateSeconds, report.referenceSeconds, report.hostSeconds)),
        ]
        let steps = report.layers.compactMap { stepSummary($0, config: config) }
        if !steps.isEmpty { lines += ["time steps (--json lists every step):"] + steps + [""] }
        lines += totals.filter { !$0.1.isEmpty }.map { $0.0.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.1 }
        lines.append("verified: " + (verify ? ExecReport.verificationText(report.verification) : "no (use --verify)"))
        return lines.joined(separator: "\n")
    }

    /// Utilization of a layer's (or a part's) span: its MACs over the array's peak for its cycles.
    static func utilization(_ l: LayerStatistics, config: HardwareConfig) -> Double {
        l.cycles == 0 ? 0 : Double(l.macs) / (Double(l.cycles) * Double(config.peakMACsPerCycle))
    }

    /// A recurrent layer's projection and the range of its time steps, or nil for other layers:
    /// each step's cycles, utilization, the weights it loads and its DRAM bandwidth against the
    /// configuration's (a batch-1 step streaming its weights runs near the DRAM's bandwidth with
    /// the array almost idle: bandwidth-bound matrix-vector products).
    static func stepSummary(_ row: NetworkRun.LayerRow, config: HardwareConfig) -> String? {
        guard let projection = row.parts.first, row.parts.count > 1 else { return nil }
        let steps = row.parts.dropFirst()
        func mean(_ values: [Int]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }
        let cycles = steps.map(\.cycles), utilizations = steps.map { utilization($0, config: config) }
        let weights = mean(steps.map(\.dramTraffic.weights)), traffic = mean(steps.map(\.dramTraffic.total))
        return String(format: "  %@: projection %@ cycles (%.1f%%); %d steps of %@ cycles on average (%@-%@), utilization %.1f%%-%.1f%%, "
                          + "weights %.3f MB and %.1f of %.1f GB/s per step",
                      row.info.name, Format.grouped(projection.cycles), 100 * utilization(projection, config: config), steps.count,
                      Format.grouped(Int(mean(cycles).rounded())), Format.grouped(cycles.min()!), Format.grouped(cycles.max()!),
                      100 * utilizations.min()!, 100 * utilizations.max()!, weights / 1e6,
                      gbps(Int(traffic.rounded()), cycles: Int(mean(cycles).rounded()), clockGHz: config.clockGHz), config.dram.bandwidthGBps)
    }

    /// The recurrent gates' tables and their max abs errors ("" without recurrent layers).
    static func activationTableText(_ report: NetworkRun.Report) -> String {
        guard let errors = report.activationTableErrors else { return "" }
        let t = report.activationTables
        return String(format: "%d segments over [-%g, %g]; max abs error sigmoid %.2e, tanh %.2e (recurrent gates)",
                      t.segments, t.range, t.range, errors.sigmoid, errors.tanh)
    }

    static func json(_ report: NetworkRun.Report, config: HardwareConfig, verify: Bool) -> String {
        let s = report.statistics
        func part(_ name: String, _ l: LayerStatistics) -> [String: Any] {
            ["name": name, "cycles": l.cycles, "macs": l.macs, "utilization": utilization(l, config: config),
             "dram_bytes_read": l.dramBytesRead, "dram_bytes_written": l.dramBytesWritten, "dram_weight_bytes": l.dramTraffic.weights]
        }
        let layers: [[String: Any]] = report.layers.map { row in
            var layer: [String: Any] = [
                "name": row.info.name, "op": row.info.op, "output_shape": row.info.outputShape.dimensions, "macs": row.info.macs,
                "cycles": row.statistics.cycles, "utilization": utilization(row.statistics, config: config),
                "roofline_cycles": row.info.roofline.cycles, "bound": bound(row),
                "dram_bytes_read": row.statistics.dramBytesRead, "dram_bytes_written": row.statistics.dramBytesWritten,
                "energy_pj": row.statistics.energy.totalPJ, "dataflow": row.info.dataflow?.rawValue ?? NSNull(),
                "stall_cycles": MemoryReport.engineStallJSON(row.statistics.stalls)]
            // A recurrent layer: its input projection and each time step, in the order they run.
            if let projection = row.parts.first {
                layer["projection"] = part(row.info.partNames[0], projection)
                layer["steps"] = zip(row.info.partNames, row.parts).dropFirst().map { part($0.0, $0.1) }
            }
            return layer
        }
        var object: [String: Any] = [
            "model": report.model, "config": config.name, "batch": report.batch, "cycles": s.cycles, "macs": s.macs,
            "utilization": s.utilization,
            "inferences_per_second": s.cycles == 0 ? 0 : Double(report.batch) * config.clockGHz * 1e9 / Double(s.cycles),
            "dram_bytes_read": s.dramBytesRead, "dram_bytes_written": s.dramBytesWritten, "energy_pj": s.energy.totalPJ,
            "peak_activation_bytes": report.compiled.peakActivationBytes,
            "fp32_agreement": report.agreement.map { ["tensor": $0.output, "cosine_similarity": $0.error.cosineSimilarity,
                                                      "max_abs_error": $0.error.maxAbsError, "top1_matching": $0.topOne.matching,
                                                      "top1_rows": $0.topOne.rows] as Any } ?? NSNull(),
            "host_operations": report.compiled.hostOperations.map { ["node": $0.node, "op": $0.op, "output_shape": $0.outputShape.dimensions] },
            "device_segments": report.compiled.segments.count,
            "activation_tables": report.activationTableErrors.map { errors in
                ["segments": report.activationTables.segments, "range": report.activationTables.range,
                 "sigmoid_max_abs_error": errors.sigmoid, "tanh_max_abs_error": errors.tanh] as Any } ?? NSNull(),
            "verified": verify && report.verification.isVerified,
            "verification": verify ? ExecReport.verificationText(report.verification) : "not requested",
            "layers": layers,
        ]
        object.merge(MemoryReport.json(s, config: config)) { $1 }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func csv(_ report: NetworkRun.Report) -> String {
        var lines = ["name,op,output,macs,cycles,roofline_cycles,bound,dram_bytes_read,dram_bytes_written,energy_pj,dataflow"]
        for row in report.layers {
            let l = row.statistics
            lines.append([row.info.name, row.info.op, "\(row.info.outputShape)", "\(row.info.macs)", "\(l.cycles)",
                          "\(row.info.roofline.cycles)", bound(row), "\(l.dramBytesRead)", "\(l.dramBytesWritten)",
                          String(format: "%.1f", l.energy.totalPJ), row.info.dataflow?.rawValue ?? ""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
