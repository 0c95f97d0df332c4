import Compiler
import Foundation
import ISA
import Simulator

/// Compiles a whole network, runs it on the simulated NPU and reports per layer: what `npu run`
/// does.
///
/// A timing-only run compiles without data. A functional run draws seeded parameters for every
/// device layer and a seeded fp32 input, computes the fp32 reference of the whole graph,
/// calibrates every tensor's int8 (or fixed-point) quantization on it, compiles with those, runs
/// the device on the quantized input, and reports the agreement of the device output with fp32
/// (cosine similarity, top-1). With `verify` the output is compared bit for bit with the integer
/// reference (the program's checks); with `verifyLayers` every intermediate tensor is kept and
/// checked too. `Options.parameters` and `Options.inputs` replace the seeded parameters and
/// inputs with given ones (an imported model's weights and real images).
///
/// With a `batch` of N the network is compiled for N images (`NetworkCompiler.Options.batch`);
/// a functional run draws N seeded inputs (image i: the input seed plus i), computes the fp32
/// reference image by image, calibrates every tensor on all images' values together, and
/// compares the N device outputs with their references (top-1 per image for a classifier).
public enum NetworkRun {
    /// The phases a run reports progress in (`Options.progress`).
    public enum Phase: String, Sendable {
        /// Compiling the device layers: done and total count layers.
        case compile = "layers compiled"
        /// Running the device segments and host operations in order: done and total count them.
        case execute = "device segments and host operations run"
    }

    public struct Options: Sendable {
        public var config: HardwareConfig
        public var dataType: DataType
        public var seed: UInt64
        public var mode: SimulationMode
        /// Compare the output with the integer reference (functional runs).
        public var verify: Bool
        /// Keep and verify every layer's output (not only the network's).
        public var verifyLayers: Bool
        /// Images run together (at least 1): every tensor holds them all, and each weight byte
        /// loaded serves them all.
        public var batch: Int
        /// The sigmoid and tanh tables of recurrent layers.
        public var activationTables: ActivationTables
        /// Parameters to run with instead of seeded random ones (functional runs), keyed as
        /// `NetworkCompiler.compile` and `FloatGraphReference.run` take them: a model's real
        /// weights (an imported ONNX model's). `nil`: draw them from `seed`, as before.
        public var parameters: [String: LayerParameters]?
        /// Input values to run on instead of seeded random ones (functional runs): per graph input
        /// name, one array per image of the batch (`batch` arrays), each in graph HWC order with
        /// the input shape's element count; every graph input must be given. `nil`: draw them
        /// from `seed`, as before.
        public var inputs: [String: [[Float]]]?
        /// int8 activation quantization fixed by the model for some tensors (graph input and node
        /// names): a QDQ model's `QuantizeLinear` scales and zero points. They replace the
        /// calibrated ones, for the whole group of tensors sharing one quantization (see
        /// `calibrate`); every other tensor is calibrated. Ignored for int16.
        public var quantization: [String: Quantization]
        /// What the activation ranges are calibrated on (functional runs).
        public var calibration: CalibrationSource
        /// Keep every device segment's timeline (`Report.timelines`) for a trace (`DeviceTrace`).
        public var keepTimelines: Bool
        /// Called as the run advances (`npu run`'s progress line); nil: silent.
        public var progress: (@Sendable (Phase, _ done: Int, _ total: Int) -> Void)?

        public init(config: HardwareConfig, dataType: DataType, seed: UInt64 = 1, mode: SimulationMode = .timingOnly,
                    verify: Bool = false, verifyLayers: Bool = false, batch: Int = 1, activationTables: ActivationTables = ActivationTables(),
                    parameters: [String: LayerParameters]? = nil, inputs: [String: [[Float]]]? = nil,
                    quantization: [String: Quantization] = [:], calibration: CalibrationSource = .runInputs,
                    keepTimelines: Bool = false, progress: (@Sendable (Phase, _ done: Int, _ total: Int) -> Void)? = nil) {
            self.config = config
            self.dataType = dataType
            self.seed = seed
            self.mode = mode
            self.verify = verify || verifyLayers
            self.verifyLayers = verifyLayers
            self.batch = batch
            self.activationTables = activationTables
            self.parameters = parameters
            self.inputs = inputs
            self.quantization = quantization
            self.calibration = calibration
            self.keepTimelines = keepTimelines
            self.progress = progress
        }
    }

    /// The inputs whose fp32 tensors calibrate the activation quantization (per tensor, the
    /// range over all of them, `calibrate`).
    public enum CalibrationSource: Equatable, Sendable {
        /// The run's own images (the default): the quantization fits exactly what is run.
        case runInputs
        /// `count` seeded inputs drawn from the run's seed but apart from its images (values
        /// uniform in [-1, 1], token ids uniform over the vocabulary), so a run on one given image
        /// is quantized as a deployment calibrated beforehand would be.
        case seeded(count: Int)
        /// Given samples: per graph input name, one array per sample in graph order (every graph
        /// input needs the same number of samples).
        case samples([String: [[Float]]])
    }

    /// One row of the per-layer table: what the compiler planned and what the simulator measured.
    public struct LayerRow: Sendable {
        public var info: NetworkLayerInfo
        /// All its layer ids together.
        public var statistics: LayerStatistics
        /// Each id's own statistics when it has several (a recurrent layer: its projection, then
        /// every time step, named as `info.partNames`), else empty.
        public var parts: [LayerStatistics]
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
        /// Wall time of the host operations (0 in timing-only runs, which skip them).
        public var hostSeconds: Double
        /// Each host operation's wall time, by index into `compiled.hostOperations`.
        public var hostOperationSeconds: [Double]
        /// Each device segment's timeline, by index into `compiled.segments`, with
        /// `Options.keepTimelines` (else empty).
        public var timelines: [Timeline]
        /// The device output against the fp32 graph (functional runs): the last device tensor.
        public var agreement: NetworkAgreement?
        /// The host operations' fp32 results by node name (functional runs): a classifier's
        /// probabilities, the batch's images back to back.
        public var hostValues: [String: [Float]]
        /// Each graph output as the run computed it, in real values (functional runs): the device
        /// tensor dequantized, or a host operation's fp32 result; the batch's images back to back,
        /// graph (HWC) order.
        public var outputValues: [String: [Float]]
        /// Each graph output of the fp32 reference of the whole graph on the same inputs
        /// (functional runs), as `outputValues` lays them out.
        public var referenceValues: [String: [Float]]
        /// Images run together (`Options.batch`).
        public var batch: Int { compiled.batch }
        /// The sigmoid and tanh tables of recurrent gates (`Options.activationTables`).
        public var activationTables: ActivationTables
        /// Their max abs errors against the exact functions over their range
        /// (`PWLTable.maximumError`), when the network has recurrent layers.
        public var activationTableErrors: (sigmoid: Double, tanh: Double)?
    }

    public static func run(_ graph: Graph, options: Options) throws -> Report {
        let started = Date()
        var parameters: [String: LayerParameters]?
        // The fp32 reference's tensors, per image.
        var floatValues: [[String: [Float]]] = []
        var quantization: [String: Quantization]?
        // Every graph input's values, the batch's images back to back.
        var floatInputs: [String: [Float]] = [:]
        if options.mode == .functional {
            var table: [String: LayerParameters] = options.parameters ?? [:]
            if options.parameters == nil {
                for (index, fused) in try NetworkCompiler.deviceLayers(graph).enumerated() where fused.layer.convolution != nil {
                    let random = LayerParameters.random(for: fused.layer, seed: options.seed &+ UInt64(index))
                    switch graph.node(named: fused.nodes[0])?.op {
                    case .batchNorm?:
                        // A standalone batch norm runs as a depthwise 1x1 layer of unit weights with the
                        // statistics folded in (NetworkCompiler.deviceLayers); the fp32 graph reference
                        // reads the same statistics under the node's name.
                        table[fused.layer.name] = LayerParameters(weights: [Float](repeating: 1, count: random.weights.count),
                                                                  batchNorm: random.batchNorm)
                    case .activation?:
                        continue  // a lone activation: the compiler supplies unit weights
                    default:
                        table[fused.layer.name] = random
                    }
                }
                for info in try graph.analyze().nodes {
                    if case .recurrent = info.node.op { table[info.node.name] = FloatGraphReference.hostParameters(for: info) }
                }
            }
            parameters = table
            for image in 0..<max(options.batch, 1) {   // (the compiler rejects a batch below 1)
                var inputs: [String: [Float]] = [:]
                for (index, input) in graph.inputs.enumerated() {
                    let seed = options.seed &+ 0x5EED &+ UInt64(image) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
                    let values = try options.inputs.map { try givenInput(input, image: image, batch: max(options.batch, 1), $0) }
                        ?? Self.seededInput(input, seed: seed)
                    inputs[input.name] = values
                    floatInputs[input.name, default: []] += values
                }
                floatValues.append(try FloatGraphReference.run(graph, parameters: table, inputs: inputs))
            }
            let calibrationValues = try Self.calibrationValues(graph, parameters: table, options: options) ?? floatValues
            quantization = try Self.calibrate(graph, images: calibrationValues, dataType: options.dataType,
                                              fixed: options.dataType == .int8 ? options.quantization : [:])
        }
        let compiled = try NetworkCompiler.compile(graph, config: options.config, dataType: options.dataType, parameters: parameters,
                                                   quantization: quantization,
                                                   options: NetworkCompiler.Options(reuseActivations: !options.verifyLayers,
                                                                                    batch: options.batch,
                                                                                    activationTables: options.activationTables),
                                                   progress: options.progress.map { report in { report(.compile, $0, $1) } })
        let compiledAt = Date()
        var inputs: [String: Tensor] = [:], hostInputs: [String: [Float]] = [:]
        for input in graph.inputs where options.mode == .functional {
            guard let values = floatInputs[input.name] else { continue }
            if input.vocabulary != nil {
                hostInputs[input.name] = values
            } else if let q = quantization?[input.name],
                      let symbol = compiled.segments.lazy.flatMap(\.program.inputs).first(where: { $0.name == compiled.tensorSymbols[input.name] }) {
                inputs[symbol.name] = Quantizer.quantize(values, shape: symbol.shape, type: symbol.type, q)
            } else {
                hostInputs[input.name] = values   // no device unit reads it: host operations take it from host memory
            }
        }
        let result = try NetworkExecution.run(compiled, graph: graph, config: options.config, inputs: inputs, hostInputs: hostInputs,
                                              mode: options.mode, verify: options.verify, keepTimelines: options.keepTimelines,
                                              progress: options.progress.map { report in { report(.execute, $0, $1) } })
        let finished = Date()
        let verification = result.verification
        let agreement = options.mode == .functional
            ? Self.agreement(compiled, graph: graph, outputs: result.outputs, reference: floatValues, quantization: quantization ?? [:])
            : nil
        let byID = Dictionary(result.statistics.layers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = compiled.layers.enumerated().map { index, info in
            let parts = info.layerIDs.map { byID[$0] ?? LayerStatistics(id: $0) }
            return LayerRow(info: info, statistics: parts.count == 1 ? parts[0] : LayerStatistics.merged(parts, id: info.layerIDs.lowerBound),
                            parts: parts.count == 1 ? [] : parts)
        }
        return Report(model: graph.name, compiled: compiled, statistics: result.statistics, layers: rows,
                      verification: verification, compileSeconds: compiledAt.timeIntervalSince(started),
                      simulateSeconds: finished.timeIntervalSince(compiledAt) - result.checkSeconds - result.hostSeconds,
                      referenceSeconds: result.checkSeconds, hostSeconds: result.hostSeconds,
                      hostOperationSeconds: result.hostOperationSeconds, timelines: result.timelines, agreement: agreement,
                      hostValues: result.hostValues,
                      outputValues: options.mode == .functional
                          ? Self.outputValues(compiled, graph: graph, result: result, inputs: inputs, hostInputs: hostInputs,
                                              quantization: quantization ?? [:]) : [:],
                      referenceValues: Dictionary(uniqueKeysWithValues: graph.outputs.map { name in
                          (name, floatValues.flatMap { $0[name] ?? [] })
                      }),
                      activationTables: options.activationTables,
                      activationTableErrors: try Self.activationTableErrors(graph, options.activationTables))
    }

    /// Seeded values for graph input `input`: token ids uniform over its vocabulary, else values
    /// uniform in [-1, 1].
    static func seededInput(_ input: Graph.Input, seed: UInt64) -> [Float] {
        input.vocabulary.map { FloatData.tokens(count: input.shape.elementCount, vocabulary: $0, seed: seed) }
            ?? FloatData.random(count: input.shape.elementCount, seed: seed)
    }

    /// The fp32 tensors of `options.calibration`'s samples; nil for `.runInputs`.
    static func calibrationValues(_ graph: Graph, parameters: [String: LayerParameters],
                                  options: Options) throws -> [[String: [Float]]]? {
        switch options.calibration {
        case .runInputs:
            return nil
        case .seeded(let count):
            guard count >= 1 else { throw ReferenceError("calibration", "needs at least one sample, got \(count)") }
            return try (0..<count).map { sample in
                var inputs: [String: [Float]] = [:]
                for (index, input) in graph.inputs.enumerated() {
                    let seed = options.seed &+ 0xCA1B &+ UInt64(sample) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index)
                    inputs[input.name] = Self.seededInput(input, seed: seed)
                }
                return try FloatGraphReference.run(graph, parameters: parameters, inputs: inputs)
            }
        case .samples(let samples):
            let counts = Set(graph.inputs.map { samples[$0.name]?.count ?? 0 })
            guard counts.count == 1, let count = counts.first, count >= 1 else {
                throw ReferenceError("calibration", "every graph input needs the same number (at least one) of samples")
            }
            return try (0..<count).map { sample in
                var inputs: [String: [Float]] = [:]
                for input in graph.inputs {
                    let values = samples[input.name]![sample]
                    guard values.count == input.shape.elementCount else {
                        throw ReferenceError("calibration", "sample \(sample) of '\(input.name)' holds \(values.count) values; "
                                                             + "its shape \(input.shape) needs \(input.shape.elementCount)")
                    }
                    inputs[input.name] = values
                }
                return try FloatGraphReference.run(graph, parameters: parameters, inputs: inputs)
            }
        }
    }

    /// The graph outputs in real values: a host operation's result as computed, a device tensor
    /// dequantized with its quantization. An output that aliases another tensor (dropout,
    /// flatten, reshape: the same values) takes that tensor's, a graph input's the quantized
    /// input the device read (or, when no device unit reads it, the input as given).
    static func outputValues(_ compiled: CompiledNetwork, graph: Graph, result: NetworkExecution.Result, inputs: [String: Tensor],
                             hostInputs: [String: [Float]], quantization: [String: Quantization]) -> [String: [Float]] {
        var values: [String: [Float]] = [:]
        for name in graph.outputs {
            var tensor = name
            while values[name] == nil {
                if let host = result.hostValues[tensor] ?? hostInputs[tensor] {
                    values[name] = host
                } else if let symbol = compiled.tensorSymbols[tensor], let stored = result.outputs[symbol] ?? inputs[symbol],
                          let q = quantization[tensor] {
                    values[name] = Quantizer.dequantize(stored, q)
                } else if let node = graph.node(named: tensor), node.op.isAlias {
                    tensor = node.inputs[0]
                } else {
                    break
                }
            }
        }
        return values
    }

    /// Image `image`'s values of graph input `input` from `Options.inputs`, checked: given for the
    /// input, one array per image of the batch, each of the input shape's element count.
    static func givenInput(_ input: Graph.Input, image: Int, batch: Int, _ given: [String: [[Float]]]) throws -> [Float] {
        func fail(_ message: String) -> ReferenceError { ReferenceError("input '\(input.name)'", message) }
        guard let images = given[input.name] else { throw fail("no values given (Options.inputs names no such input)") }
        guard images.count == batch else { throw fail("\(images.count) images given for a batch of \(batch)") }
        guard images[image].count == input.shape.elementCount else {
            throw fail("image \(image) has \(images[image].count) values, expected \(input.shape.elementCount) (\(input.shape))")
        }
        return images[image]
    }

    /// `PWLTable.maximumError` of both tables, if `graph` has a recurrent layer.
    static func activationTableErrors(_ graph: Graph, _ tables: ActivationTables) throws -> (sigmoid: Double, tanh: Double)? {
        guard graph.nodes.contains(where: { if case .recurrent = $0.op { true } else { false } }) else { return nil }
        return (try PWLTable.maximumError(tables.parameters(.sigmoid)), try PWLTable.maximumError(tables.parameters(.tanh)))
    }

    /// Per-tensor quantization calibrated on the fp32 values, with the tensors that must share
    /// one quantization calibrated together on the union of their values: a max pooling's input
    /// and output (it selects values), a concatenation and its inputs (they are slices of one
    /// tensor), the aliases dropout, flatten and reshape, and a recurrent layer's initial hidden
    /// state and its output (the layer keeps its state in the output's quantization, so the
    /// range must cover the initial state too). `images` holds each image's values
    /// (one per image of a batch): a tensor's range covers all of them. A `fixed` quantization
    /// (a QDQ model's) replaces its group's calibrated one (the first in graph order, if a group
    /// has several).
    static func calibrate(_ graph: Graph, images: [[String: [Float]]], dataType: DataType,
                          fixed: [String: Quantization] = [:]) throws -> [String: Quantization] {
        var parent: [String: String] = [:]
        func find(_ name: String) -> String {
            guard let up = parent[name], up != name else { return name }
            let top = find(up)
            parent[name] = top
            return top
        }
        func unite(_ a: String, _ b: String) {
            let (ra, rb) = (find(a), find(b))
            if ra != rb { parent[ra] = rb }
        }
        for node in try graph.topologicalOrder() {
            switch node.op {
            case .pooling(let pooling) where pooling.kind == .max: unite(node.inputs[0], node.name)
            case .concat, .dropout, .flatten, .reshape: for input in node.inputs { unite(input, node.name) }
            case .recurrent where node.inputs.count >= 2: unite(node.inputs[1], node.name)   // h_0 (not an LSTM's c_0: its own range)
            default: break
            }
        }
        var groups: [String: [Float]] = [:]
        for values in images {
            for (name, tensor) in values { groups[find(name), default: []] += [tensor.min() ?? 0, tensor.max() ?? 0] }
        }
        var perGroup = dataType == .int16 ? NetworkCalibration.fixedPoint(values: groups) : NetworkCalibration.int8(values: groups)
        var fixedGroups: Set<String> = []
        for name in graph.inputs.map(\.name) + graph.nodes.map(\.name) {
            guard let q = fixed[name], fixedGroups.insert(find(name)).inserted else { continue }
            perGroup[find(name)] = q
        }
        var result: [String: Quantization] = [:]
        for name in images.first?.keys.map({ $0 }) ?? [] { result[name] = perGroup[find(name)] }
        return result
    }

    /// The network's output as the device computed it against the fp32 value of the same graph
    /// tensor. When host operations compute the output (a classifier's softmax), the device tensor
    /// they start from: the first input of each, back to a device tensor (the logits). A batch's
    /// images are compared together, their pixels as rows (`[N, H, W, C]` as `N*H x W x C`), so
    /// a classifier's top-1 is counted per image.
    static func agreement(_ compiled: CompiledNetwork, graph: Graph, outputs: [String: Tensor], reference: [[String: [Float]]],
                          quantization: [String: Quantization]) -> NetworkAgreement? {
        guard var tensor = graph.outputs.first else { return nil }
        while let host = compiled.hostOperations.first(where: { $0.node == tensor }), let input = host.inputs.first { tensor = input }
        let images = reference.compactMap { $0[tensor] }
        guard let symbol = compiled.tensorSymbols[tensor], let device = outputs[symbol], images.count == reference.count,
              let q = quantization[tensor] else { return nil }
        let values = images.flatMap { $0 }
        guard values.count == device.elementCount else { return nil }
        let dims = device.shape
        let shape = dims.count == 3 ? FeatureShape(height: dims[0], width: dims[1], channels: dims[2])
            : dims.count == 4 ? FeatureShape(height: dims[0] * dims[1], width: dims[2], channels: dims[3])
            : FeatureShape(height: 1, width: 1, channels: device.elementCount)
        return NetworkAgreement(output: tensor, shape: shape, reference: values, device: device, quantization: q)
    }
}
