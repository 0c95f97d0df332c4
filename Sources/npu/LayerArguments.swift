import Compiler

/// Parsing of `npu layer` shapes and parameters: `16x16x32`, `3` or `1x7`, `1` or `2,1`,
/// `1` or `1,1,2,2`; every mistake is a one-line `UsageError`.
enum LayerArguments {
    /// `HxWxC`.
    static func featureShape(_ text: String, option: String) throws(UsageError) -> FeatureShape {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let height = parts[0], let width = parts[1], let channels = parts[2] else {
            throw UsageError("--\(option) needs HxWxC (e.g. 56x56x64), got '\(text)'")
        }
        return FeatureShape(height: height, width: width, channels: channels)
    }

    /// `N` or `NxM` (height x width).
    static func pair(_ text: String, option: String, separator: Character) throws(UsageError) -> (Int, Int) {
        let parts = text.split(separator: separator, omittingEmptySubsequences: false).map { Int($0) }
        switch parts.count {
        case 1: if let value = parts[0] { return (value, value) }
        case 2: if let first = parts[0], let second = parts[1] { return (first, second) }
        default: break
        }
        throw UsageError("--\(option) needs N or N\(separator)M, got '\(text)'")
    }

    /// `P` (all sides) or `T,B,L,R`.
    static func padding(_ text: String) throws(UsageError) -> Padding {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 1, let all = parts[0] { return Padding(all) }
        if parts.count == 4, let top = parts[0], let bottom = parts[1], let left = parts[2], let right = parts[3] {
            return Padding(top: top, bottom: bottom, left: left, right: right)
        }
        throw UsageError("--pad needs P or T,B,L,R, got '\(text)'")
    }

    static func activation(_ text: String?) throws(UsageError) -> Activation {
        guard let text else { return .none }
        guard let activation = Activation(name: text) else {
            throw UsageError("unknown activation '\(text)' (none, relu, relu6, leakyrelu[:alpha], sigmoid, tanh)")
        }
        return activation
    }

    /// `max2`, `avg2`, `max3s2` (3x3 window, stride 2), ...
    static func fusedPooling(_ text: String?) throws(UsageError) -> Pooling? {
        guard let text else { return nil }
        let kind: Pooling.Kind
        var rest: Substring
        if text.hasPrefix("max") {
            kind = .max
            rest = text.dropFirst(3)
        } else if text.hasPrefix("avg") {
            kind = .average
            rest = text.dropFirst(3)
        } else {
            throw UsageError("--pool needs maxK, avgK or maxKsS (e.g. max2, avg2, max3s2), got '\(text)'")
        }
        let parts = rest.split(separator: "s", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let window = parts[0], let stride = parts.count == 2 ? parts[1] : window else {
            throw UsageError("--pool needs maxK, avgK or maxKsS (e.g. max2, avg2, max3s2), got '\(text)'")
        }
        return Pooling(kind: kind, windowHeight: window, windowWidth: window, strideY: stride, strideX: stride)
    }
}
