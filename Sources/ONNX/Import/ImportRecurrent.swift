import Compiler

/// LSTM, GRU and RNN (opsets 11 to 21): a recurrent node (`Graph.Op.recurrent`, `Recurrent`).
///
/// ONNX runs over `X [T, 1, N]` (`layout` 1, batch-first: `[1, T, N]`; either is our sequence
/// `1 x T x N`) with weights `W [D, G*H, N]`, `R [D, G*H, H]`, biases `B [D, 2*G*H]` (`Wb`, then
/// `Rb`; absent: none) and LSTM peepholes `P [D, 3*H]`, gate blocks in ONNX's order: LSTM i, o, f,
/// c; GRU z, r, h. Our `Recurrent` keeps PyTorch's (LSTM i, f, g, o; GRU r, z, n) in
/// `Wx [N][G*H]`, `Wh [H][G*H]`, peepholes `[P][H]` (i, f, o), `bx`, `bh`, per direction: the
/// blocks are transposed and reordered (`RecurrentForm.parameters`).
///
/// Supported, as our cells compute: batch 1; direction forward or bidirectional (our IR has no
/// reverse-only layer); the default activations (LSTM Sigmoid, Tanh, Tanh; GRU Sigmoid, Tanh;
/// RNN Tanh or Relu); no clip; every sequence of full length (`sequence_lens` absent or all T);
/// GRU `linear_before_reset` 0 (ONNX's default, `R_h (r * h)`: our GRU resetting before the
/// matmul) or 1 (PyTorch's, `r * (R_h h + Rb_h)`); LSTM `input_forget` 1 as our coupled cell:
/// onnxruntime couples `f = 1 - i`, we `i = 1 - f`, so our f gate is ONNX's i gate negated
/// (`sigma(-z) = 1 - sigma(z)`).
///
/// `initial_h [D, 1, H]` (`layout` 1: `[1, D, H]`): absent or all zero, no state input;
/// computed, the node's second input (the same element order as our `1 x 1 x (D*H)`; when its
/// graph shape differs, as a graph input `[2, 1, H]`'s `1 x 2 x H`, a reshape node
/// `<node>/initial_h` and a depthwise identity convolution `<node>/initial_h_copy`, since the
/// compiler splits a state between directions only in a tensor of that shape); a non-zero
/// constant, a tensor computed from the sequence, as every graph tensor is: `<node>/initial_h`,
/// a 1x1 convolution of zero weights and stride T (one output pixel) whose bias is the state.
/// An LSTM's `initial_c` (the same shape) likewise (`<node>/initial_c`, `<node>/initial_c_copy`)
/// is the node's third input; since that comes after `h_0`, an absent or zero `initial_h` is then
/// the zero constant `<node>/initial_h`.
///
/// Outputs: `Y [T, D, 1, H]` (every step's state: `returnSequences`; `layout` 1: `[1, T, D, H]`)
/// and `Y_h [D, 1, H]` (the final states: many-to-one; `layout` 1: `[1, D, H]`); a used `Y_c` is
/// rejected. With batch 1 their row-major orders (t, d, h) and (d, h) are those of our
/// `1 x T x (D*H)` and `1 x 1 x (D*H)`, so they are the node's tensor unchanged
/// (`TensorLayout.rowMajor` where the natural mapping differs), which Squeeze, Reshape and
/// Transposes of size-1 axes turn into the sequence `[T, 1, D*H]`, as PyTorch exports do. When
/// both are used, two nodes: `<node>` computes Y, `<node>/final` Y_h (the layer runs twice).
extension ImportSession {
    mutating func importRecurrent(_ context: NodeContext) throws(ImportError) {
        let form = try RecurrentForm(context)
        let (directions, gates, layout) = (form.directions, form.onnxGates, form.layout)
        let x = try naturalTensor(try context.requiredInput(0), context)
        let dims = x.onnxShape, order = layout == 0 ? "[seq_length, batch_size, input_size]" : "[batch_size, seq_length, input_size]"
        guard dims.count == 3 else { throw context.unsupported("X has shape \(ShapeMapping.text(dims)); layout \(layout) needs \(order)") }
        guard dims[1 - layout] == 1 else {
            throw context.unsupported("X has shape \(ShapeMapping.text(dims)) \(order), batch \(dims[1 - layout]); only batch 1 is supported")
        }
        let (steps, features) = (dims[layout], dims[2])

        let w = try constant(try context.requiredInput(1), context, role: "W")
        let r = try constant(try context.requiredInput(2), context, role: "R")
        guard r.dims.count == 3 else { throw context.invalid("R has shape \(ShapeMapping.text(r.dims)); expected [D, G*H, H]") }
        let hidden = try context.int("hidden_size") ?? r.dims[2]
        for (tensor, role, expected) in [(w, "W", [directions, gates * hidden, features]), (r, "R", [directions, gates * hidden, hidden])]
            where tensor.dims != expected {
            throw context.invalid("\(role) has shape \(ShapeMapping.text(tensor.dims)), expected \(ShapeMapping.text(expected)) "
                                    + "(\(directions) direction(s), \(gates) gate(s), hidden size \(hidden), \(features) inputs)")
        }
        let b = try optionalConstant(context, 3, "B", dims: [directions, 2 * gates * hidden])
        if let lengths = try optionalConstant(context, 4, "sequence_lens", dims: [1]), lengths.floats != [Float(steps)] {
            throw context.unsupported("sequence_lens \(lengths.floats.map { Int($0) }) is not the full length \(steps); "
                                        + "only sequences of full length are supported")
        }
        var peepholes: ConstantTensor?
        if form.isLSTM {
            peepholes = try optionalConstant(context, 7, "P", dims: [directions, 3 * hidden])
            if peepholes?.floats.allSatisfy({ $0 == 0 }) == true { peepholes = nil }
        }

        let outputs = context.node.outputs
        guard outputs.count <= (form.isLSTM ? 3 : 2) else { throw context.invalid("has \(outputs.count) outputs") }
        func used(_ index: Int) -> String? {
            guard index < outputs.count, !outputs[index].isEmpty else { return nil }
            return readerCounts[outputs[index]] != nil || graphOutputs.contains(outputs[index]) ? outputs[index] : nil
        }
        if let cellState = used(2) {
            throw context.unsupported("output Y_c \(ImportError.quoted(cellState)) (the final cell state) is used; "
                                        + "only Y and Y_h are supported")
        }
        let (sequenceOutput, finalOutput) = (used(0), used(1))
        guard sequenceOutput != nil || finalOutput != nil else { return }  // nothing reads the layer

        var inputs = [x.graphName]
        let hasInitialCell = form.isLSTM ? try isGivenState(context, 6, "initial_c", dims: form.stateDims(hidden)) : false
        if let state = try recurrentInitialState(context, form, input: 5, role: "initial_h", sequence: x, hidden: hidden,
                                                 required: hasInitialCell) {
            inputs.append(state)
        }
        if hasInitialCell, let cell = try recurrentInitialState(context, form, input: 6, role: "initial_c", sequence: x, hidden: hidden) {
            inputs.append(cell)
        }
        let parameters = form.parameters(w: w.floats, r: r.floats, b: b?.floats, p: peepholes?.floats, features: features, hidden: hidden)
        var recurrent = Recurrent(cell: form.cell(peephole: peepholes != nil), hiddenSize: hidden, bidirectional: directions == 2,
                                  returnSequences: true, hasBias: b != nil)
        if let sequenceOutput {
            let shape = try emit(.recurrent(recurrent), inputs: inputs, name: context.name, context)
            weights[context.name] = parameters
            let dims = layout == 0 ? [steps, directions, 1, hidden] : [1, steps, directions, hidden]
            try define(sequenceOutput, .tensor(Self.rowMajorValue(graphName: context.name, onnxShape: dims, shape: shape)), context)
        }
        if let finalOutput {
            let name = sequenceOutput == nil ? context.name : names.unique("\(context.name)/final")
            recurrent.returnSequences = false
            let shape = try emit(.recurrent(recurrent), inputs: inputs, name: name, context)
            weights[name] = parameters
            try define(finalOutput, .tensor(Self.rowMajorValue(graphName: name, onnxShape: form.stateDims(hidden), shape: shape)), context)
        }
    }

    /// The constant input `index` (`role`) of shape `dims`, or nil when absent.
    private func optionalConstant(_ context: NodeContext, _ index: Int, _ role: String, dims: [Int]) throws(ImportError) -> ConstantTensor? {
        guard let name = context.input(index) else { return nil }
        let tensor = try constant(name, context, role: role)
        guard tensor.dims == dims else {
            throw context.invalid("\(role) has shape \(ShapeMapping.text(tensor.dims)), expected \(ShapeMapping.text(dims))")
        }
        return tensor
    }

    /// Whether the initial state input `index` (`role`, of shape `dims`) is given: computed, or a
    /// constant not all zero.
    private func isGivenState(_ context: NodeContext, _ index: Int, _ role: String, dims: [Int]) throws(ImportError) -> Bool {
        guard let name = context.input(index) else { return false }
        guard case .constant = try value(name, context) else { return true }
        return try optionalConstant(context, index, role, dims: dims)?.floats.allSatisfy({ $0 == 0 }) == false
    }

    /// The graph tensor of the initial state input `input` (`role`: `initial_h` or `initial_c`),
    /// or nil when it is absent or zero, unless `required`: then a zero constant (see `importRecurrent`).
    private mutating func recurrentInitialState(_ context: NodeContext, _ form: RecurrentForm, input index: Int, role: String,
                                                sequence: TensorValue, hidden: Int, required: Bool = false) throws(ImportError) -> String? {
        let expected = form.stateDims(hidden), width = form.directions * hidden
        let state = FeatureShape(height: 1, width: 1, channels: width)
        var computed: String?
        if let name = context.input(index) {
            if case .constant = try value(name, context) {} else { computed = name }
        }
        guard let name = computed else {
            // Absent or constant.
            let values = try optionalConstant(context, index, role, dims: expected)?.floats ?? [Float](repeating: 0, count: width)
            guard required || !values.allSatisfy({ $0 == 0 }) else { return nil }
            let generator = names.unique("\(context.name)/\(role)")
            let convolution = Convolution(outputChannels: width, kernelHeight: 1, kernelWidth: 1, strideX: sequence.shape.width)
            try emit(.convolution(convolution, hasBias: true), inputs: [sequence.graphName], name: generator, context)
            weights[generator] = LayerParameters(weights: [Float](repeating: 0, count: sequence.shape.channels * width), bias: values)
            return generator
        }
        let tensor = try tensor(name, context)
        guard tensor.onnxShape == expected else {
            throw context.invalid("\(role) has shape \(ShapeMapping.text(tensor.onnxShape)), expected \(ShapeMapping.text(expected))")
        }
        if case .flattened(let source) = tensor.layout { throw context.unsupported(Self.flattenedMessage(name, source)) }
        guard tensor.shape != state else { return tensor.graphName }
        // The compiler splits a state between the directions only in a 1 x 1 x (D*H) tensor of
        // its own, not in an alias of another shape: reshape, then copy.
        let reshape = names.unique("\(context.name)/\(role)")
        try emit(.reshape(state), inputs: [tensor.graphName], name: reshape, context)
        let copy = names.unique("\(context.name)/\(role)_copy")
        try emitChannelAffine(TensorValue(graphName: reshape, onnxShape: expected, shape: state),
                              scale: [Float](repeating: 1, count: width), bias: nil, name: copy, context)
        return copy
    }
}
