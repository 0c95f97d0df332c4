import Testing
@testable import ISA

/// Assembly syntax, directives and error messages (`file:line:column: error: message`).
struct AssemblerTests {
    static func error(_ source: String) -> String? {
        do {
            _ = try Assembler().assemble(source, file: "k.s")
            return nil
        } catch {
            return error.description
        }
    }

    static let vaddi = "vaddi dst=0 a=0 type=i8 dst_type=i8 x=1"

    @Test(arguments: [
        // Unknown mnemonic, with and without a suggestion.
        ("    lod x=1", "k.s:1:5: error: unknown mnemonic 'lod'"),
        ("vad dst=0", "k.s:1:1: error: unknown mnemonic 'vad' (did you mean vadd, vaddi?)"),
        // Out-of-range immediates, pointing at the value.
        ("\(vaddi) imm=0x100000000", "k.s:1:45: error: imm=4294967296 is out of range for 'vaddi' (-2147483648...2147483647)"),
        ("layer id=-1", "k.s:1:10: error: id=-1 is out of range for 'layer' (0...65535)"),
        ("cfg.requant mult=1 shift=63", "k.s:1:26: error: shift=63 is out of range for 'cfg.requant' (0...62)"),
        ("nop engine=fetch", "k.s:1:12: error: 'fetch' is not a valid engine (one of load, compute, store)"),
        ("matmul in=0 w=0 out=0 in_w=1 c=1 out_w=1 k=1 acc=2", "k.s:1:50: error: 'acc' is a flag: 0, 1, true or false"),
        // Missing, unknown, duplicate and valueless operands.
        ("\nlayer", "k.s:2:1: error: 'layer' is missing operand 'id' (layer number, an index into the program's layer table)"),
        ("layer id=1 foo=2", "k.s:1:12: error: 'layer' has no operand 'foo' (operands: id, pop_prev, pop_next, push_prev, push_next)"),
        ("layer id=1 id=2", "k.s:1:12: error: duplicate operand 'id'"),
        ("layer id", "k.s:1:7: error: operand 'id' needs a value: id=..."),
        ("nop push_next push_next", "k.s:1:15: error: duplicate flag 'push_next'"),
        ("  ,, ", "k.s:1:3: error: expected a mnemonic, found ','"),
        // Rules across fields and engines, reported at the mnemonic.
        ("  matmul in=0 w=0 out=0 in_w=2 c=1 out_w=1 k=1 kw=3",
         "k.s:1:3: error: matmul: the window reaches 3 input columns but in_w is 2"),
        ("halt push_next", "k.s:1:1: error: halt: takes no dependency flags (it runs on no engine)"),
        ("load buf=nbin type=i8 dram=0 addr=0 x=1 pop_prev", "k.s:1:1: error: load: pop_prev is not available on the load engine"),
        // Directives; errors in arguments point at the value.
        (".foo 1", "k.s:1:1: error: unknown directive '.foo' (.config, .equ, .input, .output, .constant, .check, .layer, .data, .pwl)"),
        (".config huge", "k.s:1:9: error: unknown configuration 'huge' (presets: diannao, edge, tpu)"),
        (".config edge\n.config tpu", "k.s:2:1: error: duplicate .config (first on line 1)"),
        (".equ 1x 2", "k.s:1:6: error: '1x' is not a valid name (letters, digits, _)"),
        (".equ N", "k.s:1:1: error: .equ takes a name and a value: .equ NAME value"),
        (".layer a b", "k.s:1:10: error: .layer takes one name"),
        (".check", "k.s:1:1: error: .check needs an expression: .check NAME = f(...)"),
        (".data dram=0 hex=abc", "k.s:1:18: error: hex data needs an even number of digits"),
        (".data dram=0 hex=00zz", "k.s:1:20: error: 'zz' is not a hex byte"),
        (".data dram=0 hex=00+f", "k.s:1:20: error: '+f' is not a hex byte"),
        (".data dram=0 type=i8 values=1,300", "k.s:1:31: error: 300 does not fit i8"),
        (".data dram=0 hex=0000\n.data dram=1 hex=00", "k.s:2:1: error: data overlaps the segment at 0x0"),
        (".data dram=0", "k.s:1:1: error: .data needs hex=... or type=... values=..."),
        (".data dram=0 hex", "k.s:1:14: error: expected key=value, found 'hex'"),
        (".data dram=0 hex=00 hex=01", "k.s:1:21: error: duplicate argument 'hex'"),
        (".data hex=00", "k.s:1:7: error: missing argument 'dram='"),
        (".data dram=0 bytes=00", "k.s:1:14: error: unknown argument 'bytes' (expected: dram, hex, type, values)"),
        (".input X addr=0 shape=2x0 type=i8", "k.s:1:23: error: shape must be positive dimensions like 16x32, found '2x0'"),
        (".input X addr=0 shape=2 type=i4", "k.s:1:30: error: unknown type 'i4' (i8, u8, i16, i32, f16, f32)"),
        (".input X addr=0 shape=2 type=i8 zp=3", "k.s:1:36: error: zp needs scale"),
        (".input X addr=0 shape=2 type=i8 range=3,1", "k.s:1:39: error: range must be LOW,HIGH with LOW <= HIGH"),
        (".input X addr=0 shape=2 type=i8\n.output X addr=8 shape=2 type=i8", "k.s:2:9: error: tensor 'X' is already declared"),
        (".pwl dram=0 fn=gelu", "k.s:1:16: error: unknown function 'gelu' (sigmoid, tanh, exp)"),
        (".pwl dram=0 fn=tanh segments=63", "k.s:1:30: error: segments=63 is out of range (1...62)"),
        (".pwl dram=0 fn=tanh min=1 max=1", "k.s:1:1: error: .pwl: needs 1...62 segments and max > min"),
        // Expressions.
        ("layer id=1+", "k.s:1:12: error: value ends unexpectedly"),
        ("layer id=(1+2", "k.s:1:14: error: missing ')'"),
        ("layer id=1$", "k.s:1:11: error: unexpected '$' in value '1$'"),
        ("layer id=0xZZ", "k.s:1:10: error: '0xZZ' is not a number"),
        ("layer id=", "k.s:1:10: error: missing value"),
        ("layer id=+1", "k.s:1:10: error: expected a number or a symbol, found '+'"),
        ("layer id=99999999999999999999", "k.s:1:10: error: '99999999999999999999' is not a number"),
        ("layer id=0x7fffffffffffffff+1", "k.s:1:30: error: value overflows 64 bits"),
        ("layer id=N", "k.s:1:10: error: undefined symbol 'N'"),
        (".equ A 1\n  layer id=A+B", "k.s:2:14: error: undefined symbol 'B'"),
    ])
    func errorMessages(source: String, message: String) {
        #expect(Self.error(source) == message)
    }

    @Test func equConstantsAndExpressions() throws {
        let source = """
            .equ N 4
            .equ M N*2+1        ; 9
            .equ BASE 0x100
            layer id=M-(N-1)    # 6
            layer id=-(-N)*0b11 ; 12
            layer id=BASE+M*2
            """
        let program = try Assembler().assemble(source)
        #expect(program.instructions == [6, 12, 0x112].map { Instruction(.layer(LayerMarker(id: $0))) })
    }

    @Test func commentsBlankLinesSeparatorsAndCase() throws {
        let source = """
            # a whole-line comment
            ; another

            \tLAYER id=3 ; trailing
            nop engine=load, push_next, pop_next   # commas separate operands too
            matmul in=0 w=0 out=0 in_w=3 c=8 out_w=1 k=4 kw=3 acc
            vrelu dst=0 a=0x20 type=I32 dst_type=i8 x=16
            halt
            """
        let program = try Assembler().assemble(source)
        var tile = MatrixTile()
        tile.inputWidth = 3
        tile.channels = 8
        tile.outputChannels = 4
        tile.kernelWidth = 3
        tile.accumulate = true
        var relu = VectorOperation()
        relu.function = .relu
        relu.aAddress = 0x20
        relu.destinationType = .int8
        relu.columns = 16
        #expect(program.instructions == [
            Instruction(.layer(LayerMarker(id: 3))),
            Instruction(.nop(NoOperation(engine: .load)), dependencies: [.pushNext, .popNext]),
            Instruction(.matmul(tile)),
            Instruction(.vector(relu)),
            Instruction(.halt),
        ])
        #expect(program.config == .edge)
    }

    @Test func windowsLineEndings() throws {
        let program = try Assembler().assemble("layer id=1\r\nhalt\r\n")
        #expect(program.instructions == [Instruction(.layer(LayerMarker(id: 1))), Instruction(.halt)])
    }

    @Test func directivesBuildTheProgram() throws {
        let source = """
            .config diannao
            .layer conv1
            .input X addr=0x40 shape=2x3 type=i16 scale=0.25 zp=-1 range=-1.5,2
            .output Y addr=0x100 shape=6 type=f32
            .check Y = relu(X)
            .data dram=0x200 type=i16 values=1,-2,0x7fff
            .data dram=0x300 type=f16 values=1.0,-2.5
            .data dram=0x400 hex=DEADbeef
            .pwl dram=0x1000 fn=sigmoid
            """
        let program = try Assembler().assemble(source)
        #expect(program.config == .diannao)
        #expect(program.layerNames == ["conv1"])
        #expect(program.symbols == [
            TensorSymbol(name: "X", role: .input, address: 0x40, shape: [2, 3], type: .int16,
                         quantization: Quantization(scale: 0.25, zeroPoint: -1), fillRange: -1.5...2),
            TensorSymbol(name: "Y", role: .output, address: 0x100, shape: [6], type: .fp32),
        ])
        #expect(program.checks == ["Y = relu(X)"])
        let sigmoid = try PWLTable.fit(.init(function: .sigmoid))
        #expect(program.segments == [
            DataSegment(address: 0x200, bytes: [0x01, 0x00, 0xFE, 0xFF, 0xFF, 0x7F]),
            DataSegment(address: 0x300, bytes: [0x00, 0x3C, 0x00, 0xC1]),
            DataSegment(address: 0x400, bytes: [0xDE, 0xAD, 0xBE, 0xEF]),
            DataSegment(address: 0x1000, bytes: sigmoid.bytes),
        ])
        #expect(sigmoid.segments.count == 18)
    }

    @Test func inlineJSONConfiguration() throws {
        var config = HardwareConfig.edge
        config.name = "wide"
        config.array.cols = 64
        let program = try Assembler().assemble(".config \(config.compactJSON())\nhalt")
        #expect(program.config == config)
        #expect(Self.error(".config {\"name\": 1}")?.hasPrefix("k.s:1:9: error: invalid configuration: inline .config: ") == true)
    }

    /// Tensors and data must lie inside DRAM, and sizes must not overflow.
    @Test func dramBounds() {
        #expect(Self.error(".config diannao\n.data dram=0xFFFFFFFF hex=0000") == "k.s:2:1: error: data at 4294967295 ends beyond DRAM")
        #expect(Self.error(".data dram=0x7fffffffffffffff hex=00") == "k.s:1:1: error: data at 9223372036854775807 ends beyond DRAM")
        #expect(Self.error(".pwl dram=0x7ffffffffffffff0 fn=tanh") == "k.s:1:1: error: data at 9223372036854775792 ends beyond DRAM")
        #expect(Self.error(".input X addr=0 shape=65536x65537 type=i8") == "k.s:1:8: error: tensor 'X' does not fit in DRAM")
        #expect(Self.error(".input X addr=0 shape=1073741824x1073741824x1073741824 type=i8") == "k.s:1:8: error: tensor 'X' does not fit in DRAM")
        #expect(Self.error(".input X addr=0xFFFFFFFF shape=16 type=i8") == "k.s:1:8: error: tensor 'X' does not fit in DRAM")
    }

    /// No input makes the assembler trap: random token soup, random near-valid lines, random bytes.
    @Test func randomGarbageNeverTraps() {
        var generator = SplitMix64(seed: 0x6A5B_A6E)
        let mnemonics = OpcodeTable.all.map(\.mnemonic)
        let names = Array(Set(OpcodeTable.all.flatMap { $0.fields.map(\.name) }))
        let directives = [".config", ".equ", ".input", ".output", ".check", ".layer", ".data", ".pwl", ".bogus"]
        let atoms = ["=", ",", " ", "  ", "\t", "\r", "\n", "\r\n", ";", "#", "(", ")", "+", "-", "*", "x", "0x", "0b", "{", "}", "\"",
                     "0", "1", "-1", "7", "62", "63", "255", "65535", "65536", "0xFFFFFFFF", "0x7fffffffffffffff", "-0x8000000000000000",
                     "99999999999999999999", "1e308", "nan", "inf", "-inf", "1.5", "i8", "f16", "nbin", "sb", "nbout", "true",
                     "pop_prev", "push_next", "edge", "tpu", "sigmoid", "tanh", "exp", "hex", "dram", "addr", "shape", "type",
                     "values", "range", "scale", "zp", "fn", "segments", "min", "max", "é", "💥", "\u{301}", "\u{0}", "ｘ"]
        let directiveKeys = ["addr", "shape", "type", "scale", "zp", "range", "dram", "hex", "values", "fn", "segments",
                             "min", "max", "in_frac", "out_frac", "shift"]
        func token() -> String {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: mnemonics.randomElement(using: &generator)!
            case 1: directives.randomElement(using: &generator)!
            case 2: names.randomElement(using: &generator)! + "=" + atoms.randomElement(using: &generator)!
            case 3: String(UnicodeScalar(UInt8.random(in: 0...127, using: &generator)))
            case 4: " " + directiveKeys.randomElement(using: &generator)! + "=" + atoms.randomElement(using: &generator)!
            default: atoms.randomElement(using: &generator)!
            }
        }
        var outcomes = (assembled: 0, rejected: 0)
        for _ in 0..<5000 {
            let source = (0..<Int.random(in: 0...24, using: &generator)).map { _ in token() }.joined()
            do {
                _ = try Assembler().assemble(source)
                outcomes.assembled += 1
            } catch {
                guard case .assembly = error else {
                    Issue.record("not an assembly error: \(error)")
                    continue
                }
                outcomes.rejected += 1
            }
        }
        // Near-valid instructions: a mnemonic with some of its operands, values drawn near the edges.
        for _ in 0..<3000 {
            let spec = OpcodeTable.all.randomElement(using: &generator)!
            var parts = [spec.mnemonic]
            for field in spec.fields where generator.chance(0.8) {
                let value = generator.value(in: (field.minimum - 2)...(field.maximum + 2))
                parts.append("\(field.name)=\(generator.chance(0.9) ? String(value) : token())")
            }
            if generator.chance(0.3) { parts.append(DependencyFlags.names.randomElement(using: &generator)!.name) }
            if generator.chance(0.2) { parts.shuffle(using: &generator) }
            do {
                _ = try Assembler().assemble(parts.joined(separator: " "))
                outcomes.assembled += 1
            } catch {
                outcomes.rejected += 1
            }
        }
        #expect(outcomes.assembled > 100 && outcomes.rejected > 100, "\(outcomes)")
    }
}
