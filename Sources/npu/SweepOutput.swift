import Foundation
import HostRuntime
import Plots

/// `sweep.json`: what a sweep (or one shard of it) covered, so `npu sweep merge` can check that
/// its inputs are shards of one sweep and that together they hold every configuration.
struct SweepManifest: Codable, Equatable {
    var model: String
    var baseConfig: String
    var dataType: String
    var dramModel: String
    /// Configurations of the whole sweep (every shard).
    var configurations: Int
    /// The list options as given (`rows`, `bandwidth`, ...), which define the configurations.
    var space: [String: String]
    /// `I/N`, or nil for a whole sweep or a merge.
    var shard: String?

    enum CodingKeys: String, CodingKey {
        case model, baseConfig = "base_config", dataType = "data_type", dramModel = "dram_model", configurations, space, shard
    }

    /// Whether `other` describes the same sweep (shards aside).
    func sameSweep(as other: SweepManifest) -> Bool {
        var (a, b) = (self, other)
        (a.shard, b.shard) = (nil, nil)
        return a == b
    }
}

/// Writes a sweep's files into its output directory and says what they hold.
enum SweepOutput {
    /// `sweep.csv` (the rows in index order), `sweep.json`, `pareto.csv` (the rows on the front
    /// of the objective against area, by area), and the plots: `pareto.svg` and heat maps of the
    /// best objective per array size and bandwidth (`heatmap-bandwidth.svg`) and per array size
    /// and buffers (`heatmap-buffers.svg`). Returns the summary lines.
    static func write(_ rows: [SweepTable.Row], manifest: SweepManifest, objective: SweepObjective, to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create '\(directory)': \(error.localizedDescription)")
        }
        let rows = rows.sorted { $0.index < $1.index }
        func csv(_ rows: [SweepTable.Row]) -> Data {
            Data(([SweepTable.header.joined(separator: ",")] + rows.map(\.line)).joined(separator: "\n").appending("\n").utf8)
        }
        let succeeded = rows.filter(\.succeeded)
        let points = succeeded.map { row in
            ScatterPoint(x: row.value("area_mm2"), y: row.objective(objective), label: label(row), group: row["dataflow"])
        }
        let front = paretoFront(points).map { succeeded[$0] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Files.write(csv(rows), to: directory + "/sweep.csv")
        try Files.write(try encoder.encode(manifest), to: directory + "/sweep.json")
        try Files.write(csv(front), to: directory + "/pareto.csv")
        var lines = ["\(rows.count) configurations (\(rows.count - succeeded.count) failed) written to \(directory)/sweep.csv"]
        guard !succeeded.isEmpty else { return lines }
        for (name, svg) in try plots(succeeded, points: points, objective: objective) {
            try Files.write(Data(svg.utf8), to: directory + "/" + name)
        }
        let best = succeeded.min { $0.objective(objective) < $1.objective(objective) }!
        lines.append("best \(objective.rawValue): \(label(best)): \(format(best.objective(objective), objective)), \(best["area_mm2"]) mm²")
        lines.append("Pareto front (\(objective.rawValue) against area), \(front.count) configurations, in \(directory)/pareto.csv:")
        lines += front.map { "  \($0["area_mm2"]) mm²  \(format($0.objective(objective), objective))  \(label($0))" }
        return lines
    }

    /// A configuration in a few words: `32x32 ws, 256/256/128 KiB, 25.6 GB/s`.
    static func label(_ row: SweepTable.Row) -> String {
        "\(row["rows"])x\(row["cols"]) \(row["dataflow"]), \(buffers(row)), \(row["bandwidth_gbps"]) GB/s"
    }

    static func buffers(_ row: SweepTable.Row) -> String {
        ["nbin_bytes", "sb_bytes", "nbout_bytes"].map { kibibytes(Int(row[$0])!) }.joined(separator: "/") + " KiB"
    }

    static func kibibytes(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024)" : String(format: "%.1f", Double(bytes) / 1024)
    }

    static func format(_ value: Double, _ objective: SweepObjective) -> String {
        objective == .cycles ? Format.grouped(Int(value)) + " cycles" : String(format: "%.4g %@", value, objective == .energy ? "J" : "J·s")
    }

    /// The plots, by file name.
    static func plots(_ rows: [SweepTable.Row], points: [ScatterPoint], objective: SweepObjective) throws -> [(String, String)] {
        let pareto = try ScatterChart(title: "\(objective.label) against area (\(rows.count) configurations)", points: points,
                                      xLabel: "area estimate (mm²)", yLabel: objective.label, yAxis: .logarithmic, showParetoFront: true)
        return [("pareto.svg", pareto.svg),
                ("heatmap-bandwidth.svg", try heatMap(rows, objective: objective, columnTitle: "DRAM bandwidth (GB/s)") { $0["bandwidth_gbps"] }.svg),
                ("heatmap-buffers.svg", try heatMap(rows, objective: objective, columnTitle: "NBin/SB/NBout", column: buffers).svg)]
    }

    /// The best objective per array size (rows) and `column` value, over the other parameters.
    static func heatMap(_ rows: [SweepTable.Row], objective: SweepObjective, columnTitle: String,
                        column: (SweepTable.Row) -> String) throws -> HeatMap {
        func ordered(_ values: [String]) -> [String] {
            var seen: Set<String> = []
            return values.filter { seen.insert($0).inserted }
        }
        let arrays = ordered(rows.map { "\($0["rows"])x\($0["cols"])" }), columns = ordered(rows.map(column))
        var best: [[Double?]] = Array(repeating: Array(repeating: nil, count: columns.count), count: arrays.count)
        for row in rows {
            let (r, c) = (arrays.firstIndex(of: "\(row["rows"])x\(row["cols"])")!, columns.firstIndex(of: column(row))!)
            best[r][c] = min(best[r][c] ?? .infinity, row.objective(objective))
        }
        return try HeatMap(title: "best \(objective.label) by array size and \(columnTitle)", rowLabels: arrays, columnLabels: columns,
                           values: best, rowTitle: "array", columnTitle: columnTitle)
    }
}
