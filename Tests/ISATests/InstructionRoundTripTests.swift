import Testing
@testable import ISA

/// Property tests over random valid instructions of every opcode.
struct InstructionRoundTripTests {
    static let instructionsPerOpcode = 200

    @Test(arguments: OpcodeTable.all.map(\.mnemonic))
    func encodeDecodeAndDisassembleRoundTrip(mnemonic: String) throws {
        let spec = try #require(OpcodeTable.spec(mnemonic: mnemonic))
        var generator = SplitMix64(seed: 0x15A_0000 + UInt64(spec.opcode))
        let assembler = Assembler()
        for _ in 0..<Self.instructionsPerOpcode {
            let instruction = RandomInstructions.instruction(spec, using: &generator)
            let bytes = try InstructionEncoding.encode(instruction)
            #expect(bytes.count == InstructionEncoding.instructionBytes)
            #expect(try InstructionEncoding.decode(bytes) == instruction)

            // The layout: opcode, flags, then each field at its offset, and nothing else.
            var layout = [Bits.read(bytes, at: 0, width: 6), Bits.read(bytes, at: 6, width: 4)]
            var expected = [UInt64(spec.opcode), UInt64(instruction.dependencies.rawValue)]
            let values = try #require(spec.fieldValues(of: instruction.operation))
            for ((field, offset), value) in zip(zip(spec.fields, spec.fieldOffsets), values) {
                layout.append(Bits.read(bytes, at: offset, width: field.width))
                expected.append(UInt64(bitPattern: value) & ((UInt64(1) << UInt64(field.width)) - 1))
            }
            #expect(layout == expected, "\(instruction)")
            let unused = Bits.setBits(bytes, from: spec.usedBits)
            #expect(unused.isEmpty, "unused bits \(unused) of \(mnemonic) are set")

            let text = Disassembler.text(of: instruction)
            let program = try assembler.assemble(text)
            #expect(program.instructions == [instruction], "\(text)")
        }
    }

    @Test func mixedStreamsRoundTripThroughTheDisassembler() throws {
        var generator = SplitMix64(seed: 42)
        let instructions = (0..<2000).map { _ in RandomInstructions.instruction(using: &generator) }
        let text = instructions.map { Disassembler.text(of: $0) }.joined(separator: "\n")
        #expect(try Assembler().assemble(text).instructions == instructions)
        #expect(instructions.map(\.description) == text.split(separator: "\n").map(String.init))
    }

    @Test func disassemblyOmitsDefaultsAndSpellsChoicesAndAddresses() throws {
        var transfer = Transfer()
        transfer.buffer = .sb
        transfer.type = .int16
        transfer.dramAddress = 0x1000
        transfer.bufferAddress = 64
        transfer.xSize = 8
        transfer.ySize = 5000
        transfer.padValue = -3
        let load = Instruction(.load(transfer), dependencies: [.popNext, .pushNext])
        #expect(Disassembler.text(of: load)
                == "load buf=sb type=i16 dram=0x1000 addr=0x40 x=8 y=0x1388 pad_value=-3 pop_next push_next")
        #expect(Disassembler.text(of: Instruction(.halt)) == "halt")
        var tile = MatrixTile()
        tile.accumulate = true
        #expect(Disassembler.text(of: Instruction(.matmul(tile)))
                == "matmul in=0 w=0 out=0 in_w=1 c=1 out_w=1 k=1 acc=1")
    }

    /// The encoder checks every value against its field before writing a bit (VTA once stored
    /// 4 in a 2-bit field), naming the field, the value and the legal range.
    @Test func encoderRejectsValuesThatDoNotFit() {
        var transfer = Transfer()
        transfer.xSize = 0
        #expect(throws: ISAError.fieldOutOfRange(mnemonic: "load", field: "x", value: 0, range: "1...65535")) {
            try InstructionEncoding.encode(Instruction(.load(transfer)))
        }
        transfer.xSize = 1 << 16
        #expect(throws: ISAError.fieldOutOfRange(mnemonic: "store", field: "x", value: 65536, range: "1...65535")) {
            try InstructionEncoding.encode(Instruction(.store(transfer)))
        }
        transfer.xSize = 1
        transfer.padValue = Int(Int32.max) + 1
        #expect(throws: ISAError.fieldOutOfRange(mnemonic: "load", field: "pad_value", value: 2_147_483_648,
                                                 range: "-2147483648...2147483647")) {
            try InstructionEncoding.encode(Instruction(.load(transfer)))
        }
        var requant = RequantizationParameters()
        requant.shift = 63
        #expect(throws: ISAError.fieldOutOfRange(mnemonic: "cfg.requant", field: "shift", value: 63, range: "0...62")) {
            try InstructionEncoding.encode(Instruction(.setRequantization(requant)))
        }
        #expect(throws: ISAError.fieldOutOfRange(mnemonic: "layer", field: "id", value: -1, range: "0...65535")) {
            try InstructionEncoding.encode(Instruction(.layer(LayerMarker(id: -1))))
        }
    }

    @Test func encoderAppliesTheInstructionRules() {
        var tile = MatrixTile()
        tile.kernelWidth = 3
        tile.inputWidth = 2
        #expect(throws: ISAError.invalidOperands(mnemonic: "matmul", "the window reaches 3 input columns but in_w is 2")) {
            try InstructionEncoding.encode(Instruction(.matmul(tile)))
        }
        tile.inputWidth = 3
        tile.channels = 8
        tile.inputPitch = 4
        #expect(throws: ISAError.invalidOperands(mnemonic: "matmul", "in_pitch 4 is less than c 8")) {
            try InstructionEncoding.encode(Instruction(.matmul(tile)))
        }
        var pool = PoolWindow()
        pool.outputWidth = 2
        pool.strideX = 2
        pool.windowWidth = 2
        pool.inputWidth = 3
        #expect(throws: ISAError.invalidOperands(mnemonic: "pool.max", "the window reaches 4 input columns but in_w is 3")) {
            try InstructionEncoding.encode(Instruction(.pool(pool)))
        }
        var vector = VectorOperation()
        vector.function = .requantize
        vector.sourceType = .fp32
        #expect(throws: ISAError.invalidOperands(mnemonic: "vrequant", "requantization takes an integer source type")) {
            try InstructionEncoding.encode(Instruction(.vector(vector)))
        }
        vector.function = .multiplyImmediate
        vector.sourceType = .fp16
        vector.shift = 1
        #expect(throws: ISAError.invalidOperands(mnemonic: "vmuli", "shift applies to integer types only")) {
            try InstructionEncoding.encode(Instruction(.vector(vector)))
        }
        #expect(throws: ISAError.invalidOperands(mnemonic: "halt", "takes no dependency flags (it runs on no engine)")) {
            try InstructionEncoding.encode(Instruction(.halt, dependencies: .pushNext))
        }
        #expect(throws: ISAError.invalidOperands(mnemonic: "load", "pop_prev is not available on the load engine")) {
            try InstructionEncoding.encode(Instruction(.load(Transfer()), dependencies: .popPrevious))
        }
        #expect(throws: ISAError.invalidOperands(mnemonic: "nop", "push_next is not available on the store engine")) {
            try InstructionEncoding.encode(Instruction(.nop(NoOperation(engine: .store)), dependencies: .pushNext))
        }
    }

    @Test func dependencyFlagsFollowTheEngine() {
        #expect(RandomInstructions.legalFlags(for: nil).isEmpty)
        #expect(RandomInstructions.legalFlags(for: .load) == [.popNext, .pushNext])
        #expect(RandomInstructions.legalFlags(for: .compute) == [.popPrevious, .popNext, .pushPrevious, .pushNext])
        #expect(RandomInstructions.legalFlags(for: .store) == [.popPrevious, .pushPrevious])
        #expect(Instruction(.nop(NoOperation(engine: .load))).engine == .load)
        #expect(Instruction(.layer(LayerMarker())).engine == nil)
        #expect(Instruction(.store(Transfer())).engine == .store)
    }
}
