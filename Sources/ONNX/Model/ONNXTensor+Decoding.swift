import Foundation

extension ONNXTensor {
    /// The most elements a tensor may hold (2^31), checked from its dims before anything is
    /// allocated for it.
    static let maximumElementCount = 1 << 31

    /// Decodes a TensorProto, reading external data from files in `baseDirectory`.
    init(reading reader: inout ProtobufReader, baseDirectory: URL?) throws {
        var name = "", docString = ""
        var dims: [Int64] = []
        var dataType = ONNXDataType.undefined
        var rawData: ArraySlice<UInt8>?
        var typed = TypedTensorData()
        var externalData: [ONNXStringEntry] = []
        var dataLocation: Int32 = 0
        while let field = try reader.nextField() {
            if try typed.read(field, from: &reader) { continue }
            switch field.number {
            case 1: try reader.appendVarints(field, to: &dims) { Int64(bitPattern: $0) }
            case 2: dataType = ONNXDataType(rawValue: try reader.int32(field))
            case 3: throw ONNXError(.unsupported, "segmented tensors (field 3, segment) are not supported", at: field.offset)
            case 8: name = try reader.string(field)
            case 9: rawData = try reader.bytes(field)
            case 12: docString = try reader.string(field)
            case 13:
                var entry = try reader.message(field)
                externalData.append(try ONNXError.locating("external_data[\(externalData.count)]") {
                    try ONNXStringEntry(reading: &entry)
                })
            case 14: dataLocation = try reader.int32(field)
            default: try reader.skip(field)
            }
        }
        do {
            let (shape, count) = try Self.checkedShape(dims)
            let values = try Self.values(type: dataType, count: count, location: dataLocation, raw: rawData,
                                         typed: typed, external: externalData, baseDirectory: baseDirectory)
            self.init(name: name, dataType: dataType, dims: shape, values: values, docString: docString)
        } catch let error as ONNXError {
            throw error.about("tensor \(ONNXError.quoted(name))")
        }
    }

    /// The dims as `Int`s and their element count, after checking that each is non-negative and
    /// that the count does not exceed `maximumElementCount`.
    private static func checkedShape(_ dims: [Int64]) throws -> (dims: [Int], count: Int) {
        if let index = dims.firstIndex(where: { $0 < 0 }) {
            throw ONNXError(.invalid, "dims[\(index)] is \(dims[index]), negative")
        }
        guard !dims.contains(0) else { return (dims.map { Int($0) }, 0) }
        var count: Int64 = 1
        for (index, dim) in dims.enumerated() {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= maximumElementCount else {
                throw ONNXError(.invalid, "the shape holds more than 2^31 elements (at dims[\(index)] = \(dim))")
            }
            count = product
        }
        return (dims.map { Int($0) }, Int(count))
    }

    /// The tensor's elements from wherever the TensorProto keeps them.
    private static func values(type: ONNXDataType, count: Int, location: Int32, raw: ArraySlice<UInt8>?,
                               typed: TypedTensorData, external: [ONNXStringEntry],
                               baseDirectory: URL?) throws -> TensorValues {
        guard type != .undefined else { throw ONNXError(.invalid, "data_type is missing (UNDEFINED)") }
        guard location == 0 || location == 1 else {
            throw ONNXError(.invalid, "data_location \(location) is neither DEFAULT (0) nor EXTERNAL (1)")
        }
        guard let elementSize = type.decodedElementSize else { return .unsupported(type) }
        let byteCount = count * elementSize
        if location == 1 {
            guard raw == nil, typed.fieldsPresent.isEmpty else {
                throw ONNXError(.invalid, "data_location is EXTERNAL but the tensor also has data in the model")
            }
            let data = try ExternalData(entries: external).read(byteCount: byteCount, baseDirectory: baseDirectory)
            return try data.withUnsafeBytes { try TensorValues(littleEndian: $0, type: type) }
        }
        guard let raw else { return try TensorValues(typed: typed, type: type, count: count) }
        if let field = typed.fieldsPresent.min() {
            throw ONNXError(.invalid, "has both raw_data and \(TypedTensorData.name(field))")
        }
        guard raw.count == byteCount else {
            throw ONNXError(.invalid, "raw_data has \(raw.count) bytes, expected \(byteCount) (\(count) \(type) elements)")
        }
        return try raw.withUnsafeBytes { try TensorValues(littleEndian: $0, type: type) }
    }
}
