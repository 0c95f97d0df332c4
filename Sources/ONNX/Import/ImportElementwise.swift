import Compiler

/// Activations, batch normalization, and Add / Sub / Mul / Div.
extension ImportSession {
    /// Relu, LeakyRelu (0 < alpha < 1), Sigmoid, Tanh, and Clip to [0, 6] (ReLU6) or [0, inf)
    /// (ReLU), its bounds constant inputs (opset 11 on) or attributes (before).
    mutating func importActivation(_ context: NodeContext) throws(ImportError) {
        let input = try naturalTensor(try context.requiredInput(0), context)
        let activation: Activation
        switch context.opType {
        case "Relu": activation = .relu
        case "Sigmoid": activation = .sigmoid
        case "Tanh": activation = .tanh
        case "LeakyRelu":
            let alpha = try context.float("alpha", default: 0.01)
            guard alpha > 0, alpha < 1 else { throw context.unsupported("alpha \(alpha); only 0 < alpha < 1 is supported") }
            activation = .leakyRelu(alpha: Double(alpha))
        default:
            activation = try clipActivation(context)
        }
        let shape = try emit(.activation(activation), inputs: [input.graphName], name: context.name, context)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: input.onnxShape)
    }

    /// The activation a Clip is: [0, 6] is ReLU6, [0, +inf) (no max) ReLU.
    private func clipActivation(_ context: NodeContext) throws(ImportError) -> Activation {
        func bound(_ index: Int, _ attribute: String) throws(ImportError) -> Float? {
            if let name = context.input(index) {
                let value = try constant(name, context, role: attribute)
                guard value.count == 1 else { throw context.invalid("\(attribute) must be a scalar") }
                return value.floats[0]
            }
            return try context.float(attribute)
        }
        let low = try bound(1, "min"), high = try bound(2, "max")
        switch (low, high) {
        case (0?, 6?): return .relu6
        case (0?, nil), (0?, .infinity?): return .relu
        default:
            func text(_ value: Float?) -> String { value.map { "\($0)" } ?? "none" }
            throw context.unsupported("Clip to [\(text(low)), \(text(high))]; supported: [0, 6] (ReLU6) and [0, +inf) (ReLU)")
        }
    }

    /// BatchNormalization in inference form: constant scale, bias, mean and variance of C values
    /// each, over the channels of `[1, C, H, W]` or `[1, C]`.
    mutating func importBatchNorm(_ context: NodeContext) throws(ImportError) {
        guard try context.int("training_mode", default: 0) == 0 else {
            throw context.unsupported("training_mode 1; only inference is supported")
        }
        let input = try naturalTensor(try context.requiredInput(0), context)
        guard input.onnxShape.count == 4 || input.onnxShape.count == 2 else {
            throw context.unsupported("input of shape \(ShapeMapping.text(input.onnxShape)); supported: [1, C, H, W] and [1, C]")
        }
        let channels = input.shape.channels
        var parts: [[Float]] = []
        for (index, role) in ["scale", "B", "mean", "var"].enumerated() {
            let values = try constant(try context.requiredInput(index + 1), context, role: role).floats
            guard values.count == channels else { throw context.invalid("\(role) has \(values.count) values for \(channels) channels") }
            parts.append(values)
        }
        let epsilon = try context.float("epsilon", default: 1e-5)
        guard epsilon > 0 else { throw context.unsupported("epsilon \(epsilon) must be positive") }
        let shape = try emit(.batchNorm(BatchNorm(epsilon: Double(epsilon))), inputs: [input.graphName], name: context.name, context)
        statistics[context.name] = BatchNormParameters(gamma: parts[0], beta: parts[1], mean: parts[2], variance: parts[3], epsilon: epsilon)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: input.onnxShape)
    }

    /// Add, Sub, Mul, Div. Of two tensors of the same shape: Add is a residual add, Sub an add of
    /// the second negated (a depthwise 1x1 convolution of weight -1, `<name>/negate`). With one
    /// constant operand, a scalar or one value per channel: a depthwise 1x1 convolution
    /// `scale * x + bias` (x + b, x - b, b - x, x * s, s * x, x / s).
    mutating func importArithmetic(_ context: NodeContext) throws(ImportError) {
        let first = try context.requiredInput(0), second = try context.requiredInput(1)
        let op = context.opType
        let firstIsConstant = if case .constant = try value(first, context) { true } else { false }
        let secondIsConstant = if case .constant = try value(second, context) { true } else { false }
        guard firstIsConstant || secondIsConstant else {
            guard op == "Add" || op == "Sub" else {
                throw context.unsupported("\(op) of two computed tensors is not supported; one operand must be a scalar or per-channel constant")
            }
            let a = try naturalTensor(first, context), b = try naturalTensor(second, context)
            guard a.onnxShape == b.onnxShape else {
                throw context.unsupported("operands of shapes \(ShapeMapping.text(a.onnxShape)) and \(ShapeMapping.text(b.onnxShape)); "
                                            + "\(op) of two tensors needs equal shapes")
            }
            var addend = b
            if op == "Sub" {
                let negation = names.unique("\(context.name)/negate")
                try emitChannelAffine(b, scale: [Float](repeating: -1, count: b.shape.channels), bias: nil, name: negation, context)
                addend.graphName = negation
            }
            let shape = try emit(.add, inputs: [a.graphName, addend.graphName], name: context.name, context)
            try defineOutput(context, graphName: context.name, shape: shape, onnxShape: a.onnxShape)
            return
        }
        let input = try naturalTensor(firstIsConstant ? second : first, context)
        let operand = try perChannel(try constant(firstIsConstant ? first : second, context), of: input, context)
        let channels = input.shape.channels
        let ones = [Float](repeating: 1, count: channels)
        let (scale, bias): ([Float], [Float]?) = switch (op, firstIsConstant) {
        case ("Add", _): (ones, operand)
        case ("Sub", false): (ones, operand.map { -$0 })
        case ("Sub", true): (ones.map { -$0 }, operand)
        case ("Mul", _): (operand, nil)
        case ("Div", false): (operand.map { 1 / $0 }, nil)
        default:
            throw context.unsupported("dividing a constant by a tensor is not supported")
        }
        let shape = try emitChannelAffine(input, scale: scale, bias: bias, name: context.name, context)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: input.onnxShape)
    }

    /// The constant `operand` of an element-wise operation on `input` as one value per channel:
    /// it must broadcast without growing `input`, and vary along the channel axis only.
    private func perChannel(_ operand: ConstantTensor, of input: TensorValue, _ context: NodeContext) throws(ImportError) -> [Float] {
        let dims = input.onnxShape, channels = input.shape.channels
        let channelAxis = ShapeMapping.channelAxis(rank: dims.count)
        guard operand.dims.count <= dims.count else {
            throw context.unsupported("the constant of shape \(ShapeMapping.text(operand.dims)) has a higher rank than the tensor "
                                        + ShapeMapping.text(dims))
        }
        let aligned = [Int](repeating: 1, count: dims.count - operand.dims.count) + operand.dims
        for (axis, size) in aligned.enumerated() where size != 1 && !(axis == channelAxis && size == dims[axis]) {
            throw context.unsupported("the constant of shape \(ShapeMapping.text(operand.dims)) does not broadcast per channel over "
                                        + "\(ShapeMapping.text(dims)); supported: a scalar or one value per channel")
        }
        let values = operand.floats
        return values.count == 1 ? [Float](repeating: values[0], count: channels) : values
    }
}
