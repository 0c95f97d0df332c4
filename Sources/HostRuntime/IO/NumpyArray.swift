import Foundation

/// A NumPy array as a `.npy` file holds it: a shape, an element type and the elements'
/// little-endian bytes in row-major order.
///
/// `.npy` is how ONNX model runs exchange tensors with NumPy (`npu run model.onnx --input x.npy
/// --save-output y.npy`). Reading accepts format versions 1.0, 2.0 and 3.0 and the little-endian
/// element types of `DType`; anything else (big-endian data, Fortran order, object or structured
/// dtypes, a malformed or truncated file) throws a `NumpyError` instead of guessing. Writing
/// produces the bytes `numpy.save` writes for the same array.
public struct NumpyArray: Equatable, Sendable {
    /// An element type, named by its NumPy descriptor.
    public enum DType: String, CaseIterable, Sendable {
        case float16 = "<f2"
        case float32 = "<f4"
        /// NumPy's default float type, so that arrays made without a dtype load as they are.
        case float64 = "<f8"
        case int8 = "|i1"
        case uint8 = "|u1"
        case int32 = "<i4"
        case int64 = "<i8"

        /// Bytes per element.
        public var itemSize: Int {
            switch self {
            case .int8, .uint8: 1
            case .float16: 2
            case .float32, .int32: 4
            case .float64, .int64: 8
            }
        }

        public var isFloat: Bool { self == .float16 || self == .float32 || self == .float64 }
    }

    /// Extent of each axis, outermost first; empty for a 0-d array of one element.
    public let shape: [Int]
    public let dtype: DType
    /// The elements in row-major order, `dtype.itemSize` little-endian bytes each.
    public let elementBytes: [UInt8]

    /// An array over existing element bytes; throws unless they hold exactly the shape's elements.
    public init(shape: [Int], dtype: DType, elementBytes: [UInt8]) throws {
        let count = try Self.byteCount(shape: shape, dtype: dtype)
        guard elementBytes.count == count else {
            throw NumpyError("\(elementBytes.count) bytes of data, but shape \(Self.pythonTuple(shape)) of \(dtype.rawValue) needs \(count)")
        }
        self.shape = shape
        self.dtype = dtype
        self.elementBytes = elementBytes
    }

    /// An array of float values converted to `dtype`: float types round to nearest even (float16
    /// overflows to infinity), integer types round half to even and saturate (NaN becomes 0).
    public init(shape: [Int], dtype: DType, floats: [Float]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * dtype.itemSize)
        for value in floats {
            switch dtype {
            case .float16: Self.append(Self.halfBits(value), to: &bytes)
            case .float32: Self.append(value.bitPattern, to: &bytes)
            case .float64: Self.append(Double(value).bitPattern, to: &bytes)
            default: Self.append(Self.saturated(value, to: dtype), as: dtype, to: &bytes)
            }
        }
        try self.init(shape: shape, dtype: dtype, elementBytes: bytes)
    }

    /// An array of integer values converted to `dtype`: integer types saturate, float types round
    /// to nearest.
    public init(shape: [Int], dtype: DType, integers: [Int64]) throws {
        if dtype.isFloat {
            try self.init(shape: shape, dtype: dtype, floats: integers.map { Float($0) })
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(integers.count * dtype.itemSize)
        let (low, high) = Self.range(of: dtype)
        for value in integers { Self.append(min(max(value, low), high), as: dtype, to: &bytes) }
        try self.init(shape: shape, dtype: dtype, elementBytes: bytes)
    }

    /// Parses the contents of a `.npy` file.
    public init(bytes: [UInt8]) throws {
        guard bytes.starts(with: Self.magic) else {
            throw NumpyError(Self.magic.starts(with: bytes) ? "truncated: the file ends in its magic string"
                : "not a .npy file: it does not start with \\x93NUMPY")
        }
        var reader = ByteReader(bytes: bytes.dropFirst(Self.magic.count))
        let version = try reader.take(2, "format version")
        let (major, minor) = (version[version.startIndex], version[version.startIndex + 1])
        guard (1...3).contains(major), minor == 0 else {
            throw NumpyError("unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        let lengthBytes = try reader.take(major == 1 ? 2 : 4, "header length")
        let headerLength = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try reader.take(headerLength, "header")
        let (shape, dtype) = try Self.parseHeader(header)
        try self.init(shape: shape, dtype: dtype, elementBytes: Array(reader.rest))
    }

    /// Reads a `.npy` file; errors name the file.
    public init(contentsOf url: URL) throws {
        let contents: Data
        do {
            contents = try Data(contentsOf: url)
        } catch {
            throw NumpyError("cannot read the file (\(error.localizedDescription))", file: url.path)
        }
        do {
            try self.init(bytes: [UInt8](contents))
        } catch let error as NumpyError {
            throw NumpyError(error.message, file: url.path)
        }
    }

    /// Number of elements: the product of the extents.
    public var elementCount: Int { elementBytes.count / dtype.itemSize }

    /// The elements as fp32, row-major (float64 rounds to nearest, large int64 values too).
    public var floats: [Float] {
        switch dtype {
        case .float16: load(UInt16.self).map(Self.float(halfBits:))
        case .float32: load(UInt32.self).map(Float.init(bitPattern:))
        case .float64: load(UInt64.self).map { Float(Double(bitPattern: $0)) }
        case .int8, .uint8, .int32, .int64: (integers ?? []).map(Float.init)
        }
    }

    /// The elements as integers, row-major; nil for a float dtype, whose values are not integers.
    public var integers: [Int64]? {
        switch dtype {
        case .int8: load(Int8.self).map(Int64.init)
        case .uint8: load(UInt8.self).map(Int64.init)
        case .int32: load(Int32.self).map(Int64.init)
        case .int64: load(Int64.self)
        case .float16, .float32, .float64: nil
        }
    }

    /// The `.npy` file: the oldest format version whose header length field holds the header
    /// (1.0, else 2.0), the header padded with spaces to a multiple of 64 bytes, then the data.
    public var bytes: [UInt8] {
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(Self.pythonTuple(shape)), }"
        // NumPy leaves room for the first extent to grow to 21 digits without moving the data.
        if let first = shape.first { header += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let text = Array(header.utf8)
        for (major, lengthSize) in [(UInt8(1), 2), (2, 4)] {
            let unpadded = Self.magic.count + 2 + lengthSize + text.count + 1
            let length = text.count + 1 + (64 - unpadded % 64) % 64
            guard length < 1 << (8 * lengthSize) else { continue }
            var file = Self.magic + [major, 0]
            file += (0..<lengthSize).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
            file += text + [UInt8](repeating: 0x20, count: length - text.count - 1) + [0x0A]
            return file + elementBytes
        }
        preconditionFailure("a header of \(text.count) bytes does not fit a .npy file")
    }

    /// Writes the `.npy` file atomically: into a temporary file in the same directory, then
    /// renamed over `url`, so a failed write never leaves a partial file behind.
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary, options: .withoutOverwriting)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NumpyError("cannot write the file (\(error.localizedDescription))", file: url.path)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw NumpyError("cannot write the file (\(reason))", file: url.path)
        }
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The elements read as little-endian `T`s (of the dtype's size).
    private func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
        elementBytes.withUnsafeBytes { raw in
            (0..<elementCount).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    private static func append(_ value: Int64, as dtype: DType, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 8 * dtype.itemSize, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    private static func range(of dtype: DType) -> (Int64, Int64) {
        switch dtype {
        case .int8: (Int64(Int8.min), Int64(Int8.max))
        case .uint8: (0, Int64(UInt8.max))
        case .int32: (Int64(Int32.min), Int64(Int32.max))
        default: (Int64.min, Int64.max)
        }
    }

    /// `value` rounded half to even and saturated to the integer `dtype`; NaN is 0.
    private static func saturated(_ value: Float, to dtype: DType) -> Int64 {
        let (low, high) = range(of: dtype)
        let rounded = value.rounded(.toNearestOrEven)
        if rounded.isNaN { return 0 }
        // Float(high) is exact or rounds up to a power of two, so `>=` saturates exactly.
        if rounded >= Float(high) { return high }
        if rounded <= Float(low) { return low }
        return Int64(rounded)
    }

    /// Bytes of the elements of `shape`, or an error for a negative or unaddressable shape.
    private static func byteCount(shape: [Int], dtype: DType) throws -> Int {
        var count = dtype.itemSize
        for extent in shape {
            guard extent >= 0 else { throw NumpyError("negative extent \(extent) in shape \(pythonTuple(shape))") }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw NumpyError("shape \(pythonTuple(shape)) of \(dtype.rawValue) is too large to address") }
            count = product
        }
        return count
    }

    /// `shape` as Python prints a tuple: `()`, `(5,)`, `(2, 3)`.
    private static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

/// A `.npy` file that cannot be read or written, or an array whose shape does not fit its data.
public struct NumpyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, in one line.
    public var message: String
    /// The file's path, when the error concerns a file.
    public var file: String?

    public init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }

    /// One line: `FILE: message`, or `npy: message` for bytes in memory.
    public var description: String { "\(file ?? "npy"): \(message)" }
}

// MARK: - Header

extension NumpyArray {
    /// The shape and dtype of a header, a Python dict literal with exactly the keys `descr`,
    /// `fortran_order` and `shape`, in any order.
    private static func parseHeader(_ header: ArraySlice<UInt8>) throws -> ([Int], DType) {
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
private struct ByteReader {
    var bytes: ArraySlice<UInt8>

    mutating func take(_ count: Int, _ part: String) throws -> ArraySlice<UInt8> {
        guard (0...bytes.count).contains(count) else { throw NumpyError("truncated: the file ends in its \(part)") }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    var rest: ArraySlice<UInt8> { bytes }
}

// MARK: - Float16

extension NumpyArray {
    /// The IEEE binary16 bits nearest `value`, ties to even: overflow becomes infinity, tiny
    /// values subnormals or zero, NaN a quiet NaN keeping the sign and the payload's top bits.
    /// Done by hand because Swift's `Float16` is missing on some platforms.
    static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let fraction = bits & 0x7F_FFFF
        guard bits >> 23 & 0xFF != 0xFF else {
            return sign | 0x7C00 | (fraction == 0 ? 0 : 0x200 | UInt16(truncatingIfNeeded: fraction >> 13))
        }
        let exponent = Int(bits >> 23 & 0xFF) - 127 + 15
        if exponent >= 0x1F { return sign | 0x7C00 }
        if exponent < -10 { return sign }
        // Normal results keep 10 of the 23 fraction bits; subnormal ones shift the significand
        // (with its implicit bit) right until its exponent is the smallest normal one.
        let (significand, shift, base) = exponent > 0
            ? (fraction, UInt32(13), UInt32(exponent) << 10)
            : (fraction | 0x80_0000, UInt32(14 - exponent), 0)
        var half = base | significand >> shift
        let rest = significand & (1 << shift - 1), halfway = UInt32(1) << (shift - 1)
        // A carry out of the fraction correctly bumps the exponent (and 65520 up to infinity).
        if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }

    /// The fp32 value of IEEE binary16 bits (exact: every half value is a float).
    static func float(halfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10 & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F: return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default: return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
        }
    }
}
