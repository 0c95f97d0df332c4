import Foundation

/// Where a tensor keeps its bytes outside the model file (`data_location: EXTERNAL`), as
/// torch.onnx.export writes models over 2 GB: a file named relative to the model's directory,
/// and the offset and length of the tensor's little-endian bytes in it.
struct ExternalData {
    /// The file's path relative to the model's directory, as the model gives it.
    let location: String
    /// The path's components with "." and "name/.." removed (resolved here because the
    /// filesystem resolves "name/.." only when a directory "name" exists).
    private let components: [String]
    /// Where the tensor's bytes start in the file.
    let offset: Int
    /// How many bytes the tensor takes, when the model says.
    let length: Int?

    /// Reads the `external_data` entries (keys `location`, `offset`, `length`; others such as
    /// `checksum` are ignored), rejecting a location that is absolute or climbs out of the
    /// model's directory, so a model cannot make the decoder read files elsewhere.
    init(entries: [ONNXStringEntry]) throws {
        let values = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        guard let location = values["location"] else {
            throw ONNXError(.externalData, "external_data has no location")
        }
        self.location = location
        components = try Self.checkedComponents(location)
        offset = try values["offset"].map { try Self.nonNegative($0, key: "offset") } ?? 0
        length = try values["length"].map { try Self.nonNegative($0, key: "length") }
    }

    /// Reads the tensor's `byteCount` bytes from the file in `baseDirectory`.
    func read(byteCount: Int, baseDirectory: URL?) throws -> Data {
        let file = ONNXError.quoted(location)
        if let length, length != byteCount {
            throw ONNXError(.externalData, "external_data length \(length) does not match the tensor's \(byteCount) bytes")
        }
        guard let baseDirectory else {
            throw ONNXError(.externalData, "the tensor's data is in the external file \(file), which needs the "
                                + "model's location: load the model with ONNXModel.load(contentsOf:)")
        }
        let url = components.reduce(baseDirectory) { $0.appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ONNXError(.externalData, "external data file \(file) does not exist next to the model")
        }
        guard !isDirectory.boolValue else { throw ONNXError(.externalData, "external data file \(file) is a directory") }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ONNXError(.externalData, "cannot open external data file \(file)")
        }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), UInt64(offset) <= size, UInt64(byteCount) <= size - UInt64(offset) else {
            throw ONNXError(.externalData, "external data file \(file) is too short for \(byteCount) bytes at offset \(offset)")
        }
        guard byteCount > 0 else { return Data() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
              let data = try? handle.read(upToCount: byteCount), data.count == byteCount else {
            throw ONNXError(.externalData, "cannot read \(byteCount) bytes at offset \(offset) of external data file \(file)")
        }
        return data
    }

    /// The components of `path`, which must be relative and stay inside the model's directory.
    private static func checkedComponents(_ path: String) throws -> [String] {
        let quoted = ONNXError.quoted(path)
        guard !path.isEmpty, !path.contains("\0") else {
            throw ONNXError(.externalData, "external data location \(quoted) is not a file name")
        }
        guard !path.hasPrefix("/") else {
            throw ONNXError(.externalData, "external data location \(quoted) is absolute; it must be relative to the model")
        }
        var components: [String] = []
        for component in path.split(separator: "/") where component != "." {
            if component != ".." {
                components.append(String(component))
            } else if components.popLast() == nil {
                throw ONNXError(.externalData, "external data location \(quoted) leaves the model's directory")
            }
        }
        return components
    }

    private static func nonNegative(_ text: String, key: String) throws -> Int {
        guard let value = Int(text), value >= 0 else {
            throw ONNXError(.externalData, "external_data \(key) \(ONNXError.quoted(text)) is not a non-negative integer")
        }
        return value
    }
}
