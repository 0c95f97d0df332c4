/// Repeated scalar fields, which a writer may encode packed (one length-delimited run of values,
/// the proto3 default) or unpacked (one tag per value, the proto2 default that `onnx.proto`
/// declares); a decoder must accept both, even mixed within one message.
extension ProtobufReader {
    /// Appends the values of one occurrence of a repeated varint field.
    mutating func appendVarints<T>(_ field: ProtobufField, to values: inout [T], _ convert: (UInt64) -> T) throws {
        switch field.wireType {
        case .varint:
            values.append(convert(try readVarint()))
        case .lengthDelimited:
            var run = try packedRun(field)
            while !run.isAtEnd { values.append(convert(try run.readVarint())) }
        case .fixed32, .fixed64:
            throw wrongRepeatedType(field, expected: .varint)
        }
    }

    /// Appends the values of one occurrence of a repeated fixed32 field (`float`).
    mutating func appendFixed32s<T>(_ field: ProtobufField, to values: inout [T], _ convert: (UInt32) -> T) throws {
        switch field.wireType {
        case .fixed32:
            values.append(convert(try readFixed32()))
        case .lengthDelimited:
            var run = try packedRun(field, elementSize: 4)
            values.reserveCapacity(values.count + run.remainingByteCount / 4)
            while !run.isAtEnd { values.append(convert(try run.readFixed32())) }
        case .varint, .fixed64:
            throw wrongRepeatedType(field, expected: .fixed32)
        }
    }

    /// Appends the values of one occurrence of a repeated fixed64 field (`double`).
    mutating func appendFixed64s<T>(_ field: ProtobufField, to values: inout [T], _ convert: (UInt64) -> T) throws {
        switch field.wireType {
        case .fixed64:
            values.append(convert(try readFixed64()))
        case .lengthDelimited:
            var run = try packedRun(field, elementSize: 8)
            values.reserveCapacity(values.count + run.remainingByteCount / 8)
            while !run.isAtEnd { values.append(convert(try run.readFixed64())) }
        case .varint, .fixed32:
            throw wrongRepeatedType(field, expected: .fixed64)
        }
    }

    /// A packed run of fixed-size values, whose length must be a whole number of values.
    private mutating func packedRun(_ field: ProtobufField, elementSize: Int) throws -> ProtobufReader {
        let start = offset
        let run = try packedRun(field)
        let length = run.remainingByteCount
        guard length % elementSize == 0 else {
            throw malformed("packed field \(field.number) has \(length) bytes, not a multiple of \(elementSize)", at: start)
        }
        return run
    }

    private func wrongRepeatedType(_ field: ProtobufField, expected: WireType) -> ONNXError {
        malformed("field \(field.number) has wire type \(field.wireType.rawValue), expected \(expected.name) or packed",
                  at: field.offset)
    }
}
