import Foundation

/// The `.npub` program container: a binary file holding a `Program`.
///
/// Layout (little-endian):
///
///     "NPUB"  u16 version  u16 reserved(0)
///     sections, each: 4-byte tag, u64 payload length, payload
///       CONF  the target HardwareConfig as compact JSON (UTF-8)
///       INST  u32 count, then count x 32-byte instructions (`InstructionEncoding`)
///       DATA  u32 count, then per segment: u64 DRAM address, u64 length, bytes
///       SYMB  u32 count, then per symbol: u8 role, u8 type, string name, u64 address,
///             u8 rank, rank x u64 dims, u8 has-quantization [f64 scale, i64 zero point],
///             u8 has-range [f64 low, f64 high]
///       CHCK  u32 count, strings (reference computations)
///       LAYR  u32 count, strings (layer names)
///     "END!"  u32 CRC-32 (IEEE) of every byte before "END!"
///
/// Strings are u32 length + UTF-8. Readers reject unknown versions, bad checksums, truncation
/// and any malformed section with one message; they never trap on any input.
public enum ProgramFile {
    public static let magic: [UInt8] = Array("NPUB".utf8)
    public static let version: UInt16 = 1
    static let endTag: [UInt8] = Array("END!".utf8)

    public static func encode(_ program: Program) throws(ISAError) -> [UInt8] {
        var out = ByteWriter()
        out.bytes(magic)
        out.u16(version)
        out.u16(0)

        out.section("CONF") { $0.bytes(Array(program.config.compactJSON().utf8)) }
        var instructionBytes: [UInt8] = []
        instructionBytes.reserveCapacity(program.instructions.count * InstructionEncoding.instructionBytes)
        for instruction in program.instructions { instructionBytes += try InstructionEncoding.encode(instruction) }
        out.section("INST") {
            $0.u32(UInt32(program.instructions.count))
            $0.bytes(instructionBytes)
        }
        out.section("DATA") {
            $0.u32(UInt32(program.segments.count))
            for segment in program.segments {
                $0.u64(UInt64(segment.address))
                $0.u64(UInt64(segment.bytes.count))
                $0.bytes(segment.bytes)
            }
        }
        out.section("SYMB") {
            $0.u32(UInt32(program.symbols.count))
            for symbol in program.symbols {
                $0.u8(UInt8(symbol.role.rawValue))
                $0.u8(UInt8(symbol.type.rawValue))
                $0.string(symbol.name)
                $0.u64(UInt64(symbol.address))
                $0.u8(UInt8(symbol.shape.count))
                for dimension in symbol.shape { $0.u64(UInt64(dimension)) }
                if let quantization = symbol.quantization {
                    $0.u8(1)
                    $0.u64(quantization.scale.bitPattern)
                    $0.u64(UInt64(bitPattern: Int64(quantization.zeroPoint)))
                } else {
                    $0.u8(0)
                }
                if let range = symbol.fillRange {
                    $0.u8(1)
                    $0.u64(range.lowerBound.bitPattern)
                    $0.u64(range.upperBound.bitPattern)
                } else {
                    $0.u8(0)
                }
            }
        }
        out.section("CHCK") { $0.strings(program.checks) }
        out.section("LAYR") { $0.strings(program.layerNames) }
        let checksum = CRC32.checksum(out.data)
        out.bytes(endTag)
        out.u32(checksum)
        return out.data
    }

    public static func decode(_ data: [UInt8]) throws(ISAError) -> Program {
        guard data.count >= 8, Array(data[0..<4]) == magic else {
            throw .malformedProgram("not an NPUSim program (missing NPUB magic)")
        }
        guard data.count >= 16, Array(data[(data.count - 8)..<(data.count - 4)]) == endTag else {
            throw .malformedProgram("truncated file (no end marker)")
        }
        var reader = ByteReader(data: data, end: data.count - 8)
        let storedChecksum = ByteReader(data: data, position: data.count - 4).peekU32()
        guard CRC32.checksum(data[0..<(data.count - 8)]) == storedChecksum else {
            throw .malformedProgram("checksum mismatch (the file is corrupted or truncated)")
        }
        reader.position = 4
        let fileVersion = try reader.u16()
        guard fileVersion == version else { throw .malformedProgram("unsupported version \(fileVersion) (this tool reads \(version))") }
        _ = try reader.u16()

        var config: HardwareConfig?
        var program = Program(config: .edge)
        while !reader.atEnd {
            let tag = String(decoding: try reader.bytes(4), as: UTF8.self)
            let length = try reader.length()
            var section = ByteReader(data: try reader.bytes(length))
            switch tag {
            case "CONF":
                do {
                    config = try HardwareConfig.decode(json: Data(try section.bytes(length)), source: "program configuration")
                } catch {
                    throw .malformedProgram(error.description)
                }
            case "INST":
                let count = try section.count(elementBytes: InstructionEncoding.instructionBytes)
                program.instructions.reserveCapacity(count)
                for index in 0..<count {
                    do {
                        program.instructions.append(try InstructionEncoding.decode(try section.bytes(InstructionEncoding.instructionBytes)))
                    } catch {
                        throw .malformedProgram("instruction \(index): \(error.description)")
                    }
                }
            case "DATA":
                for _ in 0..<(try section.count(elementBytes: 16)) {
                    let address = try section.length()
                    let length = try section.length()
                    guard length > 0 else { throw .malformedProgram("empty data segment at \(address)") }
                    program.segments.append(DataSegment(address: address, bytes: try section.bytes(length)))
                }
            case "SYMB":
                for _ in 0..<(try section.count(elementBytes: 16)) { program.symbols.append(try symbol(&section)) }
            case "CHCK":
                program.checks = try section.strings()
            case "LAYR":
                program.layerNames = try section.strings()
            default:
                throw .malformedProgram("unknown section '\(tag)'")
            }
            guard section.atEnd else { throw .malformedProgram("section \(tag) has trailing bytes") }
        }
        guard let config else { throw .malformedProgram("no configuration section") }
        program.config = config
        for segment in program.segments where !program.fitsInDRAM(address: segment.address, byteCount: segment.bytes.count) {
            throw .malformedProgram("data segment at 0x\(String(segment.address, radix: 16)) does not fit in DRAM")
        }
        for symbol in program.symbols where !program.fitsInDRAM(symbol) {
            throw .malformedProgram("symbol '\(symbol.name)' does not fit in DRAM")
        }
        return program
    }

    private static func symbol(_ reader: inout ByteReader) throws(ISAError) -> TensorSymbol {
        guard let role = TensorSymbol.Role(rawValue: Int(try reader.u8())) else { throw .malformedProgram("bad symbol role") }
        guard let type = ElementType(rawValue: Int(try reader.u8())) else { throw .malformedProgram("bad symbol type") }
        let name = try reader.string()
        let address = try reader.length()
        let rank = Int(try reader.u8())
        var shape: [Int] = []
        for _ in 0..<rank {
            let dimension = try reader.length()
            guard dimension > 0, dimension <= 1 << 30 else { throw .malformedProgram("bad dimension in symbol '\(name)'") }
            shape.append(dimension)
        }
        var quantization: Quantization?
        if try reader.u8() == 1 {
            quantization = Quantization(scale: Double(bitPattern: try reader.u64()), zeroPoint: Int(Int64(bitPattern: try reader.u64())))
        }
        var range: ClosedRange<Double>?
        if try reader.u8() == 1 {
            let low = Double(bitPattern: try reader.u64()), high = Double(bitPattern: try reader.u64())
            guard low <= high else { throw .malformedProgram("bad fill range in symbol '\(name)'") }
            range = low...high
        }
        return TensorSymbol(name: name, role: role, address: address, shape: shape, type: type,
                            quantization: quantization, fillRange: range)
    }
}
