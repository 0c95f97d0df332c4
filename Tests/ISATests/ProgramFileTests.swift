import Testing
@testable import ISA

/// The `.npub` container: layout, and a clear `malformedProgram` error (never a trap) for
/// truncated, corrupted, foreign or hand-crafted files.
struct ProgramFileTests {
    /// Bitwise CRC-32 (IEEE, reflected 0xEDB88320), written here independently of the module's table.
    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = ~UInt32(0)
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Replaces the trailer's checksum so that a deliberately edited body reaches the parser
    /// (with the module's table-driven CRC, checked against `crc32` above, for speed).
    static func resealed(_ file: [UInt8]) -> [UInt8] {
        let body = file.dropLast(4)
        let crc = CRC32.checksum(body.dropLast(4))
        return Array(body) + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
    }

    /// A file from raw sections, sealed with "END!" and the checksum.
    static func file(version: UInt16 = 1, sections: [(tag: String, payload: [UInt8])]) -> [UInt8] {
        var bytes = Array("NPUB".utf8) + [UInt8(version & 0xFF), UInt8(version >> 8), 0, 0]
        for (tag, payload) in sections {
            bytes += Array(tag.utf8) + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * $0)) } + payload
        }
        return resealed(bytes + Array("END!".utf8) + [0, 0, 0, 0])
    }

    static let configSection = (tag: "CONF", payload: Array(HardwareConfig.edge.compactJSON().utf8))

    static func malformedMessage(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ProgramFile.decode(bytes)
            return nil
        } catch {
            guard case .malformedProgram(let message) = error else { return "wrong error: \(error)" }
            return message
        }
    }

    static let small: Program = {
        var program = Program(config: .diannao)
        program.instructions = [Instruction(.layer(LayerMarker(id: 0))), Instruction(.nop(NoOperation()), dependencies: .pushNext),
                                Instruction(.halt)]
        program.segments = [DataSegment(address: 64, bytes: [1, 2, 3])]
        program.symbols = [TensorSymbol(name: "X", role: .input, address: 0, shape: [2, 2], type: .int8,
                                        quantization: Quantization(scale: 0.1, zeroPoint: 3), fillRange: -1...1)]
        program.checks = ["X = X"]
        program.layerNames = ["only"]
        return program
    }()

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(Self.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var generator = SplitMix64(seed: 0xC4C)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC32.checksum(bytes) == Self.crc32(bytes))
        }
    }

    @Test func layout() throws {
        let bytes = try ProgramFile.encode(Self.small)
        #expect(Array(bytes.prefix(12)) == Array("NPUB".utf8) + [1, 0, 0, 0] + Array("CONF".utf8))
        let json = Array(HardwareConfig.diannao.compactJSON().utf8)
        #expect(Array(bytes[12..<20]) == (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) })
        #expect(Array(bytes[20..<(20 + json.count)]) == json)
        let instructions = 20 + json.count
        #expect(Array(bytes[instructions..<(instructions + 4)]) == Array("INST".utf8))
        #expect(Array(bytes[(instructions + 12)..<(instructions + 16)]) == [3, 0, 0, 0])
        #expect(Array(bytes[(instructions + 16)..<(instructions + 48)]) == (try InstructionEncoding.encode(Self.small.instructions[0])))
        #expect(Array(bytes.suffix(8).prefix(4)) == Array("END!".utf8))
        let crc = Self.crc32(bytes.dropLast(8))
        #expect(Array(bytes.suffix(4)) == (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) })
        #expect(try ProgramFile.decode(bytes) == Self.small)
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try ProgramFile.encode(Self.small)
        for length in 0..<bytes.count {
            let message = Self.malformedMessage(Array(bytes.prefix(length)))
            let expected = length < 8 ? "not an NPUSim program (missing NPUB magic)" : "truncated file (no end marker)"
            #expect(message == expected, "prefix of \(length) bytes")
        }
    }

    @Test func badMagicWrongVersionAndCorruption() throws {
        let bytes = try ProgramFile.encode(Self.small)
        var foreign = bytes
        foreign[0] = UInt8(ascii: "M")
        #expect(Self.malformedMessage(foreign) == "not an NPUSim program (missing NPUB magic)")
        #expect(Self.malformedMessage(Array("{\"name\": \"edge\"}".utf8)) == "not an NPUSim program (missing NPUB magic)")

        var newer = bytes
        newer[4] = 2
        #expect(Self.malformedMessage(newer) == "checksum mismatch (the file is corrupted or truncated)")
        #expect(Self.malformedMessage(Self.resealed(newer)) == "unsupported version 2 (this tool reads 1)")

        for index in stride(from: 4, to: bytes.count - 8, by: 7) {
            var corrupted = bytes
            corrupted[index] ^= 0x10
            #expect(Self.malformedMessage(corrupted) == "checksum mismatch (the file is corrupted or truncated)", "byte \(index)")
        }
        var badChecksum = bytes
        badChecksum[bytes.count - 1] ^= 1
        #expect(Self.malformedMessage(badChecksum) == "checksum mismatch (the file is corrupted or truncated)")
    }

    @Test func malformedSectionsBehindAValidChecksum() throws {
        #expect(Self.malformedMessage(Self.file(sections: [])) == "no configuration section")
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("ABCD", [])])) == "unknown section 'ABCD'")
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("INST", [1, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 32))]))
                == "instruction 0: malformed instruction: unknown opcode 63")
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("INST", [2, 0, 0, 0] + [UInt8](repeating: 0, count: 32))]))
                == "truncated file (count 2 exceeds the section)")
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("LAYR", [0, 0, 0, 0, 9])]))
                == "section LAYR has trailing bytes")
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("LAYR", [1, 0, 0, 0, 2, 0, 0, 0, 0xC3, 0x28])]))
                == "invalid UTF-8 string")
        let emptySegment: [UInt8] = [1, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("DATA", emptySegment)])) == "empty data segment at 0")
        let farSegment: [UInt8] = [1, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0x10] + [1, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(Self.malformedMessage(Self.file(sections: [Self.configSection, ("DATA", farSegment)]))
                == "implausible size or address 1152921504606846976")
        #expect(Self.malformedMessage(Self.file(sections: [("CONF", Array("{}".utf8))]))
                == "invalid configuration: program configuration: missing key 'name'")
        // A section claiming 255 bytes that the file does not have.
        let header = Array(Self.file(sections: []).prefix(8))
        let hugeSection = Array("CONF".utf8) + [0xFF, 0, 0, 0, 0, 0, 0, 0]
        #expect(Self.malformedMessage(Self.resealed(header + hugeSection + Array("END!".utf8) + [0, 0, 0, 0])) == "truncated file")
    }

    /// Random bytes, and random edits of a valid file resealed with a correct checksum so that
    /// the section parser (not just the checksum) sees them: always a `malformedProgram` error
    /// or a program, never a trap.
    @Test func randomAndResealedFilesNeverTrap() throws {
        var generator = SplitMix64(seed: 0xF11E)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...256, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = Self.malformedMessage(generator.chance(0.5) ? bytes : Array("NPUB".utf8) + bytes)
            #expect(message != nil && message?.hasPrefix("wrong error") == false)
        }
        let valid = try ProgramFile.encode(RandomPrograms.program(using: &generator))
        var decoded = 0
        for _ in 0..<1000 {
            var edited = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 8..<(valid.count - 8), using: &generator)
                edited[index] = generator.chance(0.5) ? UInt8.random(in: 0...255, using: &generator) : edited[index] ^ (1 << UInt8.random(in: 0...7, using: &generator))
            }
            if generator.chance(0.2) {
                let cut = Int.random(in: 8..<(valid.count - 8), using: &generator)
                edited = Array(edited[..<cut]) + Array(edited.suffix(8))
            }
            switch Self.malformedMessage(Self.resealed(edited)) {
            case nil: decoded += 1
            case let message?: #expect(!message.hasPrefix("wrong error"), "\(message)")
            }
        }
        #expect(decoded > 0)
    }
}
