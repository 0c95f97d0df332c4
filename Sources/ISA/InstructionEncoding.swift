/// The fixed-width binary encoding of instructions.
///
/// Every instruction is 256 bits (32 bytes), little-endian: bits 0-5 hold the opcode, bits 6-9
/// the dependency flags (`pop_prev`, `pop_next`, `push_prev`, `push_next`), and the opcode's
/// fields follow from bit 10 in the order of `OpcodeTable`. Unused bits are zero. The width
/// follows DianNao's wide control-processor instructions, which carry the SB, NBin, NBout and NFU
/// fields of a whole tile in one word: every operand is an immediate, so a program needs no
/// registers and can be validated before it runs.
public enum InstructionEncoding {
    public static let instructionBytes = 32
    public static let instructionBits = instructionBytes * 8
    static let opcodeBits = 6
    static let flagBits = 4
    /// Bits taken by the opcode and the dependency flags.
    public static let headerBits = opcodeBits + flagBits

    /// Encodes `instruction` into 32 bytes, checking every field against its width and range.
    public static func encode(_ instruction: Instruction) throws(ISAError) -> [UInt8] {
        try InstructionRules.check(instruction)
        let spec = instruction.spec
        var bits = BitWriter(byteCount: instructionBytes)
        bits.write(UInt64(spec.opcode), at: 0, width: opcodeBits)
        bits.write(UInt64(instruction.dependencies.rawValue), at: opcodeBits, width: flagBits)
        let values = spec.fieldValues(of: instruction.operation)!
        for ((field, offset), value) in zip(zip(spec.fields, spec.fieldOffsets), values) {
            bits.write(UInt64(bitPattern: value), at: offset, width: field.width)
        }
        return bits.bytes
    }

    /// Decodes 32 bytes, rejecting unknown opcodes, out-of-range fields and nonzero unused bits.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ISAError) -> Instruction {
        guard bytes.count == instructionBytes else {
            throw .malformedInstruction("an instruction is \(instructionBytes) bytes, got \(bytes.count)")
        }
        let bits = BitReader(bytes: Array(bytes))
        let opcode = Int(bits.read(at: 0, width: opcodeBits))
        guard let spec = OpcodeTable.spec(opcode: opcode) else {
            throw .malformedInstruction("unknown opcode \(opcode)")
        }
        let flags = DependencyFlags(rawValue: Int(bits.read(at: opcodeBits, width: flagBits)))
        var values: [Int64] = []
        for (field, offset) in zip(spec.fields, spec.fieldOffsets) {
            let raw = bits.read(at: offset, width: field.width)
            let value = field.kind == .signed ? signExtend(raw, width: field.width) : Int64(bitPattern: raw)
            guard field.accepts(value) else {
                throw .fieldOutOfRange(mnemonic: spec.mnemonic, field: field.name, value: value, range: field.rangeDescription)
            }
            values.append(value)
        }
        guard bits.isZero(from: spec.usedBits, to: instructionBits) else {
            throw .malformedInstruction("\(spec.mnemonic): unused bits \(spec.usedBits)...\(instructionBits - 1) are not zero")
        }
        let instruction = Instruction(spec.operation(from: values), dependencies: flags)
        try InstructionRules.check(instruction)
        return instruction
    }

    static func signExtend(_ raw: UInt64, width: Int) -> Int64 {
        let shift = 64 - width
        return Int64(bitPattern: raw << shift) >> shift
    }
}

/// Little-endian bit packing into a byte array.
struct BitWriter {
    private(set) var bytes: [UInt8]

    init(byteCount: Int) { bytes = [UInt8](repeating: 0, count: byteCount) }

    /// Writes the low `width` bits of `value` starting at bit `offset`.
    mutating func write(_ value: UInt64, at offset: Int, width: Int) {
        for bit in 0..<width where (value >> UInt64(bit)) & 1 == 1 {
            let position = offset + bit
            bytes[position / 8] |= UInt8(1) << UInt8(position % 8)
        }
    }
}

/// Little-endian bit unpacking from a byte array.
struct BitReader {
    let bytes: [UInt8]

    func read(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for bit in 0..<width {
            let position = offset + bit
            if (bytes[position / 8] >> UInt8(position % 8)) & 1 == 1 { value |= UInt64(1) << UInt64(bit) }
        }
        return value
    }

    func isZero(from start: Int, to end: Int) -> Bool {
        (start..<end).allSatisfy { (bytes[$0 / 8] >> UInt8($0 % 8)) & 1 == 0 }
    }
}
