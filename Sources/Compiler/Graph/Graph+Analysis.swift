extension Graph {
    /// One node with its inferred shapes and costs.
    public struct NodeInfo: Equatable, Sendable {
        public var node: Node
        /// Shapes of `node.inputs`, in order.
        public var inputShapes: [FeatureShape]
        public var outputShape: FeatureShape
        /// Useful multiply-accumulates (convolution, transposed convolution, fully connected; else 0).
        public var macs: Int
        /// Learnable parameters as torchvision counts them (see `Op.parameterCount`).
        public var parameters: Int
    }

    /// A checked graph: nodes in topological order with shapes, MACs and parameters, and who
    /// reads each tensor.
    public struct Analysis: Equatable, Sendable {
        /// Every node, in topological order (ties broken by the order of `Graph.nodes`).
        public var nodes: [NodeInfo]
        /// The shape of every tensor: graph inputs and node outputs.
        public var shapes: [String: FeatureShape]
        /// For every tensor, the nodes that read it, in topological order (a node reading a
        /// tensor twice is listed twice).
        public var consumers: [String: [String]]
        /// The graph's output tensors.
        public var outputs: [String]

        /// Total multiply-accumulates of one inference.
        public var macs: Int { nodes.reduce(0) { $0 + $1.macs } }
        /// Total learnable parameters.
        public var parameters: Int { nodes.reduce(0) { $0 + $1.parameters } }
        /// Shapes of the graph outputs, in order.
        public var outputShapes: [FeatureShape] { outputs.map { shapes[$0]! } }

        /// Position of each node in `nodes`.
        private var index: [String: Int]

        init(nodes: [NodeInfo], shapes: [String: FeatureShape], consumers: [String: [String]], outputs: [String]) {
            self.nodes = nodes
            self.shapes = shapes
            self.consumers = consumers
            self.outputs = outputs
            index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.node.name, $0) })
        }

        /// The inferred information of node `name`, if there is such a node.
        public func info(of name: String) -> NodeInfo? { index[name].map { nodes[$0] } }
    }

    /// Checks the graph and infers every shape: names unique and non-empty, every input of a
    /// node a known tensor, the right number of inputs per operation, no cycle, outputs known,
    /// and every operation's parameters valid for its input shapes. Errors name the node.
    public func analyze() throws(CompilerError) -> Analysis {
        var shapes: [String: FeatureShape] = [:]
        for input in inputs {
            guard !input.name.isEmpty else { throw .invalidLayer(layer: name, "a graph input has an empty name") }
            guard shapes[input.name] == nil else { throw .invalidLayer(layer: input.name, "duplicate graph input name") }
            try Op.checkTensor(input.shape, input.name)
            shapes[input.name] = input.shape
        }
        var producerIndex: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            guard !node.name.isEmpty else { throw .invalidLayer(layer: "#\(index)", "node \(index) has an empty name") }
            guard shapes[node.name] == nil, producerIndex[node.name] == nil else {
                throw .invalidLayer(layer: node.name, "duplicate tensor name (another node or graph input has it)")
            }
            producerIndex[node.name] = index
        }
        for node in nodes {
            for input in node.inputs where shapes[input] == nil && producerIndex[input] == nil {
                throw .invalidLayer(layer: node.name, "reads unknown tensor '\(input)'")
            }
        }

        // Kahn's algorithm, always taking the earliest ready node in `nodes` order.
        var pending = nodes.map { node in node.inputs.filter { producerIndex[$0] != nil }.count }
        var readers: [String: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where producerIndex[input] != nil { readers[input, default: []].append(index) }
        }
        var ready = Set(pending.indices.filter { pending[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let next = ready.min() {
            ready.remove(next)
            order.append(next)
            for reader in readers[nodes[next].name] ?? [] {
                pending[reader] -= 1
                if pending[reader] == 0 { ready.insert(reader) }
            }
        }
        if order.count < nodes.count {
            let stuck = nodes.indices.first { pending[$0] > 0 }!
            throw .invalidLayer(layer: nodes[stuck].name, "is part of a cycle")
        }

        var infos: [NodeInfo] = []
        infos.reserveCapacity(nodes.count)
        var consumers: [String: [String]] = [:]
        for index in order {
            let node = nodes[index]
            let inputShapes = node.inputs.map { shapes[$0]! }
            let output = try node.op.outputShape(inputs: inputShapes, node: node.name)
            shapes[node.name] = output
            for input in node.inputs { consumers[input, default: []].append(node.name) }
            infos.append(NodeInfo(node: node, inputShapes: inputShapes, outputShape: output,
                                  macs: node.op.macs(inputs: inputShapes, output: output),
                                  parameters: node.op.parameterCount(inputs: inputShapes)))
        }
        guard !outputs.isEmpty else { throw .invalidLayer(layer: name, "the graph has no outputs") }
        for output in outputs where shapes[output] == nil {
            throw .invalidLayer(layer: output, "graph output names no tensor")
        }
        return Analysis(nodes: infos, shapes: shapes, consumers: consumers, outputs: outputs)
    }

    /// The nodes in topological order (ties broken by the order of `nodes`).
    public func topologicalOrder() throws(CompilerError) -> [Node] { try analyze().nodes.map(\.node) }

    /// Total multiply-accumulates of one inference.
    public func macs() throws(CompilerError) -> Int { try analyze().macs }

    /// Total learnable parameters, as torchvision counts them.
    public func parameterCount() throws(CompilerError) -> Int { try analyze().parameters }
}
