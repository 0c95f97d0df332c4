import Foundation
import Testing

/// `--dataflow ws|os|is|any` as a user runs it: on a flexible array (`any`) each layer runs in the
/// dataflow the compiler chose, shown per layer in the table, the JSON and the CSV.
@Suite struct DataflowCLITests {
    static let fixtures = "Tests/Fixtures/scalesim"

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try ToolRun.npu(arguments + ["--json"])
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    /// SCALE-Sim's fixed mapping on a flexible array: each AlexNet layer takes the fewest of
    /// SCALE-Sim 3.0.0's own Total Cycles over ws, os and is (the committed goldens).
    @Test func scaleSimMappingTakesEachLayersBestDataflow() throws {
        let object = try Self.json(["run", "\(Self.fixtures)/topologies/alexnet.csv", "--config", "\(Self.fixtures)/configs/scale_ws.cfg",
                                    "--dataflow", "any", "--mapping", "scalesim"])
        let layers = try #require(object["layers"] as? [[String: Any]])
        var goldens: [String: [Int]] = [:]
        for dataflow in ["ws", "os", "is"] {
            let text = try Repository.text(Repository.root.appendingPathComponent("\(Self.fixtures)/compute/alexnet_\(dataflow).csv"))
            goldens[dataflow] = ScaleSimCLITests.column(text, 1).map { Int(Double($0)!) }
        }
        #expect(layers.count == goldens["ws"]!.count)
        var chosen: Set<String> = []
        for (index, layer) in layers.enumerated() {
            let dataflow = try #require(layer["dataflow"] as? String)
            let cycles = try #require(layer["cycles"] as? Int)
            let best = ["ws", "os", "is"].map { goldens[$0]![index] }.min()!
            #expect(cycles == best, "layer \(index)")
            #expect(goldens[dataflow]![index] == best, "layer \(index) chose \(dataflow)")
            chosen.insert(dataflow)
        }
        #expect(chosen.count > 1, "AlexNet's layers favour different dataflows: \(chosen)")
    }

    /// Our mapper on a flexible array: every conv / fc layer names its dataflow, the table has a
    /// dataflow column, and the network is no slower than on the best fixed array (each layer's
    /// choice is the best of the three plans' estimates).
    @Test func defaultMapperChoosesPerLayer() throws {
        let cycles = try ["ws", "os", "is"].map { try #require(try Self.json(["run", "lenet5", "--timing-only", "--dataflow", $0])["cycles"] as? Int) }
        let flexible = try Self.json(["run", "lenet5", "--timing-only", "--dataflow", "any"])
        let layers = try #require(flexible["layers"] as? [[String: Any]])
        for layer in layers where (layer["macs"] as? Int ?? 0) > 0 {
            #expect(["ws", "os", "is"].contains(layer["dataflow"] as? String), "\(layer)")
        }
        // Each buffer's peak occupancy is reported, within its capacity (edge: 256, 256, 128 KiB).
        let peaks = try #require(flexible["buffer_peak_bytes"] as? [String: Int])
        #expect(zip(["nbin", "sb", "nbout"], [256, 256, 128]).allSatisfy { (peaks[$0] ?? 0) > 0 && peaks[$0]! <= $1 * 1024 }, "\(peaks)")
        let total = try #require(flexible["cycles"] as? Int)
        #expect(Double(total) <= Double(cycles.min()!) * 1.01, "any: \(total), fixed: \(cycles)")

        let text = try ToolRun.npu(["run", "lenet5", "--timing-only", "--dataflow", "any"])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("32x32 any") || text.standardOutput.contains(" any,"), "\(text.standardOutput.prefix(200))")
        let header = try #require(text.standardOutput.split(separator: "\n").first { $0.hasPrefix("layer ") })
        #expect(header.contains("dataflow"))
    }

    @Test func badDataflowIsOneLine() throws {
        try expectOneLineError(["run", "lenet5", "--timing-only", "--dataflow", "rs"], "--dataflow must be ws, os, is or any, got 'rs'")
        try expectOneLineError(["layer", "fc", "--in", "8", "--out", "8", "--dataflow", ""], "--dataflow must be ws, os, is or any")
    }
}
