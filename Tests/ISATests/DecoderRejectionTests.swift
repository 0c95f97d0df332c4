import Testing
@testable import ISA

/// Every word that no valid instruction encodes to is rejected with a clear error.
struct DecoderRejectionTests {
    @Test func wrongLengthIsRejected() {
        for count in [0, 1, 31, 33, 64] {
            #expect(throws: ISAError.malformedInstruction("an instruction is 32 bytes, got \(count)")) {
                try InstructionEncoding.decode([UInt8](repeating: 0, count: count))
            }
        }
    }

    @Test func unknownOpcodesAreRejected() {
        let known = Set(OpcodeTable.all.map(\.opcode))
        for opcode in 0..<64 where !known.contains(opcode) {
            var word = [UInt8](repeating: 0, count: 32)
            Bits.write(&word, UInt64(opcode), at: 0, width: 6)
            #expect(throws: ISAError.malformedInstruction("unknown opcode \(opcode)")) {
                try InstructionEncoding.decode(word)
            }
        }
    }

    /// Values a field's bits can hold but its range excludes: below a minimum of 1, above an
    /// explicit maximum (a shift of 63), or a choice index past the last name.
    static func illegalValues(_ field: AnyField) -> [Int64] {
        let representable: ClosedRange<Int64> = switch field.kind {
        case .signed: -(Int64(1) << (field.width - 1))...((Int64(1) << (field.width - 1)) - 1)
        default: 0...((Int64(1) << field.width) - 1)
        }
        var values: [Int64] = []
        if field.minimum > representable.lowerBound { values += [representable.lowerBound, field.minimum - 1] }
        if field.maximum < representable.upperBound { values += [field.maximum + 1, representable.upperBound] }
        return Array(Set(values)).sorted()
    }

    @Test(arguments: OpcodeTable.all.map(\.mnemonic))
    func eachFieldOutOfRangeIsRejected(mnemonic: String) throws {
        let spec = try #require(OpcodeTable.spec(mnemonic: mnemonic))
        var generator = SplitMix64(seed: 0xDEC0DE + UInt64(spec.opcode))
        let valid = try InstructionEncoding.encode(RandomInstructions.instruction(spec, using: &generator))
        for (field, offset) in zip(spec.fields, spec.fieldOffsets) {
            for value in Self.illegalValues(field) {
                var word = valid
                Bits.write(&word, UInt64(bitPattern: value), at: offset, width: field.width)
                #expect(throws: ISAError.fieldOutOfRange(mnemonic: mnemonic, field: field.name, value: value,
                                                         range: field.rangeDescription)) {
                    try InstructionEncoding.decode(word)
                }
            }
        }
    }

    @Test func illegalValuesCoverTheInterestingFields() throws {
        let load = try #require(OpcodeTable.spec(mnemonic: "load"))
        let byName = Dictionary(uniqueKeysWithValues: load.fields.map { ($0.name, $0) })
        #expect(Self.illegalValues(byName["buf"]!) == [3])
        #expect(Self.illegalValues(byName["type"]!) == [6, 7])
        #expect(Self.illegalValues(byName["x"]!) == [0])
        #expect(Self.illegalValues(byName["pad_value"]!).isEmpty)
        let requant = try #require(OpcodeTable.spec(mnemonic: "cfg.requant"))
        #expect(Self.illegalValues(requant.fields[1]) == [63])
        let pwl = try #require(OpcodeTable.spec(mnemonic: "pwl.load"))
        #expect(Self.illegalValues(pwl.fields[3]) == [0, 65, 127])
    }

    @Test(arguments: OpcodeTable.all.map(\.mnemonic))
    func nonzeroUnusedBitsAreRejected(mnemonic: String) throws {
        let spec = try #require(OpcodeTable.spec(mnemonic: mnemonic))
        var generator = SplitMix64(seed: 0xB175 + UInt64(spec.opcode))
        let valid = try InstructionEncoding.encode(RandomInstructions.instruction(spec, using: &generator))
        let message = "\(mnemonic): unused bits \(spec.usedBits)...255 are not zero"
        for bit in Set([spec.usedBits, (spec.usedBits + 255) / 2, 255]) where bit >= spec.usedBits {
            #expect(throws: ISAError.malformedInstruction(message)) {
                try InstructionEncoding.decode(Bits.flip(valid, bit: bit))
            }
        }
    }

    @Test func decoderAppliesTheInstructionRules() throws {
        // A 3-wide window over a 2-wide input: each field is in range, the combination is not.
        var tile = MatrixTile()
        tile.inputWidth = 3
        tile.kernelWidth = 3
        var word = try InstructionEncoding.encode(Instruction(.matmul(tile)))
        let spec = try #require(OpcodeTable.spec(mnemonic: "matmul"))
        let inputWidthOffset = spec.fieldOffsets[spec.fields.firstIndex { $0.name == "in_w" }!]
        Bits.write(&word, 2, at: inputWidthOffset, width: 16)
        #expect(throws: ISAError.invalidOperands(mnemonic: "matmul", "the window reaches 3 input columns but in_w is 2")) {
            try InstructionEncoding.decode(word)
        }
        // pop_prev on the load engine.
        let load = Bits.flip(try InstructionEncoding.encode(Instruction(.load(Transfer()))), bit: 6)
        #expect(throws: ISAError.invalidOperands(mnemonic: "load", "pop_prev is not available on the load engine")) {
            try InstructionEncoding.decode(load)
        }
        // Any flag on halt.
        #expect(throws: ISAError.invalidOperands(mnemonic: "halt", "takes no dependency flags (it runs on no engine)")) {
            try InstructionEncoding.decode(Bits.flip([UInt8](repeating: 0, count: 32), bit: 9))
        }
    }

    /// Every single-bit corruption of a valid word either decodes to a valid instruction whose
    /// encoding is exactly the corrupted word, or throws; it never traps.
    @Test func everySingleBitFlipDecodesConsistentlyOrThrows() throws {
        var generator = SplitMix64(seed: 0xF11B)
        var decoded = 0, rejected = 0
        for spec in OpcodeTable.all {
            for _ in 0..<8 {
                let valid = try InstructionEncoding.encode(RandomInstructions.instruction(spec, using: &generator))
                for bit in 0..<InstructionEncoding.instructionBits {
                    let word = Bits.flip(valid, bit: bit)
                    do {
                        let instruction = try InstructionEncoding.decode(word)
                        #expect(try InstructionEncoding.encode(instruction) == word, "\(spec.mnemonic) bit \(bit)")
                        decoded += 1
                    } catch {
                        rejected += 1
                    }
                }
            }
        }
        #expect(decoded > 0 && rejected > 0)
    }

    @Test func randomWordsNeverTrap() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            var word = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Keep a known opcode most of the time, so the fields are what gets exercised.
            if generator.chance(0.9) {
                Bits.write(&word, UInt64.random(in: 0..<UInt64(OpcodeTable.all.count), using: &generator), at: 0, width: 6)
            }
            // Clear the unused bits half of the time, so the rules are reached too.
            if let spec = OpcodeTable.spec(opcode: Int(Bits.read(word, at: 0, width: 6))), generator.chance(0.5) {
                let unused = InstructionEncoding.instructionBits - spec.usedBits
                Bits.write(&word, 0, at: spec.usedBits, width: unused)
            }
            if let instruction = try? InstructionEncoding.decode(word) {
                #expect(try InstructionEncoding.encode(instruction) == word)
            }
        }
    }
}
