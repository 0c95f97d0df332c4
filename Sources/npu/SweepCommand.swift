import Compiler
import Foundation
import HostRuntime
import ISA

/// `npu sweep`: design-space exploration. Runs a network timing-only over the cross product of
/// array sizes, buffer sizes, bandwidths and dataflows on all cores, and writes every
/// configuration's cycles, utilization, DRAM bytes, energy and area, the Pareto front of an
/// objective against area, and plots. `npu sweep merge` joins the outputs of `--shard` runs.
struct SweepCommand: Command {
    let name = "sweep"
    let summary = "design-space sweep: cycles, energy and area over array / buffer / bandwidth / dataflow choices"
    let usage = """
        usage: npu sweep MODEL|FILE.onnx|TOPOLOGY.csv --out DIR [--config NAME|FILE] [--dtype int8|int16] [--dram MODEL[:N]]
                         [--rows LIST] [--cols LIST] [--nbin LIST] [--sb LIST] [--nbout LIST] [--buffer-scale LIST]
                         [--bandwidth LIST] [--dataflow LIST] [--objective cycles|energy|edp] [--jobs N] [--shard I/N]
               npu sweep merge DIR... --out DIR [--objective cycles|energy|edp]

        Runs MODEL timing-only on every configuration of the cross product of the lists (comma-
        separated) applied to the base configuration (--config, default edge); a list not given
        keeps the base value:
          --rows, --cols    array rows and columns (without --cols: square arrays, rows x rows)
          --nbin, --sb, --nbout   buffer capacities in bytes, K (KiB) or M (MiB): 128K,256K
          --buffer-scale    factors applied to all three buffers together: 0.5,1,2
          --bandwidth       DRAM bandwidth in GB/s: 12.8,25.6,51.2
          --dataflow        ws, os, is or any (the compiler chooses per layer)
          --objective       what the Pareto front minimizes against area: cycles (default), energy
                            (J) or edp (energy x latency, J·s)
          --jobs N          configurations run at once (default: the machine's cores)
          --shard I/N       run only shard I of N (configurations I-1, I-1+N, ...); merge the
                            shards' output directories with `npu sweep merge`

        Writes into DIR: sweep.csv (one row per configuration: every parameter, status, cycles,
        latency, utilization, DRAM bytes read and written, energy, EDP, the area estimate and its
        parts; `AreaModel` documents the estimate), sweep.json (the sweep's definition), pareto.csv
        (the configurations on the Pareto front of the objective against area), pareto.svg, and
        heatmap-bandwidth.svg / heatmap-buffers.svg (the best objective per array size and
        bandwidth / buffers). A configuration the network does not fit is a row with status
        failed. A progress line shows on a terminal.
        """

    static let listOptions = ["rows", "cols", "nbin", "sb", "nbout", "buffer-scale", "bandwidth", "dataflow"]

    func run(_ arguments: [String]) throws {
        if arguments.first == "merge" {
            try merge(Array(arguments.dropFirst()))
            return
        }
        let parsed = try Arguments(arguments, options: Set(["out", "config", "dtype", "dram", "dma-requests", "objective", "jobs", "shard"]
                                                           + Self.listOptions), flags: [])
        let modelName = try parsed.requirePositionals(1, "model name, .onnx file or topology .csv")[0]
        guard let out = parsed.value("out") else { throw UsageError("--out DIR is required (where sweep.csv and the plots go)") }
        let objective = try Self.objective(parsed)
        let jobs = try parsed.integer("jobs", default: ProcessInfo.processInfo.activeProcessorCount)
        guard (1...256).contains(jobs) else { throw UsageError("--jobs needs 1 to 256, got \(jobs)") }
        let shard = try SweepArguments.shard(parsed)
        let space = try SweepArguments.space(parsed)
        let (base, dataType) = try parsed.configAndDataType(applyingDataflow: false)
        let graph = try Self.graph(modelName)

        let all = space.points(base: base)
        let points = shard.map { SweepSpace.shard(all, $0.index, of: $0.count) } ?? all
        let started = Date()
        let progress = ProgressLine()
        let results = Sweep.run(graph, points: points, dataType: dataType, jobs: jobs) { progress.update($0, of: points.count, "configurations") }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)

        var definition: [String: String] = [:]
        for option in Self.listOptions { definition[option] = parsed.value(option) }
        let manifest = SweepManifest(model: modelName, baseConfig: base.name, dataType: "\(dataType)", dramModel: base.dram.model,
                                     configurations: all.count, space: definition, shard: shard.map { "\($0.index)/\($0.count)" })
        let rows = results.map { SweepTable.Row(line: SweepTable.line($0)) }
        let lines = try SweepOutput.write(rows, manifest: manifest, objective: objective, to: out)
        let scope = shard.map { "shard \($0.index)/\($0.count): " } ?? ""
        print(scope + String(format: "%@ on %d configurations in %.1f s (%d job%@)", modelName, points.count, seconds, jobs, jobs == 1 ? "" : "s"))
        print(lines.joined(separator: "\n"))
    }

    static func objective(_ parsed: Arguments) throws(UsageError) -> SweepObjective {
        let name = parsed.value("objective") ?? "cycles"
        guard let objective = SweepObjective(rawValue: name) else {
            throw UsageError("--objective must be cycles, energy or edp, got '\(name)'")
        }
        return objective
    }

    /// A zoo model, an ONNX file, or a SCALE-Sim topology.
    static func graph(_ name: String) throws -> Graph {
        guard name.hasSuffix(".csv") else { return try RunModel.load(name).graph }
        return try ScaleSimTopology.load(path: name).graph(name: URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent)
    }

    /// `npu sweep merge DIR... --out DIR`: the shards' rows as one sweep, checked complete.
    private func merge(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: ["out", "objective"], flags: [])
        guard !parsed.positionals.isEmpty else { throw UsageError("npu sweep merge needs the shards' output directories") }
        guard let out = parsed.value("out") else { throw UsageError("--out DIR is required (where the merged sweep goes)") }
        let objective = try Self.objective(parsed)
        var manifest: SweepManifest?
        var rows: [SweepTable.Row] = []
        for directory in parsed.positionals {
            let shardManifest: SweepManifest
            do {
                shardManifest = try JSONDecoder().decode(SweepManifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/sweep.json")))
            } catch {
                throw UsageError("\(directory)/sweep.json: not a sweep's output (\(error.localizedDescription))")
            }
            if let manifest, !manifest.sameSweep(as: shardManifest) {
                throw UsageError("\(directory) is a shard of another sweep (model, configuration or lists differ)")
            }
            manifest = manifest ?? shardManifest
            let path = directory + "/sweep.csv"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw UsageError("cannot read '\(path)'") }
            do { rows += try SweepTable.rows(text, source: path) } catch { throw UsageError("\(error)") }
        }
        var merged = manifest!
        merged.shard = nil
        var seen: Set<Int> = []
        for row in rows where !seen.insert(row.index).inserted {
            throw UsageError("configuration \(row.index) appears in more than one shard")
        }
        let missing = (0..<merged.configurations).filter { !seen.contains($0) }
        guard missing.isEmpty, seen.count == merged.configurations else {
            throw UsageError("\(missing.count) of \(merged.configurations) configurations missing (first: \(missing.prefix(5).map(String.init).joined(separator: ", "))); "
                             + "give every shard's directory")
        }
        let lines = try SweepOutput.write(rows, manifest: merged, objective: objective, to: out)
        print("merged \(parsed.positionals.count) shards of \(merged.model)")
        print(lines.joined(separator: "\n"))
    }
}
