import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Each layer's stalls (`LayerStatistics.stalls`): every stall cycle of an engine but its final
/// idle time belongs to exactly one layer.
@Suite struct LayerStallTests {
    @Test(arguments: ["simple", "ddr4-3200"])
    func layerStallsSumToTheEngines(dram: String) throws {
        var config = HardwareConfig.edge
        if let standard = DRAMStandard.named(dram) { config = config.withDRAMModel(standard, channels: nil) }
        let graph = try #require(ModelZoo.model(named: "resnet-tiny")).graph()
        let statistics = try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: .int8)).statistics
        for engine in Engine.allCases {
            var summed = StallCycles()
            for layer in statistics.layers {
                #expect(layer.stalls[engine.rawValue].idle == 0)
                summed += layer.stalls[engine.rawValue]
            }
            summed.idle = statistics[engine].stalls.idle
            #expect(summed == statistics[engine].stalls, "\(engine) on \(dram)")
        }
        // The DMA engines wait for DRAM in some layer, and the compute engine for data.
        #expect(statistics.layers.contains { $0.stalls[Engine.load.rawValue].dramBandwidth > 0 })
        #expect(statistics.layers.contains { $0.stalls[Engine.compute.rawValue].dependency > 0 })
    }
}
