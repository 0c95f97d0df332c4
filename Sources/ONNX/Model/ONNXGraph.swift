import Foundation

/// A computation graph (`GraphProto`): the model's main graph, or the body of a control-flow
/// node's attribute. Nodes are in the file's order, which ONNX requires to be topological.
public struct ONNXGraph: Equatable, Sendable {
    /// The graph's name (exporters name the main graph, e.g. "main_graph").
    public var name: String
    /// The operator applications, in topological order.
    public var nodes: [ONNXNode]
    /// Constant tensors (the weights), named so that nodes can read them as inputs.
    public var initializers: [ONNXTensor]
    /// The graph's inputs, with their types; an input may also have an initializer (a default).
    public var inputs: [ONNXValueInfo]
    /// The graph's results, with their types.
    public var outputs: [ONNXValueInfo]
    /// Types of intermediate values, as far as the exporter recorded them.
    public var valueInfo: [ONNXValueInfo]
    /// Documentation from the model.
    public var docString: String

    /// A graph with the given parts, as decoding produces them.
    public init(name: String, nodes: [ONNXNode], initializers: [ONNXTensor] = [], inputs: [ONNXValueInfo] = [],
                outputs: [ONNXValueInfo] = [], valueInfo: [ONNXValueInfo] = [], docString: String = "") {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.valueInfo = valueInfo
        self.docString = docString
    }

    /// Decodes a GraphProto. Sparse initializers are not supported: one that a node (of this
    /// graph or a nested one) or an output uses is rejected, an unused one ignored.
    init(reading reader: inout ProtobufReader, baseDirectory: URL?) throws {
        self.init(name: "", nodes: [])
        var sparseNames: [String] = []
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                var message = try reader.message(field)
                nodes.append(try ONNXError.locating("node[\(nodes.count)]") {
                    try ONNXNode(reading: &message, baseDirectory: baseDirectory)
                })
            case 2: name = try reader.string(field)
            case 5:
                var message = try reader.message(field)
                initializers.append(try ONNXError.locating("initializer[\(initializers.count)]") {
                    try ONNXTensor(reading: &message, baseDirectory: baseDirectory)
                })
            case 10: docString = try reader.string(field)
            case 11: inputs.append(try Self.valueInfo(&reader, field, "input[\(inputs.count)]"))
            case 12: outputs.append(try Self.valueInfo(&reader, field, "output[\(outputs.count)]"))
            case 13: valueInfo.append(try Self.valueInfo(&reader, field, "value_info[\(valueInfo.count)]"))
            case 15:
                var message = try reader.message(field)
                sparseNames.append(try ONNXError.locating("sparse_initializer[\(sparseNames.count)]") {
                    try Self.sparseTensorName(reading: &message)
                })
            default: try reader.skip(field)
            }
        }
        guard !sparseNames.isEmpty else { return }
        let used = referencedNames
        if let name = sparseNames.first(where: used.contains) {
            throw ONNXError(.unsupported, "sparse_initializer \(ONNXError.quoted(name)) is used, "
                                + "and sparse tensors are not supported")
        }
    }

    /// The names of every value the graph's nodes read, including those of nested subgraphs
    /// (which may read the enclosing graph's values), and of its outputs.
    var referencedNames: Set<String> {
        var names = Set(outputs.map(\.name))
        for node in nodes {
            names.formUnion(node.inputs)
            for attribute in node.attributes {
                switch attribute.value {
                case .graph(let graph): names.formUnion(graph.referencedNames)
                case .graphs(let graphs): for graph in graphs { names.formUnion(graph.referencedNames) }
                default: break
                }
            }
        }
        return names
    }

    private static func valueInfo(_ reader: inout ProtobufReader, _ field: ProtobufField,
                                  _ component: String) throws -> ONNXValueInfo {
        var message = try reader.message(field)
        return try ONNXError.locating(component) { try ONNXValueInfo(reading: &message) }
    }

    /// The name of a `SparseTensorProto`, which is the name of its `values` tensor (field 1);
    /// the rest of the sparse tensor is skipped.
    private static func sparseTensorName(reading reader: inout ProtobufReader) throws -> String {
        var name = ""
        while let field = try reader.nextField() {
            guard field.number == 1 else {
                try reader.skip(field)
                continue
            }
            var values = try reader.message(field)
            while let valuesField = try values.nextField() {
                if valuesField.number == 8 { name = try values.string(valuesField) } else { try values.skip(valuesField) }
            }
        }
        return name
    }
}
