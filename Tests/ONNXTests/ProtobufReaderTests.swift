import Testing
@testable import ONNX

/// The wire-format reader: every wire type, repeated scalars packed and unpacked, skipping, and
/// a one-line error with the byte offset for each kind of malformed input.
struct ProtobufReaderTests {
    /// The error `body` throws, or nil.
    static func error(_ body: () throws -> Void) -> ONNXError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ONNXError
        }
    }

    /// The fields of `bytes` read one after another with `read`.
    static func readAll(_ bytes: [UInt8], _ read: (ProtobufField, inout ProtobufReader) throws -> Void) throws {
        var reader = ProtobufReader(bytes)
        while let field = try reader.nextField() { try read(field, &reader) }
    }

    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), 1 << 63, UInt64.max])
    func varintsRoundTrip(value: UInt64) throws {
        let encoded = ProtobufWriter.varint(value)
        var reader = ProtobufReader(encoded)
        #expect(try reader.readVarint() == value)
        #expect(reader.isAtEnd)
        #expect(encoded.count == max(1, (64 - value.leadingZeroBitCount + 6) / 7))
    }

    @Test func eachWireTypeIsReadAndSkipped() throws {
        let bytes = ProtobufWriter.message {
            $0.int(1, -2)
            $0.fixed64(2, 0x0102_0304_0506_0708)
            $0.string(3, "héllo")
            $0.float(4, -1.5)
            $0.int(536_870_911, 9)  // the largest field number
        }
        var seen: [(Int, WireType)] = []
        try Self.readAll(bytes) { (field, reader) throws in
            seen.append((field.number, field.wireType))
            switch field.number {
            case 1: #expect(try reader.int64(field) == -2)
            case 2: #expect(try reader.readFixed64() == 0x0102_0304_0506_0708)
            case 3: #expect(try reader.string(field) == "héllo")
            case 4: #expect(try reader.float(field) == -1.5)
            default: #expect(try reader.int32(field) == 9)
            }
        }
        #expect(seen.map(\.0) == [1, 2, 3, 4, 536_870_911])
        #expect(seen.map(\.1) == [.varint, .fixed64, .lengthDelimited, .fixed32, .varint])
        var count = 0
        try Self.readAll(bytes) { (field, reader) throws in
            try reader.skip(field)
            count += 1
        }
        #expect(count == 5)
    }

    @Test func int32TakesTheLowBitsOfANegativeVarint() throws {
        try Self.readAll(ProtobufWriter.message { $0.int(1, -3) }) { (field, reader) throws in
            #expect(try reader.int32(field) == -3)
        }
    }

    @Test func subMessagesAreBoundedByTheirLength() throws {
        let bytes = ProtobufWriter.message {
            $0.message(1) { inner in inner.int(1, 5) }
            $0.int(2, 6)
        }
        var reader = ProtobufReader(bytes)
        var inner = try reader.message(try #require(try reader.nextField()))
        #expect(inner.depth == 1)
        let innerField = try #require(try inner.nextField())
        #expect(try inner.varint(innerField) == 5)
        #expect(try inner.nextField() == nil)
        #expect(try reader.varint(try #require(try reader.nextField())) == 6)
        #expect(try reader.nextField() == nil)
    }

    @Test func repeatedScalarsArePackedOrUnpackedOrBoth() throws {
        let bytes = ProtobufWriter.message {
            $0.packedVarints(1, [1, -1, 300])
            $0.int(1, 7)
            $0.packedVarints(1, [])
            $0.packedFloats(2, [0.5, -2])
            $0.float(2, 3)
            $0.fixed64(3, (1.25 as Double).bitPattern)
            $0.packedDoubles(3, [-0.5, 1e300])
        }
        var ints: [Int64] = [], floats: [Float] = [], doubles: [Double] = []
        try Self.readAll(bytes) { (field, reader) throws in
            switch field.number {
            case 1: try reader.appendVarints(field, to: &ints) { Int64(bitPattern: $0) }
            case 2: try reader.appendFixed32s(field, to: &floats, Float.init(bitPattern:))
            default: try reader.appendFixed64s(field, to: &doubles, Double.init(bitPattern:))
            }
        }
        #expect(ints == [1, -1, 300, 7])
        #expect(floats == [0.5, -2, 3])
        #expect(doubles == [1.25, -0.5, 1e300])
    }

    @Test func packedFixedRunsMustHoldWholeValues() {
        let fixed32 = ProtobufWriter.message { $0.bytes(2, [0, 0, 128, 63, 0]) }
        let error32 = Self.error {
            try Self.readAll(fixed32) { (field, reader) throws in
                var values: [Float] = []
                try reader.appendFixed32s(field, to: &values, Float.init(bitPattern:))
            }
        }
        #expect(error32?.description == "packed field 2 has 5 bytes, not a multiple of 4 (byte 1)")
        let fixed64 = ProtobufWriter.message { $0.bytes(3, [UInt8](repeating: 0, count: 12)) }
        let error64 = Self.error {
            try Self.readAll(fixed64) { (field, reader) throws in
                var values: [Double] = []
                try reader.appendFixed64s(field, to: &values, Double.init(bitPattern:))
            }
        }
        #expect(error64?.description == "packed field 3 has 12 bytes, not a multiple of 8 (byte 1)")
    }

    @Test func wrongWireTypesAreRejected() {
        let fixed32 = ProtobufWriter.message { $0.int(1, 0); $0.fixed32(20, 1) }
        let error = Self.error {
            try Self.readAll(fixed32) { (field, reader) throws in _ = try reader.varint(field) }
        }
        #expect(error?.description == "field 20 has wire type 5, expected varint (byte 2)")
        #expect(error?.kind == .malformed)
        let repeated = Self.error {
            try Self.readAll(ProtobufWriter.message { $0.fixed64(8, 1) }) { (field, reader) throws in
                var values: [Int64] = []
                try reader.appendVarints(field, to: &values) { Int64(bitPattern: $0) }
            }
        }
        #expect(repeated?.description == "field 8 has wire type 1, expected varint or packed (byte 0)")
        let message = Self.error {
            try Self.readAll(ProtobufWriter.message { $0.int(7, 1) }) { (field, reader) throws in _ = try reader.message(field) }
        }
        #expect(message?.description == "field 7 has wire type 0, expected length-delimited (byte 0)")
    }

    @Test func invalidVarintsAreRejected() {
        func readVarint(_ bytes: [UInt8]) -> String? {
            Self.error {
                var reader = ProtobufReader(bytes)
                _ = try reader.readVarint()
            }?.description
        }
        #expect(readVarint([UInt8](repeating: 0xFF, count: 10) + [0x01]) == "varint is longer than 10 bytes (byte 0)")
        #expect(readVarint([UInt8](repeating: 0x80, count: 10) + [0x00]) == "varint is longer than 10 bytes (byte 0)")
        #expect(readVarint([UInt8](repeating: 0xFF, count: 9) + [0x02]) == "varint overflows 64 bits (byte 0)")
        #expect(readVarint([]) == "truncated varint (byte 0)")
        #expect(readVarint([0x80, 0x80]) == "truncated varint (byte 0)")
        #expect(readVarint([UInt8](repeating: 0xFF, count: 9) + [0x01]) == nil)
    }

    @Test func invalidTagsAreRejected() {
        func firstField(_ bytes: [UInt8]) -> String? {
            Self.error {
                var reader = ProtobufReader(bytes)
                _ = try reader.nextField()
            }?.description
        }
        #expect(firstField([0x0B]) == "field 1 has wire type 3 (group), which is not supported (byte 0)")
        #expect(firstField([0x0C]) == "field 1 has wire type 4 (group), which is not supported (byte 0)")
        #expect(firstField([0x0E]) == "field 1 has invalid wire type 6 (byte 0)")
        #expect(firstField([0x0F]) == "field 1 has invalid wire type 7 (byte 0)")
        #expect(firstField([0x00]) == "field number 0 is invalid (byte 0)")
        #expect(firstField(ProtobufWriter.varint(1 << 32)) == "field key 4294967296 exceeds 32 bits (byte 0)")
    }

    @Test func lengthsBeyondTheEndAreRejectedBeforeAllocating() {
        for length in [UInt64(4), 1 << 31, 1 << 60, UInt64.max] {
            let bytes = [0x1A] + ProtobufWriter.varint(length) + [1, 2, 3]
            let error = Self.error { try Self.readAll(bytes) { (field, reader) throws in _ = try reader.bytes(field) } }
            #expect(error?.description == "declared length \(length) exceeds the 3 bytes that remain (byte 1)")
        }
        // A sub-message's length counts against the sub-message, not the whole buffer.
        let nested = [0x0A, 0x02, 0x1A, 0x05] + [UInt8](repeating: 0, count: 8)
        let error = Self.error {
            var reader = ProtobufReader(nested)
            var inner = try reader.message(try #require(try reader.nextField()))
            _ = try inner.bytes(try #require(try inner.nextField()))
        }
        #expect(error?.description == "declared length 5 exceeds the 0 bytes that remain (byte 3)")
    }

    @Test func truncatedFixedValuesAreRejected() {
        let error32 = Self.error {
            try Self.readAll([0x25, 1, 2]) { (field, reader) throws in _ = try reader.float(field) }
        }
        #expect(error32?.description == "truncated fixed32: needs 4 bytes, 2 remain (byte 1)")
        let error64 = Self.error { try Self.readAll([0x09, 1, 2, 3, 4, 5, 6, 7]) { (field, reader) throws in try reader.skip(field) } }
        #expect(error64?.description == "truncated fixed64: needs 8 bytes, 7 remain (byte 1)")
    }

    @Test func stringsMustBeUTF8() {
        for invalid: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x28, 0xA1], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            let bytes = ProtobufWriter.message { $0.int(1, 1); $0.bytes(2, [0x61] + invalid) }
            let error = Self.error {
                try Self.readAll(bytes) { (field, reader) throws in
                    if field.number == 2 { _ = try reader.string(field) } else { try reader.skip(field) }
                }
            }
            #expect(error?.description == "field 2 is not valid UTF-8 (byte 3)")
        }
    }

    /// `levels` messages, each the only field of the one around it.
    static func nested(_ levels: Int) -> [UInt8] {
        (0..<levels).reduce([UInt8]()) { inner, _ in ProtobufWriter.message { $0.bytes(1, inner) } }
    }

    @Test func nestingIsLimited() throws {
        func descend(_ bytes: [UInt8]) throws -> Int {
            var reader = ProtobufReader(bytes)
            var deepest = 0
            while let field = try reader.nextField() {
                reader = try reader.message(field)
                deepest = reader.depth
            }
            return deepest
        }
        #expect(try descend(Self.nested(ProtobufReader.maximumDepth)) == ProtobufReader.maximumDepth)
        let error = Self.error { _ = try descend(Self.nested(ProtobufReader.maximumDepth + 1)) }
        #expect(error?.message == "messages nest deeper than 100 levels")
        #expect(error?.kind == .malformed)
    }
}
