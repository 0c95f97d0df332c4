import Compiler

extension ImportSession {
    /// Resize (mode nearest) and Upsample: `[1, C, H, W]` to `[1, C, f*H, f*W]` for an integer
    /// factor f (from scales or sizes), as our nearest upsampling `out[y][x] = in[y / f][x / f]`.
    /// The coordinate transformation and rounding mode are checked to pick exactly those pixels
    /// (half_pixel with round_prefer_floor, ONNX's default, does; asymmetric with floor, PyTorch's
    /// export, does; align_corners does not).
    mutating func importResize(_ context: NodeContext) throws(ImportError) {
        let input = try spatialTensor(try context.requiredInput(0), context)
        let mode = try context.string("mode", default: "nearest")
        guard mode == "nearest" else { throw context.unsupported("mode '\(mode)'; only nearest is supported") }
        let isResize = context.opType == "Resize"
        let coordinates = isResize ? try context.string("coordinate_transformation_mode", default: "half_pixel") : "asymmetric"
        let rounding = isResize ? try context.string("nearest_mode", default: "round_prefer_floor") : "floor"
        if isResize {
            guard try context.int("antialias", default: 0) == 0 else { throw context.unsupported("antialias is not supported") }
            if let axes = try context.ints("axes"), axes != [0, 1, 2, 3] {
                throw context.unsupported("attribute 'axes' \(ShapeMapping.text(axes)) is not supported")
            }
        }
        let dims = input.onnxShape
        var scales: [Float]?, sizes: [Int]?
        let scalesInput = isResize ? 2 : 1
        if let name = context.input(scalesInput) {
            let values = try constant(name, context, role: "scales").floats
            if !values.isEmpty { scales = values }
        } else if !isResize, case .floats(let values)? = context.node.attribute("scales")?.value {
            scales = values
        }
        if scales == nil, isResize, let name = context.input(3) {
            guard let values = try constant(name, context, role: "sizes").integers, values.allSatisfy({ $0 > 0 && $0 <= 1 << 24 }) else {
                throw context.invalid("sizes must be positive integers")
            }
            sizes = values.map { Int($0) }
            let policy = try context.string("keep_aspect_ratio_policy", default: "stretch")
            guard policy == "stretch" else { throw context.unsupported("keep_aspect_ratio_policy '\(policy)' is not supported") }
        }
        let outputs: [Int]
        if let scales {
            guard scales.count == 4, scales.allSatisfy({ $0 > 0 && $0 <= 4096 }) else {
                throw context.unsupported("scales \(scales); four positive scales are supported")
            }
            outputs = zip(dims, scales).map { Int((Float($0) * $1).rounded(.down)) }
        } else if let sizes {
            guard sizes.count == 4 else { throw context.unsupported("sizes \(ShapeMapping.text(sizes)); four sizes are supported") }
            outputs = sizes
        } else {
            throw context.invalid("needs scales or sizes")
        }
        let factor = outputs[2] / dims[2]
        guard outputs[0] == dims[0], outputs[1] == dims[1], factor >= 1, outputs[2] == factor * dims[2], outputs[3] == factor * dims[3] else {
            throw context.unsupported("resizes \(ShapeMapping.text(dims)) to \(ShapeMapping.text(outputs)); only an integer factor, "
                                        + "the same for H and W, is supported")
        }
        for axis in [2, 3] {
            let scale = scales?[axis] ?? Float(outputs[axis]) / Float(dims[axis])
            for x in 0..<outputs[axis] {
                let source = try Self.nearestSource(x, scale: scale, input: dims[axis], output: outputs[axis], coordinates, rounding, context)
                guard source == x / factor else {
                    throw context.unsupported("coordinate_transformation_mode '\(coordinates)' with nearest_mode '\(rounding)' "
                                                + "does not pick pixel x / \(factor) (output \(x) reads \(source)); not supported")
                }
            }
        }
        if factor == 1 {
            try alias(context, to: input)
            return
        }
        let shape = try emit(.upsample(Upsample(factor: factor)), inputs: [input.graphName], name: context.name, context)
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: [1, shape.channels, shape.height, shape.width])
    }

    /// The input index ONNX's nearest Resize reads for output index `x` (onnxruntime's arithmetic).
    static func nearestSource(_ x: Int, scale: Float, input: Int, output: Int, _ coordinates: String, _ rounding: String,
                              _ context: NodeContext) throws(ImportError) -> Int {
        let position = Float(x)
        let original: Float
        switch coordinates {
        case "half_pixel": original = (position + 0.5) / scale - 0.5
        case "pytorch_half_pixel": original = output > 1 ? (position + 0.5) / scale - 0.5 : 0
        case "asymmetric": original = position / scale
        case "tf_half_pixel_for_nn": original = (position + 0.5) / scale
        case "align_corners": original = output == 1 ? 0 : position * Float(input - 1) / Float(output - 1)
        case "half_pixel_symmetric":
            let adjustment = Float(output) / (scale * Float(input))
            original = Float(input) / 2 * (1 - adjustment) + (position + 0.5) / scale - 0.5
        default:
            throw context.unsupported("coordinate_transformation_mode '\(coordinates)' is not supported")
        }
        let rounded: Float
        switch rounding {
        case "round_prefer_floor": rounded = original == original.rounded(.down) + 0.5 ? original.rounded(.down) : original.rounded()
        case "round_prefer_ceil": rounded = original == original.rounded(.down) + 0.5 ? original.rounded(.up) : original.rounded()
        case "floor": rounded = original.rounded(.down)
        case "ceil": rounded = original.rounded(.up)
        default: throw context.unsupported("nearest_mode '\(rounding)' is not supported")
        }
        return min(max(Int(rounded), 0), input - 1)
    }
}
