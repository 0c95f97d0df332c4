import Testing
@testable import ISA

/// The opcode table is the single definition of the instruction set; these check it is
/// self-consistent, so that the encoder, decoder and assembler built on it can be.
struct OpcodeTableTests {
    @Test func opcodesAndMnemonicsAreUniqueAndFitTheOpcodeField() {
        let opcodes = OpcodeTable.all.map(\.opcode)
        #expect(Set(opcodes).count == opcodes.count)
        #expect(Set(OpcodeTable.all.map(\.mnemonic)).count == opcodes.count)
        #expect(opcodes.allSatisfy { (0..<(1 << InstructionEncoding.opcodeBits)).contains($0) })
        #expect(opcodes == Array(0..<opcodes.count), "opcodes are numbered densely from 0")
    }

    @Test(arguments: OpcodeTable.all.map(\.mnemonic))
    func fieldsAreConsistent(mnemonic: String) throws {
        let spec = try #require(OpcodeTable.spec(mnemonic: mnemonic))
        #expect(OpcodeTable.spec(opcode: spec.opcode)?.mnemonic == mnemonic)
        #expect(spec.usedBits <= InstructionEncoding.instructionBits, "\(mnemonic) needs \(spec.usedBits) bits")
        let names = spec.fields.map(\.name)
        #expect(Set(names).count == names.count, "duplicate field name in \(mnemonic)")
        for name in DependencyFlags.names.map(\.name) {
            #expect(!names.contains(name), "field \(name) would shadow a dependency flag")
        }
        for field in spec.fields {
            #expect(field.minimum <= field.maximum, "\(mnemonic).\(field.name)")
            #expect(field.isRequired || field.accepts(field.defaultValue), "\(mnemonic).\(field.name) default \(field.defaultValue)")
            switch field.kind {
            case .unsigned:
                #expect(field.minimum >= 0 && field.maximum <= (Int64(1) << field.width) - 1, "\(mnemonic).\(field.name)")
            case .signed:
                #expect(field.minimum >= -(Int64(1) << (field.width - 1)) && field.maximum < Int64(1) << (field.width - 1))
            case .flag:
                #expect(field.width == 1 && field.minimum == 0 && field.maximum == 1)
            case .choice(let choices):
                #expect(choices.count <= 1 << field.width, "\(mnemonic).\(field.name) has more choices than its width holds")
                #expect(field.maximum == Int64(choices.count - 1))
            }
        }
    }

    @Test func offsetsFollowTheHeaderInDeclarationOrder() throws {
        let load = try #require(OpcodeTable.spec(mnemonic: "load"))
        #expect(InstructionEncoding.headerBits == 10)
        #expect(load.fields.prefix(4).map(\.name) == ["buf", "type", "dram", "addr"])
        #expect(load.fieldOffsets.prefix(5) == [10, 12, 15, 51, 77])
        let halt = try #require(OpcodeTable.spec(opcode: 0))
        #expect(halt.mnemonic == "halt" && halt.fields.isEmpty && halt.usedBits == 10)
    }

    /// `spec(for:)` picks the entry by payload function, so pooling and vector operations that
    /// share a payload type still map to their own opcode.
    @Test func everyFunctionHasItsOwnOpcode() {
        for function in VectorOperation.Function.allCases {
            var vector = VectorOperation()
            vector.function = function
            let spec = OpcodeTable.spec(for: .vector(vector))
            #expect(spec.fieldValues(of: .vector(vector)) != nil)
            #expect(spec.engine == .compute)
        }
        var pool = PoolWindow()
        pool.function = .sum
        #expect(OpcodeTable.spec(for: .pool(pool)).mnemonic == "pool.sum")
        pool.function = .maximum
        #expect(OpcodeTable.spec(for: .pool(pool)).mnemonic == "pool.max")
        #expect(Set(VectorOperation.Function.allCases.map { function -> String in
            var vector = VectorOperation()
            vector.function = function
            return OpcodeTable.spec(for: .vector(vector)).mnemonic
        }).count == VectorOperation.Function.allCases.count)
    }

    /// The generated reference has one row per opcode with every field's position.
    @Test func referenceTableListsEveryOpcode() {
        let rows = ISAReference.markdown().split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| opcode") }
        #expect(rows.count == OpcodeTable.all.count)
        #expect(rows.contains { $0.hasPrefix("| 3 | `load` | load | `buf[10:2]` `type[12:3]` `dram[15:36]` `addr[51:26]` `x[77:16]`") })
        #expect(rows.contains { $0.hasPrefix("| 2 | `nop` | named |") })
        #expect(rows.contains { $0.hasPrefix("| 0 | `halt` | fetch |") })
    }
}

/// `OpcodeTable.spec(for:)` looks specs up by number; every opcode's operations must map back to it.
@Suite struct OpcodeLookupTests {
    @Test func specForOperationMatchesTheTable() {
        for (index, spec) in OpcodeTable.all.enumerated() {
            #expect(spec.opcode == index, "opcodes are numbered by their position in the table")
            let operation = spec.operation(from: spec.fields.map { max($0.defaultValue, $0.minimum) })
            #expect(OpcodeTable.spec(for: operation).mnemonic == spec.mnemonic)
        }
    }
}
