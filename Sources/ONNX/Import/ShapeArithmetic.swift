/// The output shapes of the ONNX operators that only rearrange a tensor (Reshape, Flatten,
/// Squeeze, Unsqueeze), shared by constant folding and graph tensors. Errors name the node.
enum ShapeArithmetic {
    /// `Reshape`'s output shape: `shape` with 0 copying the input's dimension (unless
    /// `allowZero`) and one -1 taking the remaining elements.
    static func reshape(_ dims: [Int], to shape: [Int64], allowZero: Bool, _ context: NodeContext) throws(ImportError) -> [Int] {
        let text = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        var result: [Int] = [], inferred: Int?
        for (index, value) in shape.enumerated() {
            if value == -1 {
                guard inferred == nil else { throw context.invalid("shape \(text) has more than one -1") }
                inferred = index
                result.append(1)
            } else if value == 0 && !allowZero {
                guard index < dims.count else {
                    throw context.invalid("shape \(text) copies dimension \(index) (0) of a rank-\(dims.count) input")
                }
                result.append(dims[index])
            } else {
                guard value >= 0, value <= NodeContext.integerLimit else { throw context.invalid("shape \(text) has the dimension \(value)") }
                result.append(Int(value))
            }
        }
        guard let total = ShapeMapping.elementCount(dims), let known = ShapeMapping.elementCount(result) else {
            throw context.invalid("shape \(text) is too large")
        }
        if let inferred {
            guard known > 0, total % known == 0 else {
                throw context.invalid("cannot reshape \(ShapeMapping.text(dims)) to \(text)")
            }
            result[inferred] = total / known
        } else if known != total {
            throw context.invalid("cannot reshape \(ShapeMapping.text(dims)) (\(total) elements) to \(text) (\(known) elements)")
        }
        return result
    }

    /// `Flatten`'s output shape: `[product of dims before axis, product from axis]`.
    static func flatten(_ dims: [Int], axis: Int, _ context: NodeContext) throws(ImportError) -> [Int] {
        let normalized = axis < 0 ? axis + dims.count : axis
        guard (0...dims.count).contains(normalized) else { throw context.invalid("axis \(axis) is out of range for rank \(dims.count)") }
        guard let outer = ShapeMapping.elementCount(Array(dims[..<normalized])),
              let inner = ShapeMapping.elementCount(Array(dims[normalized...])) else { throw context.invalid("shape is too large") }
        return [outer, inner]
    }

    /// `Squeeze`'s output shape: `dims` without the size-1 `axes` (every size-1 axis when nil).
    static func squeeze(_ dims: [Int], axes: [Int]?, _ context: NodeContext) throws(ImportError) -> [Int] {
        guard let axes else { return dims.filter { $0 != 1 } }
        let normalized = try normalize(axes, rank: dims.count, context)
        for axis in normalized where dims[axis] != 1 {
            throw context.invalid("cannot squeeze axis \(axis) of size \(dims[axis]) (shape \(ShapeMapping.text(dims)))")
        }
        return dims.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
    }

    /// `Unsqueeze`'s output shape: `dims` with size-1 axes inserted at `axes` (of the output).
    static func unsqueeze(_ dims: [Int], axes: [Int], _ context: NodeContext) throws(ImportError) -> [Int] {
        let normalized = try normalize(axes, rank: dims.count + axes.count, context)
        var result: [Int] = [], rest = dims[...]
        for axis in 0..<(dims.count + axes.count) {
            if normalized.contains(axis) {
                result.append(1)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }

    /// `axes` with negative ones counted from the end, checked in range and distinct.
    static func normalize(_ axes: [Int], rank: Int, _ context: NodeContext) throws(ImportError) -> Set<Int> {
        var result = Set<Int>()
        for axis in axes {
            let normalized = axis < 0 ? axis + rank : axis
            guard (0..<rank).contains(normalized), result.insert(normalized).inserted else {
                throw context.invalid("axes [\(axes.map(String.init).joined(separator: ", "))] are out of range or repeated for rank \(rank)")
            }
        }
        return result
    }

    /// One axis, negative counted from the end, checked in range.
    static func normalize(axis: Int, rank: Int, _ context: NodeContext) throws(ImportError) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard (0..<rank).contains(normalized) else { throw context.invalid("axis \(axis) is out of range for rank \(rank)") }
        return normalized
    }
}
