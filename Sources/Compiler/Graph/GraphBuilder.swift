/// Builds a `Graph` in the order a paper's table reads:
///
///     let b = GraphBuilder(name: "resnet18", input: FeatureShape(height: 224, width: 224, channels: 3))
///     let x = b.input.conv(64, kernel: 7, stride: 2, pad: 3, bias: false).bn().relu().maxPool(3, stride: 2, pad: 1)
///
/// Every call on a `FeatureMap` appends one node reading that map and returns the node's output.
/// Nodes are named `<scope><kind><n>` (`layer1.0.conv1`, `layer1.0.bn1`, ...) unless given a name;
/// `scope` nests prefixes like torchvision's module names. Shapes are inferred as nodes are
/// added (`FeatureMap.shape`); `build` checks the whole graph and throws the first error.
public final class GraphBuilder {
    private let graphName: String
    /// The constructor's input first, then those of `addInput`, in order.
    private var graphInputs: [Graph.Input]
    private var nodes: [Graph.Node] = []
    private var shapes: [String: FeatureShape] = [:]
    private var prefix = ""
    private var counters: [String: Int] = [:]

    /// A builder whose first graph input is `input`; `vocabulary` makes it token ids (see `Graph.Input`).
    public init(name: String, input: FeatureShape, inputName: String = "input", vocabulary: Int? = nil) {
        graphName = name
        graphInputs = [Graph.Input(name: inputName, shape: input, vocabulary: vocabulary)]
        shapes[inputName] = input
    }

    /// The first graph input (the constructor's).
    public var input: FeatureMap { FeatureMap(builder: self, name: graphInputs[0].name, shape: graphInputs[0].shape) }

    /// Adds a graph input after the existing ones (a captioning decoder reads an image feature
    /// and the caption's tokens); `vocabulary` makes it token ids. `build` rejects a duplicate name.
    public func addInput(name: String, shape: FeatureShape, vocabulary: Int? = nil) -> FeatureMap {
        graphInputs.append(Graph.Input(name: name, shape: shape, vocabulary: vocabulary))
        shapes[name] = shape
        return FeatureMap(builder: self, name: name, shape: shape)
    }

    /// Runs `body` with node names prefixed by `name.` (nested scopes join with dots).
    public func scope<Result>(_ name: String, _ body: () throws -> Result) rethrows -> Result {
        let saved = prefix
        prefix += name + "."
        defer { prefix = saved }
        return try body()
    }

    /// Appends a node reading `inputs`; named `name` (in the current scope) or `<kind><n>`.
    @discardableResult
    public func append(_ op: Graph.Op, inputs: [FeatureMap], name: String? = nil) -> FeatureMap {
        let nodeName: String
        if let name {
            nodeName = prefix + name
        } else {
            let key = prefix + op.kind
            let count = counters[key, default: 0] + 1
            counters[key] = count
            nodeName = key + "\(count)"
        }
        nodes.append(Graph.Node(name: nodeName, op: op, inputs: inputs.map(\.name)))
        let inputShapes = inputs.compactMap(\.shape)
        let shape = inputShapes.count == inputs.count ? try? op.outputShape(inputs: inputShapes, node: nodeName) : nil
        shapes[nodeName] = shape
        return FeatureMap(builder: self, name: nodeName, shape: shape)
    }

    /// Concatenates `maps` along channels (Inception, DenseNet, U-Net skip connections).
    public func concat(_ maps: [FeatureMap], name: String? = nil) -> FeatureMap { append(.concat, inputs: maps, name: name) }

    /// The graph producing `outputs`, checked (`Graph.analyze`).
    public func build(outputs: [FeatureMap]) throws(CompilerError) -> Graph {
        let graph = Graph(name: graphName, inputs: graphInputs, nodes: nodes, outputs: outputs.map(\.name))
        _ = try graph.analyze()
        return graph
    }

    /// The graph producing `output`, checked.
    public func build(output: FeatureMap) throws(CompilerError) -> Graph { try build(outputs: [output]) }
}

/// A tensor under construction in a `GraphBuilder`; each method appends one node reading it.
public struct FeatureMap {
    public let builder: GraphBuilder
    /// The tensor's name (the producing node's name, or the graph input's).
    public let name: String
    /// The inferred shape; `nil` if this or an earlier node is invalid (`build` then throws why).
    public let shape: FeatureShape?

    /// Channels of the inferred shape (0 if the shape is unknown).
    public var channels: Int { shape?.channels ?? 0 }

    private func append(_ op: Graph.Op, _ name: String?) -> FeatureMap { builder.append(op, inputs: [self], name: name) }

    /// A square `kernel x kernel` convolution with `filters` outputs, padding `pad` on every side.
    public func conv(_ filters: Int, kernel: Int, stride: Int = 1, pad: Int = 0, dilation: Int = 1, groups: Int = 1,
                     bias: Bool = true, name: String? = nil) -> FeatureMap {
        conv(Convolution(outputChannels: filters, kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
                         padding: Padding(pad), dilationY: dilation, dilationX: dilation, groups: groups),
             bias: bias, name: name)
    }

    /// A rectangular `kernelHeight x kernelWidth` convolution (factorized 1xN / Nx1), padding
    /// `padY` rows above and below and `padX` columns left and right.
    public func conv(_ filters: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padY: Int = 0, padX: Int = 0,
                     bias: Bool = true, name: String? = nil) -> FeatureMap {
        conv(Convolution(outputChannels: filters, kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideY: stride,
                         strideX: stride, padding: Padding(top: padY, bottom: padY, left: padX, right: padX)),
             bias: bias, name: name)
    }

    /// Any convolution.
    public func conv(_ convolution: Convolution, bias: Bool = true, name: String? = nil) -> FeatureMap {
        append(.convolution(convolution, hasBias: bias), name)
    }

    /// A depthwise `kernel x kernel` convolution (`groups == channels`, one filter per channel).
    public func depthwiseConv(kernel: Int, stride: Int = 1, pad: Int = 0, bias: Bool = true, name: String? = nil) -> FeatureMap {
        conv(channels, kernel: kernel, stride: stride, pad: pad, groups: channels, bias: bias, name: name)
    }

    /// A square transposed convolution (PyTorch `ConvTranspose2d(kernel, stride, padding, output_padding)`).
    public func transposedConv(_ filters: Int, kernel: Int, stride: Int = 1, pad: Int = 0, outputPadding: Int = 0,
                               bias: Bool = true, name: String? = nil) -> FeatureMap {
        append(.transposedConvolution(TransposedConvolution(
            outputChannels: filters, kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
            padding: Padding(pad), outputPaddingY: outputPadding, outputPaddingX: outputPadding, hasBias: bias)), name)
    }

    /// A fully connected layer with `features` outputs (the input must be a vector: `flatten()` first).
    public func fc(_ features: Int, bias: Bool = true, name: String? = nil) -> FeatureMap {
        append(.fullyConnected(FullyConnected(outputFeatures: features, hasBias: bias)), name)
    }

    public func bn(epsilon: Double = 1e-5, name: String? = nil) -> FeatureMap { append(.batchNorm(BatchNorm(epsilon: epsilon)), name) }
    public func activation(_ activation: Activation, name: String? = nil) -> FeatureMap { append(.activation(activation), name) }
    public func relu(name: String? = nil) -> FeatureMap { activation(.relu, name: name) }
    public func relu6(name: String? = nil) -> FeatureMap { activation(.relu6, name: name) }
    public func leakyRelu(_ alpha: Double, name: String? = nil) -> FeatureMap { activation(.leakyRelu(alpha: alpha), name: name) }
    public func sigmoid(name: String? = nil) -> FeatureMap { activation(.sigmoid, name: name) }
    public func tanh(name: String? = nil) -> FeatureMap { activation(.tanh, name: name) }

    /// Max pooling over `window x window` windows (stride defaults to the window).
    public func maxPool(_ window: Int, stride: Int? = nil, pad: Int = 0, ceilMode: Bool = false, name: String? = nil) -> FeatureMap {
        append(.pooling(Pooling(kind: .max, windowHeight: window, windowWidth: window, strideY: stride ?? window,
                                strideX: stride ?? window, padding: Padding(pad), ceilMode: ceilMode)), name)
    }

    /// Average pooling over `window x window` windows (stride defaults to the window).
    public func avgPool(_ window: Int, stride: Int? = nil, pad: Int = 0, ceilMode: Bool = false, countIncludePadding: Bool = true,
                        name: String? = nil) -> FeatureMap {
        append(.pooling(Pooling(kind: .average, windowHeight: window, windowWidth: window, strideY: stride ?? window,
                                strideX: stride ?? window, padding: Padding(pad), ceilMode: ceilMode,
                                countIncludePadding: countIncludePadding)), name)
    }

    public func globalAvgPool(name: String? = nil) -> FeatureMap { append(.globalAveragePool, name) }
    public func lrn(_ lrn: LocalResponseNorm = .alexNet, name: String? = nil) -> FeatureMap { append(.localResponseNorm(lrn), name) }
    public func dropout(_ probability: Double, name: String? = nil) -> FeatureMap {
        append(.dropout(Dropout(probability: probability)), name)
    }
    public func flatten(name: String? = nil) -> FeatureMap { append(.flatten, name) }
    public func reshape(_ shape: FeatureShape, name: String? = nil) -> FeatureMap { append(.reshape(shape), name) }
    public func softmax(name: String? = nil) -> FeatureMap { append(.softmax, name) }
    public func upsample(_ factor: Int, name: String? = nil) -> FeatureMap { append(.upsample(Upsample(factor: factor)), name) }

    /// The residual sum `self + other` (same shapes).
    public func add(_ other: FeatureMap, name: String? = nil) -> FeatureMap { builder.append(.add, inputs: [self, other], name: name) }
}
