/// Constant folding: the nodes whose outputs are constants are evaluated at import time, so that
/// the shape arithmetic exporters emit (torch.onnx.export's `x.view(x.size(0), -1)` is Shape ->
/// Gather -> Unsqueeze -> Concat -> Reshape) leaves only constants behind. Every tensor's shape
/// is static, so `Shape` always folds; Identity, Reshape, Flatten, Squeeze, Unsqueeze, Concat,
/// Gather, Expand, Add, Sub, Mul, Div, QuantizeLinear and DequantizeLinear fold when all their
/// inputs are constants; `Constant` is one. (Expand is how exporters build a recurrent layer's zero initial states.)
extension ImportSession {
    /// Folds `context`'s node if its output is a constant; returns whether it did.
    mutating func foldConstant(_ context: NodeContext) throws(ImportError) -> Bool {
        let output = context.node.outputs.first ?? ""
        switch context.opType {
        case "Constant":
            try define(output, .constant(try constantAttribute(context)), context)
            return true
        case "Shape":
            let dims = try value(try context.requiredInput(0), context).onnxShape
            let rank = dims.count
            func clamp(_ index: Int) -> Int { min(max(index < 0 ? index + rank : index, 0), rank) }
            let start = clamp(try context.int("start", default: 0)), end = clamp(try context.int("end", default: rank))
            let picked = start < end ? dims[start..<end].map(Int64.init) : []
            try define(output, .constant(ConstantTensor(dims: [picked.count], values: .integers(picked))), context)
            return true
        case "Identity", "Dropout", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Gather", "Expand", "Add", "Sub", "Mul", "Div",
             "QuantizeLinear", "DequantizeLinear":
            let inputs = context.node.inputs.filter { !$0.isEmpty }
            var constants: [ConstantTensor] = []
            for input in inputs {
                guard case .constant(let constant) = try value(input, context) else { return false }
                constants.append(constant)
            }
            guard !constants.isEmpty else { throw context.invalid("has no inputs") }
            try define(output, .constant(try fold(context, constants)), context)
            return true
        default:
            return false
        }
    }

    /// The output of a foldable node on constant `inputs`.
    private func fold(_ context: NodeContext, _ inputs: [ConstantTensor]) throws(ImportError) -> ConstantTensor {
        let data = inputs[0]
        switch context.opType {
        case "Identity", "Dropout":
            return data
        case "Reshape":
            guard inputs.count == 2, let shape = inputs[1].integers else { throw context.invalid("needs an integer shape input") }
            let allowZero = try context.int("allowzero", default: 0) != 0
            return ConstantTensor(dims: try ShapeArithmetic.reshape(data.dims, to: shape, allowZero: allowZero, context), values: data.values)
        case "Flatten":
            return ConstantTensor(dims: try ShapeArithmetic.flatten(data.dims, axis: try context.int("axis", default: 1), context),
                                  values: data.values)
        case "Squeeze":
            return ConstantTensor(dims: try ShapeArithmetic.squeeze(data.dims, axes: try axes(context), context), values: data.values)
        case "Unsqueeze":
            guard let axes = try axes(context) else { throw context.invalid("needs axes") }
            return ConstantTensor(dims: try ShapeArithmetic.unsqueeze(data.dims, axes: axes, context), values: data.values)
        case "Concat":
            return try concatenate(inputs, context)
        case "Gather":
            guard inputs.count == 2 else { throw context.invalid("needs data and indices") }
            return try gather(data, inputs[1], context)
        case "Expand":
            guard inputs.count == 2, let shape = inputs[1].integers else { throw context.invalid("needs an integer shape input") }
            return try expand(data, to: shape, context)
        case "QuantizeLinear":
            return try quantize(data, inputs, context)
        case "DequantizeLinear":
            return try dequantize(data, inputs, context)
        default:
            guard inputs.count == 2 else { throw context.invalid("needs two inputs") }
            return try arithmetic(inputs[0], inputs[1], context)
        }
    }

    /// Expand: `data` broadcast to `shape` by NumPy's rules (right-aligned; a size-1 axis of
    /// either stretches), so the result has the larger of each pair of sizes.
    private func expand(_ data: ConstantTensor, to shape: [Int64], _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        guard shape.allSatisfy({ (0...(1 << 24)).contains($0) }) else { throw context.invalid("shape \(shape) is out of range") }
        let rank = max(data.dims.count, shape.count)
        let from = Array(repeating: 1, count: rank - data.dims.count) + data.dims
        let to = Array(repeating: 1, count: rank - shape.count) + shape.map { Int($0) }
        var dims: [Int] = []
        for (a, b) in zip(from, to) {
            guard a == b || a == 1 || b == 1 else { throw context.invalid("cannot expand \(data.dims) to \(shape)") }
            dims.append(a == 1 ? b : a)
        }
        let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= 1 << 24 else { throw context.invalid("expanding to \(dims) makes too large a constant") }
        // Source index of each output element: its coordinates, with 0 on the stretched axes.
        let sources = (0..<count).map { index -> Int in
            var rest = index, source = 0, step = 1
            for axis in (0..<rank).reversed() {
                let coordinate = rest % dims[axis]
                rest /= dims[axis]
                if from[axis] != 1 { source += coordinate * step }
                step *= from[axis]
            }
            return source
        }
        switch data.values {
        case .floats(let values): return ConstantTensor(dims: dims, values: .floats(sources.map { values[$0] }))
        case .integers(let values): return ConstantTensor(dims: dims, values: .integers(sources.map { values[$0] }))
        }
    }

    /// The axes of Squeeze or Unsqueeze: the constant second input (opset 13 on) or the `axes`
    /// attribute (before); nil when neither is given.
    func axes(_ context: NodeContext) throws(ImportError) -> [Int]? {
        if let name = context.input(1) {
            guard let axes = try constant(name, context, role: "axes").integers else { throw context.invalid("axes must be integers") }
            guard axes.allSatisfy({ $0.magnitude <= 64 }) else { throw context.invalid("axes are out of range") }
            return axes.map { Int($0) }
        }
        return try context.ints("axes")
    }

    /// The tensor a `Constant` node holds (`value`, `value_float(s)`, `value_int(s)`).
    private func constantAttribute(_ context: NodeContext) throws(ImportError) -> ConstantTensor {
        guard let attribute = context.node.attributes.first else { throw context.invalid("has no value attribute") }
        switch (attribute.name, attribute.value) {
        case ("value", .tensor(let tensor)):
            guard let constant = ConstantTensor(tensor) else { throw context.unsupported("its value is of element type \(tensor.dataType)") }
            return constant
        case ("value_float", .float(let value)): return ConstantTensor(dims: [], values: .floats([value]))
        case ("value_floats", .floats(let values)): return ConstantTensor(dims: [values.count], values: .floats(values))
        case ("value_int", .int(let value)): return ConstantTensor(dims: [], values: .integers([value]))
        case ("value_ints", .ints(let values)): return ConstantTensor(dims: [values.count], values: .integers(values))
        default:
            throw context.unsupported("attribute '\(attribute.name)' of type \(attribute.value.typeName) is not supported "
                                        + "(value, value_float(s) or value_int(s))")
        }
    }

    private func concatenate(_ inputs: [ConstantTensor], _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        let rank = inputs[0].dims.count
        guard rank > 0 else { throw context.invalid("cannot concatenate scalars") }
        guard let axisAttribute = try context.int("axis") else { throw context.invalid("needs the attribute 'axis'") }
        let axis = try ShapeArithmetic.normalize(axis: axisAttribute, rank: rank, context)
        for input in inputs where input.dims.count != rank
            || input.dims.enumerated().contains(where: { $0.offset != axis && $0.element != inputs[0].dims[$0.offset] }) {
            throw context.invalid("inputs of shapes " + inputs.map { ShapeMapping.text($0.dims) }.joined(separator: ", ")
                                    + " do not concatenate along axis \(axis)")
        }
        let outer = inputs[0].dims[..<axis].reduce(1, *), inner = inputs[0].dims[(axis + 1)...].reduce(1, *)
        var dims = inputs[0].dims
        dims[axis] = inputs.reduce(0) { $0 + $1.dims[axis] }
        let isInteger = inputs.allSatisfy { $0.integers != nil }
        var floats: [Float] = [], integers: [Int64] = []
        for block in 0..<outer {
            for input in inputs {
                let size = input.dims[axis] * inner
                if isInteger {
                    integers += input.integers![(block * size)..<((block + 1) * size)]
                } else {
                    floats += input.floats[(block * size)..<((block + 1) * size)]
                }
            }
        }
        return ConstantTensor(dims: dims, values: isInteger ? .integers(integers) : .floats(floats))
    }

    private func gather(_ data: ConstantTensor, _ indices: ConstantTensor, _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        guard let picks = indices.integers else { throw context.invalid("indices must be integers") }
        guard !data.dims.isEmpty else { throw context.invalid("cannot gather from a scalar") }
        let axis = try ShapeArithmetic.normalize(axis: try context.int("axis", default: 0), rank: data.dims.count, context)
        let size = data.dims[axis]
        let outer = data.dims[..<axis].reduce(1, *), inner = data.dims[(axis + 1)...].reduce(1, *)
        var chosen: [Int] = []
        for pick in picks {
            guard pick >= -Int64(size), pick < Int64(size) else { throw context.invalid("index \(pick) is out of range for size \(size)") }
            chosen.append(pick < 0 ? Int(pick) + size : Int(pick))
        }
        var positions: [Int] = []
        for block in 0..<outer {
            for index in chosen {
                let start = (block * size + index) * inner
                positions += start..<(start + inner)
            }
        }
        return data.picking(positions, dims: Array(data.dims[..<axis]) + indices.dims + Array(data.dims[(axis + 1)...]))
    }

    /// Add, Sub, Mul or Div with numpy broadcasting; integer when both are (Div truncates, as
    /// onnxruntime does), else float.
    private func arithmetic(_ a: ConstantTensor, _ b: ConstantTensor, _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        let rank = max(a.dims.count, b.dims.count)
        let left = [Int](repeating: 1, count: rank - a.dims.count) + a.dims
        let right = [Int](repeating: 1, count: rank - b.dims.count) + b.dims
        var dims: [Int] = []
        for (x, y) in zip(left, right) {
            guard x == y || x == 1 || y == 1 else {
                throw context.invalid("shapes \(ShapeMapping.text(a.dims)) and \(ShapeMapping.text(b.dims)) do not broadcast")
            }
            dims.append(x == 1 ? y : x)
        }
        guard let count = ShapeMapping.elementCount(dims), count <= 1 << 24 else {
            throw context.unsupported("the folded constant is too large")
        }
        /// The flat index into a tensor of `source` dims (right-aligned, broadcast) of output element `flat`.
        func index(_ flat: Int, _ source: [Int]) -> Int {
            var remainder = flat, result = 0, step = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let coordinate = remainder % dims[axis]
                remainder /= dims[axis]
                if source[axis] != 1 { result += coordinate * step }
                step *= source[axis]
            }
            return result
        }
        let op = context.opType
        if let x = a.integers, let y = b.integers {
            var values: [Int64] = []
            for flat in 0..<count {
                let (p, q) = (x[index(flat, left)], y[index(flat, right)])
                switch op {
                case "Add": values.append(p &+ q)
                case "Sub": values.append(p &- q)
                case "Mul": values.append(p &* q)
                default:
                    guard q != 0 else { throw context.invalid("divides by zero") }
                    values.append(p.dividedReportingOverflow(by: q).partialValue)
                }
            }
            return ConstantTensor(dims: dims, values: .integers(values))
        }
        let (x, y) = (a.floats, b.floats)
        let values = (0..<count).map { flat -> Float in
            let (p, q) = (x[index(flat, left)], y[index(flat, right)])
            switch op {
            case "Add": return p + q
            case "Sub": return p - q
            case "Mul": return p * q
            default: return p / q
            }
        }
        return ConstantTensor(dims: dims, values: .floats(values))
    }
}
