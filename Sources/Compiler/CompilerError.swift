/// Errors of the compiler: invalid layers and layers that cannot be mapped. Each describes
/// itself in one line naming the layer.
public enum CompilerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A layer whose shape or parameters are invalid.
    case invalidLayer(layer: String, String)
    /// No tile plan fits the buffers (names the buffer that is too small).
    case noPlanFits(layer: String, String)
    /// A plan that does not fit the configuration (validator).
    case invalidPlan(layer: String, String)
    /// An input file (a SCALE-Sim `.cfg` or topology CSV) that cannot be read: the file, the
    /// 1-based line when one is at fault (0: the file as a whole), and what is wrong.
    case invalidInput(file: String, line: Int, String)

    public var description: String {
        switch self {
        case let .invalidLayer(layer, message): "layer '\(layer)': \(message)"
        case let .noPlanFits(layer, message): "layer '\(layer)': no tile plan fits: \(message)"
        case let .invalidPlan(layer, message): "layer '\(layer)': invalid tile plan: \(message)"
        case let .invalidInput(file, line, message): line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        }
    }
}
