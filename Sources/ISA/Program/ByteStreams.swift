/// Appends little-endian values to a byte array.
struct ByteWriter {
    private(set) var data: [UInt8] = []

    mutating func bytes(_ values: [UInt8]) { data += values }
    mutating func u8(_ value: UInt8) { data.append(value) }
    mutating func u16(_ value: UInt16) { for shift in stride(from: 0, to: 16, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> UInt16(shift))) } }
    mutating func u32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) } }
    mutating func u64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) } }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        u32(UInt32(utf8.count))
        bytes(utf8)
    }

    mutating func strings(_ values: [String]) {
        u32(UInt32(values.count))
        for value in values { string(value) }
    }

    /// Writes a tagged section whose payload `body` produces, prefixed by its length.
    mutating func section(_ tag: String, _ body: (inout ByteWriter) -> Void) {
        var payload = ByteWriter()
        body(&payload)
        bytes(Array(tag.utf8))
        u64(UInt64(payload.data.count))
        bytes(payload.data)
    }
}

/// Reads little-endian values with bounds checks; every overrun is a `malformedProgram` error.
struct ByteReader {
    let data: [UInt8]
    var position: Int
    let end: Int

    init(data: [UInt8], position: Int = 0, end: Int? = nil) {
        self.data = data
        self.position = position
        self.end = end ?? data.count
    }

    var atEnd: Bool { position >= end }

    mutating func bytes(_ count: Int) throws(ISAError) -> [UInt8] {
        guard count >= 0, count <= end - position else { throw .malformedProgram("truncated file") }
        defer { position += count }
        return Array(data[position..<(position + count)])
    }

    private mutating func unsigned(_ byteCount: Int) throws(ISAError) -> UInt64 {
        guard byteCount <= end - position else { throw .malformedProgram("truncated file") }
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(data[position + index]) << UInt64(8 * index) }
        position += byteCount
        return value
    }

    mutating func u8() throws(ISAError) -> UInt8 { UInt8(try unsigned(1)) }
    mutating func u16() throws(ISAError) -> UInt16 { UInt16(try unsigned(2)) }
    mutating func u32() throws(ISAError) -> UInt32 { UInt32(try unsigned(4)) }
    mutating func u64() throws(ISAError) -> UInt64 { try unsigned(8) }

    /// A u32 that does not advance (for the trailer).
    func peekU32() -> UInt32 {
        var copy = self
        return (try? copy.u32()) ?? 0
    }

    /// A u64 used as a size or address; must fit in the remaining range of `Int` sensibly.
    mutating func length() throws(ISAError) -> Int {
        let value = try u64()
        guard value <= UInt64(1) << 40 else { throw .malformedProgram("implausible size or address \(value)") }
        return Int(value)
    }

    /// A u32 element count, checked against the bytes left (each element takes at least `elementBytes`).
    mutating func count(elementBytes: Int) throws(ISAError) -> Int {
        let value = Int(try u32())
        guard value * elementBytes <= end - position else { throw .malformedProgram("truncated file (count \(value) exceeds the section)") }
        return value
    }

    mutating func string() throws(ISAError) -> String {
        let length = Int(try u32())
        let bytes = try self.bytes(length)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .malformedProgram("invalid UTF-8 string") }
        return string
    }

    mutating func strings() throws(ISAError) -> [String] {
        var result: [String] = []
        for _ in 0..<(try count(elementBytes: 4)) { result.append(try string()) }
        return result
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
