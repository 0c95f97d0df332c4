/// A key-value pair (`StringStringEntryProto`): a model's metadata and the keys locating a
/// tensor's external data.
public struct ONNXStringEntry: Equatable, Sendable {
    /// The key.
    public var key: String
    /// The value for `key`.
    public var value: String

    /// An entry mapping `key` to `value`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    init(reading reader: inout ProtobufReader) throws {
        self.init(key: "", value: "")
        while let field = try reader.nextField() {
            switch field.number {
            case 1: key = try reader.string(field)
            case 2: value = try reader.string(field)
            default: try reader.skip(field)
            }
        }
    }
}
