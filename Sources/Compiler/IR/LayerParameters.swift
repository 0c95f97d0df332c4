/// The real-valued parameters of a layer, as a framework would hold them (fp32).
public struct LayerParameters: Equatable, Sendable {
    /// Convolution / FC weights in `[R][S][C / groups][K]` order (FC: `[1][1][N][M]`).
    public var weights: [Float]
    /// One bias per output channel, if the layer has a bias.
    public var bias: [Float]?
    /// Batch normalization statistics, if the layer has batch normalization.
    public var batchNorm: BatchNormParameters?
    /// int8 weight scales fixed by the model, one per output channel (a QDQ model's
    /// `DequantizeLinear` of int8 weights): the compiler quantizes with these, `q = round(w / s[k])`
    /// in [-128, 127], instead of choosing `max|w_k| / 127`, so the device multiplies exactly the
    /// model's integers. `nil`: chosen from the weights' range. Ignored by int16 layers.
    public var weightScales: [Float]?

    public init(weights: [Float], bias: [Float]? = nil, batchNorm: BatchNormParameters? = nil, weightScales: [Float]? = nil) {
        self.weights = weights
        self.bias = bias
        self.batchNorm = batchNorm
        self.weightScales = weightScales
    }
}

/// Inference-time batch normalization: `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`,
/// per output channel.
public struct BatchNormParameters: Equatable, Sendable {
    public var gamma: [Float]
    public var beta: [Float]
    public var mean: [Float]
    public var variance: [Float]
    public var epsilon: Float

    public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) {
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
    }
}
