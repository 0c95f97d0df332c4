/// A named parameter of a node (`AttributeProto`), such as a Conv's `kernel_shape` or an If's
/// `then_branch` subgraph.
public struct ONNXAttribute: Equatable, Sendable {
    /// The attribute's value; its case is the attribute's `AttributeType`.
    public enum Value: Equatable, Sendable {
        case float(Float)
        case int(Int64)
        /// A STRING. ONNX stores bytes; the operators' string attributes are all text, so the
        /// decoder requires UTF-8.
        case string(String)
        case tensor(ONNXTensor)
        case graph(ONNXGraph)
        case floats([Float])
        case ints([Int64])
        case strings([String])
        case tensors([ONNXTensor])
        case graphs([ONNXGraph])
        /// A type this decoder does not read (SPARSE_TENSOR, TYPE_PROTO, ...), by its
        /// `AttributeType` number; a model holding one still loads.
        case unsupported(Int32)

        /// The `AttributeType` name (FLOAT, INTS, ...), for messages about the attribute.
        public var typeName: String {
            switch self {
            case .float: "FLOAT"
            case .int: "INT"
            case .string: "STRING"
            case .tensor: "TENSOR"
            case .graph: "GRAPH"
            case .floats: "FLOATS"
            case .ints: "INTS"
            case .strings: "STRINGS"
            case .tensors: "TENSORS"
            case .graphs: "GRAPHS"
            case .unsupported(let type): "attribute type \(type)"
            }
        }
    }

    /// The name the operator knows the attribute by (`kernel_shape`, `axis`, ...).
    public var name: String
    /// The attribute's value, of its declared type.
    public var value: Value
    /// In a function body, the caller's attribute this one refers to; empty in a graph.
    public var refAttrName: String
    /// Documentation from the model.
    public var docString: String

    /// An attribute with the given parts, as decoding produces them.
    public init(name: String, value: Value, refAttrName: String = "", docString: String = "") {
        self.name = name
        self.value = value
        self.refAttrName = refAttrName
        self.docString = docString
    }
}
