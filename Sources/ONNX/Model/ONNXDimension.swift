/// One dimension of a value's shape (`TensorShapeProto.Dimension`): a size, a symbolic name
/// such as `batch` (dynamic axes of torch.onnx.export), or unknown.
public struct ONNXDimension: Equatable, Sendable {
    /// What the model says about the dimension's size.
    public enum Value: Equatable, Sendable {
        /// A fixed size (`dim_value`).
        case known(Int64)
        /// A size named by a symbol shared between values (`dim_param`).
        case symbolic(String)
        /// Neither is given.
        case unknown
    }

    /// The size, symbol or neither.
    public var value: Value
    /// The dimension's meaning, if the model gives one (`DATA_BATCH`, `DATA_CHANNEL`, ...).
    public var denotation: String

    /// A dimension of `value`, with an optional denotation.
    public init(_ value: Value, denotation: String = "") {
        self.value = value
        self.denotation = denotation
    }

    /// Decodes a `TensorShapeProto`: its repeated `dim` field, in order.
    static func shape(reading reader: inout ProtobufReader) throws -> [ONNXDimension] {
        var dims: [ONNXDimension] = []
        while let field = try reader.nextField() {
            guard field.number == 1 else {
                try reader.skip(field)
                continue
            }
            var message = try reader.message(field)
            dims.append(try ONNXError.locating("dim[\(dims.count)]") { try ONNXDimension(reading: &message) })
        }
        return dims
    }

    private init(reading reader: inout ProtobufReader) throws {
        self.init(.unknown)
        while let field = try reader.nextField() {
            switch field.number {
            case 1: value = .known(try reader.int64(field))
            case 2: value = .symbolic(try reader.string(field))
            case 3: denotation = try reader.string(field)
            default: try reader.skip(field)
            }
        }
    }
}
