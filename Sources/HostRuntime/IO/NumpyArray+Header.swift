import Foundation

extension NumpyArray {
    /// The shape and dtype of a header, a Python dict literal with exactly the keys `descr`,
    /// `fortran_order` and `shape`, in any order.
    static func parseHeader(_ header: ArraySlice<UInt8>) throws -> ([Int], DType) {
        var parser = LiteralParser(text: header)
        guard case let .dict(entries) = try parser.parseDocument() else {
            throw NumpyError("the header is not a Python dict")
        }
        var values: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard ["descr", "fortran_order", "shape"].contains(key), values[key] == nil else {
                throw NumpyError("the header has an unexpected or repeated key \(quoted(key))")
            }
            values[key] = value
        }
        guard let descr = values["descr"], let fortranOrder = values["fortran_order"], let shapeValue = values["shape"] else {
            throw NumpyError("the header lacks one of 'descr', 'fortran_order', 'shape'")
        }
        let dtype = try DType(descriptor: descr)
        switch fortranOrder {
        case .bool(false): break
        case .bool(true): throw NumpyError("Fortran-order arrays are not supported (save np.ascontiguousarray(a) instead)")
        default: throw NumpyError("'fortran_order' is not True or False")
        }
        guard case let .tuple(items) = shapeValue else { throw NumpyError("'shape' is not a tuple") }
        let shape = try items.map { item in
            guard case let .int(extent) = item else { throw NumpyError("'shape' holds a value that is not an integer") }
            return extent
        }
        return (shape, dtype)
    }
}

extension NumpyArray.DType {
    /// The dtype of a header's `descr`; big-endian, object, structured and other dtypes throw.
    fileprivate init(descriptor: PythonLiteral) throws {
        guard case let .string(text) = descriptor else {
            if case .list = descriptor { throw NumpyError("structured dtypes are not supported") }
            throw NumpyError("'descr' is not a dtype string")
        }
        let order = text.first, code = text.dropFirst()
        let supported = Self.allCases.map(\.rawValue).joined(separator: " ")
        guard let match = Self.allCases.first(where: { $0.rawValue.dropFirst() == code }), let order, "<|>".contains(order) else {
            if code.hasPrefix("O") { throw NumpyError("object arrays (dtype 'O') are not supported") }
            throw NumpyError("unsupported dtype \(quoted(text)) (supported: \(supported))")
        }
        guard order != ">" || match.itemSize == 1 else {
            throw NumpyError("big-endian dtype '\(text)' is not supported (save a.astype('\(match.rawValue)') instead)")
        }
        self = match
    }
}

/// A string from a file, quoted and escaped onto one short line for an error message.
private func quoted(_ text: String) -> String {
    String(reflecting: String(text.prefix(40)))
}

/// The Python literals a `.npy` header can hold.
private indirect enum PythonLiteral {
    case string(String)
    case bool(Bool)
    case int(Int)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(String, PythonLiteral)])
}

/// A recursive-descent parser of one Python literal (strings without escapes, `True`, `False`,
/// `None`, decimal integers, tuples, lists, dicts), as `ast.literal_eval` reads a `.npy` header.
private struct LiteralParser {
    let text: ArraySlice<UInt8>
    var position: Int
    /// Bounds the recursion, so that a header of nested brackets cannot exhaust the stack.
    var depth = 0

    init(text: ArraySlice<UInt8>) {
        self.text = text
        position = text.startIndex
    }

    /// The literal that makes up the whole text, surrounding whitespace aside.
    mutating func parseDocument() throws -> PythonLiteral {
        let value = try parseValue()
        skipWhitespace()
        guard position == text.endIndex else { throw unexpected() }
        return value
    }

    private mutating func parseValue() throws -> PythonLiteral {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 16 else { throw NumpyError("the header nests too deeply") }
        skipWhitespace()
        guard let byte = peek() else { throw unexpected() }
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try parseInteger())
        case UInt8(ascii: "("):
            let (items, trailingComma) = try parseSequence(closer: ")")
            // `(5)` is a parenthesized 5, `(5,)` a tuple.
            return items.count == 1 && !trailingComma ? items[0] : .tuple(items)
        case UInt8(ascii: "["): return .list(try parseSequence(closer: "]").items)
        case UInt8(ascii: "{"): return try parseDict()
        default:
            for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] where consume(word) {
                return value
            }
            throw unexpected()
        }
    }

    private mutating func parseString() throws -> String {
        let quote = text[position]
        position += 1
        guard let end = text[position...].firstIndex(of: quote) else { throw NumpyError("the header has an unterminated string") }
        defer { position = end + 1 }
        return String(decoding: text[position..<end], as: UTF8.self)
    }

    private mutating func parseInteger() throws -> Int {
        let negative = consume("-")
        let digits = text[position...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !digits.isEmpty else { throw unexpected() }
        position = digits.endIndex
        var value = 0
        for digit in digits {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw NumpyError("the header has an integer too large for this machine") }
            value = sum
        }
        return negative ? -value : value
    }

    /// Comma-separated values up to `closer`, a trailing comma allowed.
    private mutating func parseSequence(closer: Character) throws -> (items: [PythonLiteral], trailingComma: Bool) {
        position += 1
        var items: [PythonLiteral] = []
        while true {
            skipWhitespace()
            if consume(String(closer)) { return (items, !items.isEmpty) }
            items.append(try parseValue())
            skipWhitespace()
            if consume(String(closer)) { return (items, false) }
            guard consume(",") else { throw unexpected() }
        }
    }

    private mutating func parseDict() throws -> PythonLiteral {
        position += 1
        var entries: [(String, PythonLiteral)] = []
        while true {
            skipWhitespace()
            if consume("}") { return .dict(entries) }
            guard case let .string(key) = try parseValue() else { throw NumpyError("the header has a dict key that is not a string") }
            skipWhitespace()
            guard consume(":") else { throw unexpected() }
            entries.append((key, try parseValue()))
            skipWhitespace()
            if consume("}") { return .dict(entries) }
            guard consume(",") else { throw unexpected() }
        }
    }

    private func peek() -> UInt8? { position < text.endIndex ? text[position] : nil }

    private mutating func consume(_ word: String) -> Bool {
        guard text[position...].starts(with: word.utf8) else { return false }
        position += word.utf8.count
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(byte) { position += 1 }
    }

    private func unexpected() -> NumpyError {
        guard let byte = peek() else { return NumpyError("the header ends before its dict does") }
        let shown = (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02x", byte)
        return NumpyError("the header is not a Python dict literal: unexpected \(shown) at offset \(position - text.startIndex)")
    }
}

/// Reads a byte buffer front to back, throwing where it ends early.
struct ByteReader {
    var bytes: ArraySlice<UInt8>

    mutating func take(_ count: Int, _ part: String) throws -> ArraySlice<UInt8> {
        guard (0...bytes.count).contains(count) else { throw NumpyError("truncated: the file ends in its \(part)") }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    var rest: ArraySlice<UInt8> { bytes }
}
