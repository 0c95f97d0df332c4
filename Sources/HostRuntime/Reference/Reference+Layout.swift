import ISA

/// Data movement without arithmetic: the bytes are copied as they are.
extension Reference {
    /// Elements `start ..< start + length` along `axis` (negative axes count from the end).
    public static func slice(_ a: Tensor, axis: Int, start: Int, length: Int) throws(ReferenceError) -> Tensor {
        let axis = try resolve(axis, rank: a.shape.count, "slice")
        let extent = a.shape[axis]
        guard start >= 0, length >= 0, start <= extent, length <= extent - start else {
            throw ReferenceError("slice", "elements \(start)..<\(start &+ length) are outside axis \(axis) of \(a.description)")
        }
        var shape = a.shape
        shape[axis] = length
        let inner = a.shape[(axis + 1)...].reduce(1, *) * a.type.byteSize
        let outer = a.shape[..<axis].reduce(1, *)
        var bytes = [UInt8]()
        bytes.reserveCapacity(outer * length * inner)
        a.withUnsafeBytes { source in
            for index in 0..<outer {
                let from = (index * extent + start) * inner
                bytes.append(contentsOf: source[from..<(from + length * inner)])
            }
        }
        return Tensor(shape: shape, type: a.type, bytes: bytes)
    }

    /// The tensors joined along `axis` (negative axes count from the end); they have one type
    /// and equal extents on every other axis.
    public static func concat(_ tensors: [Tensor], axis: Int) throws(ReferenceError) -> Tensor {
        guard let first = tensors.first else { throw ReferenceError("concat", "needs at least one tensor") }
        let axis = try resolve(axis, rank: first.shape.count, "concat")
        for tensor in tensors.dropFirst() {
            guard tensor.type == first.type else {
                throw ReferenceError("concat", "operands are \(first.type) and \(tensor.type)")
            }
            var expected = first.shape
            if tensor.shape.count == expected.count { expected[axis] = tensor.shape[axis] }
            guard tensor.shape == expected else {
                throw ReferenceError("concat", "\(tensor.description) does not match \(first.description) outside axis \(axis)")
            }
        }
        var shape = first.shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        _ = try checkedElementCount(shape, "concat")
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *) * first.type.byteSize
        var bytes = [UInt8]()
        bytes.reserveCapacity(shape.reduce(1, *) * first.type.byteSize)
        for index in 0..<outer {
            for tensor in tensors {
                let chunk = tensor.shape[axis] * inner
                bytes.append(contentsOf: tensor.bytes[(index * chunk)..<((index + 1) * chunk)])
            }
        }
        return Tensor(shape: shape, type: first.type, bytes: bytes)
    }

    /// The same elements under `shape`, which must have the same element count.
    public static func reshape(_ a: Tensor, to shape: [Int]) throws(ReferenceError) -> Tensor {
        guard try checkedElementCount(shape, "reshape") == a.elementCount else {
            throw ReferenceError("reshape", "cannot reshape \(a.description) (\(a.elementCount) elements) to \(shape)")
        }
        return a.reshaped(to: shape)
    }

    /// A tensor of `shape` whose every element is `value`, saturated to `type`'s range (the initial
    /// state of a recurrent layer).
    public static func filled(shape: [Int], value: Int64, type: ElementType) throws(ReferenceError) -> Tensor {
        let count = try checkedElementCount(shape, "fill")
        if type.isFloatingPoint { return Tensor(shape: shape, type: type, floats: Array(repeating: Float(value), count: count)) }
        let saturated = min(max(value, type.integerRange.lowerBound), type.integerRange.upperBound)
        return Tensor(shape: shape, type: type, integers: Array(repeating: saturated, count: count))
    }

    private static func resolve(_ axis: Int, rank: Int, _ operation: String) throws(ReferenceError) -> Int {
        guard (-rank..<rank).contains(axis) else {
            throw ReferenceError(operation, "axis \(axis) is out of range for rank \(rank)")
        }
        return axis < 0 ? axis + rank : axis
    }
}
