/// One ONNX node as the host computes it: its output shape, checked when the kernel is built,
/// and a function on row-major `Float` arrays in ONNX order and shapes (`ImportSession`'s
/// `importHostFunction` converts from and to graph order around it).
struct HostKernel {
    /// The output's ONNX shape.
    var outputDims: [Int]
    /// The parameters the kernel took beyond its operands' shapes (attributes, constants), for
    /// reports and `HostFunction` equality, e.g. `perm [0, 2, 3, 1]`.
    var detail: String
    /// Set when the output holds integers of this ONNX type (a QuantizeLinear's codes) rather
    /// than real values: the importer marks the output (`IntegerCodes`) so that only a graph
    /// output may take it.
    var outputType: ONNXDataType? = nil
    /// The output, row-major over `outputDims`, from the operands by ONNX input position, each
    /// row-major over its ONNX shape (an absent optional input: empty). The builder has checked
    /// every shape, so it does not fail.
    var compute: @Sendable ([[Float]]) -> [Float]
}

/// What a host kernel's builder knows of the node's inputs: for each ONNX input position,
/// absent, a computed tensor of a static shape, or a constant it may read (axes, pads, indices).
struct HostOperands {
    enum Operand {
        case absent
        case computed(dims: [Int])
        case constant(ConstantTensor)
    }

    var operands: [Operand]
    let context: NodeContext

    var count: Int { operands.count }

    /// The shape of input `index`, which must be present (computed or constant).
    func dims(_ index: Int) throws(ImportError) -> [Int] {
        switch index < operands.count ? operands[index] : .absent {
        case .absent: throw context.invalid("input \(index) is missing")
        case .computed(let dims): return dims
        case .constant(let constant): return constant.dims
        }
    }

    /// Whether input `index` is given.
    func isPresent(_ index: Int) -> Bool {
        guard index < operands.count else { return false }
        if case .absent = operands[index] { return false }
        return true
    }

    /// Input `index` as a constant (nil when absent); a computed tensor is rejected, naming `role`.
    func constant(_ index: Int, role: String) throws(ImportError) -> ConstantTensor? {
        switch index < operands.count ? operands[index] : .absent {
        case .absent: return nil
        case .constant(let constant): return constant
        case .computed:
            throw context.unsupported("\(role) (input \(index)) must be a constant (an initializer or folded shape arithmetic), "
                                        + "but it is computed")
        }
    }

    /// Input `index` as constant integers (nil when absent), each within `NodeContext.integerLimit`
    /// unless `unbounded` (Slice's starts and ends may be huge: the kernel clamps them to the axis).
    func integers(_ index: Int, role: String, unbounded: Bool = false) throws(ImportError) -> [Int]? {
        guard let constant = try constant(index, role: role) else { return nil }
        guard let values = constant.integers else { throw context.invalid("\(role) must be integers") }
        guard unbounded || values.allSatisfy({ $0.magnitude <= NodeContext.integerLimit.magnitude }) else {
            throw context.unsupported("\(role) has a value out of range")
        }
        return values.map { Int($0) }
    }

    /// Input `index` as one constant number (nil when absent).
    func scalar(_ index: Int, role: String) throws(ImportError) -> Float? {
        guard let constant = try constant(index, role: role) else { return nil }
        guard constant.count == 1 else { throw context.invalid("\(role) must be a single value, got \(constant.count)") }
        return constant.floats[0]
    }
}
