import ISA

/// One direction of one recurrent layer (`Recurrent`), the unit `RecurrentCompiler` compiles: a
/// bidirectional layer is two of them, writing the two channel halves of the layer's output.
public struct RecurrentDirection: Equatable, Sendable {
    /// Layer name (an identifier).
    public var name: String
    public var recurrent: Recurrent
    /// The reverse direction: steps run from T-1 down to 0; its states are channels `H..<2H`.
    public var reverse: Bool
    /// One sequence `1 x T x N`.
    public var sequence: FeatureShape
    /// Sequences run together (NHWC, back to back): each step's products are one matmul over all
    /// of them, so each weight byte serves `batch` matrix-vector products.
    public var batch: Int
    /// The sigmoid and tanh tables of the gates.
    public var tables: ActivationTables

    public init(name: String, recurrent: Recurrent, reverse: Bool = false, sequence: FeatureShape, batch: Int = 1,
                tables: ActivationTables = ActivationTables()) {
        self.name = name
        self.recurrent = recurrent
        self.reverse = reverse
        self.sequence = sequence
        self.batch = batch
        self.tables = tables
    }

    /// Time steps T.
    public var steps: Int { sequence.width }
    /// Index of the direction in the layer's parameters and output channels (0 forward, 1 reverse).
    public var directionIndex: Int { reverse ? 1 : 0 }

    /// One sequence's output shape: `1 x T x H` with `returnSequences`, else `1 x 1 x H`.
    public var outputShape: FeatureShape {
        FeatureShape(height: 1, width: recurrent.returnSequences ? steps : 1, channels: recurrent.hiddenSize)
    }

    /// Useful multiply-accumulates over the batch: `batch * T * G * H * (N + H)`.
    public var macs: Int {
        batch * steps * recurrent.gates * recurrent.hiddenSize * (sequence.channels + recurrent.hiddenSize)
    }

    /// This direction's part of the layer's parameters (`Recurrent`'s layout: directions back to back).
    public func parameters(of layer: LayerParameters) throws(CompilerError) -> LayerParameters {
        let weights = recurrent.weightCount(inputFeatures: sequence.channels), biases = recurrent.biasCount
        guard layer.weights.count == recurrent.directions * weights else {
            throw .invalidLayer(layer: name, "expected \(recurrent.directions * weights) weights, got \(layer.weights.count)")
        }
        guard (layer.bias?.count ?? 0) == recurrent.directions * biases else {
            throw .invalidLayer(layer: name, "expected \(recurrent.directions * biases) biases, got \(layer.bias?.count ?? 0)")
        }
        let d = directionIndex
        return LayerParameters(weights: Array(layer.weights[(d * weights)..<((d + 1) * weights)]),
                               bias: layer.bias.map { Array($0[(d * biases)..<((d + 1) * biases)]) })
    }
}

/// The piecewise-linear sigmoid and tanh of recurrent gates: `segments` chords over
/// `[-range, range]` (`PWLTable.fit`), input Q3.12 and output Q0.15 (so `range` is at most 8,
/// the reach of Q3.12), slopes with 16 fraction bits. Beyond the range a table holds the
/// function's value at the bound.
///
/// The default is the largest table a slot holds, 62 segments over [-6, 6] (sigmoid's max error
/// 4.8e-4, tanh's 3.6e-3). DianNao evaluates its nonlinearities with 16 segments (Chen et al.,
/// ASPLOS 2014), over [-8, 8] here (`--pwl-segments 16 --pwl-range 8`): tanh's error is then
/// 8.2e-2, and through the gates of a recurrent network it adds up: lstm-lm's logits agree with
/// fp32 at a cosine of 0.959 with DianNao's tables and 0.9999 with the default, a two-layer
/// `nn.LSTM` export at 0.983 and above 0.999 (README). A table is loaded once per program, so
/// the larger one costs tens of cycles in millions.
public struct ActivationTables: Equatable, Hashable, Sendable {
    public var segments: Int
    public var range: Double

    public init(segments: Int = 62, range: Double = 6) {
        self.segments = segments
        self.range = range
    }

    /// The fit parameters of `function`'s table.
    public func parameters(_ function: PWLFunction) -> PWLTable.FitParameters {
        PWLTable.FitParameters(function: function, segments: segments, minimum: -range, maximum: range,
                               inputFractionBits: 12, outputFractionBits: 15, slopeShift: 16)
    }

    /// Checks the segment count and range.
    public func validate(_ layer: String) throws(CompilerError) {
        guard (1...(PWLTable.maximumSegments - 2)).contains(segments) else {
            throw .invalidLayer(layer: layer, "activation tables take 1...\(PWLTable.maximumSegments - 2) segments, got \(segments)")
        }
        guard range > 0, range <= 8 else {
            throw .invalidLayer(layer: layer, "activation table range must be in (0, 8] (the reach of Q3.12), got \(range)")
        }
    }
}
