/// The graph names of an ONNX graph's nodes: our graph names each node's output tensor after
/// the node, so names must be unique among nodes and graph inputs.
///
/// A node keeps its ONNX name when that is non-empty, unique among the nodes and not a graph
/// input's name; any other node is `<op_type>_<index>` (its position in the graph), with `_1`,
/// `_2`, ... appended if that is taken too. Extra nodes the importer adds for one ONNX node (a
/// negation before a subtraction, a flatten before a softmax) are `<name>/<role>`.
struct NameTable {
    /// The graph name of each ONNX node, by position.
    private(set) var nodeNames: [String] = []
    private var taken: Set<String>

    init(graphInputs: [String], nodes: [ONNXNode]) {
        taken = Set(graphInputs)
        var counts: [String: Int] = [:]
        for node in nodes { counts[node.name, default: 0] += 1 }
        var kept = nodes.map { node in
            !node.name.isEmpty && counts[node.name] == 1 && !taken.contains(node.name) ? node.name : nil
        }
        taken.formUnion(kept.compactMap { $0 })
        for (index, node) in nodes.enumerated() where kept[index] == nil {
            kept[index] = unique("\(node.opType.isEmpty ? "node" : node.opType)_\(index)")
        }
        nodeNames = kept.map { $0! }
    }

    /// A name not yet taken, `base` itself or `base_1`, `base_2`, ...; taken from now on.
    mutating func unique(_ base: String) -> String {
        var candidate = base, suffix = 1
        while taken.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        taken.insert(candidate)
        return candidate
    }
}
