/// An ONNX element type (`TensorProto.DataType`). A struct rather than an enum so that a model
/// naming a type this decoder does not know (a newer float8 or int4, say) still decodes, and the
/// importer can report that type by number.
public struct ONNXDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `TensorProto.DataType` number.
    public let rawValue: Int32

    /// The type numbered `rawValue`, known or not.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Not set: invalid for a tensor.
    public static let undefined = ONNXDataType(rawValue: 0)
    /// IEEE 754 binary32 (`FLOAT`), the type of most weights.
    public static let float = ONNXDataType(rawValue: 1)
    /// Unsigned 8-bit integers (quantized tensors).
    public static let uint8 = ONNXDataType(rawValue: 2)
    /// Signed 8-bit integers (quantized tensors).
    public static let int8 = ONNXDataType(rawValue: 3)
    /// Unsigned 16-bit integers; values not decoded.
    public static let uint16 = ONNXDataType(rawValue: 4)
    /// Signed 16-bit integers; values not decoded.
    public static let int16 = ONNXDataType(rawValue: 5)
    /// Signed 32-bit integers.
    public static let int32 = ONNXDataType(rawValue: 6)
    /// Signed 64-bit integers: shapes, axes and indices.
    public static let int64 = ONNXDataType(rawValue: 7)
    /// Byte strings; values not decoded.
    public static let string = ONNXDataType(rawValue: 8)
    /// Booleans, stored one byte or one int32 each.
    public static let bool = ONNXDataType(rawValue: 9)
    /// IEEE 754 binary16.
    public static let float16 = ONNXDataType(rawValue: 10)
    /// IEEE 754 binary64.
    public static let double = ONNXDataType(rawValue: 11)
    /// Unsigned 32-bit integers; values not decoded.
    public static let uint32 = ONNXDataType(rawValue: 12)
    /// Unsigned 64-bit integers; values not decoded.
    public static let uint64 = ONNXDataType(rawValue: 13)

    private static let names: [Int32: String] = [
        0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32", 7: "INT64",
        8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64",
        15: "COMPLEX128", 16: "BFLOAT16",
    ]

    /// The name `onnx.proto` gives the type (FLOAT, INT64, ...), or "data type N" for others.
    public var description: String { Self.names[rawValue] ?? "data type \(rawValue)" }

    /// The bytes one element takes in `raw_data` and external files, for the types whose tensor
    /// values this decoder reads; nil for the others.
    var decodedElementSize: Int? {
        switch self {
        case .float, .int32: 4
        case .float16: 2
        case .double, .int64: 8
        case .int8, .uint8, .bool: 1
        default: nil
        }
    }
}
