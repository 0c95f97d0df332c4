/// What an instruction does; the payload structs carry its operands.
public enum Operation: Equatable, Sendable {
    case halt
    case layer(LayerMarker)
    case nop(NoOperation)
    case load(Transfer)
    case store(Transfer)
    case matmul(MatrixTile)
    case pool(PoolWindow)
    case vector(VectorOperation)
    case setDataType(DataTypeSetting)
    case setRequantization(RequantizationParameters)
    case loadPWL(PWLLoad)
}

/// The four dependency-token flags every instruction carries (VTA's `pop_prev_dep`,
/// `pop_next_dep`, `push_prev_dep`, `push_next_dep`). An instruction waits until it can pop the
/// tokens it asks for, and pushes its tokens when it completes.
public struct DependencyFlags: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Wait for a token from the previous engine (compute: from load; store: from compute).
    public static let popPrevious = DependencyFlags(rawValue: 1 << 0)
    /// Wait for a token from the next engine (load: from compute; compute: from store).
    public static let popNext = DependencyFlags(rawValue: 1 << 1)
    /// Signal the previous engine on completion.
    public static let pushPrevious = DependencyFlags(rawValue: 1 << 2)
    /// Signal the next engine on completion.
    public static let pushNext = DependencyFlags(rawValue: 1 << 3)

    /// Assembly spellings, in bit order.
    public static let names: [(flag: DependencyFlags, name: String)] = [
        (.popPrevious, "pop_prev"), (.popNext, "pop_next"), (.pushPrevious, "push_prev"), (.pushNext, "push_next"),
    ]
}

/// One instruction: an operation plus its dependency flags.
public struct Instruction: Equatable, Sendable {
    public var operation: Operation
    public var dependencies: DependencyFlags

    public init(_ operation: Operation, dependencies: DependencyFlags = []) {
        self.operation = operation
        self.dependencies = dependencies
    }

    /// The opcode table entry describing this instruction.
    public var spec: OpcodeSpec { OpcodeTable.spec(for: operation) }

    /// The engine that executes it; `nil` for `layer` and `halt`, which the fetch unit consumes.
    public var engine: Engine? {
        if case .nop(let nop) = operation { return nop.engine }
        return spec.engine
    }
}
