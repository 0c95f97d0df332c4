extension HostKernels {
    /// Gather: the slices of input 0 along `axis` (default 0) at constant integer `indices`
    /// (negative ones counted from the end). Output: `dims[..<axis] + indices' shape +
    /// dims[(axis + 1)...]`, so a scalar index removes the axis.
    static func gather(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        guard !dims.isEmpty else { throw context.invalid("cannot gather from a scalar") }
        let axis = try ShapeArithmetic.normalize(axis: try context.int("axis", default: 0), rank: dims.count, context)
        guard let indices = try operands.constant(1, role: "indices") else { throw context.invalid("needs indices") }
        guard let picks = indices.integers else { throw context.invalid("indices must be integers") }
        let size = dims[axis]
        var chosen: [Int] = []
        for pick in picks {
            guard pick >= -Int64(size), pick < Int64(size) else {
                throw context.invalid("index \(pick) is out of range for axis \(axis) of size \(size)")
            }
            chosen.append(pick < 0 ? Int(pick) + size : Int(pick))
        }
        let output = Array(dims[..<axis]) + indices.dims + Array(dims[(axis + 1)...])
        let outer = RowMajor.count(Array(dims[..<axis])), inner = RowMajor.count(Array(dims[(axis + 1)...]))
        return HostKernel(outputDims: output, detail: "axis \(axis)") { [chosen] values in
            var result: [Float] = []
            result.reserveCapacity(outer * chosen.count * inner)
            for block in 0..<outer {
                for index in chosen {
                    let start = (block * size + index) * inner
                    result += values[0][start..<(start + inner)]
                }
            }
            return result
        }
    }
}
