/// The ONNX operators the host can compute (with `ImportOptions.allowHostOps`), each by a
/// builder that checks the node's attributes, constant inputs and shapes and returns its
/// `HostKernel`. Every kernel follows the ONNX operator's definition on row-major arrays in ONNX
/// order: it knows nothing of our HWC layout.
enum HostKernels {
    typealias Builder = @Sendable (NodeContext, HostOperands) throws(ImportError) -> HostKernel

    /// The builder of each operator type. (Closures rather than references to the static
    /// functions: Swift 6.3's SIL generation crashes converting typed-throws function references.)
    static let builders: [String: Builder] = {
        var table: [String: Builder] = [
            "Transpose": { context, operands throws(ImportError) in try transpose(context, operands) },
            "Gather": { context, operands throws(ImportError) in try gather(context, operands) },
            "Expand": { context, operands throws(ImportError) in try expand(context, operands) },
            "Pad": { context, operands throws(ImportError) in try pad(context, operands) },
            "Slice": { context, operands throws(ImportError) in try slice(context, operands) },
            "Concat": { context, operands throws(ImportError) in try concat(context, operands) },
            "Softmax": { context, operands throws(ImportError) in try softmax(context, operands) },
            "QuantizeLinear": { context, operands throws(ImportError) in try quantizeLinear(context, operands) },
        ]
        let groups: [(operators: [String], builder: Builder)] = [
            (["AveragePool", "MaxPool"], { context, operands throws(ImportError) in try pool(context, operands) }),
            (["Reshape", "Flatten", "Squeeze", "Unsqueeze"], { context, operands throws(ImportError) in try reshape(context, operands) }),
            (["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min"],
             { context, operands throws(ImportError) in try broadcasting(context, operands) }),
            (["Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Erf", "Floor", "Ceil", "Relu", "Sigmoid", "Tanh", "Softsign", "Softplus",
              "HardSwish", "HardSigmoid", "Elu", "Selu", "LeakyRelu", "Clip"],
             { context, operands throws(ImportError) in try unary(context, operands) }),
            (["ReduceMean", "ReduceSum", "ReduceMax"], { context, operands throws(ImportError) in try reduce(context, operands) }),
        ]
        for group in groups { for op in group.operators { table[op] = group.builder } }
        return table
    }()

    /// The kernel of `context`'s node on `operands`, or nil when its operator has none.
    static func kernel(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel? {
        guard let builder = builders[context.opType] else { return nil }
        return try builder(context, operands)
    }
}
