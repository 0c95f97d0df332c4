/// One layer as a user describes it: a main operation, and what fuses into its epilogue
/// (bias, batch normalization folded into the weights, activation, a following pooling).
///
/// A fully connected layer of M vectors of N features is described on the input `1 x M x N`
/// and computed as a 1x1 convolution with `outputFeatures` filters (the vectors side by side in
/// one image, so one matmul serves them all).
///
/// `batch` images of `input` run through the layer in one program (NHWC: the images lie one
/// after another in DRAM), so the weights are loaded once for the whole batch rather than once
/// per image. Shapes (`input`, `outputShape()`) are one image's.
public struct Layer: Equatable, Hashable, Sendable {
    public enum Operation: Equatable, Hashable, Sendable {
        case convolution(Convolution)
        case fullyConnected(outputFeatures: Int)
        case pooling(Pooling)
        case globalAveragePool
    }

    public var name: String
    public var operation: Operation
    public var input: FeatureShape
    public var hasBias: Bool
    /// Batch normalization after the convolution, folded into its weights and bias.
    public var hasBatchNorm: Bool
    public var activation: Activation
    /// A pooling that follows the activation and fuses into the epilogue where the hardware allows.
    public var pooling: Pooling?
    /// Images the layer processes, each an `input`-shaped map (at least 1). Their tiles share the
    /// layer's weight tiles, which is what batching buys: more reuse of each weight byte loaded.
    public var batch: Int

    public init(name: String, operation: Operation, input: FeatureShape, hasBias: Bool = true, hasBatchNorm: Bool = false,
                activation: Activation = .none, pooling: Pooling? = nil, batch: Int = 1) {
        self.name = name
        self.operation = operation
        self.input = input
        self.hasBias = hasBias
        self.hasBatchNorm = hasBatchNorm
        self.activation = activation
        self.pooling = pooling
        self.batch = batch
    }

    /// The convolution a convolution or fully connected layer computes (FC: 1x1 over `1 x batch x N`).
    public var convolution: Convolution? {
        switch operation {
        case .convolution(let convolution): convolution
        case .fullyConnected(let outputFeatures): Convolution(outputChannels: outputFeatures, kernelHeight: 1, kernelWidth: 1)
        case .pooling, .globalAveragePool: nil
        }
    }

    /// The pooling a pooling layer computes (global average: a window of the whole input).
    public var mainPooling: Pooling? {
        switch operation {
        case .pooling(let pooling): pooling
        case .globalAveragePool:
            Pooling(kind: .average, windowHeight: input.height, windowWidth: input.width, strideY: 1, strideX: 1)
        case .convolution, .fullyConnected: nil
        }
    }

    /// Shape of one image after the main operation, before a fused pooling.
    public func mainOutputShape() throws(CompilerError) -> FeatureShape {
        try checkBatch()
        if let convolution { return try convolution.outputShape(input: input, layer: name) }
        return try mainPooling!.outputShape(input: input, layer: name)
    }

    /// The output shape of one image, fused pooling included. Checks every parameter.
    public func outputShape() throws(CompilerError) -> FeatureShape {
        let main = try mainOutputShape()
        if convolution == nil, hasBatchNorm || activation != .none || pooling != nil {
            throw .invalidLayer(layer: name, "a pooling layer takes no batch norm, activation or fused pooling")
        }
        guard let pooling else { return main }
        return try pooling.outputShape(input: main, layer: name)
    }

    /// Useful multiply-accumulates of the main operation over the whole batch (0 for pooling layers).
    public func macs() throws(CompilerError) -> Int {
        try checkBatch()
        guard let convolution else { return 0 }
        return try convolution.macs(input: input).times(batch)
    }

    private func checkBatch() throws(CompilerError) {
        guard batch >= 1 else { throw .invalidLayer(layer: name, "batch must be at least 1, got \(batch)") }
    }
}
