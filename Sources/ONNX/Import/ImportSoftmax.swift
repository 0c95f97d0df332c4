import Compiler

extension ImportSession {
    /// Softmax. From opset 13 it normalizes over one axis; before, over the axis and all later
    /// ones together. Axes of size 1 (the batch among them) do not matter. Over our channels only
    /// (axis 1 of `[1, C, H, W]`, the last of a lower rank): a softmax node. Over every element
    /// (old opsets' axis 1 on a map): flatten, softmax, reshape back (`<name>/flatten`,
    /// `<name>/softmax`), exact because a softmax over all elements does not depend on their
    /// order. Any other set of axes is rejected.
    mutating func importSoftmax(_ context: NodeContext) throws(ImportError) {
        let input = try naturalTensor(try context.requiredInput(0), context)
        let dims = input.onnxShape, rank = dims.count
        let old = context.opset < 13
        let axis = try ShapeArithmetic.normalize(axis: try context.int("axis", default: old ? 1 : -1), rank: rank, context)
        let reduced = Set((old ? Array(axis..<rank) : [axis]).filter { dims[$0] > 1 })
        let everything = Set((0..<rank).filter { dims[$0] > 1 })
        let channels = ShapeMapping.channelAxis(rank: rank)
        let shape: FeatureShape
        if reduced == [channels] || (reduced == everything && input.shape.height * input.shape.width == 1 && !reduced.isEmpty) {
            shape = try emit(.softmax, inputs: [input.graphName], name: context.name, context)
        } else if reduced == everything && !reduced.isEmpty {
            let flatten = names.unique("\(context.name)/flatten"), softmax = names.unique("\(context.name)/softmax")
            try emit(.flatten, inputs: [input.graphName], name: flatten, context)
            try emit(.softmax, inputs: [flatten], name: softmax, context)
            shape = try emit(.reshape(input.shape), inputs: [softmax], name: context.name, context)
        } else {
            let over = reduced.sorted().map(String.init).joined(separator: ", ")
            let semantics = old ? " (opset \(context.opset) semantics)" : ""
            throw context.unsupported("normalizes over axes [\(over)] of \(ShapeMapping.text(dims))\(semantics); "
                                        + "supported: the channel axis, or all axes together")
        }
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: dims)
    }
}
