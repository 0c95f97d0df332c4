@testable import ISA

/// Random valid instructions for property tests: every field gets a legal value (respecting its
/// minimum, maximum and choices), the dependency flags are a random subset of those the engine
/// has, and a combination that `InstructionRules` rejects (a window wider than `in_w`, a pitch
/// shorter than its row) is drawn again.
enum RandomInstructions {
    /// Draws beyond this many in a row mean the generator cannot satisfy the rules: a test bug.
    static let maximumAttempts = 100_000

    static func instruction(_ spec: OpcodeSpec, using generator: inout SplitMix64) -> Instruction {
        for _ in 0..<maximumAttempts {
            let values = spec.fields.map { generator.value(in: $0.minimum...$0.maximum) }
            var candidate = Instruction(spec.operation(from: values))
            candidate.dependencies = flags(for: candidate.engine, using: &generator)
            do {
                try InstructionRules.check(candidate)
                return candidate
            } catch {
                continue
            }
        }
        preconditionFailure("no valid \(spec.mnemonic) in \(maximumAttempts) draws")
    }

    /// An instruction of a random opcode.
    static func instruction(using generator: inout SplitMix64) -> Instruction {
        instruction(OpcodeTable.all.randomElement(using: &generator)!, using: &generator)
    }

    /// The flags an instruction on `engine` may carry: none without an engine; no `*_prev` on
    /// the load engine and no `*_next` on the store engine.
    static func legalFlags(for engine: Engine?) -> [DependencyFlags] {
        guard let engine else { return [] }
        return DependencyFlags.names.map(\.flag).filter { flag in
            let toPrevious = flag == .popPrevious || flag == .pushPrevious
            return (toPrevious ? engine.previous : engine.next) != nil
        }
    }

    static func flags(for engine: Engine?, using generator: inout SplitMix64) -> DependencyFlags {
        var flags: DependencyFlags = []
        for flag in legalFlags(for: engine) where generator.chance(0.5) { flags.insert(flag) }
        return flags
    }
}

/// Bit access to an encoded word, written independently of the module's `BitWriter` so that
/// tests check the layout rather than repeat it.
enum Bits {
    static func read(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for bit in 0..<width {
            let position = offset + bit
            value |= UInt64((bytes[position / 8] >> (position % 8)) & 1) << UInt64(bit)
        }
        return value
    }

    /// The positions of the set bits at or after `start`.
    static func setBits(_ bytes: [UInt8], from start: Int) -> [Int] {
        (start..<bytes.count * 8).filter { (bytes[$0 / 8] >> ($0 % 8)) & 1 == 1 }
    }

    static func write(_ bytes: inout [UInt8], _ value: UInt64, at offset: Int, width: Int) {
        for bit in 0..<width {
            let position = offset + bit
            let mask = UInt8(1) << (position % 8)
            if (value >> UInt64(bit)) & 1 == 1 { bytes[position / 8] |= mask } else { bytes[position / 8] &= ~mask }
        }
    }

    static func flip(_ bytes: [UInt8], bit: Int) -> [UInt8] {
        var copy = bytes
        copy[bit / 8] ^= UInt8(1) << (bit % 8)
        return copy
    }
}
