import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// A network on the DRAM bank model (`dram.model`): stalls by cause and the row-buffer hit rate.
@Suite struct DRAMModelTests {
    private func run(_ name: String, _ config: HardwareConfig) throws -> Statistics {
        let graph = try #require(ModelZoo.model(named: name)).graph()
        return try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: config.dataType)).statistics
    }

    /// LeNet-5 on DDR4-3200 with 4, 2 and 1 channels (102.4, 51.2, 25.6 GB/s): DRAM bandwidth
    /// stalls appear and grow as the bandwidth falls, the cycles grow, and the row-buffer hit
    /// rate is reported.
    @Test func stallsGrowAsBandwidthFalls() throws {
        let runs = try [4, 2, 1].map { try run("lenet5", HardwareConfig.edge.withDRAMModel(.ddr4_3200, channels: $0)) }
        let stalls = runs.map(\.stalls.dramBandwidth)
        #expect(stalls[0] > 0 && stalls[0] < stalls[1] && stalls[1] < stalls[2], "\(stalls)")
        #expect(runs[0].cycles < runs[1].cycles && runs[1].cycles < runs[2].cycles, "\(runs.map(\.cycles))")
        for statistics in runs {
            #expect(statistics.dramRows.bursts > 0 && statistics.dramRows.hitRate > 0.5 && statistics.dramRows.hitRate < 1)
            #expect(statistics.stalls.dramLatency > 0)
            for engine in statistics.engines { #expect(engine.busyCycles + engine.stalls.total == statistics.cycles) }
        }
    }

    /// `npu run --dram` reports the model, the hit rate and the stalls, in text and JSON.
    @Test func runReportsTheMemorySystem() throws {
        let text = try ToolRun.npu(["run", "lenet5", "--timing-only", "--dram", "hbm2:2"])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("DRAM model  hbm2, 2 channels x 16 banks (64.0 GB/s peak): row hits "))
        #expect(text.standardOutput.contains(" DRAM latency / "))
        let json = try ToolRun.npu(["run", "lenet5", "--timing-only", "--dram", "lpddr4-3200", "--json"])
        #expect(json.standardOutput.contains("\"dram_model\":\"lpddr4-3200\""))
        #expect(json.standardOutput.contains("\"dram_row_hit_rate\":"))
        #expect(json.standardOutput.contains("\"stall_cycles\":{\"buffer_full\":"))
        let bad = try ToolRun.npu(["run", "lenet5", "--timing-only", "--dram", "ddr5"])
        #expect(bad.status == 1)
        #expect(bad.standardError.contains("--dram: unknown model 'ddr5' (simple, ddr3-1600, ddr4-3200, lpddr4-3200, hbm2)"))
    }
}
