/// One line of assembly split into its parts, with 1-based columns for error messages.
struct SourceLine {
    /// A piece of text and the column where it starts.
    struct Piece {
        let text: String
        let column: Int
    }

    let number: Int
    /// The line without its comment.
    let code: String

    init(number: Int, text: String) {
        self.number = number
        if let comment = text.firstIndex(where: { $0 == ";" || $0 == "#" }) {
            code = String(text[..<comment])
        } else {
            code = text
        }
    }

    var isBlank: Bool { code.allSatisfy(\.isWhitespace) }

    /// Splits the code at any character in `separators`, dropping empty pieces.
    func pieces(separatedBy separators: Set<Character>) -> [Piece] {
        var result: [Piece] = []
        var current = ""
        var start = 0
        for (offset, character) in code.enumerated() {
            if separators.contains(character) {
                if !current.isEmpty { result.append(Piece(text: current, column: start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(Piece(text: current, column: start + 1)) }
        return result
    }

    /// The code after the first piece (a directive's raw argument) and its column.
    func rest(after first: Piece) -> Piece {
        let offset = first.column - 1 + first.text.count
        let tail = code.dropFirst(offset)
        let leading = tail.prefix(while: \.isWhitespace).count
        let text = String(tail.dropFirst(leading)).trimmingTrailingWhitespace()
        return Piece(text: text, column: offset + leading + 1)
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var copy = self
        while let last = copy.last, last.isWhitespace { copy.removeLast() }
        return copy
    }
}
