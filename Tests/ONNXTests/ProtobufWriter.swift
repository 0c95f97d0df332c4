/// A protobuf wire-format encoder written for the tests, independently of the reader: it builds
/// the model files the decoder is tested on, including malformed ones (wrong wire types, huge
/// lengths, overlong varints) that no real encoder would produce.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    /// The bytes of the message `build` writes.
    static func message(_ build: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        build(&writer)
        return writer.bytes
    }

    /// The base-128 varint encoding of `value`.
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var encoded: [UInt8] = []
        while value >= 0x80 {
            encoded.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return encoded + [UInt8(value)]
    }

    mutating func raw(_ data: [UInt8]) { bytes += data }

    mutating func tag(_ field: Int, wireType: UInt8) {
        bytes += Self.varint(UInt64(field) << 3 | UInt64(wireType))
    }

    /// An int32, int64 or enum field (negative values as 10-byte two's complement, as protobuf does).
    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, wireType: 0)
        bytes += Self.varint(UInt64(bitPattern: value))
    }

    mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, wireType: 5)
        bytes += Self.littleEndian(UInt64(value), byteCount: 4)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 1)
        bytes += Self.littleEndian(value, byteCount: 8)
    }

    mutating func float(_ field: Int, _ value: Float) { fixed32(field, value.bitPattern) }

    mutating func bytes(_ field: Int, _ payload: [UInt8]) {
        tag(field, wireType: 2)
        bytes += Self.varint(UInt64(payload.count)) + payload
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        bytes(field, Self.message(build))
    }

    mutating func packedVarints(_ field: Int, _ values: [Int64]) {
        bytes(field, values.flatMap { Self.varint(UInt64(bitPattern: $0)) })
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        bytes(field, values.flatMap { Self.littleEndian(UInt64($0.bitPattern), byteCount: 4) })
    }

    mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        bytes(field, values.flatMap { Self.littleEndian($0.bitPattern, byteCount: 8) })
    }

    static func littleEndian(_ value: UInt64, byteCount: Int) -> [UInt8] {
        (0..<byteCount).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
