import Compiler
import Foundation
import ISA
import Simulator

/// Runs a compiled network the way a host drives an accelerator that cannot run every operation:
/// its device segments on one simulated device, one after another on the same DRAM, and between
/// them the host operations on the CPU (`CompiledNetwork.schedule`).
///
/// A host operation reads its inputs from device DRAM (dequantized with their quantization) or
/// from host memory (an earlier host operation's result), computes the node in fp32
/// (`FloatGraphReference.node`), and, when the device reads the result, quantizes it into its
/// DRAM tensor; device time stops meanwhile (host time is measured in wall-clock seconds, not
/// cycles). In a timing-only run host operations are skipped: there are no values to compute on.
/// A network compiled for a batch (`CompiledNetwork.batch` N) holds N images in every tensor: a
/// host operation computes the node image by image, and its result (in `Result.hostValues` too)
/// is the N images' values back to back.
///
/// Verification is per segment: a segment's `.check` lines compute its outputs from the inputs
/// it actually read (host results included), so every device tensor is checked bit for bit. A
/// network without segments (only host operations) has nothing to verify: its verification is
/// skipped (`noDeviceLayers`).
public enum NetworkExecution {
    public struct Result: Sendable {
        /// The segments' statistics in sequence (`Statistics.sequence`), layer ids as in `CompiledNetwork.layers`.
        public var statistics: Statistics
        /// Every segment's declared outputs after the run, by symbol name (functional runs).
        public var outputs: [String: Tensor]
        /// Each host operation's fp32 result, by node name (functional runs).
        public var hostValues: [String: [Float]]
        public var verification: KernelExecution.Verification
        /// Wall time spent in host operations, in seconds.
        public var hostSeconds: Double
        /// Each host operation's wall time, in seconds, by index (0 for those not run).
        public var hostOperationSeconds: [Double]
        /// Each segment's timeline, by index, when `keepTimelines` asked for them (else empty).
        public var timelines: [Timeline]
        /// Wall time spent evaluating the segments' checks, in seconds.
        public var checkSeconds: Double
    }

    /// - Parameters:
    ///   - inputs: the network inputs by symbol name (functional runs): each is written at the
    ///     address of the first segment input symbol of that name.
    ///   - verify: evaluate every segment's checks and compare its outputs.
    ///   - hostInputs: graph inputs that stay in host memory (token ids, `Graph.Input.vocabulary`), by
    ///     graph name: the batch's values back to back.
    ///   - keepTimelines: return every segment's timeline (`Result.timelines`, for traces).
    public static func run(_ compiled: CompiledNetwork, graph: Graph, config: HardwareConfig, inputs: [String: Tensor],
                           hostInputs: [String: [Float]] = [:], mode: SimulationMode, verify: Bool,
                           keepTimelines: Bool = false, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Result {
        var device = Device(config: config)
        let functional = mode == .functional
        if functional {
            for (name, tensor) in inputs {
                guard let symbol = compiled.segments.lazy.flatMap(\.program.inputs).first(where: { $0.name == name }) else {
                    throw RuntimeError.missingTensor(name)
                }
                try device.copyIn(tensor, to: symbol.address)
            }
        }
        let analysis = try graph.analyze()
        var parts: [Statistics] = [], outputs: [String: Tensor] = [:], hostValues: [String: [Float]] = [:]
        var checked: [KernelExecution.Verification] = []
        var hostSeconds = 0.0, checkSeconds = 0.0
        var hostOperationSeconds = [Double](repeating: 0, count: compiled.hostOperations.count), timelines: [Timeline] = []
        for (done, step) in compiled.schedule.enumerated() {
            defer { progress?(done + 1, compiled.schedule.count) }
            switch step {
            case .device(let index):
                let program = compiled.segments[index].program
                try device.load(program)
                // What the segment's checks read: its inputs as it finds them, and its constants.
                let segmentInputs = functional && verify ? try device.copyOut(program.inputs + program.constants) : [:]
                let run = try device.runWithTimeline(program, mode: mode)   // the simulator ignores the checks
                parts.append(run.statistics)
                if keepTimelines { timelines.append(run.timeline) }
                guard functional else { continue }
                let segmentOutputs = try device.copyOut(program.outputs)
                outputs.merge(segmentOutputs) { _, new in new }
                if verify && !checked.contains(where: isMismatch) {
                    let started = Date()
                    var result = try KernelExecution.verify(program, inputs: segmentInputs, outputs: segmentOutputs)
                    if case .mismatch(let message) = result, compiled.segments.count > 1 {
                        result = .mismatch("device segment \(index + 1) of \(compiled.segments.count): \(message)")
                    }
                    checked.append(result)
                    checkSeconds += Date().timeIntervalSince(started)
                }
            case .host(let index):
                guard functional else { continue }
                let started = Date()
                let operation = compiled.hostOperations[index]
                guard let info = analysis.info(of: operation.node) else { throw RuntimeError.missingTensor(operation.node) }
                var operands: [[Float]] = []
                for (input, tensor) in zip(operation.inputs, operation.inputTensors) {
                    let source = Self.aliased(input, graph)
                    if let tensor {
                        let stored = try device.copyOut(from: tensor.address, shape: tensor.dimensions, type: tensor.type)
                        operands.append(Quantizer.dequantize(stored, try quantization(of: tensor)))
                    } else if let values = hostValues[source] ?? hostInputs[source] {
                        operands.append(values)
                    } else {
                        throw RuntimeError.missingTensor(input)
                    }
                }
                let batch = compiled.batch
                var result: [Float] = []
                for image in 0..<batch {
                    let own = try operands.map { values throws(RuntimeError) -> [Float] in
                        guard values.count % batch == 0 else {
                            throw .check("host operation '\(operation.node)': \(values.count) operand values are not \(batch) images")
                        }
                        let count = values.count / batch
                        return Array(values[(image * count)..<((image + 1) * count)])
                    }
                    result += try FloatGraphReference.node(info, inputs: own)
                }
                hostValues[operation.node] = result
                if let tensor = operation.outputTensor {
                    let quantized = Quantizer.quantize(result, shape: tensor.dimensions, type: tensor.type, try quantization(of: tensor))
                    try device.copyIn(quantized, to: tensor.address)
                }
                hostOperationSeconds[index] = Date().timeIntervalSince(started)
                hostSeconds += hostOperationSeconds[index]
            }
        }
        let statistics = Statistics.sequence(parts, layerOffsets: compiled.segments.map(\.firstLayerID))
        let verification: KernelExecution.Verification = !functional ? .skipped("timing-only run")
            : !verify ? .skipped("not requested")
            : compiled.segments.isEmpty ? .skipped(Self.noDeviceLayers)
            : checked.first(where: isMismatch) ?? checked.first(where: { $0 != .bitExact }) ?? .bitExact
        return Result(statistics: statistics, outputs: outputs, hostValues: hostValues, verification: verification,
                      hostSeconds: hostSeconds, hostOperationSeconds: hostOperationSeconds, timelines: timelines,
                      checkSeconds: checkSeconds)
    }

    /// Why a network without device segments is not verified: nothing ran on the device.
    public static let noDeviceLayers = "no device layers: every operation ran on the host"

    /// The tensor whose values `name` holds: through dropout, flatten and reshape nodes (the same
    /// values in the same order) back to the node or graph input that computed them.
    static func aliased(_ name: String, _ graph: Graph) -> String {
        var tensor = name
        while let node = graph.node(named: tensor), node.op.isAlias { tensor = node.inputs[0] }
        return tensor
    }

    /// A host operation's DRAM tensor's quantization (the compiler gives every tensor one).
    static func quantization(of tensor: LinkedTensor) throws(RuntimeError) -> Quantization {
        guard let quantization = tensor.quantization else { throw .check("tensor '\(tensor.name)' has no quantization") }
        return quantization
    }

    static func isMismatch(_ verification: KernelExecution.Verification) -> Bool {
        if case .mismatch = verification { true } else { false }
    }
}
