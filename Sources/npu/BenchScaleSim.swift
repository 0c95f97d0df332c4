import Compiler
import Foundation
import HostRuntime
import ISA

/// `npu bench scalesim`: the wall time of a timing-only run of a SCALE-Sim topology here, with
/// our mapper and the DRAM timing model (`NetworkRun`) and with SCALE-Sim's fixed mapping
/// (`ScaleSimMapping`), beside the wall time of SCALE-Sim 3.0.0 itself on the same topology and
/// configuration when it is installed (optional tooling, never a dependency). Processor times are
/// shown too: on a shared machine their ratio is the steadier one.
///
/// SCALE-Sim runs as a child process (`PYTHON -u -c script CONFIG TOPOLOGY FORM OUTDIR`, the
/// script below) in its own process group, its output in files of a temporary directory; when
/// the timeout passes the whole group is stopped (SIGTERM, then SIGKILL a second later), and its
/// wall time is a lower bound. Its per-layer `Total Cycles` (its `COMPUTE_REPORT.csv` when it
/// finishes, the layers it finished when stopped) are compared with `ScaleSimMapping`'s, which
/// are SCALE-Sim's by construction (its cycle numbering from 0 already taken off).
enum BenchScaleSim {
    /// Seconds SCALE-Sim may run before it is stopped, by default.
    static let defaultTimeoutSeconds = 600.0
    /// The DRAM standard our default-mapper run is timed with unless `--dram` says otherwise.
    static let defaultDRAM = "ddr4-3200"
    /// The environment variable naming the Python that has SCALE-Sim, read when `--python` is absent.
    static let pythonVariable = "NPUSIM_SCALESIM_PYTHON"
    /// The Python run when neither `--python` nor `NPUSIM_SCALESIM_PYTHON` names one (looked up on PATH).
    static let defaultPython = "python3"
    /// Seconds the `import scalesim` probe may take (it imports numpy).
    static let probeTimeoutSeconds = 60.0
    /// What to do when the probe fails.
    static let installHint = #"install with pip install scalesim==3.0.0 "numpy<2.4""#

    /// Runs SCALE-Sim as `scripts/scalesim/make_goldens.py` does (traces not saved, the layout
    /// argument the topology itself, which it reads only with custom layouts), and prints each
    /// layer's `Total Cycles` as it finishes, so a run stopped at the timeout still says how far
    /// it got. Arguments: CONFIG TOPOLOGY FORM (conv | gemm) OUTDIR.
    static let script = """
        import sys
        from scalesim.scale_sim import scalesim
        from scalesim.single_layer_sim import single_layer_sim
        config, topology, form, out = sys.argv[1:5]
        run_layer = single_layer_sim.run
        def run_and_report(layer):
            run_layer(layer)
            print("npu-bench layer %d total cycles %d" % (layer.get_layer_id(), layer.get_compute_report_items()[1]), flush=True)
        single_layer_sim.run = run_and_report
        scalesim(save_disk_space=True, verbose=False, config=config, topology=topology, layout=topology,
                 input_type_gemm=form == "gemm").run_scale(top_path=out)
        """
    /// The progress line the script prints after each layer, before the layer id.
    static let progressPrefix = "npu-bench layer "

    /// The parsed command line.
    struct Options {
        var topologyText: String
        var topologyFile: String
        var topology: ScaleSimTopology
        var configText: String
        var scaleSimConfig: ScaleSimConfig
        /// The machine our runs use: the `.cfg`'s, with the DRAM timing model.
        var config: HardwareConfig
        var python: String
        var timeoutSeconds: Double
        var json: Bool

        init(_ arguments: [String]) throws {
            let parsed = try Arguments(arguments, options: ["topology", "config", "python", "timeout", "dram"], flags: ["json"])
            if let extra = parsed.positionals.first { throw UsageError("unexpected argument '\(extra)'") }
            timeoutSeconds = BenchScaleSim.defaultTimeoutSeconds
            if let text = parsed.value("timeout") {
                guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                    throw UsageError("--timeout needs a positive number of seconds, got '\(text)'")
                }
                timeoutSeconds = seconds
            }
            if let path = parsed.value("topology") {
                topologyText = try Files.text(path)
                topologyFile = path
            } else {
                topologyText = BenchScaleSimInputs.topology
                topologyFile = BenchScaleSimInputs.topologyName + ".csv"
            }
            topology = try ScaleSimTopology(parsing: topologyText, file: topologyFile)
            if let path = parsed.value("config") {
                guard path.hasSuffix(".cfg") else {
                    throw UsageError("--config needs a SCALE-Sim .cfg file (SCALE-Sim runs on it too), got '\(path)'")
                }
                configText = try Files.text(path)
                scaleSimConfig = try ScaleSimConfig(parsing: configText, file: path)
            } else {
                configText = BenchScaleSimInputs.config
                scaleSimConfig = try ScaleSimConfig(parsing: configText, file: "scale.cfg")
            }
            if parsed.value("dram") == nil {
                guard let standard = DRAMStandard.named(BenchScaleSim.defaultDRAM) else {
                    preconditionFailure("the default DRAM standard \(BenchScaleSim.defaultDRAM) is not defined")
                }
                config = scaleSimConfig.hardwareConfig.withDRAMModel(standard)
            } else {
                config = try parsed.withDRAM(scaleSimConfig.hardwareConfig)
            }
            let environment = ProcessInfo.processInfo.environment[BenchScaleSim.pythonVariable]
            python = parsed.value("python") ?? (environment?.isEmpty == false ? environment! : BenchScaleSim.defaultPython)
            json = parsed.has("json")
        }

        /// The topology's name: its file's, without the extension.
        var topologyName: String { URL(fileURLWithPath: topologyFile).deletingPathExtension().lastPathComponent }
    }

    /// One timed run of ours.
    struct OurRun {
        var mapping: String
        var wallSeconds: Double
        /// Processor time (user plus system) this process spent on the run, all threads.
        var cpuSeconds: Double
        var cycles: Int
    }

    /// What became of SCALE-Sim.
    struct ScaleSimRun {
        enum Outcome: Equatable {
            /// `PYTHON -c "import scalesim"` failed.
            case notInstalled
            case finished
            case stoppedAtTimeout
            /// It exited with a failure; the text says how, with its last line of standard error.
            case failed(String)
        }
        var outcome: Outcome
        /// From starting the child to reaping it, Python's start and imports included (the
        /// timeout when stopped).
        var wallSeconds: Double
        /// Processor time (user plus system) the child used, until stopped if it was.
        var cpuSeconds: Double
        /// `Total Cycles` of each layer it finished, in order.
        var layerCycles: [Int]
    }

    static func run(_ arguments: [String]) throws {
        let options = try Options(arguments)
        let ours = [try runDefaultMapping(options), try runScaleSimMapping(options)]
        let expected = options.topology.layers.map { ScaleSimMapping(layer: $0, array: options.config.array).totalCycles }
        let theirs = try runScaleSim(options)
        print(options.json ? json(options, ours: ours, theirs: theirs, expected: expected)
                           : text(options, ours: ours, theirs: theirs, expected: expected))
        if case .failed(let reason) = theirs.outcome { throw UsageError("SCALE-Sim failed: \(reason)") }
    }

    // MARK: - Our runs

    /// Seconds since an arbitrary monotonic origin.
    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Processor seconds (user plus system) this process has used so far.
    private static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return ChildProcess.seconds(usage.ru_utime) + ChildProcess.seconds(usage.ru_stime)
    }

    /// Our mapper, simulated timing-only with the DRAM model; the wall time covers parsing the
    /// topology, building its graph, compiling and simulating.
    private static func runDefaultMapping(_ options: Options) throws -> OurRun {
        let started = now(), processor = processorSeconds()
        let topology = try ScaleSimTopology(parsing: options.topologyText, file: options.topologyFile)
        let report = try NetworkRun.run(try topology.graph(name: options.topologyName),
                                        options: NetworkRun.Options(config: options.config, dataType: options.config.dataType, mode: .timingOnly))
        return OurRun(mapping: "default", wallSeconds: now() - started, cpuSeconds: processorSeconds() - processor,
                      cycles: report.statistics.cycles)
    }

    /// SCALE-Sim's fixed mapping in closed form (`npu run --mapping scalesim`), from parsing on.
    private static func runScaleSimMapping(_ options: Options) throws -> OurRun {
        let started = now(), processor = processorSeconds()
        let cycles = try ScaleSimTopology(parsing: options.topologyText, file: options.topologyFile).layers
            .reduce(0) { $0 + ScaleSimMapping(layer: $1, array: options.config.array).totalCycles }
        return OurRun(mapping: "scalesim", wallSeconds: now() - started, cpuSeconds: processorSeconds() - processor, cycles: cycles)
    }

    // MARK: - SCALE-Sim

    private static func runScaleSim(_ options: Options) throws -> ScaleSimRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npu-bench-scalesim-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create a temporary directory '\(directory.path)': \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        let probe = try? ChildProcess(options.python, ["-c", "import scalesim"],
                                      standardOutput: path("probe.stdout"), standardError: path("probe.stderr"))
        guard let probe, probe.wait(timeoutSeconds: probeTimeoutSeconds).ending == .exited(0) else {
            return ScaleSimRun(outcome: .notInstalled, wallSeconds: 0, cpuSeconds: 0, layerCycles: [])
        }
        let topologyPath = path(options.topologyName + ".csv"), configPath = path("scale.cfg"), output = path("out")
        try Files.write(Data(options.topologyText.utf8), to: topologyPath)
        try Files.write(Data(options.configText.utf8), to: configPath)
        let standardOutput = path("scalesim.stdout"), standardError = path("scalesim.stderr")
        let started = now()
        let child: ChildProcess
        do {
            child = try ChildProcess(options.python, ["-u", "-c", script, configPath, topologyPath, options.topology.form.rawValue, output],
                                     standardOutput: standardOutput, standardError: standardError)
        } catch {
            return ScaleSimRun(outcome: .failed("\(error)"), wallSeconds: 0, cpuSeconds: 0, layerCycles: [])
        }
        // On a terminal, SCALE-Sim's layers as it reports them.
        let line = ProgressLine(), layers = options.topology.layers.count
        var polls = 0
        let exit = child.wait(timeoutSeconds: options.timeoutSeconds) {
            polls += 1
            guard polls % 20 == 0 else { return }
            let done = progressCycles(String(decoding: FileManager.default.contents(atPath: standardOutput) ?? Data(), as: UTF8.self)).count
            line.update(done, of: layers, "SCALE-Sim layers")
        }
        line.finish()
        let seconds = now() - started, processor = exit.cpuSeconds
        let progress = progressCycles(String(decoding: FileManager.default.contents(atPath: standardOutput) ?? Data(), as: UTF8.self))
        switch exit.ending {
        case .timedOut:
            return ScaleSimRun(outcome: .stoppedAtTimeout, wallSeconds: options.timeoutSeconds, cpuSeconds: processor, layerCycles: progress)
        case .exited(0):
            guard let report = computeReport(under: output) else {
                return ScaleSimRun(outcome: .failed("it exited without writing COMPUTE_REPORT.csv"), wallSeconds: seconds, cpuSeconds: processor,
                                   layerCycles: progress)
            }
            return ScaleSimRun(outcome: .finished, wallSeconds: seconds, cpuSeconds: processor, layerCycles: report)
        case .exited(let status), .signaled(let status):
            let kind = if case .signaled = exit.ending { "signal" } else { "exit status" }
            let errors = String(decoding: FileManager.default.contents(atPath: standardError) ?? Data(), as: UTF8.self)
            let last = errors.split(separator: "\n").last.map { ": " + $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return ScaleSimRun(outcome: .failed("\(kind) \(status)\(last)"), wallSeconds: seconds, cpuSeconds: processor, layerCycles: progress)
        }
    }

    /// The `Total Cycles` the script printed for each finished layer.
    private static func progressCycles(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(progressPrefix), let last = line.split(separator: " ").last else { return nil }
            return Int(last)
        }
    }

    /// The `Total Cycles` column (the third) of the `COMPUTE_REPORT.csv` SCALE-Sim wrote under
    /// `directory` (in a folder named after the configuration's `run_name`).
    private static func computeReport(under directory: String) -> [Int]? {
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        guard let name = files.first(where: { $0.hasSuffix("COMPUTE_REPORT.csv") }),
              let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst()
        let cycles = rows.compactMap { row -> Int? in
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count > 2 ? Int(fields[2].trimmingCharacters(in: .whitespaces)) : nil
        }
        return cycles.count == rows.count ? cycles : nil
    }

    // MARK: - Reports

    /// SCALE-Sim's wall time over ours (a lower bound when it was stopped); nil without a finished or stopped run.
    private static func ratio(_ theirs: ScaleSimRun, _ ours: OurRun) -> Double? {
        guard theirs.outcome == .finished || theirs.outcome == .stoppedAtTimeout else { return nil }
        return theirs.wallSeconds / max(ours.wallSeconds, shortestSeconds)
    }

    /// SCALE-Sim's processor time over ours, likewise: the ratio a busy machine disturbs less.
    private static func processorRatio(_ theirs: ScaleSimRun, _ ours: OurRun) -> Double? {
        guard theirs.outcome == .finished || theirs.outcome == .stoppedAtTimeout else { return nil }
        return theirs.cpuSeconds / max(ours.cpuSeconds, shortestSeconds)
    }

    /// The least time a ratio divides by (a closed-form run can take less than the clocks resolve).
    private static let shortestSeconds = 1e-6

    /// Whether SCALE-Sim's per-layer cycles equal ours on every layer it finished; nil if it finished none.
    private static func cyclesAgree(_ theirs: ScaleSimRun, expected: [Int]) -> Bool? {
        guard !theirs.layerCycles.isEmpty else { return nil }
        if theirs.outcome == .finished && theirs.layerCycles.count != expected.count { return false }
        return Array(expected.prefix(theirs.layerCycles.count)) == theirs.layerCycles
    }

    /// `600 s` (a whole number, as a timeout), `612.4 s`, `1.234 s`, `0.0021 s`.
    private static func seconds(_ value: Double) -> String {
        if value >= 1 && value == value.rounded() { return String(format: "%.0f s", value) }
        if value >= 10 { return String(format: "%.1f s", value) }
        if value >= 0.01 { return String(format: "%.3f s", value) }
        return String(format: "%.2g s", value)
    }

    /// `12.3x`, `4,512x`, with `> ` when a lower bound.
    private static func ratioText(_ value: Double, lowerBound: Bool) -> String {
        let number = value < 100 ? String(format: "%.1fx", value) : Format.grouped(Int(value.rounded())) + "x"
        return (lowerBound ? "> " : "") + number
    }

    private static func text(_ options: Options, ours: [OurRun], theirs: ScaleSimRun, expected: [Int]) -> String {
        let config = options.config
        var lines = ["\(options.topologyName) (\(options.topology.layers.count) layers) on \(config.name): "
                     + "\(config.array.rows)x\(config.array.cols) \(config.array.dataflow.rawValue), DRAM \(config.dram.model), timing only"]
        let stopped = theirs.outcome == .stoppedAtTimeout
        var rows = ours.map { run -> [String] in
            ["NPUSim", run.mapping, seconds(run.wallSeconds), seconds(run.cpuSeconds), Format.grouped(run.cycles),
             ratio(theirs, run).map { ratioText($0, lowerBound: stopped) } ?? "-"]
        }
        switch theirs.outcome {
        case .notInstalled:
            lines.append(Format.table(header: ["tool", "mapping", "wall", "cpu", "cycles"], rows: rows.map { Array($0.prefix(5)) }))
            lines.append(#"SCALE-Sim not found (\#(options.python) -c "import scalesim" failed): \#(installHint)"#)
            return lines.joined(separator: "\n")
        case .finished:
            rows.append(["SCALE-Sim", "scalesim", seconds(theirs.wallSeconds), seconds(theirs.cpuSeconds),
                         Format.grouped(theirs.layerCycles.reduce(0, +)), "-"])
        case .stoppedAtTimeout:
            rows.append(["SCALE-Sim", "scalesim", "> \(seconds(theirs.wallSeconds)) (stopped at the timeout)", "> " + seconds(theirs.cpuSeconds), "-", "-"])
        case .failed:
            rows.append(["SCALE-Sim", "scalesim", seconds(theirs.wallSeconds) + " (failed)", seconds(theirs.cpuSeconds), "-", "-"])
        }
        lines.append(Format.table(header: ["tool", "mapping", "wall", "cpu", "cycles", "SCALE-Sim / ours (wall)"], rows: rows))
        lines.append("cycles: NPUSim default is our mapper simulated with the DRAM model; the scalesim rows sum SCALE-Sim's per-layer Total Cycles")
        if let processor = processorRatio(theirs, ours[0]) {
            lines.append("processor time, SCALE-Sim / NPUSim default: \(ratioText(processor, lowerBound: stopped))")
        }
        let layers = "\(theirs.layerCycles.count) of \(expected.count) layers"
        switch theirs.outcome {
        case .stoppedAtTimeout:
            lines.append("SCALE-Sim: stopped at the timeout (\(seconds(options.timeoutSeconds))) after \(layers)")
        case .failed(let reason):
            lines.append("SCALE-Sim failed after \(layers): \(reason)")
        case .notInstalled, .finished:
            break
        }
        switch cyclesAgree(theirs, expected: expected) {
        case nil:
            lines.append("compute cycles agree with SCALE-Sim: not checked (it finished no layer)")
        case true?:
            let scope = theirs.outcome == .finished ? "every layer" : "the \(layers) it finished"
            lines.append("compute cycles agree with SCALE-Sim: yes (\(scope), Total Cycles per layer)")
        case false?:
            lines.append("compute cycles agree with SCALE-Sim: no (\(disagreement(theirs.layerCycles, expected: expected, topology: options.topology)))")
        }
        return lines.joined(separator: "\n")
    }

    /// The first layer whose cycles differ, or the layer counts when they do.
    private static func disagreement(_ theirs: [Int], expected: [Int], topology: ScaleSimTopology) -> String {
        if let index = theirs.indices.first(where: { $0 < expected.count && theirs[$0] != expected[$0] }) {
            return "layer \(topology.layers[index].name): SCALE-Sim \(Format.grouped(theirs[index])), ours \(Format.grouped(expected[index]))"
        }
        return "SCALE-Sim reported \(theirs.count) layers, ours \(expected.count)"
    }

    private static func json(_ options: Options, ours: [OurRun], theirs: ScaleSimRun, expected: [Int]) -> String {
        let finishedOrStopped = theirs.outcome == .finished || theirs.outcome == .stoppedAtTimeout
        func nullable(_ value: Any?) -> Any { value ?? NSNull() }
        var failure: String?
        if case .failed(let reason) = theirs.outcome { failure = reason }
        let object: [String: Any] = [
            "topology": options.topologyName, "layers": expected.count, "config": options.config.name,
            "array": "\(options.config.array.rows)x\(options.config.array.cols)", "dataflow": options.config.array.dataflow.rawValue,
            "dram": options.config.dram.model,
            "npusim_wall_seconds": ours[0].wallSeconds, "npusim_cpu_seconds": ours[0].cpuSeconds, "npusim_cycles": ours[0].cycles,
            "npusim_scalesim_mapping_wall_seconds": ours[1].wallSeconds, "npusim_scalesim_mapping_cpu_seconds": ours[1].cpuSeconds,
            "npusim_scalesim_mapping_cycles": ours[1].cycles,
            "scalesim_python": options.python, "scalesim_installed": theirs.outcome != .notInstalled,
            "scalesim_finished": theirs.outcome == .finished, "timeout_seconds": options.timeoutSeconds,
            "scalesim_wall_seconds": nullable(finishedOrStopped ? theirs.wallSeconds : nil),
            "scalesim_cpu_seconds": nullable(finishedOrStopped ? theirs.cpuSeconds : nil),
            "cpu_ratio": nullable(processorRatio(theirs, ours[0])),
            "scalesim_cycles": nullable(theirs.outcome == .finished ? theirs.layerCycles.reduce(0, +) : nil),
            "scalesim_layers_finished": nullable(theirs.outcome == .notInstalled ? nil : theirs.layerCycles.count),
            "scalesim_error": nullable(failure),
            "ratio": nullable(ratio(theirs, ours[0])), "scalesim_mapping_ratio": nullable(ratio(theirs, ours[1])),
            "ratio_is_lower_bound": theirs.outcome == .stoppedAtTimeout,
            "cycles_agree": nullable(cyclesAgree(theirs, expected: expected)),
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
