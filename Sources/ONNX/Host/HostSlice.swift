extension HostKernels {
    /// Slice: along each of `axes` (default all, in order), the elements from `starts` towards
    /// `ends` (exclusive) in `steps` (default 1; negative walks backwards). Negative starts and
    /// ends count from the end of the axis; then both are clamped to it (to `[0, size]` for a
    /// positive step, `[0, size - 1]` and `[-1, size - 1]` for a negative one), so huge values
    /// mean "to the end". Starts, ends, axes and steps are constant inputs from opset 10,
    /// attributes (without steps) before.
    static func slice(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0), rank = dims.count
        let starts: [Int], ends: [Int], given: [Int]?, steps: [Int]?
        if context.opset >= 10 {
            guard let s = try operands.integers(1, role: "starts", unbounded: true),
                  let e = try operands.integers(2, role: "ends", unbounded: true) else { throw context.invalid("needs starts and ends") }
            (starts, ends) = (s, e)
            given = try operands.integers(3, role: "axes")
            steps = try operands.integers(4, role: "steps", unbounded: true)
        } else {
            guard let s = try unboundedInts(context, "starts"), let e = try unboundedInts(context, "ends") else {
                throw context.invalid("needs the attributes 'starts' and 'ends'")
            }
            (starts, ends) = (s, e)
            given = try context.ints("axes")
            steps = nil
        }
        let axisList = given ?? Array(0..<starts.count)
        guard ends.count == starts.count, axisList.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw context.invalid("starts, ends, axes and steps differ in length")
        }
        var begin = [Int](repeating: 0, count: rank), step = [Int](repeating: 1, count: rank), output = dims, seen: Set<Int> = []
        for (index, given) in axisList.enumerated() {
            let axis = try ShapeArithmetic.normalize(axis: given, rank: rank, context)
            guard seen.insert(axis).inserted else { throw context.invalid("axes \(ShapeMapping.text(axisList)) repeat an axis") }
            let size = dims[axis]
            let rawStep = steps?[index] ?? 1
            guard rawStep != 0 else { throw context.invalid("steps must not be 0") }
            // A step beyond the axis takes at most one element either way.
            let by = rawStep > 0 ? min(rawStep, size) : max(rawStep, -size)
            var start = starts[index] < 0 ? max(starts[index], -size) + size : starts[index]
            var end = ends[index] < 0 ? max(ends[index], -size - 1) + size : ends[index]
            if by > 0 {
                (start, end) = (min(start, size), min(max(end, 0), size))
            } else {
                (start, end) = (min(start, size - 1), min(max(end, -1), size - 1))
            }
            let length = by > 0 ? max(0, (end - start + by - 1) / by) : max(0, (start - end - by - 1) / -by)
            (begin[axis], step[axis], output[axis]) = (start, by, length)
        }
        let strides = RowMajor.strides(dims)
        let detail = "starts \(ShapeMapping.text(begin)), steps \(ShapeMapping.text(step))"
        return HostKernel(outputDims: output, detail: detail) { [output, begin, step] values in
            RowMajor.sourceIndices(output) { coordinates in
                (0..<rank).reduce(0) { $0 + (begin[$1] + coordinates[$1] * step[$1]) * strides[$1] }
            }.map { values[0][$0] }
        }
    }

    /// An INTS attribute without `NodeContext`'s range check (Slice's ends are often INT64_MAX).
    private static func unboundedInts(_ context: NodeContext, _ name: String) throws(ImportError) -> [Int]? {
        guard let attribute = context.node.attribute(name) else { return nil }
        guard case .ints(let values) = attribute.value else { throw context.invalid("attribute '\(name)' must be INTS") }
        return values.map { Int($0) }
    }
}
