extension HostKernels {
    /// Transpose: output axis `i` is input axis `perm[i]` (`perm` defaults to the axes reversed).
    static func transpose(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0), rank = dims.count
        let perm = try context.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.count == rank, Set(perm) == Set(0..<rank) else {
            throw context.invalid("perm \(ShapeMapping.text(perm)) is no permutation of the \(rank) axes")
        }
        let output = perm.map { dims[$0] }, strides = RowMajor.strides(dims)
        return HostKernel(outputDims: output, detail: "perm \(ShapeMapping.text(perm))") { values in
            RowMajor.sourceIndices(output) { coordinates in
                zip(perm, coordinates).reduce(0) { $0 + strides[$1.0] * $1.1 }
            }.map { values[0][$0] }
        }
    }
}
