/// The typed value fields of a TensorProto as read from the wire, kept apart until the whole
/// message has been read, since `data_type` may follow them.
struct TypedTensorData {
    static let floatData = 4, int32Data = 5, stringData = 6, int64Data = 7, doubleData = 10, uint64Data = 11

    var floatData: [Float] = []
    var int32Data: [Int32] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    /// The numbers of the typed fields that occurred, including those whose values are not
    /// kept (`string_data`, `uint64_data`): their presence alone can make a tensor invalid.
    var fieldsPresent: Set<Int> = []

    /// Reads one occurrence of a typed field, returning false when `field` is not one.
    mutating func read(_ field: ProtobufField, from reader: inout ProtobufReader) throws -> Bool {
        switch field.number {
        case Self.floatData: try reader.appendFixed32s(field, to: &floatData, Float.init(bitPattern:))
        case Self.int32Data: try reader.appendVarints(field, to: &int32Data) { Int32(truncatingIfNeeded: $0) }
        case Self.int64Data: try reader.appendVarints(field, to: &int64Data) { Int64(bitPattern: $0) }
        case Self.doubleData: try reader.appendFixed64s(field, to: &doubleData, Double.init(bitPattern:))
        case Self.stringData, Self.uint64Data: try reader.skip(field)
        default: return false
        }
        fieldsPresent.insert(field.number)
        return true
    }

    /// The field that holds the elements of `type`, for the types whose values are decoded.
    static func field(for type: ONNXDataType) -> Int? {
        switch type {
        case .float: floatData
        case .int32, .int8, .uint8, .float16, .bool: int32Data
        case .int64: int64Data
        case .double: doubleData
        default: nil
        }
    }

    /// The `onnx.proto` name of a typed field.
    static func name(_ field: Int) -> String {
        switch field {
        case floatData: "float_data"
        case int32Data: "int32_data"
        case stringData: "string_data"
        case int64Data: "int64_data"
        case doubleData: "double_data"
        default: "uint64_data"
        }
    }
}
