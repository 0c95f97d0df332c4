import Compiler

/// The operators that rearrange tensors: Flatten, Reshape, Squeeze, Unsqueeze, Transpose,
/// Concat, and the identities Identity and Dropout.
extension ImportSession {
    /// Flatten, Reshape, Squeeze and Unsqueeze of a computed tensor (see `reinterpret`).
    mutating func importReshape(_ context: NodeContext) throws(ImportError) {
        let input = try tensor(try context.requiredInput(0), context)
        let dims = input.onnxShape
        let target: [Int]
        switch context.opType {
        case "Flatten":
            target = try ShapeArithmetic.flatten(dims, axis: try context.int("axis", default: 1), context)
        case "Reshape":
            guard let shape = try constant(try context.requiredInput(1), context, role: "shape").integers else {
                throw context.invalid("shape must be integers")
            }
            target = try ShapeArithmetic.reshape(dims, to: shape, allowZero: try context.int("allowzero", default: 0) != 0, context)
        case "Squeeze":
            target = try ShapeArithmetic.squeeze(dims, axes: try axes(context), context)
        default:
            guard let axes = try axes(context) else { throw context.invalid("needs axes") }
            target = try ShapeArithmetic.unsqueeze(dims, axes: axes, context)
        }
        try reinterpret(context, input, as: target)
    }

    /// The node's output: `input` seen with ONNX shape `target` (same elements, ONNX row-major).
    /// - the same graph tensor when its shape and element order stay (Squeeze and Unsqueeze of
    ///   size-1 axes, `[1, C, 1, 1]` <-> `[1, C]`, the same shape);
    /// - a reshape node when both orders are ONNX row-major but the graph shape changes
    ///   (`[1, T, N]` -> `[1, T*N]`);
    /// - a flatten node for `[1, C, H, W]` -> `[1, C*H*W]`: a flattened map, for a fully connected
    ///   layer only (`TensorLayout.flattened`); and a reshape node back from it to `[1, C, H, W]`;
    /// - anything else would reorder elements between NCHW and HWC: rejected.
    /// A row-major value (a recurrent output) goes by `reinterpretRowMajor`.
    mutating func reinterpret(_ context: NodeContext, _ input: TensorValue, as target: [Int]) throws(ImportError) {
        if input.layout == .rowMajor { return try reinterpretRowMajor(context, input, as: target) }
        let dims = input.onnxShape
        let shape = try Self.graphShape(target, context.subject)
        func reject() -> ImportError {
            context.unsupported("reshaping \(ShapeMapping.text(dims)) to \(ShapeMapping.text(target)) reorders elements between "
                                  + "ONNX's NCHW and our HWC layout; not supported")
        }
        switch input.layout {
        case .flattened(let source):
            if target.count <= 2 {
                try alias(context, to: input, onnxShape: target)
            } else if target == [1, source.channels, source.height, source.width] {
                let shape = try emit(.reshape(source), inputs: [input.graphName], name: context.name, context)
                try defineOutput(context, graphName: context.name, shape: shape, onnxShape: target)
            } else {
                throw reject()
            }
        case .natural:
            if dims == target || (ShapeMapping.isRowMajor(dims) && ShapeMapping.isRowMajor(target) && shape == input.shape) {
                try alias(context, to: input, onnxShape: target)
            } else if ShapeMapping.isRowMajor(dims) && ShapeMapping.isRowMajor(target) {
                let shape = try emit(.reshape(shape), inputs: [input.graphName], name: context.name, context)
                try defineOutput(context, graphName: context.name, shape: shape, onnxShape: target)
            } else if dims.count == 4 && target.count <= 2 {
                let shape = try emit(.flatten, inputs: [input.graphName], name: context.name, context)
                try defineOutput(context, graphName: context.name, shape: shape, onnxShape: target, layout: .flattened(input.shape))
            } else {
                throw reject()
            }
        case .rowMajor:
            preconditionFailure("handled by reinterpretRowMajor")
        }
    }

    /// The node's output: `input`, whose elements lie in ONNX row-major order, seen with ONNX
    /// shape `target`. When `target`'s natural mapping is row-major too (a sequence `[T, 1, N]`,
    /// a vector), a natural value: the same tensor, or a reshape node if the graph shape
    /// changes; otherwise the same tensor as a `.rowMajor` value (`[T, D, 1, H]`, `[T, 1, D, H]`).
    mutating func reinterpretRowMajor(_ context: NodeContext, _ input: TensorValue, as target: [Int]) throws(ImportError) {
        guard ShapeMapping.isRowMajor(target), let shape = try? Self.graphShape(target, context.subject) else {
            return try alias(context, to: TensorValue(graphName: input.graphName, onnxShape: target, shape: input.shape, layout: .rowMajor))
        }
        if shape == input.shape {
            try alias(context, to: TensorValue(graphName: input.graphName, onnxShape: target, shape: shape))
        } else {
            let shape = try emit(.reshape(shape), inputs: [input.graphName], name: context.name, context)
            try defineOutput(context, graphName: context.name, shape: shape, onnxShape: target)
        }
    }

    /// Transpose that moves no element: the axes of size above 1 keep their order (with batch
    /// 1, PyTorch's `[T, D, 1, H]` -> `[T, 1, D, H]` after a bidirectional layer, or `[1, T, N]`
    /// <-> `[T, 1, N]` for `batch_first`), of a value in ONNX row-major order; then as a reshape.
    /// A transpose that moves elements (NCHW <-> NHWC) is rejected.
    mutating func importTranspose(_ context: NodeContext) throws(ImportError) {
        let input = try tensor(try context.requiredInput(0), context)
        let dims = input.onnxShape, rank = dims.count
        let perm = try context.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.count == rank, Set(perm) == Set(0..<rank) else {
            throw context.invalid("perm [\(perm.map(String.init).joined(separator: ", "))] is no permutation of the \(rank) axes")
        }
        let target = perm.map { dims[$0] }
        let moved = perm.filter { dims[$0] > 1 }
        let rowMajor = switch input.layout {
        case .natural: ShapeMapping.isRowMajor(dims)
        case .rowMajor: true
        case .flattened: false
        }
        guard moved == moved.sorted(), rowMajor else {
            throw context.unsupported("perm [\(perm.map(String.init).joined(separator: ", "))] on \(ShapeMapping.text(dims)) moves "
                                        + "elements; only transposes that move size-1 axes (a no-op on the elements) are supported")
        }
        try reinterpretRowMajor(context, input, as: target)
    }

    /// Concat of computed tensors along the channel axis (axis 1 of `[1, C, H, W]`, the last of
    /// a lower rank).
    mutating func importConcat(_ context: NodeContext) throws(ImportError) {
        var inputs: [TensorValue] = []
        for name in context.node.inputs where !name.isEmpty { inputs.append(try naturalTensor(name, context)) }
        guard let first = inputs.first else { throw context.invalid("has no inputs") }
        let rank = first.onnxShape.count
        guard let attribute = try context.int("axis") else { throw context.invalid("needs the attribute 'axis'") }
        let axis = try ShapeArithmetic.normalize(axis: attribute, rank: rank, context)
        let channelAxis = ShapeMapping.channelAxis(rank: rank)
        guard axis == channelAxis else {
            throw context.unsupported("concatenates along axis \(attribute) of rank \(rank); "
                                        + "only the channel axis (\(channelAxis)) is supported")
        }
        for input in inputs where input.onnxShape.count != rank
            || input.onnxShape.enumerated().contains(where: { $0.offset != axis && $0.element != first.onnxShape[$0.offset] }) {
            throw context.invalid("inputs of shapes " + inputs.map { ShapeMapping.text($0.onnxShape) }.joined(separator: ", ")
                                    + " do not concatenate along axis \(axis)")
        }
        let shape = try emit(.concat, inputs: inputs.map(\.graphName), name: context.name, context)
        var dims = first.onnxShape
        dims[axis] = shape.channels
        try defineOutput(context, graphName: context.name, shape: shape, onnxShape: dims)
    }

    /// Identity and Dropout (inference: the identity): the output is the input's tensor. A
    /// Dropout's mask, when used, is all true at inference: a host function of the input's shape
    /// computes it (BOOL ones).
    mutating func importIdentity(_ context: NodeContext) throws(ImportError) {
        let input = try tensor(try context.requiredInput(0), context)
        if context.opType == "Dropout" {
            if let name = context.input(2) {
                guard try constant(name, context, role: "training_mode").floats.allSatisfy({ $0 == 0 }) else {
                    throw context.unsupported("training_mode is true; only inference is supported")
                }
            }
            if context.node.outputs.count > 1, case let mask = context.node.outputs[1], !mask.isEmpty,
               readerCounts[mask] != nil || graphOutputs.contains(mask) {
                let name = names.unique("\(context.name)/mask"), count = input.shape.elementCount
                let ones = HostFunction(name: "DropoutMask", detail: "all true at inference", inputShapes: [input.shape],
                                        outputShape: input.shape) { _ in [Float](repeating: 1, count: count) }
                try emit(.hostFunction(ones), inputs: [input.graphName], name: name, context)
                try define(mask, .tensor(TensorValue(graphName: name, onnxShape: input.onnxShape, shape: input.shape, layout: input.layout,
                                                     codes: IntegerCodes(type: .bool))), context)
                try define(context.node.outputs[0], .tensor(input), context)
                return
            }
        }
        try alias(context, to: input)
    }
}
