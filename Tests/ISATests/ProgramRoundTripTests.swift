import Testing
@testable import ISA

/// Whole programs survive the binary container and the assembly text, byte for byte.
struct ProgramRoundTripTests {
    @Test func randomProgramsRoundTrip() throws {
        var generator = SplitMix64(seed: 0x9806_2A3)
        for _ in 0..<100 {
            let program = RandomPrograms.program(using: &generator)
            let bytes = try ProgramFile.encode(program)
            let decoded = try ProgramFile.decode(bytes)
            #expect(decoded == program)
            #expect(try ProgramFile.encode(decoded) == bytes)

            let text = Disassembler.text(of: program)
            let assembled = try Assembler().assemble(text, file: "random.s")
            #expect(assembled == program)
            #expect(try ProgramFile.encode(assembled) == bytes)
        }
    }

    @Test func presetProgramsNameTheirPreset() throws {
        for preset in HardwareConfig.presets {
            let program = Program(config: preset, instructions: [Instruction(.halt)])
            let text = Disassembler.text(of: program)
            #expect(text == ".config \(preset.name)\n    halt\n")
            #expect(try Assembler(defaultConfig: .tpu).assemble(text) == program)
            #expect(try ProgramFile.decode(ProgramFile.encode(program)) == program)
        }
    }

    @Test func programTextLayout() throws {
        var program = Program(config: .edge)
        program.layerNames = ["conv1"]
        program.symbols = [
            TensorSymbol(name: "X", role: .input, address: 0x100, shape: [1, 8, 8, 3], type: .int8,
                         quantization: Quantization(scale: 0.5, zeroPoint: -3), fillRange: -4...4),
            TensorSymbol(name: "Y", role: .output, address: 0x400, shape: [4, 4], type: .int32),
        ]
        program.checks = ["Y = conv2d(X, W)"]
        program.segments = [DataSegment(address: 0x800, bytes: [0x00, 0x7F, 0xFF])]
        program.instructions = [Instruction(.layer(LayerMarker(id: 0))), Instruction(.halt)]
        let expected = """
            .config edge
            .layer conv1
            .input X addr=0x100 shape=1x8x8x3 type=i8 scale=0.5 zp=-3 range=-4.0,4.0
            .output Y addr=0x400 shape=4x4 type=i32
            .check Y = conv2d(X, W)
            .data dram=0x800 hex=007fff
                layer id=0
                halt

            """
        #expect(Disassembler.text(of: program) == expected)
        #expect(try Assembler().assemble(expected) == program)
        #expect(program.inputs.map(\.name) == ["X"] && program.outputs.map(\.name) == ["Y"])
        #expect(program.symbols[0].byteCount == 192 && program.symbols[1].byteCount == 64)
    }
}
