import Foundation

extension HostKernels {
    /// Softmax `exp(x - max) / sum exp(x - max)`: from opset 13 over the one `axis` (default -1);
    /// before, over `axis` (default 1) and every later axis together (the input seen as a matrix
    /// of `dims[..<axis]` rows).
    static func softmax(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        guard !dims.isEmpty else { throw context.invalid("input is a scalar; Softmax needs an axis") }
        let old = context.opset < 13
        let axis = try ShapeArithmetic.normalize(axis: try context.int("axis", default: old ? 1 : -1), rank: dims.count, context)
        // Element k of the run (o, i) lies at (o * length + k) * inner + i.
        let outer = RowMajor.count(Array(dims[..<axis]))
        let length = old ? RowMajor.count(Array(dims[axis...])) : dims[axis]
        let inner = old ? 1 : RowMajor.count(Array(dims[(axis + 1)...]))
        return HostKernel(outputDims: dims, detail: old ? "axes \(axis) and later" : "axis \(axis)") { values in
            var result = values[0]
            for o in 0..<outer {
                for i in 0..<inner {
                    let positions = (0..<length).map { (o * length + $0) * inner + i }
                    let largest = positions.map { result[$0] }.max()!
                    var sum: Float = 0
                    for position in positions {
                        result[position] = exp(result[position] - largest)
                        sum += result[position]
                    }
                    for position in positions { result[position] /= sum }
                }
            }
            return result
        }
    }
}
