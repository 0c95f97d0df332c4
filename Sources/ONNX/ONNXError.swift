/// The one error of the ONNX module: a model file that is malformed, invalid or beyond what the
/// decoder supports. Its description is a single line naming the field path inside the model
/// (for example `graph.node[3].attribute[0]`), what is wrong, and the byte offset in the buffer
/// being decoded when one applies, so a user can locate the problem in the file.
public struct ONNXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that react differently to each.
    public enum Kind: Equatable, Sendable {
        /// The bytes are not a well-formed protobuf encoding (truncated, bad varint, wrong wire type).
        case malformed
        /// Well-formed protobuf whose content breaks an ONNX rule (negative dims, size mismatch).
        case invalid
        /// Valid ONNX this decoder does not handle (an opset outside 11...21, sparse tensors).
        case unsupported
        /// A tensor's external data file is unsafe to open, missing or too short.
        case externalData
        /// The model file itself cannot be read.
        case file
    }

    /// What went wrong.
    public let kind: Kind
    /// The dotted path of the message holding the fault, from the model down; empty at the top.
    public let path: String
    /// What is wrong, without the path or offset.
    public let message: String
    /// The byte offset in the decoded buffer where the fault lies, when it is a wire-format fault.
    public let byteOffset: Int?

    /// An error of `kind` at the top of the model (callers below prefix their path as it unwinds).
    init(_ kind: Kind, _ message: String, at byteOffset: Int? = nil) {
        self.init(kind: kind, path: "", message: message, byteOffset: byteOffset)
    }

    private init(kind: Kind, path: String, message: String, byteOffset: Int?) {
        self.kind = kind
        self.path = path
        self.message = message
        self.byteOffset = byteOffset
    }

    /// One line: the path, the message, and the byte offset if any.
    public var description: String {
        let located = path.isEmpty ? message : "\(path): \(message)"
        return byteOffset.map { "\(located) (byte \($0))" } ?? located
    }

    /// This error seen from the message that contains `component` (a field name, with an index
    /// for a repeated field): its path gains `component` in front.
    func within(_ component: String) -> ONNXError {
        ONNXError(kind: kind, path: path.isEmpty ? component : "\(component).\(path)", message: message,
                  byteOffset: byteOffset)
    }

    /// This error with `subject` (such as `tensor "conv.weight"`) named at the start of its
    /// message, for faults found once the subject's name is known.
    func about(_ subject: String) -> ONNXError {
        ONNXError(kind: kind, path: path, message: "\(subject): \(message)", byteOffset: byteOffset)
    }

    /// Runs `body`, locating any error it throws inside `component`.
    static func locating<T>(_ component: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ONNXError {
            throw error.within(component)
        }
    }

    /// A string from the model quoted for an error message: control characters escaped, so the
    /// message stays on one line, and cut after 80 characters, so it stays readable.
    static func quoted(_ text: String) -> String {
        let limit = 80
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return shown.debugDescription
    }
}
