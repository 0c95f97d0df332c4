import Compiler

/// What an ONNX LSTM, GRU or RNN node computes, from its attributes, and how its gate blocks
/// map onto ours (see `importRecurrent`).
struct RecurrentForm {
    var directions: Int
    /// 0: time-major `[T, 1, N]`; 1: batch-first `[1, T, N]`.
    var layout: Int
    var isLSTM: Bool
    /// ONNX's gate blocks: LSTM 4, GRU 3, RNN 1.
    var onnxGates: Int
    /// Our cell without peepholes.
    var cell: Recurrent.Cell
    /// Our gate blocks in order: the ONNX block each is, and its sign (-1: our coupled f gate).
    var gateSources: [(block: Int, sign: Float)]
    /// Our peephole vectors in order: the ONNX vector (P's i, o, f) each is, and its sign.
    var peepholeSources: [(block: Int, sign: Float)]

    init(_ context: NodeContext) throws(ImportError) {
        let direction = try context.string("direction", default: "forward")
        guard direction == "forward" || direction == "bidirectional" else {
            throw context.unsupported("direction '\(direction)'; only forward and bidirectional are supported (our recurrent layer "
                                        + "has no reverse-only form)")
        }
        directions = direction == "bidirectional" ? 2 : 1
        layout = try context.int("layout", default: 0)
        guard layout == 0 || layout == 1 else { throw context.invalid("layout \(layout) must be 0 or 1") }
        if let clip = try context.float("clip") { throw context.unsupported("clip \(clip); only unclipped gates are supported") }
        isLSTM = context.opType == "LSTM"
        switch context.opType {
        case "LSTM":
            onnxGates = 4
            try Self.checkActivations(context, ["Sigmoid", "Tanh", "Tanh"], directions: directions)
            switch try context.int("input_forget", default: 0) {
            case 0:
                cell = .lstm(peephole: false, coupled: false)
                gateSources = [(0, 1), (2, 1), (3, 1), (1, 1)]  // i, f, g (ONNX c), o
                peepholeSources = [(0, 1), (2, 1), (1, 1)]      // i, f, o
            default:
                cell = .lstm(peephole: false, coupled: true)
                gateSources = [(0, -1), (3, 1), (1, 1)]         // f = -i, g, o
                peepholeSources = [(0, -1), (1, 1)]             // f = -i, o
            }
        case "GRU":
            onnxGates = 3
            try Self.checkActivations(context, ["Sigmoid", "Tanh"], directions: directions)
            // linear_before_reset 0 (the default): `R_h (r * h)`; 1 (PyTorch's): `r * (R_h h + Rb_h)`.
            cell = .gru(resetBeforeMatmul: try context.int("linear_before_reset", default: 0) == 0)
            gateSources = [(1, 1), (0, 1), (2, 1)]  // r, z, n (ONNX h)
            peepholeSources = []
        default:
            onnxGates = 1
            let activation = try Self.checkActivations(context, ["Tanh"], directions: directions, alternative: "Relu")
            cell = .rnn(activation == "Relu" ? .relu : .tanh)
            gateSources = [(0, 1)]
            peepholeSources = []
        }
    }

    /// The shape of `initial_h`, `initial_c`, `Y_h`: `[D, 1, H]`, batch-first `[1, D, H]`.
    func stateDims(_ hidden: Int) -> [Int] { layout == 0 ? [directions, 1, hidden] : [1, directions, hidden] }

    func cell(peephole: Bool) -> Recurrent.Cell {
        if case .lstm(_, let coupled) = cell { return .lstm(peephole: peephole, coupled: coupled) }
        return cell
    }

    /// Checks the `activations` attribute: absent, or `defaults` (or, for the RNN, the one
    /// `alternative`) once or once per direction, the same for every direction. Returns the
    /// first (the RNN's activation). Names are compared ignoring case.
    @discardableResult
    static func checkActivations(_ context: NodeContext, _ defaults: [String], directions: Int,
                                 alternative: String? = nil) throws(ImportError) -> String {
        guard let given = try context.strings("activations") else { return defaults[0] }
        let choices = [defaults] + (alternative.map { [[$0]] } ?? [])
        let blocks = given.count % defaults.count == 0 ? given.count / defaults.count : 0
        let canonical = choices.first { choice in
            (blocks == 1 || blocks == directions) && given.enumerated().allSatisfy {
                $0.element.lowercased() == choice[$0.offset % choice.count].lowercased()
            }
        }
        guard let canonical else {
            let supported = choices.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " or ")
            throw context.unsupported("activations [\(given.joined(separator: ", "))]; only \(supported) (for every direction) "
                                        + "are supported")
        }
        return canonical[0]
    }

    /// Our parameters (`Recurrent`'s layout) from ONNX's W, R, B (optional) and P (optional):
    /// per direction, `Wx [N][G*H]` (our column `g*H + j` is row `block(g)*H + j` of `W[d]`),
    /// `Wh [H][G*H]` likewise from `R[d]`, the peepholes, and `bx`, `bh` from `B[d]`'s halves.
    func parameters(w: [Float], r: [Float], b: [Float]?, p: [Float]?, features: Int, hidden: Int) -> LayerParameters {
        var weights: [Float] = [], bias: [Float] = []
        for direction in 0..<directions {
            for (matrix, columns) in [(w, features), (r, hidden)] {
                for k in 0..<columns {
                    for (block, sign) in gateSources {
                        for j in 0..<hidden { weights.append(sign * matrix[((direction * onnxGates + block) * hidden + j) * columns + k]) }
                    }
                }
            }
            if let p {
                for (block, sign) in peepholeSources {
                    for j in 0..<hidden { weights.append(sign * p[(direction * 3 + block) * hidden + j]) }
                }
            }
            if let b {
                for half in 0..<2 {
                    for (block, sign) in gateSources {
                        for j in 0..<hidden { bias.append(sign * b[((direction * 2 + half) * onnxGates + block) * hidden + j]) }
                    }
                }
            }
        }
        return LayerParameters(weights: weights, bias: b == nil ? nil : bias)
    }
}
