import Foundation
import Testing

/// `npu run TOPOLOGY.csv --config FILE.cfg` as a SCALE-Sim user runs it: with `--mapping
/// scalesim --scalesim-reports DIR`, the `COMPUTE_REPORT.csv` written holds SCALE-Sim 3.0.0's
/// own per-layer Total Cycles for AlexNet, ResNet-50 and ViT-S (GEMM form) on its 32x32
/// configuration with ws, os and is. The goldens (Tests/Fixtures/scalesim/compute/, made by
/// scripts/scalesim/compute_goldens.py after `pip install scalesim==3.0.0 "numpy<2.4"`; see
/// Tests/Fixtures/scalesim/README.md and CompilerTests/ScaleSimTests.swift) are SCALE-Sim's.
@Suite struct ScaleSimCLITests {
    static let fixtures = "Tests/Fixtures/scalesim"

    /// Column `column` of a SCALE-Sim CSV report's rows (after the header).
    static func column(_ text: String, _ column: Int) -> [String] {
        text.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)[column].trimmingCharacters(in: .whitespaces)
        }
    }

    @Test(arguments: ["alexnet", "Resnet50", "vit_s"], ["ws", "os", "is"])
    func computeReportHoldsSCALESimsTotalCycles(_ topology: String, _ dataflow: String) throws {
        let directory = try Repository.temporaryDirectory("npu-scalesim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try ToolRun.npu(["run", "\(Self.fixtures)/topologies/\(topology).csv", "--config", "\(Self.fixtures)/configs/scale_\(dataflow).cfg",
                                   "--mapping", "scalesim", "--scalesim-reports", directory.path])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try String(contentsOf: directory.appendingPathComponent("COMPUTE_REPORT.csv"), encoding: .utf8)
        let golden = try Repository.text(Repository.root.appendingPathComponent("\(Self.fixtures)/compute/\(topology)_\(dataflow).csv"))
        #expect(Self.column(report, 2) == Self.column(golden, 1))
        #expect(report.hasPrefix("LayerID, Total Cycles (incl. prefetch), Total Cycles, Stall Cycles, Overall Util %,"))
        for name in ["BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv"] {
            let ours = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let theirs = try Repository.text(Repository.root.appendingPathComponent("\(Self.fixtures)/reports/alexnet/ws/\(name)"))
            #expect(ours.split(separator: "\n").first == theirs.split(separator: "\n").first, "\(name) header")
            #expect(ours.split(separator: "\n").count == report.split(separator: "\n").count)
        }
    }

    /// The default mapper runs a topology too (timing only), layer names as in the file.
    @Test func defaultMappingRunsATopology() throws {
        let directory = try Repository.temporaryDirectory("npu-scalesim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = directory.appendingPathComponent("small.csv")
        try """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            Conv1, 18, 18, 3, 3, 8, 16, 1,
            DPConv2, 16, 16, 3, 3, 16, 1, 2,
            """.write(to: topology, atomically: true, encoding: .utf8)
        let trace = directory.appendingPathComponent("t.json")
        let run = try ToolRun.npu(["run", topology.path, "--config", "\(Self.fixtures)/configs/scale_ws.cfg", "--json", "--trace", trace.path])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.compactMap { $0["name"] as? String } == ["Conv1", "DPConv2"])
        #expect((object["cycles"] as? Int ?? 0) > 0)
        // The simulated run's trace: trace events naming the topology's layers.
        let events = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: trace)) as? [String: Any])?["traceEvents"]
                                  as? [[String: Any]])
        #expect(events.contains { ($0["args"] as? [String: Any])?["layer"] as? String == "Conv1" })
    }

    @Test(arguments: [
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--config", "Tests/Fixtures/scalesim/missing.cfg"],
         "Tests/Fixtures/scalesim/missing.cfg: cannot read the file"),
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--config", "Tests/Fixtures/scalesim/topologies/alexnet.csv"],
         "invalid configuration"),
        (["run", "Tests/Fixtures/scalesim/missing.csv", "--mapping", "scalesim"], "Tests/Fixtures/scalesim/missing.csv: cannot read the file"),
        (["run", "Tests/Fixtures/scalesim/configs/scale.cfg"], "unknown model"),
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--mapping", "best"], "--mapping must be default or scalesim, got 'best'"),
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--scalesim-reports", "out"], "--scalesim-reports needs --mapping scalesim"),
        (["run", "lenet5", "--mapping", "scalesim"], "--mapping applies to a SCALE-Sim topology (.csv)"),
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--batch", "2"], "--batch does not apply to a SCALE-Sim topology"),
        (["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--mapping", "scalesim", "--trace", "t.json"],
         "--trace needs the simulator; --mapping scalesim computes SCALE-Sim's closed-form cycles"),
    ])
    func badInputGivesOneLine(_ arguments: [String], _ message: String) throws {
        let run = try ToolRun.npu(arguments)
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    /// A malformed `.cfg` and a malformed topology name the file and line, in one line.
    @Test func malformedFilesNameTheirLine() throws {
        let directory = try Repository.temporaryDirectory("npu-scalesim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bad.cfg"), topology = directory.appendingPathComponent("bad.csv")
        try "[architecture_presets]\nArrayHeight: 0\n".write(to: config, atomically: true, encoding: .utf8)
        try "Layer, M, N, K,\nL0, 4, 4,\n".write(to: topology, atomically: true, encoding: .utf8)
        let badConfig = try ToolRun.npu(["run", "\(Self.fixtures)/topologies/vit_s.csv", "--config", config.path, "--mapping", "scalesim"])
        #expect(badConfig.status == 1)
        #expect(badConfig.standardError == "npu: error: \(config.path):2: ArrayHeight must be a positive integer, got '0'\n")
        let badTopology = try ToolRun.npu(["run", topology.path, "--config", "\(Self.fixtures)/configs/scale.cfg", "--mapping", "scalesim"])
        #expect(badTopology.status == 1)
        #expect(badTopology.standardError == "npu: error: \(topology.path):2: expected 4 columns, got 3\n")
    }
}
