import Foundation
import Compiler
import HostRuntime
import ISA
import Simulator

/// `npu bench`: speed and roofline measurements (run it in a release build).
struct BenchCommand: Command {
    let name = "bench"
    let summary = "benchmarks: `bench layers` (conv/FC layers vs roofline), `bench networks` (wall time, memory), `bench scalesim`"
    let usage = """
        usage: npu bench [layers|networks] [--network resnet50|vgg16] [--config NAME|FILE] [--dram MODEL[:N]] [--dtype int8|int16] [--json]
               npu bench scalesim [--topology FILE.csv] [--config FILE.cfg] [--dram MODEL[:N]] [--python PATH] [--timeout SECONDS] [--json]

        Without a name, runs both benchmarks.

        networks: wall time of timing-only ResNet-50 and VGG-16 runs (compile + simulate), of
        `npu run resnet50 --verify` split into compile / simulate / reference, and the peak
        memory (maximum resident set size) of the process, on the edge preset unless --config.

        layers: compiles every convolution and fully connected layer of ResNet-50 and VGG-16
        (224x224, batch 1) for the configuration (default edge), simulates each (timing-only),
        and prints per layer the cycles, the roofline bound, their ratio and what bounds the
        layer; then per network the totals and the wall time. Build with -c release.

        scalesim: the wall time of a timing-only run of a SCALE-Sim topology (default: SCALE-Sim's
        ResNet-50, built in) on a SCALE-Sim configuration (default: its 32x32 ws scale.cfg, built
        in), with our mapper and the DRAM timing model (default --dram ddr4-3200) and with
        SCALE-Sim's mapping (`npu run --mapping scalesim`), beside the wall and processor time of
        SCALE-Sim 3.0.0 itself on the same files, and their ratios. SCALE-Sim is optional: the
        Python given by --python, else $NPUSIM_SCALESIM_PYTHON, else python3 on PATH, if `PYTHON
        -c "import scalesim"` succeeds. It runs as a child process and is stopped at --timeout
        (default 600 seconds), its times then lower bounds. Its per-layer Total Cycles are checked
        against ours ("compute cycles agree with SCALE-Sim"). Not part of the default `npu bench`.
        """

    func run(_ arguments: [String]) throws {
        if arguments.first == "scalesim" { return try BenchScaleSim.run(Array(arguments.dropFirst())) }
        let parsed = try Arguments(arguments, options: ["network", "config", "dram", "dma-requests", "dtype"], flags: ["json"])
        guard parsed.positionals.count <= 1 else { throw UsageError("unexpected argument '\(parsed.positionals[1])'") }
        let what = parsed.positionals.first
        guard what == nil || what == "layers" || what == "networks" else {
            throw UsageError("unknown benchmark '\(what!)' (layers, networks, or scalesim first: npu bench scalesim [options])")
        }
        let (config, dataType) = try parsed.configAndDataType()
        if what == nil || what == "layers" { try layers(parsed, config: config, dataType: dataType) }
        if what == nil || what == "networks" { try networks(config: config, dataType: dataType) }
    }

    /// Whole networks: timing-only wall times, a verified ResNet-50 run split by phase, peak memory.
    private func networks(config: HardwareConfig, dataType: DataType) throws {
        // On a terminal, each run's layers and segments as they go (`ProgressLine`).
        let progress = ProgressLine()
        defer { progress.finish() }
        let showProgress: @Sendable (NetworkRun.Phase, Int, Int) -> Void = { progress.update($1, of: $2, $0.rawValue) }
        for name in ["resnet50", "vgg16"] {
            guard let model = ModelZoo.model(named: name) else { continue }
            let started = Date()
            let report = try NetworkRun.run(try model.graph(), options: NetworkRun.Options(config: config, dataType: dataType, progress: showProgress))
            progress.finish()
            print(String(format: "%@ timing-only: %.2f s wall (compile %.2f s, simulate %.2f s), %@ cycles", name,
                         Date().timeIntervalSince(started), report.compileSeconds, report.simulateSeconds,
                         Format.grouped(report.statistics.cycles)))
        }
        if let model = ModelZoo.model(named: "resnet50") {
            let started = Date()
            let report = try NetworkRun.run(try model.graph(), options: NetworkRun.Options(
                config: config, dataType: dataType, mode: .functional, verify: true, progress: showProgress))
            progress.finish()
            print(String(format: "resnet50 --verify: %.2f s wall (compile %.2f s, simulate %.2f s, reference %.2f s), verified: %@",
                         Date().timeIntervalSince(started), report.compileSeconds, report.simulateSeconds, report.referenceSeconds,
                         ExecReport.verificationText(report.verification)))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory: %.2f GiB (maximum resident set size)", Double(usage.ru_maxrss) / 1024 / 1024))
    }

    /// Every conv/FC layer of the benchmark networks against its roofline bound.
    private func layers(_ parsed: Arguments, config: HardwareConfig, dataType: DataType) throws {
        let networks = parsed.value("network").map { [$0] } ?? BenchmarkNetworks.names
        var results: [[String: Any]] = []
        let progress = ProgressLine()
        defer { progress.finish() }
        for network in networks {
            guard let layers = BenchmarkNetworks.layers(of: network) else {
                throw UsageError("unknown network '\(network)' (\(BenchmarkNetworks.names.joined(separator: ", ")))")
            }
            let started = Date()
            var rows: [[String]] = []
            var totalCycles = 0, totalRoofline = 0, worst = 0.0, worstName = ""
            var layerObjects: [[String: Any]] = []
            for (done, layer) in layers.enumerated() {
                progress.update(done, of: layers.count, "\(network) layers")
                let report = try LayerRun.run(layer, options: LayerRun.Options(config: config, dataType: dataType, mode: .timingOnly))
                let ratio = report.rooflineRatio
                totalCycles += report.statistics.cycles
                totalRoofline += report.compiled.roofline.cycles
                if ratio > worst { (worst, worstName) = (ratio, layer.name) }
                rows.append([layer.name, "\(layer.input)", Format.grouped(report.statistics.cycles),
                             Format.grouped(report.compiled.roofline.cycles), String(format: "%.3f", ratio),
                             "\(report.compiled.roofline.bound)", String(format: "%.1f%%", 100 * report.statistics.utilization)])
                layerObjects.append(["name": layer.name, "cycles": report.statistics.cycles,
                                     "roofline_cycles": report.compiled.roofline.cycles, "ratio": ratio,
                                     "bound": "\(report.compiled.roofline.bound)", "macs": report.statistics.macs])
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(started)
            let total = Double(totalCycles) / Double(totalRoofline)
            if parsed.has("json") {
                results.append(["network": network, "config": config.name, "cycles": totalCycles, "roofline_cycles": totalRoofline,
                                "ratio": total, "worst_layer": worstName, "worst_ratio": worst, "wall_seconds": seconds,
                                "layers": layerObjects])
                continue
            }
            print("\(network) on \(config.name) (\(dataType)): \(layers.count) conv/FC layers")
            print(Format.table(header: ["layer", "input", "cycles", "roofline", "ratio", "bound", "util"], rows: rows))
            print(String(format: "total: %@ cycles, roofline %@ cycles, ratio %.3f; worst layer %@ at %.3fx; %.2f s wall\n",
                         Format.grouped(totalCycles), Format.grouped(totalRoofline), total, worstName, worst, seconds))
        }
        if parsed.has("json") {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
