/// Building `TensorValues` from the two places a TensorProto keeps its elements: little-endian
/// bytes (`raw_data` or an external file) and the typed repeated fields.
extension TensorValues {
    /// Decodes `bytes`, whose count the caller has checked to be the element count times the
    /// element size of `type` (a type with a `decodedElementSize`), as little-endian elements.
    init(littleEndian bytes: UnsafeRawBufferPointer, type: ONNXDataType) throws {
        switch type {
        case .float: self = .float32(Self.load(UInt32.self, from: bytes).map(Float.init(bitPattern:)))
        case .float16: self = .float16(Self.load(UInt16.self, from: bytes).map(Float16.init(bitPattern:)))
        case .double: self = .double(Self.load(UInt64.self, from: bytes).map(Double.init(bitPattern:)))
        case .int8: self = .int8(bytes.map { Int8(bitPattern: $0) })
        case .uint8: self = .uint8(Array(bytes))
        case .int32: self = .int32(Self.load(Int32.self, from: bytes))
        case .int64: self = .int64(Self.load(Int64.self, from: bytes))
        case .bool: self = .bool(try Self.booleans(bytes))
        default: self = .unsupported(type)
        }
    }

    /// Checks the typed fields against `type` and `count`: the elements must all lie in the one
    /// field the ONNX spec assigns to the type (FLOAT16, INT8, UINT8 and BOOL live in
    /// `int32_data`, FLOAT16 as its bit pattern), in the right number and range.
    init(typed data: TypedTensorData, type: ONNXDataType, count: Int) throws {
        guard let field = TypedTensorData.field(for: type) else {
            self = .unsupported(type)
            return
        }
        if let stray = data.fieldsPresent.subtracting([field]).min() {
            throw ONNXError(.invalid, "\(type) tensor has values in \(TypedTensorData.name(stray)), "
                                + "expected them in \(TypedTensorData.name(field))")
        }
        let found = switch field {
        case TypedTensorData.floatData: data.floatData.count
        case TypedTensorData.int64Data: data.int64Data.count
        case TypedTensorData.doubleData: data.doubleData.count
        default: data.int32Data.count
        }
        guard found == count else {
            throw ONNXError(.invalid, "\(type) tensor has \(found) values in \(TypedTensorData.name(field)), "
                                + "expected \(count) (and no raw_data)")
        }
        switch type {
        case .float: self = .float32(data.floatData)
        case .double: self = .double(data.doubleData)
        case .int64: self = .int64(data.int64Data)
        case .int32: self = .int32(data.int32Data)
        case .int8: self = .int8(try Self.narrowed(data.int32Data, type: type))
        case .uint8: self = .uint8(try Self.narrowed(data.int32Data, type: type))
        case .float16: self = .float16(try Self.narrowed(data.int32Data, to: UInt16.self, type: type)
            .map(Float16.init(bitPattern:)))
        default: self = .bool(try Self.booleans(data.int32Data))  // BOOL, the last type with a field
        }
    }

    private static func load<T: FixedWidthInteger>(_: T.Type, from bytes: UnsafeRawBufferPointer) -> [T] {
        let size = MemoryLayout<T>.size
        return (0..<(bytes.count / size)).map {
            T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * size, as: T.self))
        }
    }

    /// `values` as `T`, each of which must fit.
    private static func narrowed<T: FixedWidthInteger>(_ values: [Int32], to _: T.Type = T.self,
                                                       type: ONNXDataType) throws -> [T] {
        try values.enumerated().map { index, value in
            guard let narrow = T(exactly: value) else {
                throw ONNXError(.invalid, "\(type) element \(index) is \(value), outside \(T.min)...\(T.max)")
            }
            return narrow
        }
    }

    /// Booleans stored as integers, each of which must be 0 or 1.
    private static func booleans<S: Sequence>(_ values: S) throws -> [Bool] where S.Element: BinaryInteger {
        try values.enumerated().map { index, value in
            guard value == 0 || value == 1 else { throw ONNXError(.invalid, "BOOL element \(index) is \(value), expected 0 or 1") }
            return value == 1
        }
    }
}
