import Compiler

/// Conv, ConvTranspose and Pad.
extension ImportSession {
    /// Conv: input `[1, C, H, W]`, constant weights `[K][C/g][R][S]` (ours `[R][S][C/g][K]`), an
    /// optional constant bias `[K]`; groups, strides, dilations, pads or auto_pad. A zero `Pad`
    /// whose sole reader this is adds its padding.
    mutating func importConvolution(_ context: NodeContext) throws(ImportError) {
        let name = try context.requiredInput(0)
        let weight = try constant(try context.requiredInput(1), context, role: "weights")
        let dims = weight.dims
        guard dims.count == 4 else {
            throw context.unsupported("weights \(ShapeMapping.text(dims)) are not 4-D; only 2-D convolutions are supported")
        }
        let (outputs, groupChannels, kernelHeight, kernelWidth) = (dims[0], dims[1], dims[2], dims[3])
        try checkKernelShape(context, (kernelHeight, kernelWidth))
        let stride = try context.pair("strides", default: (1, 1)), dilation = try context.pair("dilations", default: (1, 1))
        let inputDims = try value(name, context).onnxShape
        guard inputDims.count == 4 else {
            throw context.unsupported("input \(ImportError.quoted(name)) has shape \(ShapeMapping.text(inputDims)); only 2-D convolutions "
                                        + "of [1, C, H, W] are supported")
        }
        let own = try spatialPadding(context, input: (inputDims[2], inputDims[3]), kernel: (kernelHeight, kernelWidth), stride: stride,
                                     dilation: dilation)
        // A pending zero Pad folds in when the sum stays within the kernel's reach (as the device requires).
        var foldable = false
        if case .pad(let pad)? = values[name] {
            let sum = Self.sum(own, pad.padding)
            let reach = (dilation.0 * (kernelHeight - 1) + 1, dilation.1 * (kernelWidth - 1) + 1)
            foldable = max(sum.top, sum.bottom) < reach.0 && max(sum.left, sum.right) < reach.1
        }
        let (input, extra) = try paddedInput(name, context, foldable: foldable)
        let padding = Self.sum(own, extra)
        let groups = try context.int("group", default: 1)
        guard groups > 0, groupChannels * groups == input.shape.channels else {
            throw context.invalid("weights \(ShapeMapping.text(dims)) with group \(groups) do not fit \(input.shape.channels) input channels")
        }
        let bias = try context.input(2).map { name throws(ImportError) in try constant(name, context, role: "bias").floats }
        if let bias, bias.count != outputs { throw context.invalid("bias has \(bias.count) values for \(outputs) output channels") }
        let convolution = Convolution(outputChannels: outputs, kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideY: stride.0,
                                      strideX: stride.1, padding: padding, dilationY: dilation.0, dilationX: dilation.1, groups: groups)
        let shape = try emit(.convolution(convolution, hasBias: bias != nil), inputs: [input.graphName], name: context.name, context)
        // ONNX [k][c][r][s] -> ours [r][s][c][k].
        try finishConvolution(context, weight: weight, outer: outputs, inner: groupChannels, outputsFirst: true, bias: bias, shape: shape)
    }

    /// ConvTranspose (groups 1): input `[1, C, H, W]`, constant weights `[C][K][R][S]` (ours
    /// `[R][S][C][K]`), an optional bias `[K]`; strides, dilations, pads and output_padding.
    mutating func importTransposedConvolution(_ context: NodeContext) throws(ImportError) {
        let input = try spatialTensor(try context.requiredInput(0), context)
        let weight = try constant(try context.requiredInput(1), context, role: "weights")
        let dims = weight.dims
        guard dims.count == 4 else {
            throw context.unsupported("weights \(ShapeMapping.text(dims)) are not 4-D; only 2-D convolutions are supported")
        }
        let (channels, outputs, kernelHeight, kernelWidth) = (dims[0], dims[1], dims[2], dims[3])
        let groups = try context.int("group", default: 1)
        guard groups == 1 else { throw context.unsupported("group \(groups); only group 1 is supported") }
        guard channels == input.shape.channels else {
            throw context.invalid("weights \(ShapeMapping.text(dims)) do not fit \(input.shape.channels) input channels")
        }
        try checkKernelShape(context, (kernelHeight, kernelWidth))
        let autoPad = try context.string("auto_pad", default: "NOTSET")
        guard autoPad == "NOTSET" || autoPad == "VALID" else { throw context.unsupported("auto_pad \(autoPad); supported: NOTSET, VALID") }
        guard context.node.attribute("output_shape") == nil else {
            throw context.unsupported("attribute 'output_shape' is not supported; give pads")
        }
        let stride = try context.pair("strides", default: (1, 1)), dilation = try context.pair("dilations", default: (1, 1))
        let outputPadding = try context.pair("output_padding", default: (0, 0))
        let padding = autoPad == "VALID" ? .zero : try explicitPadding(context)
        let bias = try context.input(2).map { name throws(ImportError) in try constant(name, context, role: "bias").floats }
        if let bias, bias.count != outputs { throw context.invalid("bias has \(bias.count) values for \(outputs) output channels") }
        let transposed = TransposedConvolution(outputChannels: outputs, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                               strideY: stride.0, strideX: stride.1, padding: padding, outputPaddingY: outputPadding.0,
                                               outputPaddingX: outputPadding.1, dilationY: dilation.0, dilationX: dilation.1,
                                               hasBias: bias != nil)
        let shape = try emit(.transposedConvolution(transposed), inputs: [input.graphName], name: context.name, context)
        // ONNX [c][k][r][s] -> ours [r][s][c][k].
        try finishConvolution(context, weight: weight, outer: channels, inner: outputs, outputsFirst: false, bias: bias, shape: shape)
    }

    /// Records a Conv's or ConvTranspose's parameters, its 4-D ONNX weights `[outer][inner][R][S]`
    /// reordered kernels-last (`kernelsLast`; the output channels are the outer axis when
    /// `outputsFirst`, else the inner) with a QDQ model's scales along the output channels, and
    /// defines the node's output of graph shape `shape`.
    private mutating func finishConvolution(_ context: NodeContext, weight: ConstantTensor, outer: Int, inner: Int, outputsFirst: Bool,
                                            bias: [Float]?, shape: FeatureShape) throws(ImportError) {
        let reordered = Self.kernelsLast(weight.floats, outer: outer, inner: inner, kernel: (weight.dims[2], weight.dims[3]),
                                         outerFirst: outputsFirst)
        weights[context.name] = LayerParameters(weights: reordered, bias: bias,
                                                weightScales: weight.outputChannelScales(axis: outputsFirst ? 0 : 1,
                                                                                         count: outputsFirst ? outer : inner))
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: [1, shape.channels, shape.height, shape.width])
    }

    /// Pad: constant mode with the value 0, non-negative pads on H and W only. It waits as a
    /// `PendingPad` for a Conv or AveragePool to take it (`paddedInput`).
    mutating func importPad(_ context: NodeContext) throws(ImportError) {
        let mode = try context.string("mode", default: "constant")
        guard mode == "constant" else {
            throw context.unsupported("mode '\(mode)'; only constant zero padding on H and W is supported")
        }
        let input = try spatialTensor(try context.requiredInput(0), context)
        let pads: [Int]
        if let name = context.input(1) {
            guard let values = try constant(name, context, role: "pads").integers,
                  values.allSatisfy({ $0.magnitude <= NodeContext.integerLimit.magnitude }) else {
                throw context.invalid("pads must be integers")
            }
            pads = values.map { Int($0) }
        } else if let values = try context.ints("pads") {
            pads = values
        } else {
            throw context.invalid("needs pads")
        }
        if let name = context.input(2) {
            let value = try constant(name, context, role: "constant_value").floats
            guard value.allSatisfy({ $0 == 0 }) else {
                throw context.unsupported("constant value \(value.first ?? 0); only zero padding is supported")
            }
        }
        if try context.float("value", default: 0) != 0 { throw context.unsupported("only zero padding is supported") }
        var axes = [0, 1, 2, 3]
        if let name = context.input(3) {
            guard let values = try constant(name, context, role: "axes").integers else { throw context.invalid("axes must be integers") }
            let given = values.map { Int(max(min($0, 64), -64)) }
            _ = try ShapeArithmetic.normalize(given, rank: 4, context)   // in range and distinct
            axes = given.map { $0 < 0 ? $0 + 4 : $0 }
        }
        guard pads.count == 2 * axes.count else { throw context.invalid("has \(pads.count) pads for \(axes.count) axes") }
        var before = [0, 0, 0, 0], after = [0, 0, 0, 0]
        for (index, axis) in axes.enumerated() {
            before[axis] = pads[index]
            after[axis] = pads[index + axes.count]
        }
        guard before[0] == 0, after[0] == 0, before[1] == 0, after[1] == 0 else {
            throw context.unsupported("pads \(ShapeMapping.text(pads)) pad the batch or channels; only H and W may be padded")
        }
        guard (before + after).allSatisfy({ $0 >= 0 }) else {
            throw context.unsupported("pads \(ShapeMapping.text(pads)) are negative (cropping); not supported")
        }
        let padding = Padding(top: before[2], bottom: after[2], left: before[3], right: after[3])
        let dims = input.onnxShape
        let onnxShape = [1, dims[1], dims[2] + padding.top + padding.bottom, dims[3] + padding.left + padding.right]
        try checkOnlyFirstOutput(context)
        if padding == .zero {
            try alias(context, to: input)
        } else {
            let pending = PendingPad(source: input, padding: padding, onnxShape: onnxShape, context: context)
            try define(context.node.outputs[0], .pad(pending), context)
        }
    }

    /// The spatial tensor `name` (`[1, C, H, W]`).
    mutating func spatialTensor(_ name: String, _ context: NodeContext) throws(ImportError) -> TensorValue {
        let tensor = try naturalTensor(name, context)
        guard tensor.onnxShape.count == 4 else {
            throw context.unsupported("input \(ImportError.quoted(name)) has shape \(ShapeMapping.text(tensor.onnxShape)); "
                                        + "this operator needs a 4-D [1, C, H, W] tensor")
        }
        return tensor
    }

    /// The spatial tensor `name` and the zero padding of a pending `Pad` it is, when `foldable`
    /// and this node is the pad's sole reader (otherwise the pad becomes a node).
    mutating func paddedInput(_ name: String, _ context: NodeContext, foldable: Bool) throws(ImportError) -> (TensorValue, Padding) {
        if case .pad(let pad)? = values[name], foldable, isSoleReader(name) {
            return (pad.source, pad.padding)
        }
        return (try spatialTensor(name, context), .zero)
    }

    /// Rejects a `kernel_shape` attribute that contradicts the weights.
    func checkKernelShape(_ context: NodeContext, _ kernel: (Int, Int)) throws(ImportError) {
        if let shape = try context.ints("kernel_shape"), shape != [kernel.0, kernel.1] {
            throw context.invalid("kernel_shape \(ShapeMapping.text(shape)) contradicts the weights' \(kernel.0)x\(kernel.1)")
        }
    }

    /// The `pads` attribute `[top, left, bottom, right]` (zero when absent).
    func explicitPadding(_ context: NodeContext) throws(ImportError) -> Padding {
        guard let pads = try context.ints("pads") else { return .zero }
        guard pads.count == 4 else { throw context.unsupported("pads \(ShapeMapping.text(pads)) are not 2-D (4 values)") }
        guard pads.allSatisfy({ $0 >= 0 }) else { throw context.invalid("pads \(ShapeMapping.text(pads)) are negative") }
        return Padding(top: pads[0], bottom: pads[2], left: pads[1], right: pads[3])
    }

    /// The padding of a convolution or pooling window: `pads`, or what `auto_pad` computes for
    /// `input` (H, W): SAME_UPPER and SAME_LOWER pad so that the output is `ceil(in / stride)`,
    /// the odd pixel at the end (UPPER) or the start (LOWER); VALID pads nothing.
    func spatialPadding(_ context: NodeContext, input: (Int, Int), kernel: (Int, Int), stride: (Int, Int),
                        dilation: (Int, Int)) throws(ImportError) -> Padding {
        let autoPad = try context.string("auto_pad", default: "NOTSET")
        switch autoPad {
        case "NOTSET":
            return try explicitPadding(context)
        case "VALID":
            return .zero
        case "SAME_UPPER", "SAME_LOWER":
            guard stride.0 > 0, stride.1 > 0 else { throw context.invalid("strides must be positive") }
            func split(_ size: Int, _ kernel: Int, _ stride: Int, _ dilation: Int) -> (Int, Int) {
                let output = (size + stride - 1) / stride
                let total = max((output - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
                return autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
            }
            let (top, bottom) = split(input.0, kernel.0, stride.0, dilation.0)
            let (left, right) = split(input.1, kernel.1, stride.1, dilation.1)
            return Padding(top: top, bottom: bottom, left: left, right: right)
        default:
            throw context.unsupported("auto_pad '\(autoPad)'; supported: NOTSET, SAME_UPPER, SAME_LOWER, VALID")
        }
    }

    /// ONNX convolution weights `[a][b][R][S]` in our `[R][S][C][K]` order: Conv's `a` is K and
    /// `b` is C/groups (`outerFirst`: `a` is the output axis), ConvTranspose's `a` is C and `b` K.
    static func kernelsLast(_ values: [Float], outer: Int, inner: Int, kernel: (Int, Int), outerFirst: Bool) -> [Float] {
        let (height, width) = kernel
        let (channels, outputs) = outerFirst ? (inner, outer) : (outer, inner)
        var reordered = [Float](repeating: 0, count: values.count)
        for a in 0..<outer {
            for b in 0..<inner {
                let (c, k) = outerFirst ? (b, a) : (a, b)
                for r in 0..<height {
                    for s in 0..<width {
                        reordered[((r * width + s) * channels + c) * outputs + k] = values[((a * inner + b) * height + r) * width + s]
                    }
                }
            }
        }
        return reordered
    }
}
