/// Parses one line of a check program into a statement (a hand-written recursive-descent parser
/// over a small lexer; every input either parses or gives a positioned error).
struct CheckParser {
    enum Token: Equatable {
        case atom(String)
        case leftParenthesis, rightParenthesis, comma, equals
        case end
    }

    /// Calls nest at most this deep, so that no input can exhaust the stack.
    static let maximumNesting = 64

    private let line: Int
    private var tokens: [(token: Token, column: Int)] = []
    private var index = 0

    /// Parses `text` (line number `line`); returns `nil` for a blank or comment-only line.
    static func parse(_ text: String, line: Int) throws(CheckError) -> CheckStatement? {
        var parser = CheckParser(line: line)
        try parser.tokenize(Array(text))
        guard parser.tokens.first?.token != .end else { return nil }
        return try parser.statement()
    }

    private init(line: Int) { self.line = line }

    private func position(_ column: Int) -> CheckPosition { CheckPosition(line: line, column: column) }

    // MARK: Lexer

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".")
    }

    private mutating func tokenize(_ characters: [Character]) throws(CheckError) {
        var i = 0
        while i < characters.count {
            let character = characters[i]
            let column = i + 1
            switch character {
            case "#", ";":
                i = characters.count
                continue
            case " ", "\t", "\r", "\n":
                i += 1
                continue
            case "(": tokens.append((.leftParenthesis, column))
            case ")": tokens.append((.rightParenthesis, column))
            case ",": tokens.append((.comma, column))
            case "=": tokens.append((.equals, column))
            default:
                let signed = character == "-" && i + 1 < characters.count && (characters[i + 1].isASCII && characters[i + 1].isNumber || characters[i + 1] == ".")
                guard signed || Self.isWordCharacter(character) else {
                    throw position(column).syntaxError("unexpected character '\(character)'")
                }
                var end = i + 1
                while end < characters.count {
                    if Self.isWordCharacter(characters[end]) {
                        end += 1
                    } else if Self.continuesExponent(characters, word: i..<end) {
                        end += 1
                    } else {
                        break
                    }
                }
                tokens.append((.atom(String(characters[i..<end])), column))
                i = end
                continue
            }
            i += 1
        }
        tokens.append((.end, characters.count + 1))
    }

    /// Whether the sign at the end of `word` belongs to a decimal exponent, as in `1e-3`.
    private static func continuesExponent(_ characters: [Character], word: Range<Int>) -> Bool {
        let end = word.upperBound
        guard end + 1 < characters.count, characters[end] == "-" || characters[end] == "+",
              characters[end + 1].isASCII, characters[end + 1].isNumber,
              let last = characters[word].last, last == "e" || last == "E" else { return false }
        let digits = characters[word].drop { $0 == "-" }
        guard let first = digits.first, first.isNumber || first == "." else { return false }
        return !digits.starts(with: ["0", "x"]) && !digits.starts(with: ["0", "X"])
    }

    // MARK: Parser

    private var current: Token { tokens[index].token }
    private var currentColumn: Int { tokens[index].column }

    private func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)].token }

    private mutating func advance() { index = min(index + 1, tokens.count - 1) }

    private func describe(_ token: Token) -> String {
        switch token {
        case .atom(let text): "'\(text)'"
        case .leftParenthesis: "'('"
        case .rightParenthesis: "')'"
        case .comma: "','"
        case .equals: "'='"
        case .end: "the end of the line"
        }
    }

    private func unexpected(_ expected: String) -> CheckError {
        position(currentColumn).syntaxError("expected \(expected), found \(describe(current))")
    }

    private mutating func atom() -> CheckAtom? {
        guard case .atom(let text) = current else { return nil }
        let atom = CheckAtom(text: text, position: position(currentColumn))
        advance()
        return atom
    }

    private mutating func statement() throws(CheckError) -> CheckStatement {
        guard let target = atom() else { throw unexpected("a name to assign") }
        guard target.isName else { throw target.position.syntaxError("'\(target.text)' is not a name") }
        guard current == .equals else { throw unexpected("'=' after '\(target.text)'") }
        advance()
        let expression = try expression(depth: 0)
        guard current == .end else { throw unexpected("the end of the line") }
        return CheckStatement(target: target, expression: expression)
    }

    private mutating func expression(depth: Int) throws(CheckError) -> CheckExpression {
        guard let head = atom() else { throw unexpected("a name, a number or a call") }
        guard current == .leftParenthesis else { return .atom(head) }
        guard head.isName else { throw head.position.syntaxError("'\(head.text)' is not a function name") }
        guard depth < Self.maximumNesting else {
            throw head.position.syntaxError("calls nest more than \(Self.maximumNesting) deep")
        }
        advance()
        var call = CheckCall(function: head, arguments: [], keywords: [])
        if current == .rightParenthesis {
            advance()
            return .call(call)
        }
        while true {
            if case .atom = current, peek(1) == .equals {
                try call.keywords.append(keyword())
            } else {
                let argumentColumn = currentColumn
                let argument = try expression(depth: depth + 1)
                guard call.keywords.isEmpty else {
                    throw position(argumentColumn).syntaxError("positional argument after keyword arguments")
                }
                call.arguments.append(argument)
            }
            if current == .rightParenthesis {
                advance()
                return .call(call)
            }
            guard current == .comma else { throw unexpected("',' or ')'") }
            advance()
        }
    }

    /// `key=value` or `key=v1,v2,...`: values continue while a comma is followed by a number
    /// (an atom starting with a digit, `-` or `.`; lists are extents, strides and paddings).
    private mutating func keyword() throws(CheckError) -> CheckCall.Keyword {
        guard let key = atom() else { throw unexpected("an argument name") }
        guard key.isName else { throw key.position.syntaxError("'\(key.text)' is not an argument name") }
        advance()
        guard let first = atom() else { throw unexpected("a value for '\(key.text)'") }
        guard current != .leftParenthesis else {
            throw first.position.syntaxError("the value of '\(key.text)' must be a name or a number, not a call")
        }
        var values = [first]
        while current == .comma, case .atom(let text) = peek(1), let first = text.first, first.isNumber || first == "-" || first == "." {
            advance()
            if let value = atom() { values.append(value) }
        }
        return CheckCall.Keyword(key: key, values: values)
    }
}
