import Compiler

/// Gemm and MatMul with a constant second operand: fully connected layers.
extension ImportSession {
    /// Gemm `alpha * A * B + beta * C` with A a vector `[1, K]` (transA 0), B constant `[K][N]`
    /// (transB 0) or `[N][K]` (transB 1), C an optional constant of N values (or one, broadcast):
    /// a fully connected layer with weights `alpha * B` as `[K][N]` and bias `beta * C`.
    mutating func importGemm(_ context: NodeContext) throws(ImportError) {
        guard try context.int("transA", default: 0) == 0 else {
            throw context.unsupported("transA 1 is not supported (A must be the input vector [1, K])")
        }
        let transposed = try context.int("transB", default: 0) != 0
        let alpha = try context.float("alpha", default: 1), beta = try context.float("beta", default: 1)
        let b = try constant(try context.requiredInput(1), context, role: "B")
        guard b.dims.count == 2 else { throw context.invalid("B has shape \(ShapeMapping.text(b.dims)); Gemm needs a matrix") }
        let (inputs, outputs) = transposed ? (b.dims[1], b.dims[0]) : (b.dims[0], b.dims[1])
        var matrix = b.floats
        if transposed {
            // [N][K] -> [K][N]
            matrix = [Float](repeating: 0, count: b.count)
            let values = b.floats
            for n in 0..<outputs { for k in 0..<inputs { matrix[k * outputs + n] = values[n * inputs + k] } }
        }
        if alpha != 1 { matrix = matrix.map { $0 * alpha } }
        var bias: [Float]?
        if let name = context.input(2) {
            let c = try constant(name, context, role: "C")
            guard c.dims.count <= 2, c.count == outputs || c.count == 1, c.dims.dropLast().allSatisfy({ $0 == 1 }) else {
                throw context.unsupported("C has shape \(ShapeMapping.text(c.dims)); supported: a bias of \(outputs) values (or one)")
            }
            bias = (c.count == 1 ? [Float](repeating: c.floats[0], count: outputs) : c.floats).map { $0 * beta }
        }
        let scales = b.outputChannelScales(axis: transposed ? 0 : 1, count: outputs)?.map { $0 * abs(alpha) }
        try emitFullyConnected(context, input: try context.requiredInput(0), matrix: matrix, inputs: inputs, outputs: outputs, bias: bias,
                               weightScales: scales, rank2Only: true)
    }

    /// MatMul `A * B` with B a constant matrix `[K][N]`: a fully connected layer on a vector A
    /// (`[1, K]` or `[K]`), a 1x1 convolution on a sequence `[1, T, K]` or `[T, 1, K]` (every
    /// position alike: `nn.Linear` on a recurrent layer's output).
    mutating func importMatMul(_ context: NodeContext) throws(ImportError) {
        let b = try constant(try context.requiredInput(1), context, role: "the second operand")
        guard b.dims.count == 2 else {
            throw context.unsupported("the second operand has shape \(ShapeMapping.text(b.dims)); only a constant matrix is supported")
        }
        try emitFullyConnected(context, input: try context.requiredInput(0), matrix: b.floats, inputs: b.dims[0], outputs: b.dims[1],
                               bias: nil, weightScales: b.outputChannelScales(axis: 1, count: b.dims[1]), rank2Only: false)
    }

    /// A fully connected layer with weights `matrix` (`[inputs][outputs]`, ONNX row order) on the
    /// tensor `input`: rows permuted from ONNX's C, H, W order when it is a flattened map.
    /// `weightScales`: a QDQ model's, per output (`LayerParameters.weightScales`).
    private mutating func emitFullyConnected(_ context: NodeContext, input name: String, matrix: [Float], inputs: Int, outputs: Int,
                                             bias: [Float]?, weightScales: [Float]?, rank2Only: Bool) throws(ImportError) {
        let input = try tensor(name, context)
        if input.layout == .rowMajor { throw context.unsupported(Self.rowMajorMessage(name, input)) }
        let dims = input.onnxShape
        guard dims.last == inputs else {
            throw context.invalid("input \(ImportError.quoted(name)) has shape \(ShapeMapping.text(dims)), which does not multiply "
                                    + "a [\(inputs)][\(outputs)] matrix")
        }
        if dims.count == 3 && !rank2Only {
            // A sequence [1, T, K] or [T, 1, K]: the same projection at every position, a 1x1 convolution.
            let convolution = Convolution(outputChannels: outputs, kernelHeight: 1, kernelWidth: 1)
            let shape = try emit(.convolution(convolution, hasBias: bias != nil), inputs: [input.graphName], name: context.name, context)
            weights[context.name] = LayerParameters(weights: matrix, bias: bias, weightScales: weightScales)
            try defineOutput(context, graphName: context.name, shape: shape, onnxShape: [dims[0], dims[1], outputs])
            return
        }
        guard dims.count == 2 || (dims.count == 1 && !rank2Only) else {
            throw context.unsupported("input \(ImportError.quoted(name)) has shape \(ShapeMapping.text(dims)); supported: [1, K]"
                                        + (rank2Only ? "" : ", [K] and [1, T, K]"))
        }
        var rows = matrix
        if case .flattened(let source) = input.layout {
            // Our row (h*W + w)*C + c is ONNX row c*H*W + h*W + w.
            let (height, width, channels) = (source.height, source.width, source.channels)
            for h in 0..<height {
                for w in 0..<width {
                    for c in 0..<channels {
                        let ours = ((h * width + w) * channels + c) * outputs, theirs = ((c * height + h) * width + w) * outputs
                        rows.replaceSubrange(ours..<(ours + outputs), with: matrix[theirs..<(theirs + outputs)])
                    }
                }
            }
        }
        let shape = try emit(.fullyConnected(FullyConnected(outputFeatures: outputs, hasBias: bias != nil)), inputs: [input.graphName],
                             name: context.name, context)
        weights[context.name] = LayerParameters(weights: rows, bias: bias, weightScales: weightScales)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: dims.count == 1 ? [outputs] : [1, outputs])
    }
}
