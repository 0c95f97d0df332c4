extension Graph {
    /// What a graph node computes. Feature maps are `H x W x C` (HWC, batch 1); a vector of N
    /// features is `1 x 1 x N`. Each case documents its output-shape formula; `outputShape`
    /// checks the inputs against it.
    public enum Op: Equatable, Hashable, Sendable {
        /// 2-D convolution (grouped, depthwise, dilated, rectangular), with or without a bias.
        /// Output: `Convolution`'s formula (PyTorch `Conv2d`, floor mode).
        case convolution(Convolution, hasBias: Bool)
        /// Transposed ("fractionally strided") convolution. Output: see `TransposedConvolution`.
        case transposedConvolution(TransposedConvolution)
        /// Fully connected layer on a vector `1 x 1 x N`. Output: `1 x 1 x outputFeatures`.
        case fullyConnected(FullyConnected)
        /// Max or average pooling. Output: `Pooling`'s formula; channels unchanged.
        case pooling(Pooling)
        /// Global average pooling (PyTorch `AdaptiveAvgPool2d(1)`). Output: `1 x 1 x C`.
        case globalAveragePool
        /// Batch normalization with per-channel gamma, beta, running mean and variance. Output: the input shape.
        case batchNorm(BatchNorm)
        /// Element-wise activation. Output: the input shape.
        case activation(Activation)
        /// Local response normalization across channels (AlexNet). Output: the input shape.
        case localResponseNorm(LocalResponseNorm)
        /// Dropout: the identity at inference. Output: the input shape.
        case dropout(Dropout)
        /// Residual add of exactly two inputs of the same shape. Output: that shape.
        case add
        /// Concatenation along channels of one or more inputs with the same H and W.
        /// Output: `H x W x (C1 + C2 + ...)`.
        case concat
        /// Flatten to a vector. Output: `1 x 1 x (H * W * C)`, elements in HWC order.
        case flatten
        /// Reinterpret the elements (HWC order) with another shape of the same element count.
        /// Output: the given shape.
        case reshape(FeatureShape)
        /// Softmax over the channels of each pixel. Output: the input shape.
        case softmax
        /// Nearest-neighbour upsampling. Output: see `Upsample`.
        case upsample(Upsample)
        /// RNN, LSTM or GRU over a sequence `1 x T x N` (and optional initial states). Output: see `Recurrent`.
        case recurrent(Recurrent)
        /// Embedding lookup of token ids `1 x T x 1`. Output: `1 x T x dimension`.
        case embedding(Embedding)
        /// A function only the host computes (`HostFunction`), on one or more inputs of the
        /// shapes it declares. Output: its declared shape.
        case hostFunction(HostFunction)

        /// A short lowercase name of the operation kind (`conv`, `bn`, `relu`, ...; a host
        /// function's name lowercased, `transpose`), used for default node names and reports.
        public var kind: String {
            switch self {
            case .convolution: "conv"
            case .transposedConvolution: "convtranspose"
            case .fullyConnected: "fc"
            case .pooling(let pooling): pooling.kind == .max ? "maxpool" : "avgpool"
            case .globalAveragePool: "globalavgpool"
            case .batchNorm: "bn"
            case .activation(let activation):
                switch activation {
                case .leakyRelu: "leakyrelu"
                default: activation.description
                }
            case .localResponseNorm: "lrn"
            case .dropout: "dropout"
            case .add: "add"
            case .concat: "concat"
            case .flatten: "flatten"
            case .reshape: "reshape"
            case .softmax: "softmax"
            case .upsample: "upsample"
            case .recurrent(let recurrent): recurrent.kind
            case .embedding: "embedding"
            case .hostFunction(let function): function.name.lowercased()
            }
        }

        /// The number of inputs the operation takes (`nil`: one or more, for `concat` and a host
        /// function, which checks its own count).
        public var arity: Int? {
            switch self {
            case .add: 2
            case .concat, .recurrent, .hostFunction: nil
            default: 1
            }
        }

        /// Whether the output is the input's values in the same (HWC) order: dropout, flatten and
        /// reshape, which `NetworkCompiler` stores in the input's place.
        public var isAlias: Bool {
            switch self {
            case .dropout, .flatten, .reshape: true
            default: false
            }
        }

        /// The output shape for `inputs`, after checking every parameter; errors name `node`.
        public func outputShape(inputs: [FeatureShape], node: String) throws(CompilerError) -> FeatureShape {
            func fail(_ message: String) -> CompilerError { .invalidLayer(layer: node, message) }
            if let arity {
                guard inputs.count == arity else { throw fail("\(kind) takes \(arity) input(s), got \(inputs.count)") }
            } else if case .recurrent = self {
                guard (1...3).contains(inputs.count) else { throw fail("\(kind) takes a sequence and optionally initial states, got \(inputs.count) inputs") }
            } else {
                guard !inputs.isEmpty else { throw fail("\(kind) takes at least one input") }
            }
            for shape in inputs { try Self.checkTensor(shape, node) }
            let input = inputs[0]
            switch self {
            case .convolution(let convolution, _):
                return try convolution.outputShape(input: input, layer: node)
            case .transposedConvolution(let transposed):
                return try transposed.outputShape(input: input, layer: node)
            case .fullyConnected(let fullyConnected):
                guard input.height == 1, input.width == 1 else {
                    throw fail("fully connected input must be a vector 1x1xN, got \(input) (flatten it first)")
                }
                guard fullyConnected.outputFeatures > 0 else {
                    throw fail("output features must be positive, got \(fullyConnected.outputFeatures)")
                }
                return FeatureShape(height: 1, width: 1, channels: fullyConnected.outputFeatures)
            case .pooling(let pooling):
                return try pooling.outputShape(input: input, layer: node)
            case .globalAveragePool:
                return FeatureShape(height: 1, width: 1, channels: input.channels)
            case .batchNorm(let batchNorm):
                guard batchNorm.epsilon > 0 else { throw fail("batch norm epsilon must be positive, got \(batchNorm.epsilon)") }
                return input
            case .activation(let activation):
                if case .leakyRelu(let alpha) = activation, !(alpha > 0 && alpha < 1) {
                    throw fail("leaky ReLU alpha must be in (0, 1), got \(alpha)")
                }
                return input
            case .localResponseNorm(let lrn):
                guard lrn.size > 0 else { throw fail("LRN size must be positive, got \(lrn.size)") }
                guard lrn.alpha >= 0, lrn.beta >= 0, lrn.k > 0 else {
                    throw fail("LRN needs alpha >= 0, beta >= 0 and k > 0, got alpha \(lrn.alpha), beta \(lrn.beta), k \(lrn.k)")
                }
                return input
            case .dropout(let dropout):
                guard dropout.probability >= 0, dropout.probability < 1 else {
                    throw fail("dropout probability must be in [0, 1), got \(dropout.probability)")
                }
                return input
            case .add:
                guard inputs[1] == input else {
                    throw fail("add needs two inputs of the same shape, got \(input) and \(inputs[1])")
                }
                return input
            case .concat:
                for shape in inputs.dropFirst() where shape.height != input.height || shape.width != input.width {
                    throw fail("concat needs inputs with the same height and width, got "
                        + inputs.map(\.description).joined(separator: ", "))
                }
                return FeatureShape(height: input.height, width: input.width, channels: inputs.reduce(0) { $0 + $1.channels })
            case .flatten:
                return FeatureShape(height: 1, width: 1, channels: input.elementCount)
            case .reshape(let shape):
                try Self.checkTensor(shape, node)
                guard shape.elementCount == input.elementCount else {
                    throw fail("reshape from \(input) (\(input.elementCount) elements) to \(shape) (\(shape.elementCount) elements)")
                }
                return shape
            case .softmax:
                return input
            case .upsample(let upsample):
                guard upsample.factor > 0 else { throw fail("upsampling factor must be positive, got \(upsample.factor)") }
                let output = FeatureShape(height: input.height * upsample.factor, width: input.width * upsample.factor,
                                          channels: input.channels)
                try Self.checkTensor(output, node)
                return output
            case .recurrent(let recurrent):
                return try recurrent.outputShape(inputs: inputs, node: node)
            case .embedding(let embedding):
                guard embedding.vocabulary > 0, embedding.dimension > 0 else {
                    throw fail("vocabulary and dimension must be positive, got \(embedding.vocabulary) and \(embedding.dimension)")
                }
                guard input.height == 1, input.channels == 1 else { throw fail("input must be token ids 1 x T x 1, got \(input)") }
                return FeatureShape(height: 1, width: input.width, channels: embedding.dimension)
            case .hostFunction(let function):
                return try function.outputShape(inputs: inputs, node: node)
            }
        }

        /// The largest tensor a graph holds, in elements (2^31: offsets fit 32 bits). Single
        /// sizes are not limited here (a flattened map can exceed the 32768 a `Layer` takes).
        public static let maximumTensorElements = 1 << 31

        static func checkTensor(_ shape: FeatureShape, _ node: String) throws(CompilerError) {
            guard shape.height > 0, shape.width > 0, shape.channels > 0 else {
                throw .invalidLayer(layer: node, "shape \(shape) must have positive sizes")
            }
            let area = shape.height.multipliedReportingOverflow(by: shape.width)
            let elements = area.partialValue.multipliedReportingOverflow(by: shape.channels)
            guard !area.overflow, !elements.overflow, elements.partialValue <= maximumTensorElements else {
                throw .invalidLayer(layer: node, "shape \(shape) is too large (at most \(maximumTensorElements) elements)")
            }
        }

        /// Useful multiply-accumulates: convolution `OH * OW * K * R * S * C / groups`, transposed
        /// convolution `H * W * C * (K / groups) * R * S`, fully connected `N * M`, recurrent
        /// `Recurrent.macs`; 0 for the rest.
        /// `inputs` must be the shapes `outputShape` accepted.
        public func macs(inputs: [FeatureShape], output: FeatureShape) -> Int {
            switch self {
            case .convolution(let convolution, _):
                output.height * output.width * output.channels * convolution.kernelHeight * convolution.kernelWidth
                    * (inputs[0].channels / convolution.groups)
            case .transposedConvolution(let transposed):
                inputs[0].elementCount * (transposed.outputChannels / transposed.groups) * transposed.kernelHeight
                    * transposed.kernelWidth
            case .fullyConnected(let fullyConnected):
                inputs[0].channels * fullyConnected.outputFeatures
            case .recurrent(let recurrent):
                recurrent.macs(input: inputs[0])
            default: 0
            }
        }

        /// Learnable parameters as torchvision counts them: weights, biases, and batch norm's
        /// gamma and beta (2 per channel; the running mean and variance are buffers, not parameters).
        public func parameterCount(inputs: [FeatureShape]) -> Int {
            let channels = inputs[0].channels
            switch self {
            case .convolution(let convolution, let hasBias):
                return convolution.kernelHeight * convolution.kernelWidth * (channels / convolution.groups)
                    * convolution.outputChannels + (hasBias ? convolution.outputChannels : 0)
            case .transposedConvolution(let transposed):
                return transposed.kernelHeight * transposed.kernelWidth * channels * (transposed.outputChannels / transposed.groups)
                    + (transposed.hasBias ? transposed.outputChannels : 0)
            case .fullyConnected(let fullyConnected):
                return channels * fullyConnected.outputFeatures + (fullyConnected.hasBias ? fullyConnected.outputFeatures : 0)
            case .batchNorm:
                return 2 * channels
            case .recurrent(let recurrent):
                return recurrent.directions * (recurrent.weightCount(inputFeatures: channels) + recurrent.biasCount)
            case .embedding(let embedding):
                return embedding.vocabulary * embedding.dimension
            default:
                return 0
            }
        }
    }
}

/// A fully connected layer: `y = W x (+ b)` on a vector `1 x 1 x N`; output `1 x 1 x outputFeatures`.
public struct FullyConnected: Equatable, Hashable, Sendable {
    public var outputFeatures: Int
    public var hasBias: Bool

    public init(outputFeatures: Int, hasBias: Bool = true) {
        self.outputFeatures = outputFeatures
        self.hasBias = hasBias
    }
}

/// A transposed convolution (PyTorch `ConvTranspose2d`): every input pixel scatters a `R x S`
/// window of `outputChannels / groups` values per group.
///
/// Output shape: `OH = (H - 1) * strideY - (top + bottom) + dilationY * (R - 1) + outputPaddingY + 1`,
/// likewise OW; `OC = outputChannels`. PyTorch pads symmetrically (`top == bottom == padding`,
/// giving its `- 2 * padding`); the output padding adds rows and columns on the bottom/right
/// and must be smaller than the stride or the dilation.
public struct TransposedConvolution: Equatable, Hashable, Sendable {
    public var outputChannels: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var strideY = 1, strideX = 1
    public var padding = Padding.zero
    public var outputPaddingY = 0, outputPaddingX = 0
    public var dilationY = 1, dilationX = 1
    public var groups = 1
    public var hasBias = true

    public init(outputChannels: Int, kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
                padding: Padding = .zero, outputPaddingY: Int = 0, outputPaddingX: Int = 0, dilationY: Int = 1,
                dilationX: Int = 1, groups: Int = 1, hasBias: Bool = true) {
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
        self.outputPaddingY = outputPaddingY
        self.outputPaddingX = outputPaddingX
        self.dilationY = dilationY
        self.dilationX = dilationX
        self.groups = groups
        self.hasBias = hasBias
    }

    /// The output shape, after checking every parameter against `input`.
    public func outputShape(input: FeatureShape, layer: String) throws(CompilerError) -> FeatureShape {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: layer, message) }
        try LayerChecks.convolution(input: input, filters: outputChannels, kernel: (kernelHeight, kernelWidth),
                                    stride: (strideY, strideX), dilation: (dilationY, dilationX), padding: padding,
                                    groups: groups, layer)
        guard outputPaddingY >= 0, outputPaddingX >= 0,
              outputPaddingY < max(strideY, dilationY), outputPaddingX < max(strideX, dilationX) else {
            throw fail("output padding \(outputPaddingY),\(outputPaddingX) must be smaller than the stride or the dilation")
        }
        let height = (input.height - 1) * strideY - padding.top - padding.bottom + dilationY * (kernelHeight - 1) + outputPaddingY + 1
        let width = (input.width - 1) * strideX - padding.left - padding.right + dilationX * (kernelWidth - 1) + outputPaddingX + 1
        guard height > 0, width > 0 else { throw fail("padding \(padding) leaves no output (\(height)x\(width))") }
        let output = FeatureShape(height: height, width: width, channels: outputChannels)
        try LayerChecks.positive(output, layer)
        return output
    }
}

/// Inference-time batch normalization, `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`
/// per channel (PyTorch's default epsilon 1e-5; torchvision's Inception models use 1e-3).
public struct BatchNorm: Equatable, Hashable, Sendable {
    public var epsilon: Double

    public init(epsilon: Double = 1e-5) { self.epsilon = epsilon }
}

/// Local response normalization across channels (Krizhevsky et al., NIPS 2012, section 3.3, as
/// PyTorch's `LocalResponseNorm`): `b_c = a_c / (k + alpha / size * sum over the size
/// neighbouring channels of a^2)^beta`. Output: the input shape.
public struct LocalResponseNorm: Equatable, Hashable, Sendable {
    public var size: Int
    public var alpha: Double
    public var beta: Double
    public var k: Double

    public init(size: Int, alpha: Double, beta: Double, k: Double) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    /// Krizhevsky et al.'s values, also used by VGG's A-LRN: n = 5, alpha = 1e-4, beta = 0.75, k = 2.
    public static let alexNet = LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2)
}

/// Dropout with drop probability `probability` during training; the identity at inference.
public struct Dropout: Equatable, Hashable, Sendable {
    public var probability: Double

    public init(probability: Double) { self.probability = probability }
}

/// Nearest-neighbour upsampling by an integer factor: output `(H * factor) x (W * factor) x C`.
public struct Upsample: Equatable, Hashable, Sendable {
    public var factor: Int

    public init(factor: Int) { self.factor = factor }
}
