extension HostKernels {
    /// Pad in mode `constant` (with `constant_value`, default 0), `reflect` (mirrored without
    /// repeating the edge) or `edge` (the edge repeated). The pads `[begin..., end...]` per axis
    /// (negative: cropping) and the value are constant inputs from opset 11 (with the axes they
    /// apply to, input 3, from opset 18), attributes `pads` and `value` before.
    static func pad(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0), rank = dims.count
        let mode = try context.string("mode", default: "constant")
        guard ["constant", "reflect", "edge"].contains(mode) else {
            throw context.unsupported("mode '\(mode)'; the host pads in modes constant, reflect and edge")
        }
        var pads: [Int], value: Float, axes = Array(0..<rank)
        if context.opset >= 11 {
            guard let given = try operands.integers(1, role: "pads") else { throw context.invalid("needs pads") }
            pads = given
            value = try operands.scalar(2, role: "constant_value") ?? 0
            if let given = try operands.integers(3, role: "axes") {
                axes = []
                for axis in given { axes.append(try ShapeArithmetic.normalize(axis: axis, rank: rank, context)) }
                guard Set(axes).count == axes.count else { throw context.invalid("axes \(ShapeMapping.text(given)) repeat an axis") }
            }
        } else {
            guard let given = try context.ints("pads") else { throw context.invalid("needs pads") }
            pads = given
            value = try context.float("value", default: 0)
        }
        guard pads.count == 2 * axes.count else { throw context.invalid("has \(pads.count) pads for \(axes.count) axes") }
        var before = [Int](repeating: 0, count: rank), after = before
        for (index, axis) in axes.enumerated() { (before[axis], after[axis]) = (pads[index], pads[index + axes.count]) }
        var output: [Int] = []
        for axis in 0..<rank {
            output.append(dims[axis] + before[axis] + after[axis])
            guard output[axis] > 0 else { throw context.invalid("pads \(ShapeMapping.text(pads)) leave axis \(axis) empty") }
            if mode == "reflect", before[axis] >= dims[axis] || after[axis] >= dims[axis] {
                throw context.unsupported("reflect pads \(ShapeMapping.text(pads)) reach past axis \(axis) of size \(dims[axis])")
            }
        }
        let strides = RowMajor.strides(dims)
        let detail = "mode \(mode), pads \(ShapeMapping.text(before + after))" + (mode == "constant" ? ", value \(value)" : "")
        return HostKernel(outputDims: output, detail: detail) { [output, before, value] values in
            // Each output element's source index, or -1 for the constant.
            RowMajor.sourceIndices(output) { coordinates in
                var index = 0
                for axis in 0..<rank {
                    var source = coordinates[axis] - before[axis]
                    let size = dims[axis]
                    if source < 0 || source >= size {
                        switch mode {
                        case "constant": return -1
                        case "edge": source = min(max(source, 0), size - 1)
                        default: source = source < 0 ? -source : 2 * (size - 1) - source
                        }
                    }
                    index += source * strides[axis]
                }
                return index
            }.map { $0 < 0 ? value : values[0][$0] }
        }
    }
}
