/// A device layer made of one or more graph nodes: a convolution or fully connected node with
/// the batch norm, activation and pooling that directly follow it, or a lone pooling node.
public struct FusedLayer: Equatable, Sendable {
    /// The layer as the layer compiler takes it; named after its first node.
    public var layer: Layer
    /// The graph nodes it covers, in order (the first is the main operation).
    public var nodes: [String]
    /// The tensor it reads.
    public var input: String
    /// The tensor it writes: the output of its last node. The covered nodes' other outputs
    /// are never materialized.
    public var output: String
}

extension Graph {
    /// One step of a fused schedule: a device layer, or a graph node left as it is (residual add,
    /// concatenation, flatten, LRN, softmax, transposed convolution, upsampling, dropout, and
    /// batch norms or activations that do not directly follow a convolution).
    public enum Step: Equatable, Sendable {
        case layer(FusedLayer)
        case node(NodeInfo)
    }

    /// What `fusedSteps` may fuse into a convolution or fully connected layer.
    public struct FusionOptions: Equatable, Sendable {
        /// Fold a directly following batch norm into the weights and bias.
        public var foldBatchNorm: Bool
        /// Apply a directly following activation in the epilogue.
        public var fuseActivation: Bool
        /// Apply a directly following max or average pooling in the epilogue, when the epilogue can
        /// (`Pooling.isFusable`: non-overlapping windows without padding); otherwise the pooling
        /// stays a layer of its own.
        public var fusePooling: Bool

        public init(foldBatchNorm: Bool = true, fuseActivation: Bool = true, fusePooling: Bool = true) {
            self.foldBatchNorm = foldBatchNorm
            self.fuseActivation = fuseActivation
            self.fusePooling = fusePooling
        }
    }

    /// The graph as a schedule of device layers and remaining nodes, in topological order.
    ///
    /// A convolution (grouped and depthwise included) or fully connected node starts a layer and
    /// absorbs, in this order and each only if it is the sole reader of the previous tensor and
    /// that tensor is not a graph output: one batch norm (folded), one activation, one max or
    /// average pooling. A pooling or global-average-pooling node not absorbed this way is a
    /// layer of its own. A fully connected layer's input is the vector `1 x 1 x N`.
    public func fusedSteps(_ options: FusionOptions = FusionOptions()) throws(CompilerError) -> [Step] {
        let analysis = try analyze()
        let graphOutputs = Set(outputs)
        /// The single node reading `tensor`, if exactly one node reads it once and it is not a graph output.
        func soleReader(of tensor: String) -> NodeInfo? {
            guard !graphOutputs.contains(tensor), let readers = analysis.consumers[tensor], readers.count == 1 else { return nil }
            return analysis.info(of: readers[0])
        }

        var covered: Set<String> = []
        var steps: [Step] = []
        for info in analysis.nodes where !covered.contains(info.node.name) {
            let node = info.node
            let operation: Layer.Operation
            var hasBias = false
            switch node.op {
            case .convolution(let convolution, let bias):
                operation = .convolution(convolution)
                hasBias = bias
            case .fullyConnected(let fullyConnected):
                operation = .fullyConnected(outputFeatures: fullyConnected.outputFeatures)
                hasBias = fullyConnected.hasBias
            case .pooling(let pooling):
                operation = .pooling(pooling)
            case .globalAveragePool:
                operation = .globalAveragePool
            default:
                steps.append(.node(info))
                continue
            }
            var layer = Layer(name: node.name, operation: operation, input: info.inputShapes[0], hasBias: hasBias)
            var names = [node.name]
            if layer.convolution != nil {
                var last = node.name
                if options.foldBatchNorm, let next = soleReader(of: last), case .batchNorm = next.node.op {
                    layer.hasBatchNorm = true
                    last = next.node.name
                    names.append(last)
                }
                if options.fuseActivation, let next = soleReader(of: last), case .activation(let activation) = next.node.op {
                    layer.activation = activation
                    last = next.node.name
                    names.append(last)
                }
                if options.fusePooling, let next = soleReader(of: last), case .pooling(let pooling) = next.node.op, pooling.isFusable {
                    layer.pooling = pooling
                    last = next.node.name
                    names.append(last)
                }
            }
            covered.formUnion(names)
            steps.append(.layer(FusedLayer(layer: layer, nodes: names, input: node.inputs[0], output: names.last!)))
        }
        return steps
    }

    /// The device layers of `fusedSteps`, in topological order.
    public func fusedLayers(_ options: FusionOptions = FusionOptions()) throws(CompilerError) -> [FusedLayer] {
        try fusedSteps(options).compactMap { step in
            if case .layer(let fused) = step { fused } else { nil }
        }
    }
}
