/// The protobuf wire types this reader accepts. The group types 3 and 4 (deprecated in proto2,
/// unused by ONNX) are rejected when the tag is read.
enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    /// The name used in error messages.
    var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .fixed32: "fixed32"
        }
    }
}

/// One field's tag as read from the wire: its number, its wire type, and the byte offset of the
/// tag, which errors about the field report.
struct ProtobufField: Sendable {
    /// The field number (1 or more).
    let number: Int
    /// How the field's value is encoded.
    let wireType: WireType
    /// The offset of the tag in the buffer.
    let offset: Int
}
