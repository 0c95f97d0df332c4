import Foundation
import Testing

/// `npu sweep` as a user runs it: every configuration's row measures what `npu run` measures on
/// that configuration, shards merge into the unsharded sweep, the Pareto front is the front,
/// and bad arguments give one line.
@Suite struct SweepCLITests {

    static let lists = ["--rows", "8,16", "--bandwidth", "12.8,25.6", "--dataflow", "ws,os"]

    /// Runs `npu sweep lenet5` with `lists` plus `extra` into `out`; returns the rows of sweep.csv.
    static func sweep(_ extra: [String], into out: URL) throws -> [[String]] {
        let run = try ToolRun.npu(["sweep", "lenet5"] + lists + extra + ["--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        return try csv(out.appendingPathComponent("sweep.csv"))
    }

    static func csv(_ url: URL) throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// 2 arrays x 2 bandwidths x 2 dataflows = 8 rows in index order; a row's cycles and energy
    /// are those `npu run --timing-only` reports on that configuration.
    @Test func rowsMeasureWhatRunMeasures() throws {
        let out = try Repository.temporaryDirectory("npu-sweep")
        defer { try? FileManager.default.removeItem(at: out) }
        let rows = try Self.sweep([], into: out)
        let header = rows[0]
        #expect(rows.count == 9)
        #expect(rows.dropFirst().map { $0[0] } == (0..<8).map(String.init))
        func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
        // Index 5: 16x16 (second array), 12.8 GB/s (first bandwidth), os (second dataflow).
        let row = rows[6]
        #expect([column("rows", row), column("cols", row), column("bandwidth_gbps", row), column("dataflow", row), column("status", row)]
                == ["16", "16", "12.8", "os", "ok"])
        var config = try #require(try JSONSerialization.jsonObject(with: Data(try ToolRun.npu(["configs", "--show", "edge"]).standardOutput.utf8)) as? [String: Any])
        var array = try #require(config["array"] as? [String: Any]), dram = try #require(config["dram"] as? [String: Any])
        (array["rows"], array["cols"], array["dataflow"], dram["bandwidth_gbps"]) = (16, 16, "os", 12.8)
        (config["array"], config["dram"]) = (array, dram)
        let file = out.appendingPathComponent("c.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        let run = try ToolRun.npu(["run", "lenet5", "--timing-only", "--config", file.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(column("cycles", row) == "\(try #require(report["cycles"] as? Int))")
        let energy = try #require(report["energy_pj"] as? Double)
        #expect(abs(Double(column("energy_j", row))! - energy * 1e-12) <= 1e-6 * energy * 1e-12)
        #expect(Double(column("area_mm2", row))! > 0)
        for plot in ["pareto.svg", "heatmap-bandwidth.svg", "heatmap-buffers.svg"] {
            #expect(try String(contentsOf: out.appendingPathComponent(plot), encoding: .utf8).hasPrefix("<svg"), "\(plot)")
        }
    }

    /// Three shards merged give the unsharded sweep's files, row for row.
    @Test func mergedShardsEqualTheWholeSweep() throws {
        let root = try Repository.temporaryDirectory("npu-sweep")
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = try Self.sweep(["--objective", "energy"], into: root.appendingPathComponent("whole"))
        var shards: [String] = []
        for shard in 1...3 {
            let out = root.appendingPathComponent("shard\(shard)")
            let rows = try Self.sweep(["--shard", "\(shard)/3", "--jobs", "1"], into: out)
            #expect(rows.dropFirst().allSatisfy { Int($0[0])! % 3 == shard - 1 })
            shards.append(out.path)
        }
        let merged = root.appendingPathComponent("merged")
        let run = try ToolRun.npu(["sweep", "merge"] + shards + ["--out", merged.path, "--objective", "energy"])
        #expect(run.status == 0, "\(run.standardError)")
        for file in ["sweep.csv", "pareto.csv"] {
            #expect(try Self.csv(merged.appendingPathComponent(file)) == Self.csv(root.appendingPathComponent("whole/\(file)")), "\(file)")
        }
        #expect(try Self.csv(merged.appendingPathComponent("sweep.csv")) == whole)
        // Without one shard, the merge says what is missing.
        try expectOneLineError(["sweep", "merge", shards[0], shards[2], "--out", root.appendingPathComponent("partial").path],
                               "configurations missing")
        try expectOneLineError(["sweep", "merge", shards[0], shards[0], "--out", root.appendingPathComponent("twice").path],
                               "appears in more than one shard")
    }

    /// pareto.csv holds exactly the configurations no other one beats in both cycles and area.
    @Test func paretoFrontIsTheFront() throws {
        let out = try Repository.temporaryDirectory("npu-sweep")
        defer { try? FileManager.default.removeItem(at: out) }
        let rows = try Self.sweep(["--buffer-scale", "0.5,1"], into: out)
        let header = rows[0]
        let (cycles, area) = (header.firstIndex(of: "cycles")!, header.firstIndex(of: "area_mm2")!)
        let points = rows.dropFirst().map { (index: $0[0], cycles: Double($0[cycles])!, area: Double($0[area])!) }
        let dominated = Set(points.filter { p in
            points.contains { q in q.cycles <= p.cycles && q.area <= p.area && (q.cycles < p.cycles || q.area < p.area) }
        }.map(\.index))
        let front = try Self.csv(out.appendingPathComponent("pareto.csv")).dropFirst().map { $0[0] }
        #expect(!front.isEmpty)
        #expect(front.allSatisfy { !dominated.contains($0) })
        // Every non-dominated configuration is on the front, up to exact duplicates of a front point.
        for p in points where !dominated.contains(p.index) && !front.contains(p.index) {
            #expect(points.contains { q in front.contains(q.index) && q.cycles == p.cycles && q.area == p.area }, "\(p)")
        }
    }

    /// A configuration the network does not fit is a failed row, not a failed sweep, and stays
    /// off the Pareto front.
    @Test func aConfigurationThatDoesNotFitIsAFailedRow() throws {
        let out = try Repository.temporaryDirectory("npu-sweep")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try ToolRun.npu(["sweep", "lenet5", "--sb", "64,64K", "--out", out.path])
        #expect(run.status == 0 && run.standardOutput.contains("2 configurations (1 failed)"), "\(run.standardOutput)\(run.standardError)")
        let rows = try Self.csv(out.appendingPathComponent("sweep.csv"))
        let status = rows[0].firstIndex(of: "status")!
        #expect(rows[1][status].hasPrefix("failed: layer 'C1': no tile plan fits: SB holds 64 bytes"))
        #expect(rows[2][status] == "ok")
        #expect(try Self.csv(out.appendingPathComponent("pareto.csv")).dropFirst().map { $0[0] } == ["1"])
    }

    @Test func badArgumentsAreOneLine() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("npu-sweep-bad").path
        try expectOneLineError(["sweep", "lenet5", "--rows", "", "--out", out], "--rows needs a comma-separated list")
        try expectOneLineError(["sweep", "lenet5", "--rows", "8,,16", "--out", out], "--rows needs a comma-separated list")
        try expectOneLineError(["sweep", "lenet5", "--bandwidth", "fast", "--out", out], "--bandwidth: 'fast' is not one of")
        try expectOneLineError(["sweep", "lenet5", "--nbin", "12Q", "--out", out], "--nbin: '12Q'")
        try expectOneLineError(["sweep", "lenet5", "--dataflow", "ws,rs", "--out", out], "--dataflow: 'rs'")
        try expectOneLineError(["sweep", "lenet5", "--config", "huge", "--out", out], "unknown configuration 'huge'")
        try expectOneLineError(["sweep", "lenet5", "--shard", "4/3", "--out", out], "--shard takes I/N")
        try expectOneLineError(["sweep", "lenet5", "--objective", "speed", "--out", out], "--objective must be cycles, energy or edp")
        try expectOneLineError(["sweep", "lenet5"], "--out DIR is required")
        try expectOneLineError(["sweep", "resnet51", "--out", out], "unknown model 'resnet51'")
        try expectOneLineError(["sweep", "merge", "/nonexistent/shard", "--out", out], "not a sweep's output")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
