import Compiler
import Foundation
import ISA
import Simulator
import Testing

/// The edge preset's target on the benchmark networks (timing-only, parameters nil): the sum of
/// simulated cycles within 1.18x the sum of roofline cycles per network, no layer above 2.0x, and
/// the pipeline model's estimate (which chose the plan) within 15% of the simulated cycles on
/// every layer. Runs when `NPUSIM_NETWORK_ROOFLINE=1` and prints every layer.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NPUSIM_NETWORK_ROOFLINE"] == "1"))
struct NetworkRooflineTests {
    @Test(arguments: BenchmarkNetworks.names)
    func edgeReachesTheRoofline(network: String) throws {
        let config = HardwareConfig.edge
        var simulatedTotal = 0, rooflineTotal = 0, worst = (ratio: 0.0, name: ""), worstDeviation = (deviation: 0.0, name: "")
        for layer in BenchmarkNetworks.layers(of: network)! {
            let compiled = try LayerCompiler.compile(layer, config: config, dataType: .int8, parameters: nil, quantization: nil)
            let result = try Simulator(config: config).run(compiled.program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes),
                                                           mode: .timingOnly)
            let cycles = result.statistics.cycles, roofline = compiled.roofline.cycles
            simulatedTotal += cycles
            rooflineTotal += roofline
            let ratio = Double(cycles) / Double(roofline)
            if ratio > worst.ratio { worst = (ratio, layer.name) }
            let deviation = abs(Double(compiled.estimatedCycles) / Double(cycles) - 1)
            if deviation > worstDeviation.deviation { worstDeviation = (deviation, layer.name) }
            print("\(network) \(layer.name): simulated \(cycles) estimated \(compiled.estimatedCycles) roofline \(roofline) "
                + "(\(compiled.roofline.bound)) ratio \(String(format: "%.3f", ratio)) plan \(compiled.plan)")
        }
        let total = Double(simulatedTotal) / Double(rooflineTotal)
        print("\(network): simulated \(simulatedTotal) roofline \(rooflineTotal) ratio \(String(format: "%.3f", total)); "
            + "worst layer \(worst.name) \(String(format: "%.3f", worst.ratio)); "
            + "largest estimate deviation \(worstDeviation.name) \(String(format: "%.1f%%", 100 * worstDeviation.deviation))")
        #expect(total <= 1.18)
        #expect(worst.ratio <= 2.0, "\(worst.name)")
        #expect(worstDeviation.deviation <= 0.15, "\(worstDeviation.name)")
    }
}
