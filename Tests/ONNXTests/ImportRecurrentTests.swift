import Compiler
import Foundation
import HostRuntime
import Testing
@testable import ONNX

/// LSTM, GRU and RNN (`ImportRecurrent.swift`) in the forms the fixtures do not show: what
/// PyTorch exports around them (Squeeze and a linear head; Transposes and a Reshape for a
/// bidirectional or batch-first layer), final states, initial states (an LSTM's cell state too),
/// peepholes, the coupled gate, ONNX's default GRU, and the forms the importer rejects. Outputs are checked against `ONNXRecurrentReference`
/// (ONNX's formulas, itself checked against onnxruntime on every recurrent fixture here).
struct ImportRecurrentTests {
    typealias M = ImportTestModels

    static let (steps, features, hidden) = (6, 4, 5)

    /// Seeded values in [-scale, scale].
    static func values(_ count: Int, seed: Int, scale: Float = 0.5) -> [Float] {
        (0..<count).map { Float(sin(Double($0 * 12 + seed) * 0.77 + Double(seed))) * scale }
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        a.count == b.count ? zip(a, b).map { abs($0 - $1) }.max() ?? 0 : .infinity
    }

    /// The fp32 graph reference of `model` on `inputs` (ONNX order, one per model input), output `index` in ONNX order.
    static func reference(_ model: ImportedModel, _ inputs: [[Float]], output index: Int = 0) throws -> [Float] {
        var feed: [String: [Float]] = [:]
        for (tensor, values) in zip(model.inputs, inputs) { feed[tensor.graphName] = tensor.toGraphOrder(values) }
        let values = try FloatGraphReference.run(model.graph, parameters: model.parameters, inputs: feed)
        let output = model.outputs[index]
        return output.toONNXOrder(try #require(values[output.graphName]))
    }

    /// Runs `model` on the device in int8 on `inputs`, verifying against the integer reference.
    static func runsBitExact(_ model: ImportedModel, _ inputs: [[Float]]) throws -> Bool {
        var feed: [String: [[Float]]] = [:]
        for (tensor, values) in zip(model.inputs, inputs) { feed[tensor.graphName] = [tensor.toGraphOrder(values)] }
        let report = try NetworkRun.run(model.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                   parameters: model.parameters, inputs: feed))
        return report.verification == .bitExact
    }

    /// `W`, `R` and `B` of a layer with `gates` gates and `directions` directions, seeded.
    static func weights(_ gates: Int, directions: Int = 1) -> (w: [Float], r: [Float], b: [Float], tensors: [ONNXTensor]) {
        let (n, h, d) = (features, hidden, directions)
        let w = values(d * gates * h * n, seed: 1), r = values(d * gates * h * h, seed: 2), b = values(d * 2 * gates * h, seed: 3, scale: 0.2)
        return (w, r, b, [M.floats("W", [d, gates * h, n], w), M.floats("R", [d, gates * h, h], r), M.floats("B", [d, 2 * gates * h], b)])
    }

    static let recurrentFixtures = [
        "lstm_forward", "lstm_forward_initial", "lstm_bidirectional", "lstm_bidirectional_initial",
        "gru_forward", "gru_forward_initial", "gru_bidirectional", "gru_bidirectional_initial", "gru_linear_before_reset",
        "rnn_forward", "rnn_forward_initial", "rnn_bidirectional", "rnn_bidirectional_initial",
    ]

    /// The test reference computes onnxruntime's outputs, also for the forms the importer rejects.
    @Test(arguments: recurrentFixtures)
    func referenceMatchesOnnxruntime(_ name: String) throws {
        let fixture = try ImportFixtureTests.fixture(name), directory = ImportFixtureTests.directory
        let model = try ONNXModel.load(contentsOf: directory.appendingPathComponent(fixture.file))
        let node = try #require(model.graph.nodes.first)
        let constants = Dictionary(model.graph.initializers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let x = try NumpyArray(contentsOf: directory.appendingPathComponent(fixture.input))
        let expected = try NumpyArray(contentsOf: directory.appendingPathComponent(fixture.output)).floats
        let computed = try ONNXRecurrentReference(node, constants: constants).run(x.floats, steps: x.shape[0]).y
        #expect(Self.maxDifference(computed, expected) < 1e-5)
    }

    /// `nn.LSTM` then `nn.Linear` on its output: LSTM -> Squeeze(1) -> MatMul -> Add, a
    /// recurrent node and two 1x1 convolutions over the steps.
    @Test func lstmWithALinearHeadAsPyTorchExportsIt() throws {
        let (t, n, h, m) = (Self.steps, Self.features, Self.hidden, 3)
        let (w, r, b, tensors) = Self.weights(4)
        let head = Self.values(h * m, seed: 4), bias: [Float] = [0.25, -0.5, 0.125]
        let nodes = [
            M.node("LSTM", ["x", "W", "R", "B"], ["y", "y_h", "y_c"], name: "lstm", ["hidden_size": .int(Int64(h))]),
            M.node("Squeeze", ["y", "axes"], ["s"], name: "squeeze"),
            M.node("MatMul", ["s", "head"], ["m"], name: "linear"),
            M.node("Add", ["m", "bias"], ["out"], name: "linear_bias"),
        ]
        let model = try M.imported(nodes: nodes, initializers: tensors + [M.ints("axes", [1]), M.floats("head", [h, m], head),
                                                                         M.floats("bias", [m], bias)],
                                   inputs: [M.value("x", [Int64(t), 1, Int64(n)])], outputs: [M.output("out")])
        #expect(model.inputs[0].shape == FeatureShape(height: 1, width: t, channels: n))
        #expect(model.outputs[0].onnxShape == [t, 1, m])
        #expect(model.outputs[0].shape == FeatureShape(height: 1, width: t, channels: m))
        #expect(model.graph.nodes.map(\.op.kind) == ["lstm", "conv", "conv"])
        #expect(model.graph.nodes[0].op == .recurrent(.lstm(hiddenSize: h)))

        let x = Self.values(t * n, seed: 5, scale: 1)
        let states = ONNXRecurrentReference(op: "LSTM", hidden: h, w: w, r: r, b: b).run(x, steps: t).y
        let expected = (0..<t).flatMap { step in
            (0..<m).map { k in (0..<h).reduce(bias[k]) { $0 + states[step * h + $1] * head[$1 * m + k] } }
        }
        #expect(Self.maxDifference(try Self.reference(model, [x]), expected) < 1e-5)
        #expect(try Self.runsBitExact(model, [x]))
    }

    /// A batch-first bidirectional `nn.GRU`: Transpose [1, 0, 2] -> GRU -> Transpose [0, 2, 1, 3]
    /// -> Reshape [0, 0, -1] -> Transpose [1, 0, 2]. With batch 1 no transpose moves an element:
    /// one recurrent node, its output `[1, T, 2H]`.
    @Test func bidirectionalGRUTransposedAndReshapedAsPyTorchExportsIt() throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(3, directions: 2)
        let nodes = [
            M.node("Transpose", ["x"], ["xt"], name: "to_time_major", ["perm": .ints([1, 0, 2])]),
            M.node("GRU", ["xt", "W", "R", "B"], ["y", "y_h"], name: "gru",
                   ["hidden_size": .int(Int64(h)), "direction": .string("bidirectional"), "linear_before_reset": .int(1)]),
            M.node("Transpose", ["y"], ["yt"], name: "directions_last", ["perm": .ints([0, 2, 1, 3])]),
            M.node("Reshape", ["yt", "shape"], ["ys"], name: "merge_directions"),
            M.node("Transpose", ["ys"], ["out"], name: "to_batch_first", ["perm": .ints([1, 0, 2])]),
        ]
        let model = try M.imported(nodes: nodes, initializers: tensors + [M.ints("shape", [0, 0, -1])],
                                   inputs: [M.value("x", [1, Int64(t), Int64(n)])], outputs: [M.output("out")])
        #expect(model.outputs[0].onnxShape == [1, t, 2 * h])
        #expect(model.outputs[0].shape == FeatureShape(height: 1, width: t, channels: 2 * h))
        #expect(model.graph.nodes.map(\.name) == ["gru"])
        #expect(model.graph.nodes[0].op == .recurrent(Recurrent(cell: .gru, hiddenSize: h, bidirectional: true)))

        let x = Self.values(t * n, seed: 6, scale: 1)
        var onnx = ONNXRecurrentReference(op: "GRU", hidden: h, directions: 2, w: w, r: r, b: b)
        onnx.linearBeforeReset = true
        #expect(Self.maxDifference(try Self.reference(model, [x]), onnx.run(x, steps: t).y) < 1e-5)
        #expect(try Self.runsBitExact(model, [x]))
    }

    /// Only Y_h read: a many-to-one node. initial_h a graph input `[2, 1, H]` (our `1 x 2 x H`):
    /// reshaped to the state `1 x 1 x 2H` and copied. Y_h `[2, 1, H]` stays in ONNX row-major order.
    @Test func finalStatesFromAComputedInitialState() throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(4, directions: 2)
        let node = M.node("LSTM", ["x", "W", "R", "B", "", "h0"], ["", "y_h"], name: "lstm",
                          ["hidden_size": .int(Int64(h)), "direction": .string("bidirectional")])
        let model = try M.imported(nodes: [node], initializers: tensors,
                                   inputs: [M.value("x", [Int64(t), 1, Int64(n)]), M.value("h0", [2, 1, Int64(h)])],
                                   outputs: [M.output("y_h")])
        #expect(model.graph.nodes.map(\.name) == ["lstm/initial_h", "lstm/initial_h_copy", "lstm"])
        #expect(model.graph.nodes[2].op == .recurrent(.lstm(hiddenSize: h, bidirectional: true, returnSequences: false)))
        #expect(model.outputs == [ImportedTensor(onnxName: "y_h", onnxShape: [2, 1, h], graphName: "lstm",
                                                 shape: FeatureShape(height: 1, width: 1, channels: 2 * h), isRowMajor: true)])

        let x = Self.values(t * n, seed: 7, scale: 1), h0 = Self.values(2 * h, seed: 8, scale: 0.8)
        var onnx = ONNXRecurrentReference(op: "LSTM", hidden: h, directions: 2, w: w, r: r, b: b)
        onnx.initialH = h0
        #expect(Self.maxDifference(try Self.reference(model, [x, h0]), onnx.run(x, steps: t).final) < 1e-5)
        #expect(try Self.runsBitExact(model, [x, h0]))
    }

    /// Y and Y_h both read: two nodes, the sequence and the final state. A constant initial_h
    /// becomes `<node>/initial_h`, a zero-weight convolution whose bias is the state.
    @Test func sequenceAndFinalStateFromAConstantInitialState() throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(1)
        let h0 = Self.values(h, seed: 9, scale: 1.5)
        let node = M.node("RNN", ["x", "W", "R", "B", "", "h0"], ["y", "y_h"], name: "rnn",
                          ["hidden_size": .int(Int64(h)), "activations": .strings(["Relu"])])
        let model = try M.imported(nodes: [node], initializers: tensors + [M.floats("h0", [1, 1, h], h0)],
                                   inputs: [M.value("x", [Int64(t), 1, Int64(n)])], outputs: [M.output("y"), M.output("y_h")])
        #expect(model.graph.nodes.map(\.name) == ["rnn/initial_h", "rnn", "rnn/final"])
        #expect(model.graph.nodes.map(\.op.kind) == ["conv", "rnn", "rnn"])
        #expect(model.outputs.map(\.onnxShape) == [[t, 1, 1, h], [1, 1, h]])
        #expect(model.outputs.map(\.isRowMajor) == [true, true])

        let x = Self.values(t * n, seed: 10, scale: 1)
        var onnx = ONNXRecurrentReference(op: "RNN", hidden: h, w: w, r: r, b: b)
        (onnx.initialH, onnx.relu) = (h0, true)
        let expected = onnx.run(x, steps: t)
        #expect(Self.maxDifference(try Self.reference(model, [x], output: 0), expected.y) < 1e-5)
        #expect(Self.maxDifference(try Self.reference(model, [x], output: 1), expected.final) < 1e-5)
        #expect(try Self.runsBitExact(model, [x]))
    }

    /// A batch-first (layout 1) LSTM with peepholes, without and with input_forget (onnxruntime's
    /// `f = 1 - i`: our coupled cell with the i gate negated as f), then Reshape to `[1, T, H]`.
    @Test(arguments: [false, true])
    func peepholeLSTMBatchFirst(inputForget: Bool) throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(4)
        let p = Self.values(3 * h, seed: 11)
        let nodes = [
            M.node("LSTM", ["x", "W", "R", "B", "", "", "", "P"], ["y"], name: "lstm",
                   ["hidden_size": .int(Int64(h)), "layout": .int(1), "input_forget": .int(inputForget ? 1 : 0)]),
            M.node("Reshape", ["y", "shape"], ["out"], name: "reshape"),
        ]
        let model = try M.imported(nodes: nodes,
                                   initializers: tensors + [M.floats("P", [1, 3 * h], p), M.ints("shape", [1, Int64(t), Int64(h)])],
                                   inputs: [M.value("x", [1, Int64(t), Int64(n)])], outputs: [M.output("out")])
        #expect(model.graph.nodes.map(\.op) == [.recurrent(Recurrent(cell: .lstm(peephole: true, coupled: inputForget), hiddenSize: h))])
        #expect(model.outputs[0].onnxShape == [1, t, h])

        let x = Self.values(t * n, seed: 12, scale: 1)
        var onnx = ONNXRecurrentReference(op: "LSTM", hidden: h, w: w, r: r, b: b)
        (onnx.p, onnx.inputForget) = (p, inputForget)
        #expect(Self.maxDifference(try Self.reference(model, [x]), onnx.run(x, steps: t).y) < 1e-5)
        #expect(try Self.runsBitExact(model, [x]))
    }

    /// ONNX's default GRU (`linear_before_reset` absent: 0, `R_h (r * h)`), bidirectional, from a
    /// computed initial_h: our GRU resetting before the matmul.
    @Test func onnxDefaultGRUResetsBeforeTheMatmul() throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(3, directions: 2)
        let node = M.node("GRU", ["x", "W", "R", "B", "", "h0"], ["y"], name: "gru",
                          ["hidden_size": .int(Int64(h)), "direction": .string("bidirectional")])
        let model = try M.imported(nodes: [node], initializers: tensors,
                                   inputs: [M.value("x", [Int64(t), 1, Int64(n)]), M.value("h0", [2, 1, Int64(h)])], outputs: [M.output("y")])
        #expect(model.graph.nodes.map(\.name) == ["gru/initial_h", "gru/initial_h_copy", "gru"])
        #expect(model.graph.nodes[2].op == .recurrent(Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: h, bidirectional: true)))

        let x = Self.values(t * n, seed: 13, scale: 1), h0 = Self.values(2 * h, seed: 14, scale: 0.8)
        var onnx = ONNXRecurrentReference(op: "GRU", hidden: h, directions: 2, w: w, r: r, b: b)
        onnx.initialH = h0
        let expected = onnx.run(x, steps: t).y
        #expect(Self.maxDifference(try Self.reference(model, [x, h0]), expected) < 1e-5)
        // PyTorch's form (linear_before_reset 1) computes something else on the same weights.
        onnx.linearBeforeReset = true
        #expect(Self.maxDifference(onnx.run(x, steps: t).y, expected) > 1e-3)
        #expect(try Self.runsBitExact(model, [x, h0]))
    }

    /// An LSTM's initial_c: a non-zero constant is `<node>/initial_c` (a zero-weight convolution
    /// whose bias is the state), the node's third input, after a zero `<node>/initial_h` when
    /// initial_h is absent; a computed one is the graph tensor (reshaped and copied, as initial_h).
    @Test func lstmInitialCellStates() throws {
        let (t, n, h) = (Self.steps, Self.features, Self.hidden)
        let (w, r, b, tensors) = Self.weights(4)
        let c0 = Self.values(h, seed: 15, scale: 1.5)
        let constant = M.node("LSTM", ["x", "W", "R", "B", "", "", "c0"], ["y"], name: "lstm", ["hidden_size": .int(Int64(h))])
        let model = try M.imported(nodes: [constant], initializers: tensors + [M.floats("c0", [1, 1, h], c0)],
                                   inputs: [M.value("x", [Int64(t), 1, Int64(n)])], outputs: [M.output("y")])
        #expect(model.graph.nodes.map(\.name) == ["lstm/initial_h", "lstm/initial_c", "lstm"])
        #expect(model.graph.nodes[2].inputs == [model.inputs[0].graphName, "lstm/initial_h", "lstm/initial_c"])
        #expect(model.parameters["lstm/initial_h"]?.bias == [Float](repeating: 0, count: h))
        let x = Self.values(t * n, seed: 16, scale: 1)
        var onnx = ONNXRecurrentReference(op: "LSTM", hidden: h, w: w, r: r, b: b)
        onnx.initialC = c0
        #expect(Self.maxDifference(try Self.reference(model, [x]), onnx.run(x, steps: t).y) < 1e-5)
        #expect(try Self.runsBitExact(model, [x]))

        // Computed initial_h and initial_c `[2, 1, H]` of a bidirectional layer.
        let (wb, rb, bb, bidirectional) = Self.weights(4, directions: 2)
        let computed = M.node("LSTM", ["x", "W", "R", "B", "", "h0", "c0"], ["", "y_h"], name: "lstm",
                              ["hidden_size": .int(Int64(h)), "direction": .string("bidirectional")])
        let states = try M.imported(nodes: [computed], initializers: bidirectional,
                                    inputs: [M.value("x", [Int64(t), 1, Int64(n)]), M.value("h0", [2, 1, Int64(h)]),
                                             M.value("c0", [2, 1, Int64(h)])],
                                    outputs: [M.output("y_h")])
        #expect(states.graph.nodes.map(\.name) == ["lstm/initial_h", "lstm/initial_h_copy", "lstm/initial_c", "lstm/initial_c_copy", "lstm"])
        let h0 = Self.values(2 * h, seed: 17, scale: 0.8), c02 = Self.values(2 * h, seed: 18, scale: 2)
        var onnx2 = ONNXRecurrentReference(op: "LSTM", hidden: h, directions: 2, w: wb, r: rb, b: bb)
        (onnx2.initialH, onnx2.initialC) = (h0, c02)
        #expect(Self.maxDifference(try Self.reference(states, [x, h0, c02]), onnx2.run(x, steps: t).final) < 1e-5)
        #expect(try Self.runsBitExact(states, [x, h0, c02]))

        // A zero constant initial_c is no input.
        let zero = try M.imported(nodes: [constant], initializers: tensors + [M.floats("c0", [1, 1, h], [Float](repeating: 0, count: h))],
                                  inputs: [M.value("x", [Int64(t), 1, Int64(n)])], outputs: [M.output("y")])
        #expect(zero.graph.nodes.map(\.name) == ["lstm"] && zero.graph.nodes[0].inputs.count == 1)
    }

    // MARK: Rejected forms

    /// The import error of one `op` node `layer` on `x [T, 1, N]` with seeded W, R, B, the node's
    /// further `inputs` and `initializers`, and `outputs` (its outputs `y`, `y_h`, `y_c`) as the
    /// graph's; nil when it imports.
    static func error(_ op: String, _ attributes: [String: ONNXAttribute.Value], inputs: [String] = [], initializers: [ONNXTensor] = [],
                      outputs: [String] = ["y"], after: [ONNXNode] = []) throws -> String? {
        let gates = ["LSTM": 4, "GRU": 3, "RNN": 1][op]!
        let directions = attributes["direction"] == .string("bidirectional") ? 2 : 1
        let node = M.node(op, ["x", "W", "R", "B"] + inputs, Array(["y", "y_h", "y_c"].prefix(op == "LSTM" ? 3 : 2)), name: "layer",
                          attributes.merging(["hidden_size": .int(Int64(hidden))]) { given, _ in given })
        return try M.error(nodes: [node] + after, initializers: weights(gates, directions: directions).tensors + initializers,
                           inputs: [M.value("x", [Int64(steps), 1, Int64(features)])], outputs: outputs.map(M.output))?.description
    }


    @Test func nonDefaultActivationsAreRejected() throws {
        #expect(try Self.error("LSTM", ["activations": .strings(["Sigmoid", "Tanh", "Relu"])])
            == "node 'layer' (LSTM): activations [Sigmoid, Tanh, Relu]; only [Sigmoid, Tanh, Tanh] (for every direction) are supported")
        #expect(try Self.error("RNN", ["activations": .strings(["Sigmoid"])])
            == "node 'layer' (RNN): activations [Sigmoid]; only [Tanh] or [Relu] (for every direction) are supported")
        #expect(try Self.error("RNN", ["activations": .strings(["Tanh", "Relu"]), "direction": .string("bidirectional")])?
            .hasPrefix("node 'layer' (RNN): activations [Tanh, Relu]; only [Tanh] or [Relu]") == true)
        // The defaults spelled out, per direction and in any case, import.
        #expect(try Self.error("GRU", ["activations": .strings(["sigmoid", "tanh", "Sigmoid", "Tanh"]), "linear_before_reset": .int(1),
                                       "direction": .string("bidirectional")]) == nil)
    }

    @Test func partialSequenceLengthsAreRejected() throws {
        #expect(try Self.error("RNN", [:], inputs: ["lengths"], initializers: [M.ints("lengths", [3])])
            == "node 'layer' (RNN): sequence_lens [3] is not the full length 6; only sequences of full length are supported")
        #expect(try Self.error("RNN", [:], inputs: ["lengths"], initializers: [M.ints("lengths", [6])]) == nil)
    }


    @Test func batchOfSequencesIsRejected() throws {
        let node = M.node("RNN", ["x", "W", "R"], ["y"], name: "layer", ["hidden_size": .int(Int64(Self.hidden))])
        let error = try M.error(nodes: [node], initializers: Array(Self.weights(1).tensors.prefix(2)),
                                inputs: [M.value("x", [Int64(Self.steps), 2, Int64(Self.features)])], outputs: [M.output("y")])
        #expect(error?.description == "graph input 'x': shape [6, 2, 4] has a batch above 1 (neither of its first two axes is 1); "
            + "only batch 1 ([1, T, N] or [T, 1, N]) is supported")
    }

    @Test func usedFinalCellStateIsRejected() throws {
        #expect(try Self.error("LSTM", [:], outputs: ["y_c"])
            == "node 'layer' (LSTM): output Y_c 'y_c' (the final cell state) is used; only Y and Y_h are supported")
    }

    @Test func reverseDirectionAndClipAreRejected() throws {
        #expect(try Self.error("RNN", ["direction": .string("reverse")])
            == "node 'layer' (RNN): direction 'reverse'; only forward and bidirectional are supported (our recurrent layer has no "
                + "reverse-only form)")
        #expect(try Self.error("LSTM", ["clip": .float(3)]) == "node 'layer' (LSTM): clip 3.0; only unclipped gates are supported")
    }

    /// Y `[T, D, 1, H]` is held in ONNX row-major order: only reshapes and transposes of size-1
    /// axes read it; a transpose that moves elements is rejected.
    @Test func outputsInRowMajorOrderOnlyReshape() throws {
        let relu = try Self.error("RNN", [:], outputs: ["z"], after: [M.node("Relu", ["y"], ["z"], name: "relu")])
        #expect(relu?.hasPrefix("node 'relu' (Relu): input 'y' of shape [6, 1, 1, 5] is held in ONNX row-major order as ") == true)
        let matmul = try Self.error("RNN", [:], initializers: [M.floats("m", [Self.hidden, 2])], outputs: ["z"],
                                    after: [M.node("MatMul", ["y", "m"], ["z"], name: "head")])
        #expect(matmul?.contains("is held in ONNX row-major order") == true)
        let transpose = try Self.error("RNN", ["direction": .string("bidirectional")], outputs: ["z"],
                                       after: [M.node("Transpose", ["y"], ["z"], name: "swap", ["perm": .ints([1, 0, 2, 3])])])
        #expect(transpose == "node 'swap' (Transpose): perm [1, 0, 2, 3] on [6, 2, 1, 5] moves elements; only transposes that move "
            + "size-1 axes (a no-op on the elements) are supported")
    }
}
