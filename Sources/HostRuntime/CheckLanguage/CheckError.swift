/// An error in a check program, at a 1-based line and column of its source lines.
public enum CheckError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line does not parse, or names a function or argument that does not exist.
    case syntax(line: Int, column: Int, message: String)
    /// The line cannot be evaluated: an unknown tensor name, a bad argument value, mismatched
    /// shapes or types.
    case evaluation(line: Int, column: Int, message: String)

    public var line: Int {
        switch self {
        case let .syntax(line, _, _), let .evaluation(line, _, _): line
        }
    }

    public var column: Int {
        switch self {
        case let .syntax(_, column, _), let .evaluation(_, column, _): column
        }
    }

    public var message: String {
        switch self {
        case let .syntax(_, _, message), let .evaluation(_, _, message): message
        }
    }

    /// One line: `check LINE:COLUMN: message`.
    public var description: String { "check \(line):\(column): \(message)" }
}
