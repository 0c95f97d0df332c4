/// Index arithmetic of row-major tensors (the last axis varies fastest), the order of ONNX
/// values, for the host kernels.
enum RowMajor {
    /// The stride of each axis of `dims`, in elements.
    static func strides(_ dims: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        for axis in stride(from: dims.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * dims[axis + 1] }
        return strides
    }

    /// The number of elements of `dims` (1 for a scalar).
    static func count(_ dims: [Int]) -> Int { dims.reduce(1, *) }

    /// Calls `body` with the coordinates of every element of a tensor of shape `dims`, in
    /// row-major order.
    static func forEach(_ dims: [Int], _ body: ([Int]) -> Void) {
        let count = count(dims)
        guard count > 0 else { return }
        var coordinates = [Int](repeating: 0, count: dims.count)
        for _ in 0..<count {
            body(coordinates)
            var axis = dims.count - 1
            while axis >= 0 {
                coordinates[axis] += 1
                if coordinates[axis] < dims[axis] { break }
                coordinates[axis] = 0
                axis -= 1
            }
        }
    }

    /// For every element of a tensor of shape `dims`, in order, the flat index `source` gives for
    /// its coordinates: where a data-movement kernel takes it from.
    static func sourceIndices(_ dims: [Int], _ source: ([Int]) -> Int) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(count(dims))
        forEach(dims) { indices.append(source($0)) }
        return indices
    }

    /// The shape `shapes` broadcast to together by NumPy's rules (aligned on the last axis; an
    /// axis of size 1 stretches to the other sizes, which must agree), or nil when they do not.
    static func broadcast(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            for (axis, size) in shape.enumerated() {
                let target = axis + rank - shape.count
                if result[target] == 1 {
                    result[target] = size
                } else if size != 1 && size != result[target] {
                    return nil
                }
            }
        }
        return result
    }

    /// For every element of a tensor of shape `output`, the flat index of the element of a tensor
    /// of shape `dims` that broadcasts onto it (`broadcast`: aligned on the last axis, size-1 axes
    /// repeated). `dims` must broadcast to `output`.
    static func broadcastIndices(_ dims: [Int], to output: [Int]) -> [Int] {
        let strides = strides(dims), offset = output.count - dims.count
        return sourceIndices(output) { coordinates in
            var index = 0
            for axis in dims.indices where dims[axis] != 1 { index += coordinates[axis + offset] * strides[axis] }
            return index
        }
    }
}
