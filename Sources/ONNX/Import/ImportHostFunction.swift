import Compiler

/// Nodes the host computes: a supported operator in a form the importer cannot map onto the
/// device, or (with `ImportOptions.allowHostOps`) an operator outside the supported set, with a
/// host kernel (`HostKernels`), becomes a `HostFunction` node, which `NetworkCompiler` makes a
/// host operation.
extension ImportSession {
    /// The hint an import error of a node the host could compute ends with.
    static let hostHint = "; rerun with --allow-host-ops to run it on the host"

    /// Imports `context`'s node (`importNode`). When that rejects the node itself as unsupported
    /// and its host kernel takes it: when it `mayRunOnHost`, the node becomes a host function
    /// instead (the session as before the attempt); otherwise the error gains `hostHint`. When
    /// the kernel rejects the node too, the importer's error stands (why the device cannot), or
    /// with `allowsHostOps` the kernel's (why the host cannot either).
    mutating func importNodeOrHostFunction(_ context: NodeContext) throws {
        let before = self
        do {
            try importNode(context)
        } catch let error as ImportError where error.kind != .invalid && error.subject == context.subject {
            var host = before
            do {
                try host.importHostFunction(context)
            } catch let hostError {
                throw allowsHostOps && HostKernels.builders[context.opType] != nil ? hostError : error
            }
            guard mayRunOnHost(context) else { throw ImportError(error.kind, error.subject, error.message + Self.hostHint) }
            self = host
        }
    }

    /// `context`'s node as a host function of its computed inputs (a pending pad materialized),
    /// its constant inputs built in: each input converted from graph order to ONNX row-major order
    /// by its layout (a map `[1, C, H, W]` and a flattened map from HWC to C, H, W; a row-major or
    /// lower-rank value as it is), the kernel run, and its output put in the natural graph order
    /// of its ONNX shape (`ShapeMapping.graphShape`: a shape the graph cannot hold is rejected).
    mutating func importHostFunction(_ context: NodeContext) throws(ImportError) {
        try checkOnlyFirstOutput(context)
        var operands: [HostOperands.Operand] = [], inputs: [TensorValue] = [], positions: [Int] = []
        var constants: [Int: [Float]] = [:], described: [String] = []
        for (position, name) in context.node.inputs.enumerated() {
            guard !name.isEmpty else { operands.append(.absent); continue }
            if case .constant(let constant) = try value(name, context) {
                operands.append(.constant(constant))
                constants[position] = constant.floats
                described.append("constant \(ShapeMapping.text(constant.dims)) #\(Self.digest(constant.floats))")
                continue
            }
            let input = try tensor(name, context)
            operands.append(.computed(dims: input.onnxShape))
            inputs.append(input)
            positions.append(position)
            described.append(ShapeMapping.text(input.onnxShape) + Self.layoutText(input.layout))
        }
        guard !inputs.isEmpty else {
            throw context.unsupported("every input is a constant; the host computes operators of computed tensors only")
        }
        guard let kernel = try HostKernels.kernel(context, HostOperands(operands: operands, context: context)) else {
            throw context.unsupported("no host kernel computes \(context.opType)")
        }
        let shape = try Self.graphShape(kernel.outputDims, context.subject)
        let orders = inputs.map(Self.onnxOrder)
        let output = ImportedTensor(onnxName: context.name, onnxShape: kernel.outputDims, graphName: context.name, shape: shape)
        let count = context.node.inputs.count, compute = kernel.compute
        let detail = described.joined(separator: ", ") + " -> " + ShapeMapping.text(kernel.outputDims)
            + (kernel.detail.isEmpty ? "" : "; " + kernel.detail)
        let function = HostFunction(name: context.opType, detail: detail, inputShapes: inputs.map(\.shape),
                                    outputShape: shape) { [constants, positions] values in
            var operands = [[Float]](repeating: [], count: count)
            for (position, constant) in constants { operands[position] = constant }
            for (index, position) in positions.enumerated() { operands[position] = orders[index].toONNXOrder(values[index]) }
            return output.toGraphOrder(compute(operands))
        }
        try emit(.hostFunction(function), inputs: inputs.map(\.graphName), name: context.name, context)
        // An integer output (a QuantizeLinear's codes): the values are the integers themselves.
        try define(context.node.outputs[0], .tensor(TensorValue(graphName: context.name, onnxShape: kernel.outputDims, shape: shape,
                                                              codes: kernel.outputType.map { IntegerCodes(type: $0) })), context)
    }

    /// How `input`'s graph tensor orders its ONNX value's elements, as an `ImportedTensor` whose
    /// `toONNXOrder` converts them.
    private static func onnxOrder(_ input: TensorValue) -> ImportedTensor {
        let map: FeatureShape? = if case .flattened(let source) = input.layout { source } else { nil }
        return ImportedTensor(onnxName: input.graphName, onnxShape: input.onnxShape, graphName: input.graphName, shape: input.shape,
                              isRowMajor: input.layout == .rowMajor ? true : nil, flattenedMap: map)
    }

    /// ` (flattened HxWxC)` or ` (row-major)` after an input's shape in a host function's detail.
    private static func layoutText(_ layout: TensorLayout) -> String {
        switch layout {
        case .natural: ""
        case .flattened(let source): " (flattened \(source))"
        case .rowMajor: " (row-major)"
        }
    }

    /// A constant's values in a host function's detail: the 64-bit FNV-1a hash of their bit
    /// patterns (offset basis 0xcbf29ce484222325, prime 0x100000001b3), in hex.
    private static func digest(_ values: [Float]) -> String {
        let hash = values.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { hash, value in
            (0..<4).reduce(hash) { ($0 ^ UInt64((value.bitPattern >> (8 * $1)) & 0xff)) &* 0x0000_0100_0000_01b3 }
        }
        return String(hash, radix: 16)
    }

    /// Whether the device compiler refuses an average pooling of `input` that gives `output`
    /// (`LayerGeometry`): one that excludes padding from its divisor while padding, or whose
    /// ceil-mode last window hangs past the padded input (it divides every window by its size).
    static func deviceRefuses(_ pooling: Pooling, input: FeatureShape, output: FeatureShape) -> Bool {
        guard pooling.kind == .average else { return false }
        let p = pooling.padding
        let overhangs = (output.height - 1) * pooling.strideY + pooling.windowHeight > input.height + p.top + p.bottom
            || (output.width - 1) * pooling.strideX + pooling.windowWidth > input.width + p.left + p.right
        return (!pooling.countIncludePadding && p != .zero) || overhangs
    }
}
