import Testing
@testable import ISA

/// Typed element access to raw little-endian memory.
struct ElementCodecTests {
    static func stored(integer value: Int64, _ type: ElementType) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xAA, count: type.byteSize)
        bytes.withUnsafeMutableBytes { ElementCodec.store(integer: value, to: $0.baseAddress!, type) }
        return bytes
    }

    static func stored(float value: Float, _ type: ElementType) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xAA, count: type.byteSize)
        bytes.withUnsafeMutableBytes { ElementCodec.store(float: value, to: $0.baseAddress!, type) }
        return bytes
    }

    static func loadInteger(_ bytes: [UInt8], _ type: ElementType) -> Int64 {
        bytes.withUnsafeBytes { ElementCodec.loadInteger($0.baseAddress!, type) }
    }

    static func loadFloat(_ bytes: [UInt8], _ type: ElementType) -> Float {
        bytes.withUnsafeBytes { ElementCodec.loadFloat($0.baseAddress!, type) }
    }

    static func halfBits(_ value: Float) -> UInt16 {
        let bytes = stored(float: value, .fp16)
        return UInt16(bytes[0]) | UInt16(bytes[1]) << 8
    }

    @Test(arguments: [ElementType.int8, .uint8, .int16])
    func everyValueOfSmallIntegerTypesRoundTrips(type: ElementType) {
        var failures: [Int64] = []
        for value in type.integerRange where Self.loadInteger(Self.stored(integer: value, type), type) != value {
            failures.append(value)
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func int32ValuesRoundTrip() {
        var generator = SplitMix64(seed: 0x132)
        let values = [Int64(Int32.min), -1, 0, 1, Int64(Int32.max)] + (0..<10_000).map { _ in Int64(Int32(truncatingIfNeeded: generator.next())) }
        for value in values {
            #expect(Self.loadInteger(Self.stored(integer: value, .int32), .int32) == value)
        }
    }

    @Test func integersAreLittleEndianAndSaturate() {
        #expect(Self.stored(integer: 0x1234, .int16) == [0x34, 0x12])
        #expect(Self.stored(integer: -2, .int32) == [0xFE, 0xFF, 0xFF, 0xFF])
        #expect(Self.stored(integer: 0x0102_0304, .int32) == [0x04, 0x03, 0x02, 0x01])
        #expect(Self.stored(integer: 300, .int8) == [0x7F])
        #expect(Self.stored(integer: -300, .int8) == [0x80])
        #expect(Self.stored(integer: -1, .uint8) == [0x00])
        #expect(Self.stored(integer: 256, .uint8) == [0xFF])
        #expect(Self.stored(integer: 40000, .int16) == [0xFF, 0x7F])
        #expect(Self.stored(integer: 1 << 40, .int32) == [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(Self.stored(integer: Int64.min, .int32) == [0x00, 0x00, 0x00, 0x80])
        #expect(Self.loadInteger([0xFF], .uint8) == 255)
        #expect(Self.loadInteger([0xFF], .int8) == -1)
        #expect(Self.loadFloat([0x00, 0x80], .int16) == -32768)
    }

    /// Every fp16 bit pattern loads to fp32 and stores back to the same bits (NaNs stay NaN).
    @Test func everyHalfBitPatternRoundTrips() {
        var failures: [UInt16] = []
        for bits in UInt16.min...UInt16.max {
            let bytes = [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            let value = Self.loadFloat(bytes, .fp16)
            let again = Self.stored(float: value, .fp16)
            let isNaN = (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0
            if isNaN ? !value.isNaN || !Self.loadFloat(again, .fp16).isNaN : again != bytes {
                failures.append(bits)
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test func floatBitPatternsRoundTrip() {
        var generator = SplitMix64(seed: 0xF32)
        for _ in 0..<10_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            let bytes = Self.stored(float: value, .fp32)
            #expect(bytes == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value.bitPattern >> $0) })
            let loaded = Self.loadFloat(bytes, .fp32)
            #expect(loaded.bitPattern == value.bitPattern || (value.isNaN && loaded.isNaN))
        }
    }

    /// fp16 rounding to nearest, ties to even; 2^-10 is the spacing above 1, 2^-24 the smallest subnormal.
    @Test func halfRoundsToNearestEven() {
        #expect(Self.halfBits(1) == 0x3C00)
        #expect(Self.halfBits(1 + 0x1p-11) == 0x3C00)  // tie between 0x3C00 and 0x3C01: even
        #expect(Self.halfBits(1 + 3 * 0x1p-11) == 0x3C02)  // tie between 0x3C01 and 0x3C02: even
        #expect(Self.halfBits(1 + 0x1p-11 + 0x1p-20) == 0x3C01)  // just above the tie
        #expect(Self.halfBits(-2.5) == 0xC100)
        #expect(Self.halfBits(65504) == 0x7BFF)  // largest finite
        #expect(Self.halfBits(65519) == 0x7BFF)  // below the tie with 65536
        #expect(Self.halfBits(65520) == 0x7C00)  // tie rounds to even = 65536, beyond range: infinity
        #expect(Self.halfBits(-1e6) == 0xFC00)
        #expect(Self.halfBits(0x1p-25) == 0x0000)  // tie between 0 and 2^-24: even
        #expect(Self.halfBits(3 * 0x1p-25) == 0x0002)  // tie between 2^-24 and 2^-23: even
        #expect(Self.halfBits(-0.0) == 0x8000)
        #expect(Self.halfBits(.nan) & 0x7C00 == 0x7C00 && Self.halfBits(.nan) & 0x3FF != 0)
    }

    @Test func conversionsBetweenIntegerAndFloatTypes() {
        #expect(Self.stored(float: 2.5, .int8) == [2])
        #expect(Self.stored(float: 3.5, .int8) == [4])
        #expect(Self.stored(float: -2.5, .int16) == [0xFE, 0xFF])
        #expect(Self.stored(float: 1e9, .int16) == [0xFF, 0x7F])
        #expect(Self.stored(float: -7, .uint8) == [0])
        #expect(Self.stored(float: .nan, .int32) == [0, 0, 0, 0])
        #expect(Self.stored(integer: 3, .fp16) == [0x00, 0x42])
        #expect(Self.stored(integer: 2049, .fp16) == Self.stored(float: 2048, .fp16))  // ties to even
        #expect(Self.loadInteger(Self.stored(float: 2.5, .fp16), .fp16) == 2)
        #expect(Self.loadInteger(Self.stored(float: -3.5, .fp32), .fp32) == -4)
        #expect(Self.loadInteger(Self.stored(float: 1e20, .fp32), .fp32) == Int64(Int32.max))
        #expect(Self.loadFloat(Self.stored(integer: -5, .int8), .int8) == -5)
    }

    /// Unaligned access: elements in packed records need not be aligned.
    @Test func unalignedElements() {
        var bytes = [UInt8](repeating: 0, count: 8)
        bytes.withUnsafeMutableBytes { ElementCodec.store(integer: -123_456, to: $0.baseAddress! + 1, .int32) }
        #expect(bytes.withUnsafeBytes { ElementCodec.loadInteger($0.baseAddress! + 1, .int32) } == -123_456)
        bytes.withUnsafeMutableBytes { ElementCodec.store(float: 0.1, to: $0.baseAddress! + 3, .fp32) }
        #expect(bytes.withUnsafeBytes { ElementCodec.loadFloat($0.baseAddress! + 3, .fp32) } == 0.1)
    }
}
