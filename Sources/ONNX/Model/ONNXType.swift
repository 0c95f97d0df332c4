/// The type of a graph value (`TypeProto`). Only tensors are decoded; the other kinds
/// (sequences, maps, optionals, sparse tensors, opaque types) are recorded by name so that an
/// importer can reject them with a clear message.
public enum ONNXType: Equatable, Sendable {
    /// A dense tensor of `elementType`; `shape` is nil when even the rank is unknown.
    case tensor(elementType: ONNXDataType, shape: [ONNXDimension]?)
    /// A kind of type this decoder does not handle, by its `onnx.proto` field name
    /// (`sequence_type`, `map_type`, ...), or "no type" when the TypeProto sets none.
    case unsupported(String)

    private static let otherKinds = [4: "sequence_type", 5: "map_type", 7: "opaque_type", 8: "sparse_tensor_type",
                                     9: "optional_type"]

    init(reading reader: inout ProtobufReader) throws {
        self = .unsupported("no type")
        while let field = try reader.nextField() {
            if field.number == 1 {
                var message = try reader.message(field)
                self = try ONNXError.locating("tensor_type") { try Self.tensorType(reading: &message) }
                continue
            }
            if let kind = Self.otherKinds[field.number] { self = .unsupported(kind) }
            try reader.skip(field)
        }
    }

    /// A `TypeProto.Tensor`: elem_type and an optional shape.
    private static func tensorType(reading reader: inout ProtobufReader) throws -> ONNXType {
        var elementType = ONNXDataType.undefined
        var shape: [ONNXDimension]?
        while let field = try reader.nextField() {
            switch field.number {
            case 1: elementType = ONNXDataType(rawValue: try reader.int32(field))
            case 2:
                var message = try reader.message(field)
                shape = try ONNXError.locating("shape") { try ONNXDimension.shape(reading: &message) }
            default: try reader.skip(field)
            }
        }
        return .tensor(elementType: elementType, shape: shape)
    }
}
