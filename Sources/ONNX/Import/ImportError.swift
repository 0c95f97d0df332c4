/// Why an ONNX model cannot be imported into our graph IR (`ONNXImporter`): one line naming the
/// node (or graph input or output) at fault and what is wrong, so that a user can find it in the
/// model. Decoding faults of the file itself stay `ONNXError`s.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// An operator outside `ONNXImporter.supportedOperators` (or outside the default domain).
        case unsupportedOperator
        /// A supported operator used in a form the importer does not handle (an attribute value,
        /// a layout, a dynamic shape, a batch other than 1, a non-constant weight).
        case unsupported
        /// A model that contradicts itself (a missing initializer, mismatched shapes).
        case invalid
    }

    public let kind: Kind
    /// What the error is about, e.g. `node 'conv1' (Conv)` or `graph input 'x'`.
    public let subject: String
    /// What is wrong, without the subject.
    public let message: String

    public init(_ kind: Kind, _ subject: String, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    /// One line: the subject and the message.
    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }

    /// `text` (a name from the model) in single quotes with control characters, quotes and
    /// backslashes escaped and cut after 80 characters, so that a message stays on one line.
    static func quoted(_ text: String) -> String {
        let escaped = String(String(reflecting: text).dropFirst().dropLast())
        return "'" + (escaped.count > 80 ? String(escaped.prefix(80)) + "…" : escaped) + "'"
    }

    /// The subject of ONNX node `name` of type `opType`.
    static func node(_ name: String, _ opType: String) -> String { "node \(quoted(name)) (\(quoted(opType).dropFirst().dropLast()))" }
}
