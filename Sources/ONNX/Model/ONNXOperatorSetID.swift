/// An operator set the model imports (`OperatorSetIdProto`): which version of a domain's
/// operators its nodes mean.
public struct ONNXOperatorSetID: Equatable, Sendable {
    /// The domain; "" (or "ai.onnx") is the default ONNX domain.
    public var domain: String
    /// The version of the domain's operators.
    public var version: Int64

    /// An import of `domain` at `version`.
    public init(domain: String, version: Int64) {
        self.domain = domain
        self.version = version
    }

    /// True for the default ONNX domain, which the model's opset version refers to.
    public var isDefaultDomain: Bool { domain.isEmpty || domain == "ai.onnx" }

    init(reading reader: inout ProtobufReader) throws {
        self.init(domain: "", version: 0)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: domain = try reader.string(field)
            case 2: version = try reader.int64(field)
            default: try reader.skip(field)
            }
        }
    }
}
