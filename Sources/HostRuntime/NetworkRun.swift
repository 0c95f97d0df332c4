import Compiler
import Foundation
import ISA
import Simulator

/// Compiles a whole network, runs it on the simulated NPU and reports per layer: what `npu run`
/// does.
///
/// A timing-only run compiles without data. A functional run draws seeded parameters for every
/// device layer, compiles with the default activation quantization, fills the network input
/// with seeded values and runs the device; the output is compared bit for bit with the integer
/// reference (the program's checks), and with `verifyLayers` every intermediate tensor is kept
/// and checked too.
public enum NetworkRun {
    public struct Options: Sendable {
        public var config: HardwareConfig
        public var dataType: DataType
        public var seed: UInt64
        public var mode: SimulationMode
        /// Compare the output with the integer reference (functional runs).
        public var verify: Bool
        /// Keep and verify every layer's output (not only the network's).
        public var verifyLayers: Bool

        public init(config: HardwareConfig, dataType: DataType, seed: UInt64 = 1, mode: SimulationMode = .timingOnly,
                    verify: Bool = false, verifyLayers: Bool = false) {
            self.config = config
            self.dataType = dataType
            self.seed = seed
            self.mode = mode
            self.verify = verify || verifyLayers
            self.verifyLayers = verifyLayers
        }
    }

    /// One row of the per-layer table: what the compiler planned and what the simulator measured.
    public struct LayerRow: Sendable {
        public var info: NetworkLayerInfo
        public var statistics: LayerStatistics
    }

    public struct Report: Sendable {
        public var model: String
        public var compiled: CompiledNetwork
        public var statistics: Statistics
        public var layers: [LayerRow]
        public var verification: KernelExecution.Verification
        /// Wall time of each phase, in seconds: compilation, simulation, and the CPU reference
        /// with the comparison (0 when not verifying).
        public var compileSeconds: Double
        public var simulateSeconds: Double
        public var referenceSeconds: Double
    }

    public static func run(_ graph: Graph, options: Options) throws -> Report {
        let started = Date()
        var parameters: [String: LayerParameters]?
        if options.mode == .functional {
            var table: [String: LayerParameters] = [:]
            for (index, fused) in try graph.fusedLayers().enumerated() where fused.layer.convolution != nil {
                table[fused.layer.name] = LayerParameters.random(for: fused.layer, seed: options.seed &+ UInt64(index))
            }
            parameters = table
        }
        let compiled = try NetworkCompiler.compile(graph, config: options.config, dataType: options.dataType, parameters: parameters,
                                                   quantization: nil,
                                                   options: NetworkCompiler.Options(reuseActivations: !options.verifyLayers))
        let compiledAt = Date()
        var unchecked = compiled.program
        unchecked.checks = []
        let result = try KernelExecution.run(unchecked, config: options.config, seed: options.seed, mode: options.mode)
        let simulatedAt = Date()
        var verification = result.verification
        if options.verify && options.mode == .functional {
            verification = try KernelExecution.verify(compiled.program, inputs: result.inputs, outputs: result.outputs)
        } else if options.mode == .functional {
            verification = .skipped("not requested")
        }
        let finished = Date()
        let byID = Dictionary(result.statistics.layers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = compiled.layers.enumerated().map { index, info in
            LayerRow(info: info, statistics: byID[index] ?? LayerStatistics(id: index))
        }
        return Report(model: graph.name, compiled: compiled, statistics: result.statistics, layers: rows,
                      verification: verification, compileSeconds: compiledAt.timeIntervalSince(started),
                      simulateSeconds: simulatedAt.timeIntervalSince(compiledAt), referenceSeconds: finished.timeIntervalSince(simulatedAt))
    }
}
