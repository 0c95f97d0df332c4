extension HostKernels {
    /// Concat along any `axis` (negative counted from the end) of inputs whose shapes agree on
    /// every other axis.
    static func concat(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        var shapes: [[Int]] = []
        for index in 0..<operands.count where operands.isPresent(index) { shapes.append(try operands.dims(index)) }
        guard let first = shapes.first, !first.isEmpty else { throw context.invalid("needs inputs of rank 1 or more") }
        guard let attribute = try context.int("axis") else { throw context.invalid("needs the attribute 'axis'") }
        let axis = try ShapeArithmetic.normalize(axis: attribute, rank: first.count, context)
        for shape in shapes where shape.count != first.count
            || shape.indices.contains(where: { $0 != axis && shape[$0] != first[$0] }) {
            throw context.invalid("inputs of shapes " + shapes.map(ShapeMapping.text).joined(separator: ", ")
                                    + " do not concatenate along axis \(axis)")
        }
        var output = first
        output[axis] = shapes.reduce(0) { $0 + $1[axis] }
        let outer = RowMajor.count(Array(first[..<axis])), inner = RowMajor.count(Array(first[(axis + 1)...]))
        let present = (0..<operands.count).filter(operands.isPresent)
        return HostKernel(outputDims: output, detail: "axis \(axis)") { [output, shapes] values in
            var result: [Float] = []
            result.reserveCapacity(RowMajor.count(output))
            for block in 0..<outer {
                for (position, shape) in zip(present, shapes) {
                    let size = shape[axis] * inner
                    result += values[position][(block * size)..<((block + 1) * size)]
                }
            }
            return result
        }
    }
}
