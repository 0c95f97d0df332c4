/// A bounds-checked reader of the protobuf wire format over a byte buffer, written here because the
/// package takes no third-party dependencies. It reads one message: `nextField()` yields each tag,
/// and the typed readers check the tag's wire type before reading its value.
///
/// Every fault of the input (truncation, a length past the end, an invalid varint, a wrong wire
/// type, nesting past `maximumDepth`) throws an `ONNXError` of kind `.malformed` naming the byte
/// offset; no input traps, and nothing is allocated from a declared length before that length
/// has been checked against the bytes that remain. Offsets are relative to the whole buffer, so a
/// sub-message's errors point into the file.
struct ProtobufReader {
    /// How deeply messages may nest before the input is rejected (a guard against stack
    /// exhaustion by crafted input; real ONNX models nest a few levels per subgraph).
    static let maximumDepth = 100

    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    private(set) var offset: Int
    /// The end of this message in `bytes`.
    private let end: Int
    /// How many messages enclose this one.
    let depth: Int

    /// A reader of the message that is all of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count, depth: 0)
    }

    private init(_ bytes: [UInt8], range: Range<Int>, depth: Int) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
        self.depth = depth
    }

    /// True once every byte of the message has been read.
    var isAtEnd: Bool { offset >= end }

    /// How many bytes of the message are left to read.
    var remainingByteCount: Int { end - offset }

    /// The next field's tag, or nil at the end of the message.
    mutating func nextField() throws -> ProtobufField? {
        guard !isAtEnd else { return nil }
        let start = offset
        let key = try readVarint()
        guard key <= UInt64(UInt32.max) else { throw malformed("field key \(key) exceeds 32 bits", at: start) }
        let number = Int(key >> 3)
        guard number > 0 else { throw malformed("field number 0 is invalid", at: start) }
        let rawType = UInt8(key & 7)
        if rawType == 3 || rawType == 4 {
            throw malformed("field \(number) has wire type \(rawType) (group), which is not supported", at: start)
        }
        guard let wireType = WireType(rawValue: rawType) else {
            throw malformed("field \(number) has invalid wire type \(rawType)", at: start)
        }
        return ProtobufField(number: number, wireType: wireType, offset: start)
    }

    // MARK: Primitive values

    /// A base-128 varint of at most 10 bytes whose value fits in 64 bits.
    mutating func readVarint() throws -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw malformed("truncated varint", at: start) }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 {  // the tenth byte holds the 64th bit alone
                guard byte & 0x80 == 0 else { throw malformed("varint is longer than 10 bytes", at: start) }
                guard byte <= 1 else { throw malformed("varint overflows 64 bits", at: start) }
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A little-endian 32-bit value.
    mutating func readFixed32() throws -> UInt32 {
        UInt32(truncatingIfNeeded: try readLittleEndian(byteCount: 4, name: "fixed32"))
    }

    /// A little-endian 64-bit value.
    mutating func readFixed64() throws -> UInt64 {
        try readLittleEndian(byteCount: 8, name: "fixed64")
    }

    private mutating func readLittleEndian(byteCount: Int, name: String) throws -> UInt64 {
        guard remainingByteCount >= byteCount else {
            throw malformed("truncated \(name): needs \(byteCount) bytes, \(remainingByteCount) remain", at: offset)
        }
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        offset += byteCount
        return value
    }

    /// The range of a length-delimited value's payload, after checking the declared length
    /// against the bytes that remain.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let start = offset
        let length = try readVarint()
        let remaining = remainingByteCount
        guard length <= UInt64(remaining) else {
            throw malformed("declared length \(length) exceeds the \(remaining) bytes that remain", at: start)
        }
        let range = offset..<(offset + Int(length))
        offset = range.upperBound
        return range
    }

    // MARK: Typed fields

    /// Throws unless `field` has `wireType`.
    func expect(_ field: ProtobufField, _ wireType: WireType) throws {
        guard field.wireType == wireType else {
            throw malformed("field \(field.number) has wire type \(field.wireType.rawValue), expected \(wireType.name)",
                            at: field.offset)
        }
    }

    /// A varint field's value.
    mutating func varint(_ field: ProtobufField) throws -> UInt64 {
        try expect(field, .varint)
        return try readVarint()
    }

    /// An `int64` field (two's complement in the varint's 64 bits).
    mutating func int64(_ field: ProtobufField) throws -> Int64 {
        Int64(bitPattern: try varint(field))
    }

    /// An `int32` field: the low 32 bits of the varint, as protobuf decoders take them.
    mutating func int32(_ field: ProtobufField) throws -> Int32 {
        Int32(truncatingIfNeeded: try varint(field))
    }

    /// A `float` field (fixed32).
    mutating func float(_ field: ProtobufField) throws -> Float {
        try expect(field, .fixed32)
        return Float(bitPattern: try readFixed32())
    }

    /// A `bytes` field's payload (a slice sharing the buffer, not a copy).
    mutating func bytes(_ field: ProtobufField) throws -> ArraySlice<UInt8> {
        try expect(field, .lengthDelimited)
        return bytes[try readLengthDelimited()]
    }

    /// A `string` field, which must be valid UTF-8.
    mutating func string(_ field: ProtobufField) throws -> String {
        try expect(field, .lengthDelimited)
        let start = offset
        let range = try readLengthDelimited()
        guard let string = String(validating: bytes[range], as: UTF8.self) else {
            throw malformed("field \(field.number) is not valid UTF-8", at: start)
        }
        return string
    }

    /// A reader of an embedded message field, one level deeper than this one.
    mutating func message(_ field: ProtobufField) throws -> ProtobufReader {
        try expect(field, .lengthDelimited)
        guard depth < Self.maximumDepth else {
            throw malformed("messages nest deeper than \(Self.maximumDepth) levels", at: field.offset)
        }
        return ProtobufReader(bytes, range: try readLengthDelimited(), depth: depth + 1)
    }

    /// A reader over the payload of a packed repeated field, at this message's depth.
    mutating func packedRun(_ field: ProtobufField) throws -> ProtobufReader {
        try expect(field, .lengthDelimited)
        return ProtobufReader(bytes, range: try readLengthDelimited(), depth: depth)
    }

    /// Skips the value of a field the decoder does not use.
    mutating func skip(_ field: ProtobufField) throws {
        switch field.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        }
    }

    /// A wire-format error at `offset`.
    func malformed(_ message: String, at offset: Int) -> ONNXError {
        ONNXError(.malformed, message, at: offset)
    }
}
