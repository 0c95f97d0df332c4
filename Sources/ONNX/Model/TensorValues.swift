/// A tensor's elements, decoded into the Swift type of its ONNX element type, in row-major
/// order. An importer reads them directly, or through `ONNXTensor.floatValues()` and
/// `ONNXTensor.integerValues()` when it wants one numeric type whatever the file stored.
public enum TensorValues: Equatable, Sendable {
    case float32([Float])
    case float16([Float16])
    case double([Double])
    case int8([Int8])
    case uint8([UInt8])
    case int32([Int32])
    case int64([Int64])
    case bool([Bool])
    /// A tensor of an element type whose values this decoder does not read (STRING, UINT16,
    /// BFLOAT16, ...): its data is left undecoded, so a model holding one still loads and the
    /// importer rejects it only if it needs it.
    case unsupported(ONNXDataType)

    /// The number of elements, or nil for an unsupported type.
    public var count: Int? {
        switch self {
        case .float32(let values): values.count
        case .float16(let values): values.count
        case .double(let values): values.count
        case .int8(let values): values.count
        case .uint8(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .bool(let values): values.count
        case .unsupported: nil
        }
    }

    /// Every element as a `Float` (float16 exactly, doubles and wide integers rounded to
    /// nearest, booleans as 0 and 1), or nil for an unsupported type.
    var floats: [Float]? {
        switch self {
        case .float32(let values): values
        case .float16(let values): values.map(Float.init)
        case .double(let values): values.map(Float.init)
        case .int8(let values): values.map(Float.init)
        case .uint8(let values): values.map(Float.init)
        case .int32(let values): values.map(Float.init)
        case .int64(let values): values.map(Float.init)
        case .bool(let values): values.map { $0 ? 1 : 0 }
        case .unsupported: nil
        }
    }

    /// Every element as an `Int64` for integer and boolean types, or nil for the others.
    var integers: [Int64]? {
        switch self {
        case .int8(let values): values.map(Int64.init)
        case .uint8(let values): values.map(Int64.init)
        case .int32(let values): values.map(Int64.init)
        case .int64(let values): values
        case .bool(let values): values.map { $0 ? 1 : 0 }
        case .float32, .float16, .double, .unsupported: nil
        }
    }
}
