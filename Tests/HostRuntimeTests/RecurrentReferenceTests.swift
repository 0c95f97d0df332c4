import Compiler
import Foundation
import Testing
@testable import HostRuntime

/// One direction of a recurrent layer in Double, written apart from the reference: every gate of
/// every unit its own dot products over the matrix columns, the gates named as in `Recurrent`'s
/// formulas. Forward in time only (a test reverses the sequence for the reverse direction).
struct NaiveRecurrentDirection {
    let cell: Recurrent.Cell
    let features: Int, hidden: Int
    let gateNames: [String], peepholeNames: [String]
    let wx: [Double], wh: [Double], peepholes: [Double], bx: [Double], bh: [Double]

    init(_ recurrent: Recurrent, features: Int, parameters: LayerParameters, direction: Int) {
        cell = recurrent.cell
        self.features = features
        hidden = recurrent.hiddenSize
        switch recurrent.cell {
        case .rnn: (gateNames, peepholeNames) = (["h"], [])
        case .lstm(let peephole, let coupled):
            gateNames = coupled ? ["f", "g", "o"] : ["i", "f", "g", "o"]
            peepholeNames = !peephole ? [] : coupled ? ["f", "o"] : ["i", "f", "o"]
        case .gru: (gateNames, peepholeNames) = (["r", "z", "n"], [])
        }
        let columns = gateNames.count * hidden
        let weights = parameters.weights.map(Double.init).dropFirst(direction * recurrent.weightCount(inputFeatures: features))
        wx = Array(weights.prefix(features * columns))
        wh = Array(weights.dropFirst(features * columns).prefix(hidden * columns))
        peepholes = Array(weights.dropFirst((features + hidden) * columns).prefix(recurrent.peepholes * hidden))
        let bias = parameters.bias.map { $0.map(Double.init).dropFirst(direction * recurrent.biasCount) }
        bx = bias.map { Array($0.prefix(columns)) } ?? Array(repeating: 0, count: columns)
        bh = bias.map { Array($0.dropFirst(columns).prefix(columns)) } ?? Array(repeating: 0, count: columns)
    }

    /// `Wx_gate x + bx_gate` and `Wh_gate h + bh_gate` of one unit.
    func gate(_ name: String, unit: Int, x: [Double], h: [Double]) -> (input: Double, hidden: Double) {
        let column = gateNames.firstIndex(of: name)! * hidden + unit, columns = gateNames.count * hidden
        var fromInput = bx[column], fromHidden = bh[column]
        for k in 0..<features { fromInput += x[k] * wx[k * columns + column] }
        for m in 0..<hidden { fromHidden += h[m] * wh[m * columns + column] }
        return (fromInput, fromHidden)
    }

    func peephole(_ name: String, unit: Int) -> Double {
        peepholeNames.firstIndex(of: name).map { peepholes[$0 * hidden + unit] } ?? 0
    }

    /// The hidden state after each step of `sequence` (one vector per step), from `initial` (h)
    /// and `initialCell` (an LSTM's c), else 0.
    func run(_ sequence: [[Double]], initial: [Double]? = nil, initialCell: [Double]? = nil) -> [[Double]] {
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        func pre(_ name: String, _ j: Int, _ x: [Double], _ h: [Double]) -> Double {
            let (input, hidden) = gate(name, unit: j, x: x, h: h)
            return input + hidden
        }
        var h = initial ?? Array(repeating: 0, count: hidden), c = initialCell ?? Array(repeating: 0.0, count: hidden)
        var states: [[Double]] = []
        for x in sequence {
            var next = h
            for j in 0..<hidden {
                switch cell {
                case .rnn(let activation):
                    let v = pre("h", j, x, h)
                    next[j] = activation == .tanh ? Foundation.tanh(v) : max(v, 0)
                case .lstm(_, let coupled):
                    let f = sigmoid(pre("f", j, x, h) + peephole("f", unit: j) * c[j])
                    let i = coupled ? 1 - f : sigmoid(pre("i", j, x, h) + peephole("i", unit: j) * c[j])
                    let g = Foundation.tanh(pre("g", j, x, h))
                    c[j] = f * c[j] + i * g
                    let o = sigmoid(pre("o", j, x, h) + peephole("o", unit: j) * c[j])
                    next[j] = o * Foundation.tanh(c[j])
                case .gru(let resetBeforeMatmul):
                    let r = sigmoid(pre("r", j, x, h)), z = sigmoid(pre("z", j, x, h))
                    let n: Double
                    if resetBeforeMatmul {
                        // Every unit's reset gate scales its state before n's dot product.
                        let resetState = (0..<hidden).map { m in sigmoid(pre("r", m, x, h)) * h[m] }
                        let (input, product) = gate("n", unit: j, x: x, h: resetState)
                        n = Foundation.tanh(input + product)
                    } else {
                        let (input, hidden) = gate("n", unit: j, x: x, h: h)
                        n = Foundation.tanh(input + r * hidden)
                    }
                    next[j] = (1 - z) * n + z * h[j]
                }
            }
            h = next
            states.append(h)
        }
        return states
    }
}

struct RecurrentReferenceTests {
    /// A one-node graph `y` on the sequence `x` (`1 x steps x features`) and, with `initial`, the
    /// state input `h0` (and with `cell` too, `c0`); returns the node's analysed info.
    func info(_ op: Graph.Op, steps: Int, features: Int, initial: Int? = nil, cell: Bool = false) throws -> Graph.NodeInfo {
        var inputs = [Graph.Input(name: "x", shape: FeatureShape(height: 1, width: steps, channels: features))]
        if let initial { inputs.append(Graph.Input(name: "h0", shape: FeatureShape(height: 1, width: 1, channels: initial))) }
        if let initial, cell { inputs.append(Graph.Input(name: "c0", shape: FeatureShape(height: 1, width: 1, channels: initial))) }
        let graph = Graph(name: "one", inputs: inputs, nodes: [Graph.Node(name: "y", op: op, inputs: inputs.map(\.name))], outputs: ["y"])
        return try #require(try graph.analyze().info(of: "y"))
    }

    /// `count` vectors of `features` values each, split out of the flat HWC sequence.
    func vectors(_ sequence: [Float], features: Int) -> [[Double]] {
        stride(from: 0, to: sequence.count, by: features).map { sequence[$0..<($0 + features)].map(Double.init) }
    }

    func close(_ a: [Float], _ b: [Double], tolerance: Double = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    @Test(arguments: [Activation.tanh, .relu])
    func simpleRNNByHand(_ activation: Activation) throws {
        let recurrent = Recurrent(cell: .rnn(activation), hiddenSize: 1)
        let node = try info(.recurrent(recurrent), steps: 2, features: 1)
        // Wx = 0.5, Wh = -0.8, bx = 0.1, bh = 0.2; x = 1, 2.
        let parameters = LayerParameters(weights: [0.5, -0.8], bias: [0.1, 0.2])
        let output = try FloatGraphReference.node(node, inputs: [[1, 2]], parameters: parameters)
        let f: (Double) -> Double = activation == .tanh ? { Foundation.tanh($0) } : { max($0, 0) }
        let h1 = f(0.5 * 1 + 0.1 + 0.2)
        let h2 = f(0.5 * 2 + 0.1 - 0.8 * h1 + 0.2)
        #expect(close(output, [h1, h2], tolerance: 1e-6))
    }

    /// ONNX's default GRU (`resetBeforeMatmul`) by hand, H = 1, N = 1, two steps from h_0 = 0.5:
    /// `n = tanh(Wx_n x + bx_n + Wh_n (r * h) + bh_n)`, where PyTorch's form has
    /// `r * (Wh_n h + bh_n)`; the two differ by `(1 - r) * bh_n` inside the tanh.
    @Test func resetBeforeMatmulGRUByHand() throws {
        let recurrent = Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: 1)
        let node = try info(.recurrent(recurrent), steps: 2, features: 1, initial: 1)
        // Gates r, z, n: Wx = (0.5, -0.3, 0.8), Wh = (0.7, 0.2, -0.6), bx = (0.1, 0.2, -0.1), bh = (-0.2, 0.3, 0.4).
        let parameters = LayerParameters(weights: [0.5, -0.3, 0.8, 0.7, 0.2, -0.6], bias: [0.1, 0.2, -0.1, -0.2, 0.3, 0.4])
        let output = try FloatGraphReference.node(node, inputs: [[1, -2], [0.5]], parameters: parameters)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        func step(_ x: Double, _ h: Double) -> Double {
            let r = sigmoid(0.5 * x + 0.1 + 0.7 * h - 0.2), z = sigmoid(-0.3 * x + 0.2 + 0.2 * h + 0.3)
            let n = Foundation.tanh(0.8 * x - 0.1 + -0.6 * (r * h) + 0.4)
            return (1 - z) * n + z * h
        }
        let h1 = step(1, 0.5), h2 = step(-2, h1)
        #expect(close(output, [h1, h2], tolerance: 1e-6), "\(output) against \([h1, h2])")
        // PyTorch's form on the same parameters differs (so a swapped formula fails above).
        var pytorch = recurrent
        pytorch.cell = .gru
        let other = try FloatGraphReference.node(try info(.recurrent(pytorch), steps: 2, features: 1, initial: 1), inputs: [[1, -2], [0.5]],
                                                 parameters: parameters)
        #expect(zip(other, output).allSatisfy { abs($0 - $1) > 1e-3 }, "\(other) against \(output)")
    }

    static let cells: [Recurrent] = [
        .lstm(hiddenSize: 2),
        Recurrent(cell: .lstm(peephole: true, coupled: false), hiddenSize: 2),
        Recurrent(cell: .lstm(peephole: false, coupled: true), hiddenSize: 2),
        Recurrent(cell: .lstm(peephole: true, coupled: true), hiddenSize: 2),
        Recurrent(cell: .gru, hiddenSize: 2),
        Recurrent(cell: .gru, hiddenSize: 2, hasBias: false),
        Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: 3),
        Recurrent(cell: .rnn(.relu), hiddenSize: 2),
    ]

    @Test(arguments: cells)
    func cellMatchesNaiveFormulas(_ recurrent: Recurrent) throws {
        let node = try info(.recurrent(recurrent), steps: 3, features: 3)
        // Larger than the seeded ±1/sqrt(2), so that gates saturate differently per unit.
        let parameters = FloatGraphReference.hostParameters(for: node)
        let scaled = LayerParameters(weights: parameters.weights.map { 2 * $0 }, bias: parameters.bias)
        let sequence = FloatData.random(count: 9, range: -2...2, seed: 3)
        let output = try FloatGraphReference.node(node, inputs: [sequence], parameters: scaled)
        let naive = NaiveRecurrentDirection(recurrent, features: 3, parameters: scaled, direction: 0)
        #expect(close(output, naive.run(vectors(sequence, features: 3)).flatMap { $0 }))
        // The seeded parameters are the default.
        #expect(try FloatGraphReference.node(node, inputs: [sequence]) == FloatGraphReference.node(node, inputs: [sequence], parameters: parameters))
    }

    @Test(arguments: [Recurrent.Cell.lstm(peephole: true, coupled: false), .gru, .gru(resetBeforeMatmul: true)])
    func bidirectionalLayouts(_ cell: Recurrent.Cell) throws {
        let (steps, hidden) = (4, 2)
        let many = Recurrent(cell: cell, hiddenSize: hidden, bidirectional: true, returnSequences: true)
        var one = many
        one.returnSequences = false
        let manyInfo = try info(.recurrent(many), steps: steps, features: 3), oneInfo = try info(.recurrent(one), steps: steps, features: 3)
        #expect(manyInfo.outputShape == FeatureShape(height: 1, width: steps, channels: 2 * hidden))
        #expect(oneInfo.outputShape == FeatureShape(height: 1, width: 1, channels: 2 * hidden))
        let parameters = FloatGraphReference.hostParameters(for: manyInfo)
        let sequence = FloatData.random(count: steps * 3, seed: 4)
        let sequences = try FloatGraphReference.node(manyInfo, inputs: [sequence], parameters: parameters)
        let final = try FloatGraphReference.node(oneInfo, inputs: [sequence], parameters: parameters)

        // The reverse direction is the forward cell with the reverse weights on the reversed sequence.
        let vectors = self.vectors(sequence, features: 3)
        let forward = NaiveRecurrentDirection(many, features: 3, parameters: parameters, direction: 0).run(vectors)
        let reverse = NaiveRecurrentDirection(many, features: 3, parameters: parameters, direction: 1).run(vectors.reversed())
        for t in 0..<steps {
            let pixel = Array(sequences[(t * 2 * hidden)..<((t + 1) * 2 * hidden)])
            #expect(close(pixel, forward[t] + reverse[steps - 1 - t]), "step \(t)")
        }
        // Many-to-one: the forward state after step T-1, the reverse state after step 0 (its last).
        #expect(close(final, forward[steps - 1] + reverse[steps - 1]))
        let last = (steps - 1) * 2 * hidden
        #expect(final == Array(sequences[last..<(last + hidden)]) + Array(sequences[hidden..<(2 * hidden)]))
    }

    @Test func initialStateStartsEachDirection() throws {
        let recurrent = Recurrent(cell: .lstm(peephole: false, coupled: false), hiddenSize: 2, bidirectional: true, returnSequences: false)
        let node = try info(.recurrent(recurrent), steps: 3, features: 3, initial: 4)
        let parameters = FloatGraphReference.hostParameters(for: node)
        let sequence = FloatData.random(count: 9, seed: 5), initial: [Float] = [0.5, -0.25, 0.75, -1]
        let output = try FloatGraphReference.node(node, inputs: [sequence, initial])
        let vectors = self.vectors(sequence, features: 3)
        let forward = NaiveRecurrentDirection(recurrent, features: 3, parameters: parameters, direction: 0)
            .run(vectors, initial: [0.5, -0.25])
        let reverse = NaiveRecurrentDirection(recurrent, features: 3, parameters: parameters, direction: 1)
            .run(vectors.reversed(), initial: [0.75, -1])
        #expect(close(output, forward[2] + reverse[2]))
        // A zero initial state is the default.
        let withoutState = try info(.recurrent(recurrent), steps: 3, features: 3)
        #expect(try FloatGraphReference.node(node, inputs: [sequence, [0, 0, 0, 0]])
            == FloatGraphReference.node(withoutState, inputs: [sequence], parameters: parameters))
    }

    /// An LSTM's third input is its initial cell state: each direction starts from its half.
    @Test func initialCellStateStartsEachDirection() throws {
        let recurrent = Recurrent(cell: .lstm(peephole: true, coupled: false), hiddenSize: 2, bidirectional: true, returnSequences: false)
        let node = try info(.recurrent(recurrent), steps: 3, features: 3, initial: 4, cell: true)
        let parameters = FloatGraphReference.hostParameters(for: node)
        let sequence = FloatData.random(count: 9, seed: 5), initial: [Float] = [0.5, -0.25, 0.75, -1], cell: [Float] = [1.5, -0.5, -2, 0.25]
        let output = try FloatGraphReference.node(node, inputs: [sequence, initial, cell])
        let vectors = self.vectors(sequence, features: 3)
        let forward = NaiveRecurrentDirection(recurrent, features: 3, parameters: parameters, direction: 0)
            .run(vectors, initial: [0.5, -0.25], initialCell: [1.5, -0.5])
        let reverse = NaiveRecurrentDirection(recurrent, features: 3, parameters: parameters, direction: 1)
            .run(vectors.reversed(), initial: [0.75, -1], initialCell: [-2, 0.25])
        #expect(close(output, forward[2] + reverse[2]))
        // A zero cell state is the default; only an LSTM takes one.
        let hiddenOnly = try info(.recurrent(recurrent), steps: 3, features: 3, initial: 4)
        #expect(try FloatGraphReference.node(node, inputs: [sequence, initial, [0, 0, 0, 0]])
            == FloatGraphReference.node(hiddenOnly, inputs: [sequence, initial], parameters: parameters))
        #expect(throws: CompilerError.self) {
            try self.info(.recurrent(Recurrent(cell: .gru, hiddenSize: 2, bidirectional: true)), steps: 3, features: 3, initial: 4, cell: true)
        }
    }

    @Test func seededParametersFollowPyTorchInitialization() throws {
        let recurrent = Recurrent(cell: .lstm(peephole: true, coupled: false), hiddenSize: 4, bidirectional: true)
        let node = try info(.recurrent(recurrent), steps: 2, features: 3)
        let parameters = FloatGraphReference.hostParameters(for: node)
        let bias = try #require(parameters.bias)
        #expect(parameters.weights.count == 2 * ((3 + 4) * 4 * 4 + 3 * 4))
        #expect(bias.count == 2 * 2 * 4 * 4)
        #expect((parameters.weights + bias).allSatisfy { abs($0) <= 0.5 })
        #expect(parameters.weights.prefix(bias.count) != bias[...])
        #expect(FloatGraphReference.hostParameters(for: node) == parameters)
        let table = FloatGraphReference.hostParameters(for: try info(.embedding(Embedding(vocabulary: 5, dimension: 3)), steps: 2, features: 1))
        #expect(table.weights.count == 15 && table.bias == nil && table.weights.allSatisfy { abs($0) <= 1 })
    }

    @Test func embeddingLooksUpRows() throws {
        let node = try info(.embedding(Embedding(vocabulary: 3, dimension: 2)), steps: 4, features: 1)
        let table = LayerParameters(weights: [1, 2, 10, 20, 100, 200])
        #expect(try FloatGraphReference.node(node, inputs: [[2, 0, 2, 1]], parameters: table) == [100, 200, 1, 2, 100, 200, 10, 20])
        let seeded = FloatGraphReference.hostParameters(for: node).weights
        #expect(try FloatGraphReference.node(node, inputs: [[1, 1, 0, 2]]) == Array(seeded[2..<4] + seeded[2..<4] + seeded[0..<2] + seeded[4..<6]))
    }

    @Test func embeddingRejectsBadIds() throws {
        let node = try info(.embedding(Embedding(vocabulary: 3, dimension: 2)), steps: 2, features: 1)
        #expect(throws: ReferenceError("node 'y'", "token id 3.0 at step 1 is not an integer in 0..<3")) {
            try FloatGraphReference.node(node, inputs: [[0, 3]])
        }
        for bad: Float in [-1, 1.5, .nan] {
            #expect(throws: ReferenceError.self) { try FloatGraphReference.node(node, inputs: [[bad, 0]]) }
        }
    }

    @Test func wrongParameterCountsAreReported() throws {
        let recurrent = Recurrent(cell: .gru, hiddenSize: 2, bidirectional: true)
        let node = try info(.recurrent(recurrent), steps: 2, features: 3)
        let good = FloatGraphReference.hostParameters(for: node)   // weights 2 x (3 + 2) * 6, bias 2 x 12
        let sequence = FloatData.random(count: 6, seed: 6)
        #expect(throws: ReferenceError("node 'y'", "weights have 59 values, expected 60 (2 x (Wx [3][6], Wh [2][6], peepholes [0][2]))")) {
            try FloatGraphReference.node(node, inputs: [sequence], parameters: LayerParameters(weights: Array(good.weights.dropLast()), bias: good.bias))
        }
        #expect(throws: ReferenceError("node 'y'", "needs a bias of 24 values (2 x (bx, bh) [6])")) {
            try FloatGraphReference.node(node, inputs: [sequence], parameters: LayerParameters(weights: good.weights))
        }
        var unbiased = recurrent
        unbiased.hasBias = false
        #expect(throws: ReferenceError("node 'y'", "takes no bias")) {
            try FloatGraphReference.node(try info(.recurrent(unbiased), steps: 2, features: 3), inputs: [sequence], parameters: good)
        }
    }

    @Test func graphRunChainsEmbeddingAndLSTM() throws {
        let graph = Graph(name: "tagger", inputs: [Graph.Input(name: "tokens", shape: FeatureShape(height: 1, width: 3, channels: 1), vocabulary: 4)],
                          nodes: [Graph.Node(name: "embed", op: .embedding(Embedding(vocabulary: 4, dimension: 3)), inputs: ["tokens"]),
                                  Graph.Node(name: "lstm", op: .recurrent(.lstm(hiddenSize: 2)), inputs: ["embed"])],
                          outputs: ["lstm"])
        let values = try FloatGraphReference.run(graph, parameters: [:], input: [3, 0, 3])
        let analysis = try graph.analyze()
        let embedded = try FloatGraphReference.node(try #require(analysis.info(of: "embed")), inputs: [[3, 0, 3]])
        #expect(values["embed"] == embedded)
        #expect(values["lstm"] == (try FloatGraphReference.node(try #require(analysis.info(of: "lstm")), inputs: [embedded])))
    }

    @Test func hiddenFiveHundredTwelveIsDeterministic() throws {
        let recurrent = Recurrent.lstm(hiddenSize: 512, returnSequences: false)
        let node = try info(.recurrent(recurrent), steps: 4, features: 512)
        let sequence = FloatData.random(count: 4 * 512, seed: 7)
        let parameters = FloatGraphReference.hostParameters(for: node)
        let first = try FloatGraphReference.node(node, inputs: [sequence], parameters: parameters)
        #expect(first.count == 512 && first.allSatisfy { $0.isFinite && abs($0) < 1 })
        #expect(try FloatGraphReference.node(node, inputs: [sequence], parameters: parameters) == first)
    }
}
