/// One ONNX node being imported: the node, its graph name, and typed access to its attributes
/// and errors that name it.
struct NodeContext {
    let node: ONNXNode
    /// The node's name in our graph (see `NameTable`).
    let name: String
    /// The default-domain opset the model imports.
    let opset: Int64

    var opType: String { node.opType }
    var subject: String { ImportError.node(name, node.opType) }

    /// An error: a form of the operator the importer does not handle.
    func unsupported(_ message: String) -> ImportError { ImportError(.unsupported, subject, message) }
    /// An error: the node contradicts the ONNX specification or the rest of the model.
    func invalid(_ message: String) -> ImportError { ImportError(.invalid, subject, message) }

    /// The name of input `index`, or nil when it is absent or empty (an omitted optional input).
    func input(_ index: Int) -> String? {
        index < node.inputs.count && !node.inputs[index].isEmpty ? node.inputs[index] : nil
    }

    /// The name of required input `index`.
    func requiredInput(_ index: Int) throws(ImportError) -> String {
        guard let name = input(index) else { throw invalid("input \(index) is missing") }
        return name
    }

    /// The largest magnitude an integer attribute may have: sizes, strides and axes beyond it
    /// are nonsense and would overflow the shape arithmetic.
    static let integerLimit: Int64 = 1 << 30

    func int(_ name: String) throws(ImportError) -> Int? {
        guard let attribute = node.attribute(name) else { return nil }
        guard case .int(let value) = attribute.value else { throw wrongType(name, "INT", attribute) }
        guard value.magnitude <= Self.integerLimit.magnitude else { throw unsupported("attribute '\(name)' is \(value), out of range") }
        return Int(value)
    }

    func int(_ name: String, default value: Int) throws(ImportError) -> Int { try int(name) ?? value }

    func ints(_ name: String) throws(ImportError) -> [Int]? {
        guard let attribute = node.attribute(name) else { return nil }
        guard case .ints(let values) = attribute.value else { throw wrongType(name, "INTS", attribute) }
        guard values.allSatisfy({ $0.magnitude <= Self.integerLimit.magnitude }) else {
            throw unsupported("attribute '\(name)' has a value out of range")
        }
        return values.map { Int($0) }
    }

    func float(_ name: String) throws(ImportError) -> Float? {
        guard let attribute = node.attribute(name) else { return nil }
        switch attribute.value {
        case .float(let value): return value
        case .int(let value): return Float(value)
        default: throw wrongType(name, "FLOAT", attribute)
        }
    }

    func float(_ name: String, default value: Float) throws(ImportError) -> Float { try float(name) ?? value }

    func string(_ name: String, default value: String) throws(ImportError) -> String {
        guard let attribute = node.attribute(name) else { return value }
        guard case .string(let text) = attribute.value else { throw wrongType(name, "STRING", attribute) }
        return text
    }

    func strings(_ name: String) throws(ImportError) -> [String]? {
        guard let attribute = node.attribute(name) else { return nil }
        guard case .strings(let values) = attribute.value else { throw wrongType(name, "STRINGS", attribute) }
        return values
    }

    private func wrongType(_ name: String, _ expected: String, _ attribute: ONNXAttribute) -> ImportError {
        invalid("attribute '\(name)' must be \(expected), got \(attribute.value.typeName)")
    }

    /// A 2-D spatial attribute (`strides`, `dilations`, `kernel_shape`): two values, or
    /// `fallback` when absent.
    func pair(_ name: String, default fallback: (Int, Int)) throws(ImportError) -> (Int, Int) {
        guard let values = try ints(name) else { return fallback }
        guard values.count == 2 else {
            throw unsupported("attribute '\(name)' has \(values.count) values; only 2-D (H, W) operations are supported")
        }
        return (values[0], values[1])
    }
}
