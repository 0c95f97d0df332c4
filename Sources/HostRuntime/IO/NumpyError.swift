import Foundation

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
