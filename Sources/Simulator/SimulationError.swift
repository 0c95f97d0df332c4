import ISA

/// Errors of a simulation run: a program the machine cannot run, a deadlock, or a bad DRAM access
/// by the host. Every description is one line naming what went wrong and where.
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The hardware configuration is invalid (the message comes from `HardwareConfig.validate`).
    case invalidConfiguration(String)
    /// Instruction `index` (disassembled as `text`) cannot run: an access out of range, a
    /// misaligned access, an invalid field, or (functional mode) a data value it cannot use.
    case invalidInstruction(index: Int, text: String, problem: String)
    /// No engine can make progress while work remains; each entry says what one instruction waits for.
    case deadlock([BlockedInstruction])
    /// A host access to a `DRAMImage` outside its capacity.
    case dramAccessOutOfRange(address: Int, count: Int, capacityBytes: Int)

    /// One instruction that cannot proceed in a deadlock.
    public struct BlockedInstruction: Equatable, Sendable, CustomStringConvertible {
        public var index: Int
        public var text: String
        /// What it waits for, e.g. "waits for a token from compute".
        public var reason: String

        public init(index: Int, text: String, reason: String) {
            self.index = index
            self.text = text
            self.reason = reason
        }

        public var description: String { "instruction \(index) (\(text)) \(reason)" }
    }

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            message
        case let .invalidInstruction(index, text, problem):
            "instruction \(index) (\(text)): \(problem)"
        case .deadlock(let blocked):
            "deadlock: " + blocked.map(\.description).joined(separator: "; ")
        case let .dramAccessOutOfRange(address, count, capacity):
            "DRAM access of \(count) bytes at \(hex(address)) exceeds the DRAM capacity of \(capacity) bytes"
        }
    }
}

/// `0x`-prefixed lowercase hexadecimal, as the disassembler spells addresses.
func hex(_ value: Int) -> String { value < 0 ? "-0x" + String(-value, radix: 16) : "0x" + String(value, radix: 16) }
