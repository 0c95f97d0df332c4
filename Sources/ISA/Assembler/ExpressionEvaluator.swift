/// Evaluates operand values: integers in decimal or hex (`0x`), binary (`0b`), symbols defined
/// with `.equ`, and `+ - *` with parentheses and unary minus. Errors carry the column offset
/// within the expression.
struct ExpressionEvaluator {
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    let symbols: [String: Int64]
    private var characters: [Character] = []
    private var position = 0

    init(symbols: [String: Int64]) { self.symbols = symbols }

    mutating func evaluate(_ text: String) throws(Failure) -> Int64 {
        characters = Array(text)
        position = 0
        guard !characters.isEmpty else { throw Failure(offset: 0, message: "missing value") }
        let value = try sum()
        guard position == characters.count else {
            throw Failure(offset: position, message: "unexpected '\(characters[position])' in value '\(text)'")
        }
        return value
    }

    private mutating func sum() throws(Failure) -> Int64 {
        var value = try product()
        while position < characters.count, characters[position] == "+" || characters[position] == "-" {
            let plus = characters[position] == "+"
            position += 1
            let rhs = try product()
            let (result, overflow) = plus ? value.addingReportingOverflow(rhs) : value.subtractingReportingOverflow(rhs)
            guard !overflow else { throw Failure(offset: position, message: "value overflows 64 bits") }
            value = result
        }
        return value
    }

    private mutating func product() throws(Failure) -> Int64 {
        var value = try unary()
        while position < characters.count, characters[position] == "*" {
            position += 1
            let (result, overflow) = value.multipliedReportingOverflow(by: try unary())
            guard !overflow else { throw Failure(offset: position, message: "value overflows 64 bits") }
            value = result
        }
        return value
    }

    private mutating func unary() throws(Failure) -> Int64 {
        guard position < characters.count else { throw Failure(offset: position, message: "value ends unexpectedly") }
        if characters[position] == "-" {
            position += 1
            let (result, overflow) = Int64(0).subtractingReportingOverflow(try unary())
            guard !overflow else { throw Failure(offset: position, message: "value overflows 64 bits") }
            return result
        }
        if characters[position] == "(" {
            position += 1
            let value = try sum()
            guard position < characters.count, characters[position] == ")" else {
                throw Failure(offset: position, message: "missing ')'")
            }
            position += 1
            return value
        }
        let start = position
        while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" {
            position += 1
        }
        let word = String(characters[start..<position])
        guard !word.isEmpty else { throw Failure(offset: start, message: "expected a number or a symbol, found '\(characters[start])'") }
        if word.first!.isNumber {
            guard let value = Self.parseInteger(word) else { throw Failure(offset: start, message: "'\(word)' is not a number") }
            return value
        }
        guard let value = symbols[word] else { throw Failure(offset: start, message: "undefined symbol '\(word)'") }
        return value
    }

    /// Parses `123`, `0x7f`, `0b101` (no sign).
    static func parseInteger(_ word: String) -> Int64? {
        let lower = word.lowercased()
        if lower.hasPrefix("0x") { return Int64(lower.dropFirst(2), radix: 16) }
        if lower.hasPrefix("0b") { return Int64(lower.dropFirst(2), radix: 2) }
        return Int64(lower, radix: 10)
    }
}
