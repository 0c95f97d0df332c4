import Foundation

/// One operator application of a graph (`NodeProto`): an operator named by `opType` in
/// `domain`, reading the values named in `inputs` and producing those in `outputs`.
public struct ONNXNode: Equatable, Sendable {
    /// The names of the values read, in the operator's input order; an empty name is an
    /// omitted optional input.
    public var inputs: [String]
    /// The names of the values produced, in the operator's output order.
    public var outputs: [String]
    /// The node's name, unique in the graph when given (torch: "/conv1/Conv").
    public var name: String
    /// The operator (Conv, Gemm, Relu, ...).
    public var opType: String
    /// The operator set the operator belongs to; empty for the default ONNX domain.
    public var domain: String
    /// The operator's parameters.
    public var attributes: [ONNXAttribute]
    /// Documentation from the model.
    public var docString: String

    /// A node with the given parts, as decoding produces them.
    public init(opType: String, inputs: [String], outputs: [String], name: String = "", domain: String = "",
                attributes: [ONNXAttribute] = [], docString: String = "") {
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.opType = opType
        self.domain = domain
        self.attributes = attributes
        self.docString = docString
    }

    /// The attribute named `name`, if the node has one.
    public func attribute(_ name: String) -> ONNXAttribute? {
        attributes.first { $0.name == name }
    }

    init(reading reader: inout ProtobufReader, baseDirectory: URL?) throws {
        self.init(opType: "", inputs: [], outputs: [])
        while let field = try reader.nextField() {
            switch field.number {
            case 1: inputs.append(try reader.string(field))
            case 2: outputs.append(try reader.string(field))
            case 3: name = try reader.string(field)
            case 4: opType = try reader.string(field)
            case 5:
                var message = try reader.message(field)
                attributes.append(try ONNXError.locating("attribute[\(attributes.count)]") {
                    try ONNXAttribute(reading: &message, baseDirectory: baseDirectory)
                })
            case 6: docString = try reader.string(field)
            case 7: domain = try reader.string(field)
            default: try reader.skip(field)
            }
        }
    }
}
