/// The syntax tree of a check program (see `CheckProgram` for the grammar).

/// A 1-based position in the program's lines.
struct CheckPosition: Equatable, Sendable {
    var line: Int
    var column: Int

    func syntaxError(_ message: String) -> CheckError { .syntax(line: line, column: column, message: message) }
    func evaluationError(_ message: String) -> CheckError { .evaluation(line: line, column: column, message: message) }
}

/// A word of the source: a name (`X`, `sigmoid`, `i8`), a number (`-3`, `0x1F`, `2.5e-1`) or a
/// shape (`4x16`); which one it must be depends on where it stands.
struct CheckAtom: Equatable, Sendable {
    var text: String
    var position: CheckPosition

    /// Whether the text is a name: a letter or `_`, then letters, digits and `_`.
    var isName: Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

/// `name(arguments..., key=value, ...)`.
struct CheckCall: Equatable, Sendable {
    /// `key=v` or `key=v1,v2,...`.
    struct Keyword: Equatable, Sendable {
        var key: CheckAtom
        var values: [CheckAtom]
    }

    var function: CheckAtom
    var arguments: [CheckExpression]
    var keywords: [Keyword]
}

indirect enum CheckExpression: Equatable, Sendable {
    case atom(CheckAtom)
    case call(CheckCall)

    var position: CheckPosition {
        switch self {
        case .atom(let atom): atom.position
        case .call(let call): call.function.position
        }
    }
}

/// `target = expression`.
struct CheckStatement: Equatable, Sendable {
    var target: CheckAtom
    var expression: CheckExpression
}
