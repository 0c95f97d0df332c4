extension HostKernels {
    /// ReduceMean, ReduceSum and ReduceMax over `axes` (all axes when none are given, unless
    /// `noop_with_empty_axes`), keeping them as size-1 axes when `keepdims` (the default). The
    /// axes are a constant input from opset 18 (ReduceSum: 13), an attribute before. Sums run
    /// in input order.
    static func reduce(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0), rank = dims.count
        let axesAsInput = context.opset >= (context.opType == "ReduceSum" ? 13 : 18)
        let given: [Int]?
        if axesAsInput { given = try operands.integers(1, role: "axes") } else { given = try context.ints("axes") }
        let noop = try context.int("noop_with_empty_axes", default: 0) != 0
        let reduced: Set<Int>
        if let given, !given.isEmpty {
            reduced = try ShapeArithmetic.normalize(given, rank: rank, context)
        } else {
            reduced = axesAsInput && noop ? [] : Set(0..<rank)
        }
        let keepDims = try context.int("keepdims", default: 1) != 0
        // The output with the reduced axes kept as 1: where each input element accumulates.
        let kept = dims.indices.map { reduced.contains($0) ? 1 : dims[$0] }
        let output = keepDims ? kept : dims.indices.filter { !reduced.contains($0) }.map { dims[$0] }
        let keptStrides = RowMajor.strides(kept), count = Float(RowMajor.count(dims) / max(RowMajor.count(kept), 1))
        let op = context.opType
        let detail = "axes \(ShapeMapping.text(reduced.sorted())), keepdims \(keepDims ? 1 : 0)"
        return HostKernel(outputDims: output, detail: detail) { values in
            var result = [Float](repeating: op == "ReduceMax" ? -.infinity : 0, count: RowMajor.count(kept))
            var position = 0
            RowMajor.forEach(dims) { coordinates in
                var target = 0
                for axis in 0..<rank where !reduced.contains(axis) { target += coordinates[axis] * keptStrides[axis] }
                let value = values[0][position]
                result[target] = op == "ReduceMax" ? max(result[target], value) : result[target] + value
                position += 1
            }
            return op == "ReduceMean" ? result.map { $0 / count } : result
        }
    }
}
