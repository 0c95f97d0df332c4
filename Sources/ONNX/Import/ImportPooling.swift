import Compiler

/// MaxPool, AveragePool, GlobalAveragePool and LRN: the window operations on `[1, C, H, W]`.
extension ImportSession {
    /// MaxPool and AveragePool: kernel_shape, strides, pads or auto_pad, ceil_mode, and for
    /// AveragePool count_include_pad (dilations must be 1). A zero `Pad` whose sole reader is an
    /// average pooling in floor mode folds into its padding when the pooling counts padding
    /// (count_include_pad 1, or no padding of its own), the padded zeros being real values.
    /// An average pooling the device refuses (`deviceRefuses`) is rejected here, so that the
    /// host computes it (`importNodeOrHostFunction`).
    mutating func importPooling(_ context: NodeContext) throws(ImportError) {
        let isMax = context.opType == "MaxPool"
        guard let kernel = try context.ints("kernel_shape") else { throw context.invalid("needs the attribute 'kernel_shape'") }
        guard kernel.count == 2 else { throw context.unsupported("kernel_shape \(ShapeMapping.text(kernel)) is not 2-D") }
        let stride = try context.pair("strides", default: (1, 1))
        let dilation = try context.pair("dilations", default: (1, 1))
        guard dilation == (1, 1) else { throw context.unsupported("dilations other than 1 are not supported") }
        let ceilMode = try context.int("ceil_mode", default: 0) != 0
        let includePad = try context.int("count_include_pad", default: 0)
        let countsPadding = !isMax && includePad != 0
        let name = try context.requiredInput(0)
        let dims = try value(name, context).onnxShape
        guard dims.count == 4 else {
            throw context.unsupported("input \(ImportError.quoted(name)) has shape \(ShapeMapping.text(dims)); this operator needs [1, C, H, W]")
        }
        let own = try spatialPadding(context, input: (dims[2], dims[3]), kernel: (kernel[0], kernel[1]), stride: stride, dilation: (1, 1))
        var foldable = !isMax && !ceilMode && (countsPadding || own == .zero)
        if foldable, case .pad(let pad)? = values[name] {
            let sum = Self.sum(own, pad.padding)
            foldable = max(sum.top, sum.bottom) < kernel[0] && max(sum.left, sum.right) < kernel[1]
        }
        let (input, extra) = try paddedInput(name, context, foldable: foldable)
        let pooling = Pooling(kind: isMax ? .max : .average, windowHeight: kernel[0], windowWidth: kernel[1], strideY: stride.0,
                              strideX: stride.1, padding: Self.sum(own, extra), ceilMode: ceilMode,
                              countIncludePadding: isMax || countsPadding || extra != .zero)
        let shape = try emit(.pooling(pooling), inputs: [input.graphName], name: context.name, context)
        if Self.deviceRefuses(pooling, input: input.shape, output: shape) {
            // The host computes it instead (`importNodeOrHostFunction`).
            throw context.unsupported("the device divides every window by its full size; this pooling excludes padding or has a "
                                        + "partial last window")
        }
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: [1, shape.channels, shape.height, shape.width])
    }

    static func sum(_ a: Padding, _ b: Padding) -> Padding {
        Padding(top: a.top + b.top, bottom: a.bottom + b.bottom, left: a.left + b.left, right: a.right + b.right)
    }

    /// GlobalAveragePool: `[1, C, H, W]` to `[1, C, 1, 1]`.
    mutating func importGlobalAveragePool(_ context: NodeContext) throws(ImportError) {
        let input = try spatialTensor(try context.requiredInput(0), context)
        let shape = try emit(.globalAveragePool, inputs: [input.graphName], name: context.name, context)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: [1, shape.channels, 1, 1])
    }

    /// LRN across channels: `x / (bias + alpha / size * sum of squares)^beta` over the `size`
    /// channels around each. ONNX centres an even window differently from ours (PyTorch's), so
    /// the size must be odd.
    mutating func importLocalResponseNorm(_ context: NodeContext) throws(ImportError) {
        let input = try spatialTensor(try context.requiredInput(0), context)
        guard let size = try context.int("size") else { throw context.invalid("needs the attribute 'size'") }
        guard size > 0, size % 2 == 1 else { throw context.unsupported("size \(size); only odd sizes are supported") }
        let lrn = LocalResponseNorm(size: size, alpha: Double(try context.float("alpha", default: 1e-4)),
                                    beta: Double(try context.float("beta", default: 0.75)), k: Double(try context.float("bias", default: 1)))
        let shape = try emit(.localResponseNorm(lrn), inputs: [input.graphName], name: context.name, context)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: input.onnxShape)
    }
}
