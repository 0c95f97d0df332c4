extension HostKernels {
    /// Reshape, Flatten, Squeeze and Unsqueeze: the elements unchanged in row-major order, seen
    /// with the shape `ShapeArithmetic` computes (Reshape's shape and the axes of Squeeze and
    /// Unsqueeze from opset 13 are constant inputs; the axes attributes before).
    static func reshape(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        let output: [Int]
        switch context.opType {
        case "Flatten":
            output = try ShapeArithmetic.flatten(dims, axis: try context.int("axis", default: 1), context)
        case "Reshape":
            guard let shape = try operands.constant(1, role: "shape") else { throw context.invalid("needs a shape") }
            guard let integers = shape.integers else { throw context.invalid("shape must be integers") }
            output = try ShapeArithmetic.reshape(dims, to: integers, allowZero: try context.int("allowzero", default: 0) != 0, context)
        case "Squeeze":
            output = try ShapeArithmetic.squeeze(dims, axes: try axes(context, operands), context)
        default:
            guard let axes = try axes(context, operands) else { throw context.invalid("needs axes") }
            output = try ShapeArithmetic.unsqueeze(dims, axes: axes, context)
        }
        return HostKernel(outputDims: output, detail: "") { values in values[0] }
    }

    /// The axes of Squeeze or Unsqueeze: the constant input 1 (opset 13 on), else the attribute.
    private static func axes(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> [Int]? {
        if let axes = try operands.integers(1, role: "axes") { return axes }
        return try context.ints("axes")
    }

    /// Expand: input 0 broadcast with the constant `shape` by NumPy's rules (`RowMajor.broadcast`;
    /// a size-1 axis of either stretches, so the output has the larger of each pair).
    static func expand(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        guard let shape = try operands.integers(1, role: "shape") else { throw context.invalid("needs a shape") }
        guard shape.allSatisfy({ $0 >= 0 }), let output = RowMajor.broadcast([dims, shape]) else {
            throw context.invalid("cannot expand \(ShapeMapping.text(dims)) to \(ShapeMapping.text(shape))")
        }
        return HostKernel(outputDims: output, detail: "") { values in
            RowMajor.broadcastIndices(dims, to: output).map { values[0][$0] }
        }
    }
}
