/// A named value of a graph with its type (`ValueInfoProto`): the graph's inputs and outputs,
/// and the intermediate shapes an exporter recorded in `value_info`.
public struct ONNXValueInfo: Equatable, Sendable {
    /// The value's name, by which nodes refer to it.
    public var name: String
    /// The value's type, or nil when the model leaves it out.
    public var type: ONNXType?
    /// Documentation from the model.
    public var docString: String

    /// A value named `name` of `type`.
    public init(name: String, type: ONNXType?, docString: String = "") {
        self.name = name
        self.type = type
        self.docString = docString
    }

    init(reading reader: inout ProtobufReader) throws {
        self.init(name: "", type: nil)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: name = try reader.string(field)
            case 2:
                var message = try reader.message(field)
                type = try ONNXError.locating("type") { try ONNXType(reading: &message) }
            case 3: docString = try reader.string(field)
            default: try reader.skip(field)
            }
        }
    }
}
