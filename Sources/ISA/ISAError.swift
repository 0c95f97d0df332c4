/// Errors of the ISA module: invalid instructions, assembly, and program files.
public enum ISAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field value does not fit its field.
    case fieldOutOfRange(mnemonic: String, field: String, value: Int64, range: String)
    /// Operands that fit their fields but break a rule of the instruction.
    case invalidOperands(mnemonic: String, String)
    /// A binary instruction word that no valid instruction encodes to.
    case malformedInstruction(String)
    /// An assembly error at a source position (1-based line and column).
    case assembly(file: String, line: Int, column: Int, message: String)
    /// A program file that is truncated, corrupted or of another format.
    case malformedProgram(String)
    /// A hardware configuration that is invalid.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .fieldOutOfRange(mnemonic, field, value, range):
            "\(mnemonic): \(field)=\(value) is out of range (\(range))"
        case let .invalidOperands(mnemonic, message):
            "\(mnemonic): \(message)"
        case let .malformedInstruction(message):
            "malformed instruction: \(message)"
        case let .assembly(file, line, column, message):
            "\(file):\(line):\(column): error: \(message)"
        case let .malformedProgram(message):
            "malformed program: \(message)"
        case let .invalidConfiguration(message):
            "invalid configuration: \(message)"
        }
    }
}
