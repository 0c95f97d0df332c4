/// An operation the reference cannot compute because of its operands.
public struct ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation, e.g. `conv2d`.
    public var operation: String
    public var message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}
