import Compiler

extension FloatGraphReference {
    /// A recurrent layer (`Recurrent`: its formulas, gate order, shapes and parameter layout) in
    /// fp32 on the sequence `inputs[0]` (`1 x T x N`, step t's vector at `t * N ..< (t + 1) * N`),
    /// the initial hidden state `inputs[1]` (`1 x 1 x (D * H)`), if given, and an LSTM's initial
    /// cell state `inputs[2]` (the same shape), if given; states not given start at 0. The
    /// reverse direction runs t = T-1 down to 0.
    ///
    /// Each step computes `a = Wx x + bx` and `b = Wh h + bh` for all `G * H` gate columns, every
    /// product sum from 0 in row order, the bias added last; a gate's pre-activation is `a + b`
    /// (the GRU's candidate `a_n + r * b_n`, or resetting before the matmul `a_n + b'_n` with
    /// `b' = Wh (r * h) + bh`). Every run gives the same bits.
    ///
    /// Throws a `ReferenceError` naming the node if the weights are not `D * weightCount(N)`
    /// values or the bias is not `D * biasCount` values (absent without `hasBias`).
    static func recurrent(_ recurrent: Recurrent, _ info: Graph.NodeInfo, inputs: [[Float]],
                          parameters: LayerParameters) throws(ReferenceError) -> [Float] {
        let features = info.inputShapes[0].channels, steps = info.inputShapes[0].width
        try checkRecurrentParameters(recurrent, info, features: features, parameters: parameters)
        let hidden = recurrent.hiddenSize, directions = recurrent.directions
        let weightsPerDirection = recurrent.weightCount(inputFeatures: features), biasesPerDirection = recurrent.biasCount
        var output = [Float](repeating: 0, count: info.outputShape.elementCount)
        for direction in 0..<directions {
            let units = (direction * hidden)..<((direction + 1) * hidden)
            let states = recurrentDirection(
                recurrent, features: features, sequence: inputs[0],
                weights: parameters.weights[(direction * weightsPerDirection)..<((direction + 1) * weightsPerDirection)],
                bias: parameters.bias?[(direction * biasesPerDirection)..<((direction + 1) * biasesPerDirection)],
                initial: inputs.count >= 2 ? Array(inputs[1][units]) : [Float](repeating: 0, count: hidden),
                initialCell: inputs.count >= 3 ? Array(inputs[2][units]) : [Float](repeating: 0, count: hidden),
                reverse: direction == 1)
            // Many-to-one keeps the state after the direction's last step: T-1 forward, 0 reverse.
            let kept = recurrent.returnSequences ? Array(0..<steps) : [direction == 0 ? steps - 1 : 0]
            for (pixel, step) in kept.enumerated() {
                let base = pixel * directions * hidden
                output[(base + units.lowerBound)..<(base + units.upperBound)] = states[(step * hidden)..<((step + 1) * hidden)]
            }
        }
        return output
    }

    static func checkRecurrentParameters(_ recurrent: Recurrent, _ info: Graph.NodeInfo, features: Int,
                                         parameters: LayerParameters) throws(ReferenceError) {
        let directions = recurrent.directions, hidden = recurrent.hiddenSize, columns = recurrent.gates * hidden
        let weights = directions * recurrent.weightCount(inputFeatures: features)
        guard parameters.weights.count == weights else {
            throw ReferenceError("node '\(info.node.name)'", "weights have \(parameters.weights.count) values, expected \(weights) "
                + "(\(directions) x (Wx [\(features)][\(columns)], Wh [\(hidden)][\(columns)], peepholes [\(recurrent.peepholes)][\(hidden)]))")
        }
        let bias = recurrent.hasBias ? directions * recurrent.biasCount : nil
        guard parameters.bias?.count == bias else {
            throw ReferenceError("node '\(info.node.name)'", bias.map { "needs a bias of \($0) values (\(directions) x (bx, bh) [\(columns)])" }
                ?? "takes no bias")
        }
    }

    /// One direction's hidden state after each time step, `[T][H]` by time step (not by the
    /// order the steps run in), from the states `initial` (h) and `initialCell` (an LSTM's c).
    /// `weights` and `bias` are the direction's parameters.
    static func recurrentDirection(_ recurrent: Recurrent, features: Int, sequence: [Float], weights: ArraySlice<Float>,
                                   bias: ArraySlice<Float>?, initial: [Float], initialCell: [Float], reverse: Bool) -> [Float] {
        let hidden = recurrent.hiddenSize, columns = recurrent.gates * hidden, steps = sequence.count / features
        let (inputWeights, stateWeights) = (features * columns, hidden * columns)
        let wx = weights.prefix(inputWeights), wh = weights.dropFirst(inputWeights).prefix(stateWeights)
        let peepholes = Array(weights.dropFirst(inputWeights + stateWeights))
        let bx = bias.map { Array($0.prefix(columns)) }, bh = bias.map { Array($0.dropFirst(columns)) }
        var states = [Float](repeating: 0, count: steps * hidden)
        var h = initial, c = initialCell
        for step in reverse ? Array((0..<steps).reversed()) : Array(0..<steps) {
            let a = affine(sequence[(step * features)..<((step + 1) * features)], wx, bx, columns: columns)
            cellStep(recurrent.cell, hidden: hidden, a: a, recurrent: { affine($0, wh, bh, columns: columns) }, peepholes: peepholes,
                     h: &h, c: &c)
            states.replaceSubrange((step * hidden)..<((step + 1) * hidden), with: h)
        }
        return states
    }

    /// `vector * matrix + bias` for the row-major `matrix [vector.count][columns]`: each row k
    /// scaled by `vector[k]` and added to the sum, k from 0 (contiguous rows, no strided
    /// columns), then the bias.
    static func affine(_ vector: ArraySlice<Float>, _ matrix: ArraySlice<Float>, _ bias: [Float]?, columns: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: columns)
        vector.withUnsafeBufferPointer { x in
            matrix.withUnsafeBufferPointer { m in
                sum.withUnsafeMutableBufferPointer { s in
                    for k in 0..<x.count {
                        let scale = x[k], row = k * columns
                        for j in 0..<columns { s[j] += scale * m[row + j] }
                    }
                }
            }
        }
        if let bias {
            for j in 0..<columns { sum[j] += bias[j] }
        }
        return sum
    }

    /// Updates the hidden state `h` (and an LSTM's cell state `c`) from the gate columns
    /// `a = Wx x + bx` and `b = recurrent(h) = Wh h + bh`, with `Recurrent`'s cell formulas (a GRU
    /// resetting before the matmul takes its candidate's columns of `recurrent(r * h)`).
    static func cellStep(_ cell: Recurrent.Cell, hidden: Int, a: [Float], recurrent: (ArraySlice<Float>) -> [Float],
                         peepholes: [Float], h: inout [Float], c: inout [Float]) {
        let b = recurrent(h[...])
        func z(_ gate: Int, _ unit: Int) -> Float { a[gate * hidden + unit] + b[gate * hidden + unit] }
        let sigmoid = Activation.sigmoid.apply
        switch cell {
        case .rnn(let activation):
            for j in 0..<hidden { h[j] = activation.apply(z(0, j)) }
        case .lstm(let peephole, let coupled):
            // Gates i, f, g, o (coupled: f, g, o); peepholes i, f, o (coupled: f, o).
            let (f, g, o) = coupled ? (0, 1, 2) : (1, 2, 3), (peepF, peepO) = coupled ? (0, 1) : (1, 2)
            func peep(_ index: Int, _ unit: Int, _ state: Float) -> Float {
                peephole ? peepholes[index * hidden + unit] * state : 0
            }
            for j in 0..<hidden {
                let forget = sigmoid(z(f, j) + peep(peepF, j, c[j]))
                let input = coupled ? 1 - forget : sigmoid(z(0, j) + peep(0, j, c[j]))
                let state = forget * c[j] + input * Activation.tanh.apply(z(g, j))
                let out = sigmoid(z(o, j) + peep(peepO, j, state))
                c[j] = state
                h[j] = out * Activation.tanh.apply(state)
            }
        case .gru(let resetBeforeMatmul):
            // Gates r, z, n.
            let reset = (0..<hidden).map { sigmoid(z(0, $0)) }
            // Resetting before the matmul: n's columns of `Wh (r * h) + bh` (r's and z's unused).
            let resetProduct = resetBeforeMatmul ? recurrent((0..<hidden).map { reset[$0] * h[$0] }[...]) : []
            for j in 0..<hidden {
                let update = sigmoid(z(1, j)), n = 2 * hidden + j
                let candidate = Activation.tanh.apply(resetBeforeMatmul ? a[n] + resetProduct[n] : a[n] + reset[j] * b[n])
                h[j] = (1 - update) * candidate + update * h[j]
            }
        }
    }

    /// The rows of the `[vocabulary][dimension]` table `weights` for the token ids `ids` (one per
    /// time step), `1 x T x dimension`.
    ///
    /// Throws a `ReferenceError` naming the node if the table is not `vocabulary * dimension`
    /// values or an id is not an integer in `0..<vocabulary`.
    static func embedding(_ embedding: Embedding, _ info: Graph.NodeInfo, ids: [Float],
                          parameters: LayerParameters) throws(ReferenceError) -> [Float] {
        let dimension = embedding.dimension, table = parameters.weights
        func fail(_ message: String) -> ReferenceError { ReferenceError("node '\(info.node.name)'", message) }
        guard table.count == embedding.vocabulary * dimension, parameters.bias == nil else {
            throw fail("needs a table of \(embedding.vocabulary * dimension) values ([\(embedding.vocabulary)][\(dimension)]) and no bias, "
                + "got \(table.count) values")
        }
        var output: [Float] = []
        output.reserveCapacity(ids.count * dimension)
        for (step, id) in ids.enumerated() {
            guard id >= 0, id < Float(embedding.vocabulary), id.rounded(.towardZero) == id else {
                throw fail("token id \(id) at step \(step) is not an integer in 0..<\(embedding.vocabulary)")
            }
            let row = Int(id) * dimension
            output.append(contentsOf: table[row..<(row + dimension)])
        }
        return output
    }
}
