import Foundation
@testable import ONNX

/// ONNX's LSTM, GRU and RNN for batch 1, straight from the operators' formulas (onnx.ai) in
/// ONNX's layouts and gate orders (LSTM i, o, f, c; GRU z, r, h), in Double: independent of the
/// importer's reordering into our layout, and checked against onnxruntime on the fixtures
/// (`ImportRecurrentTests.referenceMatchesOnnxruntime`). `input_forget` couples as onnxruntime
/// does (`f = 1 - i`).
struct ONNXRecurrentReference {
    var op: String
    var hidden: Int
    var directions = 1
    /// `W [D, G*H, N]`, `R [D, G*H, H]`, `B [D, 2*G*H]`, `P [D, 3*H]`, row-major.
    var w: [Float], r: [Float], b: [Float]? = nil, p: [Float]? = nil
    /// `[D, 1, H]`.
    var initialH: [Float]? = nil, initialC: [Float]? = nil
    var linearBeforeReset = false, inputForget = false, relu = false

    var gates: Int { op == "LSTM" ? 4 : op == "GRU" ? 3 : 1 }

    /// `Y [T][D][H]` and `Y_h [D][H]` for the sequence `x [T][N]`.
    func run(_ x: [Float], steps: Int) -> (y: [Float], final: [Float]) {
        let (n, h, g) = (x.count / steps, hidden, gates)
        var y = [Float](repeating: 0, count: steps * directions * h), final = [Float](repeating: 0, count: directions * h)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        for d in 0..<directions {
            var state = (0..<h).map { Double(initialH?[d * h + $0] ?? 0) }
            var cell = (0..<h).map { Double(initialC?[d * h + $0] ?? 0) }
            for t in d == 0 ? Array(0..<steps) : Array((0..<steps).reversed()) {
                // Row `gate * H + j` of W[d] times x_t, of R[d] times v; the biases Wb, Rb; P's vector.
                func wx(_ gate: Int, _ j: Int) -> Double {
                    (0..<n).reduce(0) { $0 + Double(w[((d * g + gate) * h + j) * n + $1]) * Double(x[t * n + $1]) }
                }
                func rv(_ gate: Int, _ j: Int, _ v: [Double]) -> Double {
                    (0..<h).reduce(0) { $0 + Double(r[((d * g + gate) * h + j) * h + $1]) * v[$1] }
                }
                func wb(_ gate: Int, _ j: Int) -> Double { b.map { Double($0[(2 * d * g + gate) * h + j]) } ?? 0 }
                func rb(_ gate: Int, _ j: Int) -> Double { b.map { Double($0[(2 * d * g + g + gate) * h + j]) } ?? 0 }
                func peephole(_ gate: Int, _ j: Int) -> Double { p.map { Double($0[(d * 3 + gate) * h + j]) } ?? 0 }
                func z(_ gate: Int, _ j: Int) -> Double { wx(gate, j) + rv(gate, j, state) + wb(gate, j) + rb(gate, j) }
                var next = state
                switch op {
                case "LSTM":
                    for j in 0..<h {
                        let i = sigmoid(z(0, j) + peephole(0, j) * cell[j])
                        let f = inputForget ? 1 - i : sigmoid(z(2, j) + peephole(2, j) * cell[j])
                        cell[j] = f * cell[j] + i * tanh(z(3, j))
                        next[j] = sigmoid(z(1, j) + peephole(1, j) * cell[j]) * tanh(cell[j])
                    }
                case "GRU":
                    let update = (0..<h).map { sigmoid(z(0, $0)) }, reset = (0..<h).map { sigmoid(z(1, $0)) }
                    let resetState = (0..<h).map { reset[$0] * state[$0] }
                    for j in 0..<h {
                        let candidate = linearBeforeReset ? tanh(wx(2, j) + wb(2, j) + reset[j] * (rv(2, j, state) + rb(2, j)))
                                                          : tanh(wx(2, j) + wb(2, j) + rv(2, j, resetState) + rb(2, j))
                        next[j] = (1 - update[j]) * candidate + update[j] * state[j]
                    }
                default:
                    for j in 0..<h { next[j] = relu ? max(z(0, j), 0) : tanh(z(0, j)) }
                }
                state = next
                for j in 0..<h { y[(t * directions + d) * h + j] = Float(state[j]) }
            }
            for j in 0..<h { final[d * h + j] = Float(state[j]) }
        }
        return (y, final)
    }

    /// The reference of a recurrent `node` whose inputs are the initializers `constants`.
    init(_ node: ONNXNode, constants: [String: ONNXTensor]) throws {
        func input(_ index: Int) throws -> [Float]? {
            guard index < node.inputs.count, let tensor = constants[node.inputs[index]] else { return nil }
            return try tensor.floatValues()
        }
        func int(_ name: String) -> Int64 { if case .int(let value)? = node.attribute(name)?.value { value } else { 0 } }
        struct Missing: Error {}
        guard node.inputs.count > 2, let r = constants[node.inputs[2]], constants[node.inputs[1]] != nil else { throw Missing() }
        op = node.opType
        hidden = r.dims[2]
        if case .string("bidirectional")? = node.attribute("direction")?.value { directions = 2 }
        w = try input(1)!
        self.r = try r.floatValues()
        b = try input(3)
        initialH = try input(5)
        initialC = try input(6)
        p = try input(7)
        linearBeforeReset = int("linear_before_reset") != 0
        inputForget = int("input_forget") != 0
        if case .strings(let names)? = node.attribute("activations")?.value { relu = names.first == "Relu" }
    }

    init(op: String, hidden: Int, directions: Int = 1, w: [Float], r: [Float], b: [Float]? = nil) {
        self.op = op
        self.hidden = hidden
        self.directions = directions
        self.w = w
        self.r = r
        self.b = b
    }
}
