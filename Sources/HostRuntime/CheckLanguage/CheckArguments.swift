import ISA

/// A value during evaluation: a tensor, or a number literal (an immediate operand).
enum CheckValue {
    case tensor(Tensor)
    case integer(Int64)
    case real(Double)
}

/// The evaluated arguments of one call, with readers that validate each argument and report
/// errors at its position.
struct CheckArguments {
    let call: CheckCall
    /// The positional arguments, evaluated.
    let values: [CheckValue]

    var name: String { call.function.text }
    var position: CheckPosition { call.function.position }

    static let int32Range = Int64(Int32.min)...Int64(Int32.max)

    /// Positional argument `index`, which must be a tensor.
    func tensor(_ index: Int) throws(CheckError) -> Tensor {
        guard case .tensor(let tensor) = values[index] else {
            throw call.arguments[index].position.evaluationError("argument \(index + 1) of \(name) must be a tensor, not a number")
        }
        return tensor
    }

    /// Positional arguments from `index` on, all tensors.
    func tensors(from index: Int) throws(CheckError) -> [Tensor] {
        var result: [Tensor] = []
        for position in index..<values.count { result.append(try tensor(position)) }
        return result
    }

    private func keyword(_ key: String) -> CheckCall.Keyword? { call.keywords.first { $0.key.text == key } }

    func has(_ key: String) -> Bool { keyword(key) != nil }

    /// The integers of `key=v` or `key=v1,v2,...`, with one of `counts` values each in `range`.
    /// Without the argument: `defaultValues`, or an error if it is required (`nil`).
    func integers(_ key: String, counts: [Int], default defaultValues: [Int64]?, range: ClosedRange<Int64>) throws(CheckError) -> [Int64] {
        guard let keyword = keyword(key) else {
            guard let defaultValues else { throw position.evaluationError("\(name) needs \(key)=") }
            return defaultValues
        }
        guard counts.contains(keyword.values.count) else {
            let allowed = counts.map(String.init).joined(separator: " or ")
            throw keyword.key.position.evaluationError("\(key) takes \(allowed) value\(counts == [1] ? "" : "s"), got \(keyword.values.count)")
        }
        var result: [Int64] = []
        for atom in keyword.values {
            guard case .integer(let value)? = try Self.number(atom) else {
                throw atom.position.evaluationError("\(key) must be an integer, got '\(atom.text)'")
            }
            guard range.contains(value) else {
                throw atom.position.evaluationError("\(key)=\(value) is outside \(range.lowerBound)...\(range.upperBound)")
            }
            result.append(value)
        }
        return result
    }

    /// The integer of `key=v`.
    func integer(_ key: String, default defaultValue: Int64?, range: ClosedRange<Int64>) throws(CheckError) -> Int64 {
        try integers(key, counts: [1], default: defaultValue.map { [$0] }, range: range)[0]
    }

    /// `key=SY,SX` or `key=S` (both axes): a (y, x) pair.
    func pair(_ key: String, default defaultValue: Int64?, range: ClosedRange<Int64>) throws(CheckError) -> (y: Int, x: Int) {
        let values = try integers(key, counts: [1, 2], default: defaultValue.map { [$0] }, range: range)
        return (Int(values[0]), Int(values[values.count - 1]))
    }

    /// `pad=P` (all sides), `pad=PY,PX` or `pad=T,B,L,R`; default 0.
    func padding() throws(CheckError) -> Reference.Padding {
        let values = try integers("pad", counts: [1, 2, 4], default: [0], range: 0...Int64(UInt16.max)).map { Int($0) }
        switch values.count {
        case 1: return Reference.Padding(all: values[0])
        case 2: return Reference.Padding(top: values[0], bottom: values[0], left: values[1], right: values[1])
        default: return Reference.Padding(top: values[0], bottom: values[1], left: values[2], right: values[3])
        }
    }

    /// The finite real number of `key=v` (integers are accepted too).
    func real(_ key: String, default defaultValue: Double) throws(CheckError) -> Double {
        guard let keyword = keyword(key) else { return defaultValue }
        guard keyword.values.count == 1 else { throw keyword.key.position.evaluationError("\(key) takes one value") }
        let atom = keyword.values[0]
        switch try Self.number(atom) {
        case .integer(let value)?: return Double(value)
        case .real(let value)?: return value
        default: throw atom.position.evaluationError("\(key) must be a number, got '\(atom.text)'")
        }
    }

    /// The single name of `key=name`, or `nil` without the argument.
    func word(_ key: String) throws(CheckError) -> CheckAtom? {
        guard let keyword = keyword(key) else { return nil }
        guard keyword.values.count == 1 else { throw keyword.key.position.evaluationError("\(key) takes one value") }
        return keyword.values[0]
    }

    /// The element type of `type=`, or `defaultType`.
    func type(default defaultType: ElementType) throws(CheckError) -> ElementType {
        guard let atom = try word("type") else { return defaultType }
        guard let type = ElementType(name: atom.text) else {
            throw atom.position.evaluationError("unknown type '\(atom.text)' (known: \(ElementType.allCases.map(\.description).joined(separator: ", ")))")
        }
        return type
    }

    /// A shape, `shape=4x16` or `shape=4,16`.
    func shape(_ key: String) throws(CheckError) -> [Int] {
        guard let keyword = keyword(key) else { throw position.evaluationError("\(name) needs \(key)=") }
        var shape: [Int] = []
        for atom in keyword.values {
            for part in atom.text.split(separator: "x", omittingEmptySubsequences: false) {
                guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let extent = Int(part),
                      extent <= Reference.maximumElements else {
                    throw atom.position.evaluationError("\(key) must be extents like 4x16, got '\(atom.text)'")
                }
                shape.append(extent)
            }
        }
        return shape
    }

    /// Runs a reference kernel, reporting its error at the call.
    func run(_ body: () throws(ReferenceError) -> Tensor) throws(CheckError) -> Tensor {
        do { return try body() } catch { throw position.evaluationError(error.description) }
    }

    /// The number an atom spells, `nil` if it is not a number (a name or a shape); throws for a
    /// number that does not fit. Integers: decimal or `0x` hex, optionally negative; reals:
    /// decimal with a point or an exponent, finite.
    static func number(_ atom: CheckAtom) throws(CheckError) -> CheckValue? {
        let text = atom.text
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : Substring(text)
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        let outOfRange = atom.position.evaluationError("number '\(text)' is out of range")
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            let digits = body.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
            guard let magnitude = Int64(digits, radix: 16) else { throw outOfRange }
            return .integer(negative ? -magnitude : magnitude)
        }
        if body.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let magnitude = Int64(body) else { throw outOfRange }
            return .integer(negative ? -magnitude : magnitude)
        }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || "eE.+-".contains($0)) }), let value = Double(text) else { return nil }
        guard value.isFinite else { throw outOfRange }
        return .real(value)
    }
}
