import ISA

/// One device layer of a compiled network.
public struct NetworkLayerInfo: Equatable, Sendable {
    /// Layer name (its first graph node); the program's layer table holds it at the same index as
    /// an identifier (every character other than a letter, digit or `_` replaced by `_`).
    public var name: String
    /// Operation kind of its first node (`conv`, `fc`, `maxpool`, `add`, ...).
    public var op: String
    /// The graph nodes it covers, in order.
    public var nodes: [String]
    /// One image's output shape.
    public var outputShape: FeatureShape
    /// Multiply-accumulates over the whole batch.
    public var macs: Int
    public var roofline: Roofline
    /// The compiler's cycle estimate.
    public var estimatedCycles: Int
    /// Its ids in the network's statistics (`Statistics.layers`, numbered across segments): one,
    /// or several for a recurrent direction (its projection, then each time step).
    public var layerIDs: Range<Int> = 0..<1
    /// The program's names of those ids when there are several (`lstm1`, `lstm1_t0`, ...), else empty.
    public var partNames: [String] = []
    /// The dataflow its matmuls run in (chosen per layer on a flexible array), or nil without matmuls.
    public var dataflow: Dataflow?
}

/// A graph node the device does not run (softmax, local response normalization, upsampling, a
/// front end's `HostFunction`):
/// the host runtime executes it on the CPU, in fp32 on its dequantized inputs, between the
/// device segments before and after it (`CompiledNetwork.schedule`).
public struct HostOperation: Equatable, Sendable {
    public var node: String
    public var op: String
    public var inputs: [String]
    /// One image's output shape (the runtime computes the node image by image, `CompiledNetwork.batch`).
    public var outputShape: FeatureShape
    /// Where each input is: the DRAM tensor holding it (whole, quantized), or `nil` when it is in
    /// host memory: an earlier host operation computed it, or it is a graph input no device unit
    /// reads (token ids among them), which the runtime holds in fp32.
    public var inputTensors: [LinkedTensor?]
    /// The DRAM tensor the runtime writes the result into, quantized with its quantization, when
    /// the device reads it; `nil`: the result stays in host memory (a network output).
    public var outputTensor: LinkedTensor?
}

/// A run of consecutive device layers linked into one program.
public struct NetworkSegment: Sendable {
    public var program: Program
    /// Indices into `CompiledNetwork.layers` of its layers.
    public var layers: Range<Int>
    /// Its program's layer id `i` is the network's layer id `firstLayerID + i` (`NetworkLayerInfo.layerIDs`).
    public var firstLayerID = 0
}

/// One step of running a compiled network: a device segment or a host operation, by index.
public enum NetworkStep: Equatable, Sendable {
    case device(Int)
    case host(Int)
}

/// A whole network compiled into device programs: one per run of device layers between host
/// operations (one program when every host operation is at the network's tail). All programs
/// share one DRAM plan, so they run on one device one after another.
public struct CompiledNetwork: Sendable {
    public var segments: [NetworkSegment]
    public var layers: [NetworkLayerInfo]
    public var hostOperations: [HostOperation]
    /// The order in which the runtime runs segments and host operations.
    public var schedule: [NetworkStep]
    /// The program symbol holding each graph tensor that is a whole DRAM tensor (its own, or the
    /// one it aliases: a flatten's input), by graph name.
    public var tensorSymbols: [String: String]
    /// The activation region's size after liveness-based reuse (`MemoryPlanner`).
    public var peakActivationBytes: Int
    /// The same tensors without reuse.
    public var unsharedActivationBytes: Int
    /// Bytes of the constants region (weights, output-stage records, tables), after the activations.
    public var constantBytes: Int
    /// Images every activation tensor holds (`NetworkCompiler.Options.batch`): the programs'
    /// tensors are `[N, H, W, C]` when it is above 1, `[H, W, C]` otherwise.
    public var batch: Int
    /// Multiply-accumulates of the whole batch.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }

    /// The program of a network that runs on the device in one piece (no host operation inside it).
    public var program: Program {
        precondition(segments.count == 1, "the network runs in \(segments.count) device segments")
        return segments[0].program
    }
}

/// Compiles a graph into one program: device layers (`deviceLayers`: `Graph.fusedSteps` plus
/// standalone batch norms and activations as depthwise 1x1 layers) through the layer compiler,
/// residual adds (with a directly following ReLU fused) through `ElementwiseAddCompiler`,
/// concatenation copies through `TensorCopyCompiler`, linked by `ProgramLinker`. A transposed
/// convolution runs as `s * s` phase convolutions (`TransposedPhase`), each storing every s-th
/// pixel of the output; their parameters derive from the node's (`parameters[node]`). The batch
/// norm or activation layer that is its sole reader (`deviceLayers`) folds into every phase (its
/// parameters still read under its own name), so the transposed output is never stored unnormalized.
///
/// A recurrent node (`Recurrent`) is one unit per direction (`RecurrentCompiler`), the reverse
/// one named `<node>.reverse`; each writes its half of the output's channels. A graph input of
/// token ids (`Graph.Input.vocabulary`) is not placed in DRAM: only an embedding, a host
/// operation, reads it, from host memory; so do host operations read any graph input no device
/// unit reads. A graph without device units (only host operations and aliases) compiles into
/// no segment at all: the runtime computes it on the host alone.
///
/// Tensors without device work: dropout, flatten and reshape alias their input's storage (the
/// bytes of an HWC map are already the flattened vector); a concatenation is one tensor whose
/// producers write their channel slices in place. An input that is itself a concatenation
/// becomes a slice of the outer one (chains resolve to the root tensor with accumulated channel
/// offsets, so DenseNet's running concatenation is one tensor per block and each layer reads a
/// channel prefix of it, zero-copy). An input that cannot be written in place (a graph input, a
/// tensor already placed in another concatenation, an alias) is copied into its slice by a
/// DMA-only unit at the concatenation's position. Activations are placed by `MemoryPlanner` from address
/// 0 (with `reuseActivations`, intermediate tensors are not declared in the program; without it,
/// every tensor is an output the checks verify); constants follow, each layer's burst-aligned.
///
/// **Batch** (`Options.batch` N > 1): every activation tensor holds N images back to back (NHWC,
/// N times the DRAM), the linked programs' tensors are `[N, H, W, C]`, and every unit processes
/// the whole batch: device layers with `Layer.batch = N` (each weight tile loaded once for all
/// images), adds and copies over `N * H * W` pixels (they are per pixel), transposed-convolution
/// phases writing every s-th pixel of each image. A layer whose image is one vector (a 1x1 input
/// under a 1x1 kernel: a fully connected layer) folds the batch into pixels instead
/// (`pixelFolded`).
public enum NetworkCompiler {
    public struct Options: Equatable, Sendable {
        /// Reuse the memory of dead activations; `false` keeps and declares every tensor (to verify every layer).
        public var reuseActivations: Bool
        /// Images run through the network together (at least 1; `compile` throws otherwise).
        public var batch: Int
        /// The sigmoid and tanh tables of recurrent layers' gates.
        public var activationTables: ActivationTables
        public init(reuseActivations: Bool = true, batch: Int = 1, activationTables: ActivationTables = ActivationTables()) {
            self.reuseActivations = reuseActivations
            self.batch = batch
            self.activationTables = activationTables
        }
    }

    /// The layer that runs a batch of `batch` images of `layer` as one image of `batch` pixels,
    /// or `nil` when `layer` does not qualify (or `batch` is 1).
    ///
    /// A layer whose input is `1 x 1 x C` under a 1x1 kernel without padding or fused pooling (a
    /// fully connected layer, or a 1x1 convolution after global pooling) computes a
    /// matrix-vector product per image: batched image by image, the array would still see one
    /// pixel at a time and idle on all but one of its rows (or columns). Its input `1 x batch x C`
    /// instead streams the N images as N pixels through the stationary weights, one matmul for the
    /// batch, which is what makes batching raise utilization. The images' NHWC bytes already are
    /// that map (each image is one pixel), and so are the outputs'; the stride becomes 1 (on a
    /// 1x1 input it selected nothing).
    public static func pixelFolded(_ layer: Layer, batch: Int) -> Layer? {
        guard batch > 1, layer.batch == 1, layer.input.height == 1, layer.input.width == 1, layer.pooling == nil,
              let convolution = layer.convolution, convolution.kernelHeight == 1, convolution.kernelWidth == 1,
              convolution.padding == .zero else { return nil }
        var folded = layer
        folded.input = FeatureShape(height: 1, width: batch, channels: layer.input.channels)
        if case .convolution(var unitStride) = layer.operation {
            (unitStride.strideY, unitStride.strideX) = (1, 1)
            folded.operation = .convolution(unitStride)
        }
        return folded
    }

    public static func compile(_ graph: Graph, config: HardwareConfig, dataType: DataType, parameters: [String: LayerParameters]?,
                               quantization: [String: Quantization]?, options: Options = Options(),
                               progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(CompilerError) -> CompiledNetwork {
        func fail(_ node: String, _ message: String) -> CompilerError { .invalidLayer(layer: node, message) }
        let batch = options.batch
        guard batch >= 1 else { throw fail(graph.name, "batch must be at least 1, got \(batch)") }
        let analysis = try graph.analyze()
        let steps = try deviceSteps(graph, analysis: analysis)
        let type = dataType.operandType, e = type.byteSize
        let defaultQ = ActivationQuantization.defaults(for: dataType).input
        // Program identifiers for graph names (`layer1.0.conv1` -> `layer1_0_conv1`), unique.
        var identifiers: [String: String] = [:], taken: Set<String> = []
        for name in graph.inputs.map(\.name) + analysis.nodes.map(\.node.name) {
            var base = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            if base.first.map({ $0.isNumber }) ?? true { base = "_" + base }
            var candidate = base, suffix = 1
            while taken.contains(candidate) { candidate = "\(base)_\(suffix)"; suffix += 1 }
            taken.insert(candidate)
            identifiers[name] = candidate
        }
        func ident(_ name: String) -> String { identifiers[name] ?? name }

        // Storage: alias -> (root, channel offset). Concatenations are roots; their inputs slices.
        var root: [String: (tensor: String, offset: Int)] = [:]
        func resolve(_ name: String) -> (tensor: String, offset: Int) {
            guard let r = root[name] else { return (name, 0) }
            let next = resolve(r.tensor)
            return (next.tensor, next.offset + r.offset)
        }
        // Concatenation inputs copied into their slice (`TensorCopyCompiler`), per concatenation:
        // the source tensor and the slice's name (`<concat>@<offset>`, an alias into the concatenation).
        var copies: [String: [(source: String, slice: String)]] = [:]
        var sliceShapes: [String: FeatureShape] = [:]
        func shape(of tensor: String) -> FeatureShape { analysis.shapes[tensor] ?? sliceShapes[tensor]! }
        var deviceProduced: Set<String> = []
        var hostNodes: Set<String> = []
        var fusedAddRelu: [String: String] = [:]   // add node -> relu node
        var coveredRelu: Set<String> = []
        for step in steps {
            switch step {
            case .layer(let fused): deviceProduced.insert(fused.output)
            case .node(let info):
                let node = info.node
                if coveredRelu.contains(node.name) { continue }
                switch node.op {
                case .add:
                    var output = node.name
                    if let readers = analysis.consumers[node.name], readers.count == 1, !graph.outputs.contains(node.name),
                       let next = analysis.info(of: readers[0]), case .activation(.relu) = next.node.op {
                        fusedAddRelu[node.name] = next.node.name
                        coveredRelu.insert(next.node.name)
                        output = next.node.name
                    }
                    deviceProduced.insert(output)
                case .recurrent:
                    deviceProduced.insert(node.name)
                case .dropout, .flatten, .reshape:
                    root[node.name] = (node.inputs[0], 0)
                case .concat:
                    var offset = 0
                    for input in node.inputs {
                        var isConcat = false
                        if case .concat = analysis.info(of: input)?.node.op { isConcat = true }
                        if root[input] == nil && (deviceProduced.contains(input) || isConcat) {
                            root[input] = (node.name, offset)
                        } else {
                            let slice = "\(node.name)@\(offset)"
                            root[slice] = (node.name, offset)
                            sliceShapes[slice] = analysis.shapes[input]!
                            copies[node.name, default: []].append((input, slice))
                        }
                        offset += analysis.shapes[input]!.channels
                    }
                default:
                    hostNodes.insert(node.name)
                }
            }
        }

        // Device units in order, with their input and output tensors (graph names).
        struct Unit {
            var name: String; var op: String; var nodes: [String]; var inputs: [String]; var output: String
            var layer: Layer?; var add: ResidualAdd?; var copy: TensorCopy?; var recurrent: RecurrentDirection?
            /// A transposed convolution's phase: its node, stride and kernel width, the phase, and
            /// the batch norm or activation layer folded into it.
            var transposed: (node: String, stride: Int, kernelWidth: Int, phase: TransposedPhase, folded: FusedLayer?)?
        }
        var units: [Unit] = []
        // Host nodes in order, each with the number of units before it.
        var hostNodeList: [(info: Graph.NodeInfo, position: Int)] = []
        // Batch norm / activation layers folded into a transposed convolution: by the transposed node.
        var folded: [String: FusedLayer] = [:]
        for step in steps {
            guard case .layer(let fused) = step, let first = analysis.info(of: fused.nodes[0]) else { continue }
            switch first.node.op {
            case .batchNorm, .activation:
                let source = fused.input
                if case .transposedConvolution = analysis.info(of: source)?.node.op, analysis.consumers[source] == [first.node.name],
                   !graph.outputs.contains(source) {
                    folded[source] = fused
                }
            default: break
            }
        }
        let foldedNames = Set(folded.values.map(\.layer.name))
        for step in steps {
            switch step {
            case .layer(let fused):
                if foldedNames.contains(fused.layer.name) { continue }
                let info = analysis.info(of: fused.nodes[0])!
                if case .transposedConvolution(let t) = info.node.op {
                    let after = folded[info.node.name]
                    for var phase in try TransposedPhase.phases(t, name: info.node.name, input: info.inputShapes[0], output: info.outputShape) {
                        if let after {
                            phase.layer.hasBatchNorm = after.layer.hasBatchNorm
                            phase.layer.activation = after.layer.activation
                        }
                        units.append(Unit(name: phase.layer.name, op: info.node.op.kind, nodes: fused.nodes + (after?.nodes ?? []),
                                          inputs: [fused.input], output: after?.output ?? fused.output, layer: phase.layer,
                                          transposed: (node: info.node.name, stride: t.strideY, kernelWidth: t.kernelWidth, phase: phase,
                                                       folded: after)))
                    }
                    continue
                }
                units.append(Unit(name: fused.layer.name, op: info.node.op.kind, nodes: fused.nodes,
                                  inputs: [fused.input], output: fused.output, layer: fused.layer))
            case .node(let info):
                let node = info.node
                if case .add = node.op {
                    let relu = fusedAddRelu[node.name]
                    units.append(Unit(name: node.name, op: "add", nodes: [node.name] + (relu.map { [$0] } ?? []), inputs: node.inputs,
                                      output: relu ?? node.name, add: ResidualAdd(name: node.name, shape: info.outputShape, relu: relu != nil)))
                } else if case .recurrent(let recurrent) = node.op {
                    for reverse in recurrent.bidirectional ? [false, true] : [false] {
                        let direction = RecurrentDirection(name: node.name, recurrent: recurrent, reverse: reverse, sequence: info.inputShapes[0],
                                                           batch: batch, tables: options.activationTables)
                        units.append(Unit(name: reverse ? "\(node.name).reverse" : node.name, op: recurrent.kind, nodes: [node.name],
                                          inputs: node.inputs, output: node.name, recurrent: direction))
                    }
                } else if case .concat = node.op {
                    for (index, copy) in (copies[node.name] ?? []).enumerated() {
                        let name = "\(node.name)_copy\(index)"
                        units.append(Unit(name: name, op: "copy", nodes: [node.name], inputs: [copy.source], output: copy.slice,
                                          copy: TensorCopy(name: "\(ident(node.name))_copy\(index)", shape: shape(of: copy.slice))))
                    }
                } else if hostNodes.contains(node.name) {
                    hostNodeList.append((info, units.count))
                }
            }
        }
        // Units and host operations in execution order; host results the device reads are DRAM tensors.
        var events: [NetworkStep] = []
        var nextHost = 0
        for index in 0...units.count {
            while nextHost < hostNodeList.count && hostNodeList[nextHost].position == index { events.append(.host(nextHost)); nextHost += 1 }
            if index < units.count { events.append(.device(index)) }
        }
        let hostNames = Set(hostNodeList.map(\.info.node.name))
        let deviceRead = Set(units.flatMap { $0.inputs.map { resolve($0).tensor } })
        let deviceReadHost = deviceRead.intersection(hostNames)
        // Graph inputs only host operations read: the runtime hands them over from host memory.
        let hostOnlyInputs = Set(graph.inputs.map(\.name)).subtracting(deviceRead)

        // Liveness of storage tensors over event indices.
        var first: [String: Int] = [:], last: [String: Int] = [:]
        // Token ids stay in host memory: only an embedding (a host operation) reads them.
        let tokenInputs = Set(graph.inputs.filter { $0.vocabulary != nil }.map(\.name))
        for unit in units {
            if let input = unit.inputs.first(where: { tokenInputs.contains(resolve($0).tensor) }) {
                throw fail(unit.nodes[0], "reads token ids '\(input)'; only an embedding reads token ids")
            }
        }
        for input in graph.inputs where !tokenInputs.contains(input.name) { first[input.name] = -1; last[input.name] = -1 }
        for (index, event) in events.enumerated() {
            switch event {
            case .device(let u):
                let unit = units[u]
                let out = resolve(unit.output).tensor
                first[out] = min(first[out] ?? index, index)
                last[out] = max(last[out] ?? index, index)
                for input in unit.inputs { let r = resolve(input).tensor; last[r] = max(last[r] ?? index, index) }
            case .host(let h):
                let node = hostNodeList[h].info.node
                for input in node.inputs where !hostNames.contains(resolve(input).tensor) {
                    let r = resolve(input).tensor
                    last[r] = max(last[r] ?? index, index)
                }
                if deviceReadHost.contains(node.name) { first[node.name] = index; last[node.name] = max(last[node.name] ?? index, index) }
            }
        }
        for output in graph.outputs where first[resolve(output).tensor] != nil { last[resolve(output).tensor] = events.count }
        let storage = first.keys.sorted()
        let requests = storage.map { name in
            MemoryPlanner.Request(name: name, bytes: batch * analysis.shapes[name]!.elementCount * e, firstStep: first[name]!,
                                  lastStep: last[name]!)
        }
        let alignment = max(config.dram.burstBytes, BufferBudget.alignment)
        let memory = MemoryPlanner.plan(requests, alignment: alignment, reuse: options.reuseActivations)
        func quantizationOf(_ tensor: String) -> Quantization { quantization?[resolve(tensor).tensor] ?? quantization?[tensor] ?? defaultQ }
        func placement(_ tensor: String) -> (TensorPlacement, TensorBinding) {
            let r = resolve(tensor)
            let shape = analysis.shapes[r.tensor]!
            return (TensorPlacement(address: memory.offsets[r.tensor]!, channels: shape.channels, channelOffset: r.offset),
                    TensorBinding(tensor: ident(r.tensor), channelOffset: r.offset))
        }

        // Compile and link.
        var constants = (memory.peakBytes + alignment - 1) / alignment * alignment
        let constantBase = constants
        var linkUnits: [LinkUnit] = [], infos: [NetworkLayerInfo] = []
        for (done, unit) in units.enumerated() {
            defer { progress?(done + 1, units.count) }
            var (outPlace, outBinding) = placement(unit.output)
            let outputShape = shape(of: unit.output)
            if var layer = unit.layer {
                if let transposed = unit.transposed {
                    layer.name = "\(ident(transposed.node))_p\(transposed.phase.phaseY)\(transposed.phase.phaseX)"
                    let step = transposed.stride
                    (outPlace.pixelStep, outPlace.phaseY, outPlace.phaseX) = (step, transposed.phase.phaseY, transposed.phase.phaseX)
                    (outBinding.pixelStep, outBinding.phaseY, outBinding.phaseX) = (step, transposed.phase.phaseY, transposed.phase.phaseX)
                } else {
                    layer.name = ident(layer.name)
                }
                var (inPlace, inBinding) = placement(unit.inputs[0])
                if analysis.shapes[resolve(unit.inputs[0]).tensor]!.elementCount == layer.input.elementCount && inPlace.channelOffset == 0 {
                    inPlace.channels = nil   // dense, possibly reshaped (flatten before FC)
                }
                var layerOut = outPlace
                if outPlace.channelOffset == 0 && outPlace.channels == outputShape.channels { layerOut.channels = nil }
                // A batch: folded into pixels where the images are vectors read and written densely, else per image.
                if unit.transposed == nil, inPlace.channels == nil, layerOut.channels == nil,
                   let folded = Self.pixelFolded(layer, batch: batch) {
                    layer = folded
                } else {
                    layer.batch = batch
                }
                let q = ActivationQuantization(input: quantizationOf(unit.inputs[0]), output: quantizationOf(unit.output))
                var layerParameters = parameters?[unit.name]
                if let transposed = unit.transposed {
                    layerParameters = nil
                    if let given = parameters?[transposed.node] {
                        layerParameters = try transposed.phase.parameters(given, kernelWidth: transposed.kernelWidth)
                        if let after = transposed.folded {
                            let channels = after.layer.input.channels
                            let own = parameters?[after.layer.name]
                            if after.layer.hasBatchNorm && own?.batchNorm == nil {
                                throw fail(after.layer.name, "no batch norm statistics given for this layer")
                            }
                            // Its depthwise weights (none given: 1, as for the fp32 reference's lone batch norm).
                            let weights = own?.weights ?? []
                            let scale = weights.isEmpty ? Array(repeating: 1, count: channels) : weights
                            guard scale.count == channels else {
                                throw fail(after.layer.name, "weights have \(scale.count) values, expected \(channels)")
                            }
                            layerParameters = TransposedPhase.folding(layerParameters!, scale: scale, batchNorm: own?.batchNorm)
                        }
                    }
                }
                if parameters != nil, layerParameters == nil, case .activation = analysis.info(of: unit.name)?.node.op {
                    layerParameters = LayerParameters(weights: Array(repeating: 1, count: layer.input.channels))   // a lone activation
                }
                let compiled = try LayerCompiler.compile(layer, config: config, dataType: dataType, parameters: layerParameters,
                                                         quantization: q, placement: LayerPlacement(input: inPlace, output: layerOut,
                                                                                                    constants: constants))
                if parameters != nil && layer.convolution != nil && layerParameters == nil {
                    throw fail(unit.name, "no parameters given for this layer")
                }
                constants = (compiled.constants.upperBound + alignment - 1) / alignment * alignment
                linkUnits.append(LinkUnit(name: layer.name, program: compiled.program, bindings: ["X": inBinding, "Y": outBinding]))
                infos.append(NetworkLayerInfo(name: unit.name, op: unit.op, nodes: unit.nodes, outputShape: outputShape, macs: compiled.macs,
                                              roofline: compiled.roofline, estimatedCycles: compiled.estimatedCycles,
                                              dataflow: compiled.macs > 0 ? compiled.plan.dataflow.resolved(config.array.dataflow) : nil))
            } else if var direction = unit.recurrent {
                let (inPlace, inBinding) = placement(unit.inputs[0])
                let offset = direction.directionIndex * direction.recurrent.hiddenSize
                outPlace.channelOffset += offset
                outPlace.channels = outputShape.channels
                outBinding.channelOffset += offset
                direction.name = ident(unit.nodes[0]) + (direction.reverse ? "_reverse" : "")
                let given = parameters?[unit.nodes[0]]
                if parameters != nil && given == nil { throw fail(unit.nodes[0], "no parameters given for this layer") }
                let q = ActivationQuantization(input: quantizationOf(unit.inputs[0]), output: quantizationOf(unit.output))
                var bindings = ["X": inBinding, "Y": outBinding]
                // The given initial states (`Recurrent`'s inputs after the sequence): h_0, then an LSTM's c_0.
                var initial: [RecurrentInitialState] = []
                for (input, symbol) in zip(unit.inputs.dropFirst(), ["H0", "C0"]) {
                    var (statePlace, stateBinding) = placement(input)
                    statePlace.channels = statePlace.channels ?? direction.recurrent.directions * direction.recurrent.hiddenSize
                    statePlace.channelOffset += offset
                    stateBinding.channelOffset += offset
                    bindings[symbol] = stateBinding
                    initial.append(RecurrentInitialState(placement: statePlace, quantization: quantizationOf(input)))
                }
                let compiled = try RecurrentCompiler.compile(direction, config: config, dataType: dataType, parameters: given, quantization: q,
                                                             placement: LayerPlacement(input: inPlace, output: outPlace, constants: constants),
                                                             initialState: initial.first, initialCell: initial.count > 1 ? initial[1] : nil)
                constants = (compiled.constants.upperBound + alignment - 1) / alignment * alignment
                linkUnits.append(LinkUnit(name: direction.name, program: compiled.program, bindings: bindings))
                // Recurrent matmuls run in the array's configured dataflow (weight-stationary on a flexible array).
                infos.append(NetworkLayerInfo(name: unit.name, op: unit.op, nodes: unit.nodes, outputShape: outputShape, macs: compiled.macs,
                                              roofline: compiled.roofline, estimatedCycles: compiled.estimatedCycles,
                                              dataflow: config.array.dataflow))
            } else if let copy = unit.copy {
                let (inPlace, inBinding) = placement(unit.inputs[0])
                let q = quantizationOf(unit.output)
                guard quantizationOf(unit.inputs[0]) == q else {
                    throw fail(unit.name, "copies '\(unit.inputs[0])' into a concatenation quantized differently")
                }
                var copy = copy
                copy.batch = batch
                let compiled = try TensorCopyCompiler.compile(copy, config: config, dataType: dataType, quantization: q,
                                                              input: inPlace, output: outPlace)
                linkUnits.append(LinkUnit(name: copy.name, program: compiled.program, bindings: ["X": inBinding, "Y": outBinding]))
                infos.append(NetworkLayerInfo(name: unit.name, op: "copy", nodes: unit.nodes, outputShape: outputShape, macs: 0,
                                              roofline: compiled.roofline, estimatedCycles: compiled.estimatedCycles))
            } else if var add = unit.add {
                add.name = ident(add.name)
                add.batch = batch
                let (aPlace, aBinding) = placement(unit.inputs[0]), (bPlace, bBinding) = placement(unit.inputs[1])
                let q = AddQuantization(a: quantizationOf(unit.inputs[0]), b: quantizationOf(unit.inputs[1]), output: quantizationOf(unit.output))
                let compiled = try ElementwiseAddCompiler.compile(add, config: config, dataType: dataType, quantization: q,
                                                                  placement: AddPlacement(a: aPlace, b: bPlace, output: outPlace))
                linkUnits.append(LinkUnit(name: add.name, program: compiled.program, bindings: ["A": aBinding, "B": bBinding, "Y": outBinding]))
                infos.append(NetworkLayerInfo(name: unit.name, op: "add", nodes: unit.nodes, outputShape: outputShape, macs: 0,
                                              roofline: compiled.roofline, estimatedCycles: compiled.estimatedCycles))
            }
        }
        guard constants <= config.dram.capacityBytes else {
            throw fail(graph.name, "needs \(constants) bytes of DRAM; the configuration has \(config.dram.capacityBytes)")
        }
        func linked(_ name: String, role: TensorSymbol.Role?) -> LinkedTensor {
            LinkedTensor(name: ident(name), address: memory.offsets[name]!, shape: analysis.shapes[name]!, batch: batch, type: type,
                         quantization: quantizationOf(name), role: role)
        }
        let hostOperations = try hostNodeList.map { (info, _) throws(CompilerError) -> HostOperation in
            let node = info.node
            let inputTensors = try node.inputs.map { input throws(CompilerError) -> LinkedTensor? in
                let r = resolve(input)
                if hostNames.contains(r.tensor) || hostOnlyInputs.contains(r.tensor) { return nil }
                guard r.offset == 0, analysis.shapes[r.tensor]!.elementCount == analysis.shapes[input]!.elementCount else {
                    throw fail(node.name, "reads a channel slice of '\(r.tensor)'; host operations read whole tensors")
                }
                return linked(r.tensor, role: nil)
            }
            return HostOperation(node: node.name, op: node.op.kind, inputs: node.inputs, outputShape: info.outputShape,
                                 inputTensors: inputTensors,
                                 outputTensor: deviceReadHost.contains(node.name) ? linked(node.name, role: nil) : nil)
        }
        var nextLayerID = 0
        for index in infos.indices {
            let names = linkUnits[index].program.layerNames
            infos[index].layerIDs = nextLayerID..<(nextLayerID + names.count)
            infos[index].partNames = names.count > 1 ? names : []
            nextLayerID += names.count
        }
        var (segments, schedule) = try linkSegments(events: events, linkUnits: linkUnits, unitTensors: units.map { unit in
            (inputs: unit.inputs.map { resolve($0).tensor }, output: resolve(unit.output).tensor)
        }, hostInputs: hostOperations.map { $0.inputs.map { resolve($0).tensor } }, graph: graph, keepAll: !options.reuseActivations,
           outputs: Set(graph.outputs.map { resolve($0).tensor }), linked: linked, config: config)
        for index in segments.indices { segments[index].firstLayerID = infos[segments[index].layers.lowerBound].layerIDs.lowerBound }
        var tensorSymbols: [String: String] = [:]
        for (name, tensorShape) in analysis.shapes {
            let r = resolve(name)
            if memory.offsets[r.tensor] != nil, r.offset == 0, analysis.shapes[r.tensor]!.elementCount == tensorShape.elementCount {
                tensorSymbols[name] = ident(r.tensor)
            }
        }
        return CompiledNetwork(segments: segments, layers: infos, hostOperations: hostOperations, schedule: schedule,
                               tensorSymbols: tensorSymbols,
                               peakActivationBytes: memory.peakBytes, unsharedActivationBytes: memory.unsharedBytes,
                               constantBytes: constants - constantBase, batch: batch)
    }

    /// Links each run of consecutive device units between host operations into one program.
    /// A segment declares the tensors its units read or write: `.input` when produced outside it
    /// (a graph input, an earlier segment, a host operation), `.output` when produced in it and
    /// read afterwards (a later segment, a host operation, a network output; every tensor with
    /// `keepAll`), undeclared otherwise. A tensor written by two segments (a concatenation
    /// whose branches straddle a host operation) is not supported.
    static func linkSegments(events: [NetworkStep], linkUnits: [LinkUnit], unitTensors: [(inputs: [String], output: String)],
                             hostInputs: [[String]], graph: Graph, keepAll: Bool, outputs: Set<String>,
                             linked: (String, TensorSymbol.Role?) -> LinkedTensor,
                             config: HardwareConfig) throws(CompilerError) -> ([NetworkSegment], [NetworkStep]) {
        var runs: [Range<Int>] = [], schedule: [NetworkStep] = []
        for event in events {
            switch event {
            case .device(let unit):
                if case .device? = schedule.last { runs[runs.count - 1] = runs[runs.count - 1].lowerBound..<(unit + 1) } else {
                    schedule.append(.device(runs.count))
                    runs.append(unit..<(unit + 1))
                }
            case .host: schedule.append(event)
            }
        }
        var producer: [String: Int] = [:]
        for (index, run) in runs.enumerated() {
            for unit in run {
                let output = unitTensors[unit].output
                if let other = producer[output], other != index {
                    throw .invalidLayer(layer: output, "is written on both sides of a host operation; not supported")
                }
                producer[output] = index
            }
        }
        let hostRead = Set(hostInputs.flatMap { $0 })
        var segments: [NetworkSegment] = []
        for (index, run) in runs.enumerated() {
            let readLater = Set(runs[(index + 1)...].flatMap { later in later.flatMap { unitTensors[$0].inputs } })
            var names: [String] = []
            for unit in run { names += unitTensors[unit].inputs + [unitTensors[unit].output] }
            var seen: Set<String> = []
            let tensors = names.filter { seen.insert($0).inserted }.sorted().map { name -> LinkedTensor in
                guard producer[name] == index else { return linked(name, .input) }
                let kept = keepAll || outputs.contains(name) || hostRead.contains(name) || readLater.contains(name)
                return linked(name, kept ? .output : nil)
            }
            let program = try ProgramLinker.link(Array(linkUnits[run]), tensors: tensors, config: config)
            segments.append(NetworkSegment(program: program, layers: run))
        }
        return (segments, schedule)
    }
}
