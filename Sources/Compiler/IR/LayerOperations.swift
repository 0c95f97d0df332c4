/// A 2-D convolution (also grouped, depthwise, dilated, strided, rectangular).
///
/// Output shape (PyTorch's `Conv2d`, floor mode):
/// `OH = floor((H + top + bottom - dilationY * (R - 1) - 1) / strideY) + 1`, likewise OW with
/// S, left, right and strideX; `OC = outputChannels`. Weights are `[R][S][C / groups][K]`; group g
/// maps input channels `g*C/G ..< (g+1)*C/G` to output channels `g*K/G ..< (g+1)*K/G`.
/// Depthwise is `groups == C == K` (times a channel multiplier).
public struct Convolution: Equatable, Hashable, Sendable {
    public var outputChannels: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var strideY = 1, strideX = 1
    public var padding = Padding.zero
    public var dilationY = 1, dilationX = 1
    public var groups = 1

    public init(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
                padding: Padding = .zero, dilationY: Int = 1, dilationX: Int = 1, groups: Int = 1) {
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
        self.dilationY = dilationY
        self.dilationX = dilationX
        self.groups = groups
    }

    /// Multiply-accumulates for `input`: `OH * OW * K * R * S * C / groups`.
    public func macs(input: FeatureShape) throws(CompilerError) -> Int {
        let output = try outputShape(input: input, layer: "")
        return output.height * output.width * outputChannels * kernelHeight * kernelWidth * (input.channels / groups)
    }

    /// The output shape, after checking every parameter against `input`.
    public func outputShape(input: FeatureShape, layer: String) throws(CompilerError) -> FeatureShape {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: layer, message) }
        try LayerChecks.convolution(input: input, filters: outputChannels, kernel: (kernelHeight, kernelWidth),
                                    stride: (strideY, strideX), dilation: (dilationY, dilationX), padding: padding,
                                    groups: groups, layer)
        let reachY = dilationY * (kernelHeight - 1) + 1, reachX = dilationX * (kernelWidth - 1) + 1
        let paddedHeight = input.height + padding.top + padding.bottom
        let paddedWidth = input.width + padding.left + padding.right
        guard reachY <= paddedHeight, reachX <= paddedWidth else {
            throw fail("kernel \(kernelHeight)x\(kernelWidth) (dilated reach \(reachY)x\(reachX)) is larger than the padded input \(paddedHeight)x\(paddedWidth)")
        }
        return FeatureShape(height: (paddedHeight - reachY) / strideY + 1, width: (paddedWidth - reachX) / strideX + 1,
                            channels: outputChannels)
    }
}

/// Max or average pooling over windows.
///
/// Output shape: `OH = floor((H + top + bottom - windowHeight) / strideY) + 1` (or `ceil` in
/// ceil mode, where a window must still start inside the input or its top/left padding, as
/// PyTorch requires); channels unchanged. Average pooling divides by the full window
/// (`count_include_pad`) unless `countIncludePadding` is false.
public struct Pooling: Equatable, Hashable, Sendable {
    public enum Kind: String, Sendable { case max, average }

    public var kind: Kind
    public var windowHeight: Int, windowWidth: Int
    public var strideY: Int, strideX: Int
    public var padding = Padding.zero
    public var ceilMode = false
    public var countIncludePadding = true

    public init(kind: Kind, windowHeight: Int, windowWidth: Int, strideY: Int, strideX: Int,
                padding: Padding = .zero, ceilMode: Bool = false, countIncludePadding: Bool = true) {
        self.kind = kind
        self.windowHeight = windowHeight
        self.windowWidth = windowWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePadding = countIncludePadding
    }

    /// Whether a convolution's epilogue can apply this pooling to its output tiles: windows that
    /// do not overlap (stride == window), no padding and floor mode, so every window lies whole in
    /// one tile (the layer compiler's rule for fused pooling).
    public var isFusable: Bool {
        strideY == windowHeight && strideX == windowWidth && padding == .zero && !ceilMode
    }

    /// `max2` / `avg2`: a 2x2 window with stride 2.
    public static func square(_ kind: Kind, _ size: Int) -> Pooling {
        Pooling(kind: kind, windowHeight: size, windowWidth: size, strideY: size, strideX: size)
    }

    public func outputShape(input: FeatureShape, layer: String) throws(CompilerError) -> FeatureShape {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: layer, message) }
        try LayerChecks.positive(input, layer)
        guard windowHeight > 0, windowWidth > 0 else { throw fail("pooling window must be positive, got \(windowHeight)x\(windowWidth)") }
        guard strideY > 0, strideX > 0 else { throw fail("pooling stride must be positive, got \(strideY),\(strideX)") }
        try LayerChecks.padding(padding, layer)
        guard padding.top < windowHeight, padding.bottom < windowHeight, padding.left < windowWidth, padding.right < windowWidth else {
            throw fail("pooling padding \(padding) must be smaller than the window \(windowHeight)x\(windowWidth)")
        }
        func extent(_ size: Int, _ before: Int, _ after: Int, _ window: Int, _ stride: Int) throws(CompilerError) -> Int {
            let padded = size + before + after
            guard window <= padded else { throw fail("pooling window \(windowHeight)x\(windowWidth) is larger than the padded input") }
            var count = ceilMode ? (padded - window + stride - 1) / stride + 1 : (padded - window) / stride + 1
            if ceilMode, (count - 1) * stride >= size + before { count -= 1 }
            return count
        }
        return FeatureShape(height: try extent(input.height, padding.top, padding.bottom, windowHeight, strideY),
                            width: try extent(input.width, padding.left, padding.right, windowWidth, strideX),
                            channels: input.channels)
    }
}

/// The activation functions a layer's epilogue applies.
public enum Activation: Equatable, Hashable, Sendable, CustomStringConvertible {
    case none, relu, relu6, sigmoid, tanh
    /// `x > 0 ? x : alpha * x`, with 0 < alpha < 1.
    case leakyRelu(alpha: Double)

    public var description: String {
        switch self {
        case .none: "none"
        case .relu: "relu"
        case .relu6: "relu6"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .leakyRelu(let alpha): "leakyrelu(\(alpha))"
        }
    }

    /// Parses `relu`, `relu6`, `sigmoid`, `tanh`, `leakyrelu` (alpha 0.01) or `leakyrelu:0.1`, `none`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "none": self = .none
        case "relu": self = .relu
        case "relu6": self = .relu6
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "leakyrelu", "leaky_relu": self = .leakyRelu(alpha: 0.01)
        default:
            let parts = lower.split(separator: ":")
            guard parts.count == 2, parts[0] == "leakyrelu" || parts[0] == "leaky_relu", let alpha = Double(parts[1]),
                  alpha > 0, alpha < 1 else { return nil }
            self = .leakyRelu(alpha: alpha)
        }
    }

    /// The fp32 function.
    public func apply(_ x: Float) -> Float {
        switch self {
        case .none: x
        case .relu: max(x, 0)
        case .relu6: min(max(x, 0), 6)
        case .sigmoid: 1 / (1 + exp(-x))
        case .tanh: Foundation.tanh(x)
        case .leakyRelu(let alpha): x > 0 ? x : Float(alpha) * x
        }
    }
}

import Foundation

/// Shared parameter checks, each throwing one message naming the layer.
enum LayerChecks {
    static func positive(_ shape: FeatureShape, _ layer: String) throws(CompilerError) {
        guard shape.height > 0, shape.width > 0, shape.channels > 0 else {
            throw .invalidLayer(layer: layer, "input shape \(shape) must have positive sizes")
        }
        // Heights and widths reach the 16-bit extent fields of tiles; channels are split into
        // reduction chunks by the compiler, so a flattened FC input may be larger.
        guard shape.height <= 1 << 15, shape.width <= 1 << 15, shape.channels <= 1 << 20 else {
            throw .invalidLayer(layer: layer, "input shape \(shape) is too large (height and width at most 32768, channels at most 1048576)")
        }
    }

    /// The parameter checks a convolution and a transposed convolution share: positive input,
    /// filters, kernel, stride and dilation; padding in the DMA's reach; channels and filters
    /// divisible by the groups.
    static func convolution(input: FeatureShape, filters: Int, kernel: (height: Int, width: Int), stride: (y: Int, x: Int),
                            dilation: (y: Int, x: Int), padding: Padding, groups: Int, _ layer: String) throws(CompilerError) {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: layer, message) }
        try positive(input, layer)
        guard filters > 0 else { throw fail("filters must be positive, got \(filters)") }
        guard kernel.height > 0, kernel.width > 0 else { throw fail("kernel must be positive, got \(kernel.height)x\(kernel.width)") }
        guard stride.y > 0, stride.x > 0 else { throw fail("stride must be positive, got \(stride.y),\(stride.x)") }
        guard dilation.y > 0, dilation.x > 0 else { throw fail("dilation must be positive, got \(dilation.y),\(dilation.x)") }
        try self.padding(padding, layer)
        guard groups > 0 else { throw fail("groups must be positive, got \(groups)") }
        guard input.channels % groups == 0 else { throw fail("input channels \(input.channels) are not divisible by groups \(groups)") }
        guard filters % groups == 0 else { throw fail("filters \(filters) are not divisible by groups \(groups)") }
    }

    static func padding(_ padding: Padding, _ layer: String) throws(CompilerError) {
        guard [padding.top, padding.bottom, padding.left, padding.right].allSatisfy({ (0...63).contains($0) }) else {
            throw .invalidLayer(layer: layer, "padding \(padding) must be 0...63 on each side")
        }
    }
}
