/// A recurrent layer unrolled over the T time steps of a sequence: the simple (Elman) RNN, the
/// LSTM (with the peephole and coupled input-forget variants) or the GRU, one or two directions.
///
/// **Shapes.** A sequence of T vectors of N features is the feature map `1 x T x N` (the time
/// steps are the pixels of one row, so a 1x1 convolution after the layer is a per-step fully
/// connected layer). The output is `1 x T x (D * H)` with `returnSequences` (many-to-many: every
/// step's hidden state; for two directions the forward state in channels `0..<H`, the reverse
/// in `H..<2H`, as PyTorch's `nn.LSTM(bidirectional=True)` lays them out), otherwise
/// `1 x 1 x (D * H)` (many-to-one: the forward state after step T-1 and the reverse state after
/// step 0, PyTorch's `h_n`). An optional second input `1 x 1 x (D * H)` is the initial hidden
/// state `h_0` (otherwise 0), as an image-captioning decoder starts from a projected image
/// feature; an LSTM's optional third input `1 x 1 x (D * H)` is its initial cell state `c_0`
/// (otherwise 0; it comes with `h_0`, which may be a zero tensor), PyTorch's `(h_0, c_0)`. Each
/// direction takes its `H` channels of them (forward `0..<H`, reverse `H..<2H`).
///
/// **Cells** (PyTorch's formulas and gate order; sigma is the logistic sigmoid, `*` elementwise):
/// - RNN: `h' = f(Wx x + bx + Wh h + bh)`, f = tanh or ReLU; one gate.
/// - LSTM, gates i, f, g, o: `z = Wx x + bx + Wh h + bh`, `i = sigma(z_i)`, `f = sigma(z_f)`,
///   `g = tanh(z_g)`, `o = sigma(z_o)`, `c' = f * c + i * g`, `h' = o * tanh(c')`.
///   Peephole (Gers and Schmidhuber, IJCNN 2000): `i = sigma(z_i + p_i * c)`,
///   `f = sigma(z_f + p_f * c)`, `o = sigma(z_o + p_o * c')`. Coupled input-forget gate (Greff et
///   al., "LSTM: A Search Space Odyssey", 2017): gates f, g, o only and `i = 1 - f`
///   (peepholes then on f and o).
/// - GRU, gates r, z, n: `r = sigma(Wx_r x + bx_r + Wh_r h + bh_r)`, likewise z,
///   `n = tanh(Wx_n x + bx_n + r * (Wh_n h + bh_n))`, `h' = (1 - z) * n + z * h`: PyTorch's
///   `nn.GRU`, ONNX's `GRU` with `linear_before_reset = 1`. With `resetBeforeMatmul` (ONNX's
///   default, `linear_before_reset = 0`, the form of Cho et al., EMNLP 2014) the reset gate
///   scales the state before the recurrent product: `n = tanh(Wx_n x + bx_n + Wh_n (r * h) + bh_n)`
///   (ONNX: `ht = g(Xt*(Wh^T) + (rt (.) Ht-1)*(Rh^T) + Rbh + Wbh)`). Same weights, same MACs.
///
/// **Parameters** (`LayerParameters` under the node's name), per direction, forward first:
/// `weights` = `Wx [N][G*H]`, then `Wh [H][G*H]`, then (peephole) `p [P][H]` with P = 3 (i, f,
/// o) or 2 for a coupled cell (f, o); `bias` (with `hasBias`) = `bx [G*H]`, then `bh [G*H]`.
/// Column `g * H + j` of a matrix is gate g (in the order above) of hidden unit j.
public struct Recurrent: Equatable, Hashable, Sendable {
    public enum Cell: Equatable, Hashable, Sendable {
        /// The simple RNN with `tanh` or `relu` (other activations are rejected).
        case rnn(Activation)
        case lstm(peephole: Bool, coupled: Bool)
        /// The GRU; `resetBeforeMatmul`: `Wh_n (r * h)` (ONNX's default) rather than
        /// `r * (Wh_n h + bh_n)` (PyTorch's; see the type's formulas).
        case gru(resetBeforeMatmul: Bool)

        /// PyTorch's GRU (`nn.GRU`, ONNX `linear_before_reset = 1`): the reset gate scales the
        /// recurrent product. (A pattern `case .gru:` matches either form.)
        public static let gru = Cell.gru(resetBeforeMatmul: false)
    }

    public var cell: Cell
    public var hiddenSize: Int
    public var bidirectional: Bool
    /// Many-to-many (every step's state) rather than many-to-one (the final state).
    public var returnSequences: Bool
    public var hasBias: Bool

    public init(cell: Cell, hiddenSize: Int, bidirectional: Bool = false, returnSequences: Bool = true, hasBias: Bool = true) {
        self.cell = cell
        self.hiddenSize = hiddenSize
        self.bidirectional = bidirectional
        self.returnSequences = returnSequences
        self.hasBias = hasBias
    }

    /// A plain LSTM (no peepholes, separate input and forget gates).
    public static func lstm(hiddenSize: Int, bidirectional: Bool = false, returnSequences: Bool = true) -> Recurrent {
        Recurrent(cell: .lstm(peephole: false, coupled: false), hiddenSize: hiddenSize, bidirectional: bidirectional,
                  returnSequences: returnSequences)
    }

    /// Directions: 1, or 2 when bidirectional.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// Gate blocks of the matrices: RNN 1, LSTM 4 (3 coupled), GRU 3.
    public var gates: Int {
        switch cell {
        case .rnn: 1
        case .lstm(_, let coupled): coupled ? 3 : 4
        case .gru: 3
        }
    }

    /// Peephole vectors per direction (3, 2 for a coupled cell, 0 without peepholes).
    public var peepholes: Int {
        if case .lstm(true, let coupled) = cell { return coupled ? 2 : 3 }
        return 0
    }

    /// Whether the cell has a state besides `h` that a graph may initialize: the LSTM's cell
    /// state `c` (the node's optional third input).
    public var hasCellState: Bool {
        if case .lstm = cell { return true }
        return false
    }

    /// A short lowercase name of the cell (`rnn`, `lstm`, `gru`), for node names and reports.
    public var kind: String {
        switch cell {
        case .rnn: "rnn"
        case .lstm: "lstm"
        case .gru: "gru"
        }
    }

    /// Weights of one direction for `inputFeatures` N: `(N + H) * G * H + P * H`.
    public func weightCount(inputFeatures: Int) -> Int {
        (inputFeatures + hiddenSize) * gates * hiddenSize + peepholes * hiddenSize
    }

    /// Biases of one direction: `2 * G * H` with a bias, else 0.
    public var biasCount: Int { hasBias ? 2 * gates * hiddenSize : 0 }

    /// The output shape for the sequence `input` (and initial states `1 x 1 x (D * H)`, if
    /// given: `h_0`, then an LSTM's `c_0`), after checking every parameter.
    public func outputShape(inputs: [FeatureShape], node: String) throws(CompilerError) -> FeatureShape {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: node, message) }
        guard hiddenSize > 0 else { throw fail("hidden size must be positive, got \(hiddenSize)") }
        if case .rnn(let activation) = cell, activation != .tanh, activation != .relu {
            throw fail("a simple RNN uses tanh or relu, not \(activation)")
        }
        let states = hasCellState ? 2 : 1
        guard (1...(1 + states)).contains(inputs.count) else {
            throw fail("takes a sequence and optionally " + (hasCellState ? "initial hidden and cell states" : "an initial state")
                       + ", got \(inputs.count) inputs")
        }
        let sequence = inputs[0]
        guard sequence.height == 1 else { throw fail("input must be a sequence 1 x T x N, got \(sequence)") }
        let width = directions * hiddenSize
        let initial = FeatureShape(height: 1, width: 1, channels: width)
        for (index, name) in [(1, "initial state"), (2, "initial cell state")] where index < inputs.count {
            guard inputs[index] == initial else { throw fail("\(name) must be \(initial), got \(inputs[index])") }
        }
        return FeatureShape(height: 1, width: returnSequences ? sequence.width : 1, channels: width)
    }

    /// Useful multiply-accumulates over the sequence `1 x T x N`: `T * D * G * H * (N + H)`.
    public func macs(input: FeatureShape) -> Int {
        input.width * directions * gates * hiddenSize * (input.channels + hiddenSize)
    }
}

/// An embedding lookup (PyTorch `nn.Embedding`): token ids `1 x T x 1` (integers in
/// `0..<vocabulary`) to their rows of a `[vocabulary][dimension]` table, `1 x T x dimension`.
/// The lookup's addresses depend on the data, which the ISA's DMAs cannot express, so it runs on
/// the host, which writes the vectors into device DRAM.
public struct Embedding: Equatable, Hashable, Sendable {
    public var vocabulary: Int
    public var dimension: Int

    public init(vocabulary: Int, dimension: Int) {
        self.vocabulary = vocabulary
        self.dimension = dimension
    }
}
