extension NetworkCompiler {
    /// The device layers of a network as `NetworkCompiler` compiles them, in order: the layers of
    /// `Graph.fusedSteps`, and one depthwise 1x1 convolution (`groups = C`, no bias) for each batch
    /// norm or activation that does not follow a convolution (DenseNet's pre-activation
    /// BN-ReLU): a batch norm absorbs a directly following activation (its sole reader, not a
    /// graph output) and is folded into the layer (`hasBatchNorm`); a lone activation is the
    /// layer's epilogue. The `parameters` given to `compile` are keyed by these layers' names.
    /// For a batch norm layer they are its `[1][1][1][C]` weights (1 for the batch norm alone)
    /// and its statistics; a lone activation needs none (the compiler uses weights of 1).
    ///
    /// A transposed convolution (groups 1) is one entry named after its node: a stride-1
    /// convolution `R x S`, `C -> K`, with the node's bias, standing for its parameters (weights
    /// `[R][S][C][K]`, the layout the fp32 graph reference reads under the node's name, and
    /// `LayerParameters.random(for:)` draws the right count). `compile` runs it as `s * s`
    /// sub-pixel phase convolutions (`TransposedPhase`) writing every s-th output pixel. A batch
    /// norm or activation after it (its sole reader) stays a depthwise 1x1 entry here, so its
    /// parameters are given under its own name as for any lone batch norm, and `compile` folds it
    /// into every phase.
    public static func deviceLayers(_ graph: Graph) throws(CompilerError) -> [FusedLayer] {
        try deviceSteps(graph, analysis: graph.analyze()).compactMap { step in
            if case .layer(let fused) = step { fused } else { nil }
        }
    }

    /// `Graph.fusedSteps` with the batch norms and activations described in `deviceLayers` made layers.
    /// An activation directly after a residual add (its sole reader) stays a node: the add fuses it.
    static func deviceSteps(_ graph: Graph, analysis: Graph.Analysis) throws(CompilerError) -> [Graph.Step] {
        let graphOutputs = Set(graph.outputs)
        func soleReader(of tensor: String) -> Graph.NodeInfo? {
            guard !graphOutputs.contains(tensor), let readers = analysis.consumers[tensor], readers.count == 1 else { return nil }
            return analysis.info(of: readers[0])
        }
        var covered: Set<String> = []
        var result: [Graph.Step] = []
        for step in try graph.fusedSteps() {
            guard case .node(let info) = step else { result.append(step); continue }
            let node = info.node
            if covered.contains(node.name) { continue }
            var activation: Activation?, nodes = [node.name]
            switch node.op {
            case .transposedConvolution(let t):
                let convolution = Convolution(outputChannels: t.outputChannels, kernelHeight: t.kernelHeight, kernelWidth: t.kernelWidth,
                                              groups: t.groups)
                let layer = Layer(name: node.name, operation: .convolution(convolution), input: info.inputShapes[0], hasBias: t.hasBias)
                result.append(.layer(FusedLayer(layer: layer, nodes: [node.name], input: node.inputs[0], output: node.name)))
                continue
            case .batchNorm:
                if let next = soleReader(of: node.name), case .activation(let following) = next.node.op {
                    activation = following
                    nodes.append(next.node.name)
                }
            case .activation(let own):
                if case .add = analysis.info(of: node.inputs[0])?.node.op, soleReader(of: node.inputs[0])?.node.name == node.name {
                    result.append(step)
                    continue
                }
                activation = own
            default:
                result.append(step)
                continue
            }
            let channels = info.outputShape.channels
            var layer = Layer(name: node.name, operation: .convolution(Convolution(outputChannels: channels, kernelHeight: 1, kernelWidth: 1,
                                                                                 groups: channels)),
                              input: info.inputShapes[0], hasBias: false)
            if case .batchNorm = node.op { layer.hasBatchNorm = true }
            layer.activation = activation ?? .none
            covered.formUnion(nodes)
            result.append(.layer(FusedLayer(layer: layer, nodes: nodes, input: node.inputs[0], output: nodes.last!)))
        }
        return result
    }
}
