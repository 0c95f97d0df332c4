/// A whole network: a directed acyclic graph of typed nodes on named tensors.
///
/// Tensors are HWC feature maps of batch 1 (a vector is `1 x 1 x N`). The graph's inputs are
/// named tensors with given shapes; every node reads the tensors named in `inputs` and writes
/// one tensor that carries the node's own name. Node and input names are unique. Shapes are
/// not stored: `analyze()` checks the graph and infers them (see `Graph.Analysis`).
public struct Graph: Equatable, Sendable {
    /// A graph input: a named tensor of a given shape.
    public struct Input: Equatable, Hashable, Sendable {
        public var name: String
        public var shape: FeatureShape
        /// Token ids in `0..<vocabulary` rather than real values (the input of an embedding): the
        /// runtime draws integers, and the input stays in host memory (the embedding runs there).
        public var vocabulary: Int?

        public init(name: String, shape: FeatureShape, vocabulary: Int? = nil) {
            self.name = name
            self.shape = shape
            self.vocabulary = vocabulary
        }
    }

    /// One operation; its output tensor is named `name`.
    public struct Node: Equatable, Hashable, Sendable {
        public var name: String
        public var op: Op
        /// The tensors read, in the operation's order (graph inputs or other nodes' names).
        public var inputs: [String]

        public init(name: String, op: Op, inputs: [String]) {
            self.name = name
            self.op = op
            self.inputs = inputs
        }
    }

    public var name: String
    public var inputs: [Input]
    /// The nodes, in any order (`analyze()` orders them topologically).
    public var nodes: [Node]
    /// The tensors the network produces.
    public var outputs: [String]

    public init(name: String, inputs: [Input], nodes: [Node], outputs: [String]) {
        self.name = name
        self.inputs = inputs
        self.nodes = nodes
        self.outputs = outputs
    }

    /// The node named `name`, if any.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }
}
