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
        /// One byte each, 0 or 1 (a mask; reading takes any non-zero byte as 1).
        case bool = "|b1"

        /// Bytes per element.
        public var itemSize: Int {
            switch self {
            case .int8, .uint8, .bool: 1
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
            case .float16: Self.append(Float16(value).bitPattern, to: &bytes)
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
        case .float16: load(UInt16.self).map { Float(Float16(bitPattern: $0)) }
        case .float32: load(UInt32.self).map(Float.init(bitPattern:))
        case .float64: load(UInt64.self).map { Float(Double(bitPattern: $0)) }
        case .int8, .uint8, .int32, .int64, .bool: (integers ?? []).map(Float.init)
        }
    }

    /// The elements as integers, row-major; nil for a float dtype, whose values are not integers.
    public var integers: [Int64]? {
        switch dtype {
        case .int8: load(Int8.self).map(Int64.init)
        case .uint8: load(UInt8.self).map(Int64.init)
        case .int32: load(Int32.self).map(Int64.init)
        case .int64: load(Int64.self)
        case .bool: load(UInt8.self).map { $0 == 0 ? 0 : 1 }
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
        case .bool: (0, 1)
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
