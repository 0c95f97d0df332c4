import Compiler
import ISA

/// The state of one import: what every ONNX value has become so far, the graph nodes emitted,
/// and the raw parameters of each, to be keyed by device layer at the end (`finish`).
struct ImportSession {
    let model: ONNXModel
    var names: NameTable
    /// Every ONNX value defined so far: initializers, graph inputs, node outputs.
    var values: [String: ImportedValue] = [:]
    /// How many node inputs read each ONNX value (a node reading it twice counts twice).
    let readerCounts: [String: Int]
    /// The ONNX graph's output names.
    let graphOutputs: Set<String>
    /// The graph's inputs, in order.
    var graphInputs: [Graph.Input] = []
    /// The ONNX graph inputs behind them.
    var importedInputs: [ImportedTensor] = []
    /// The graph nodes, in topological order.
    var nodes: [Graph.Node] = []
    /// Every graph tensor's shape.
    var shapes: [String: FeatureShape] = [:]
    /// Weights and bias of each convolution, transposed convolution and fully connected node.
    var weights: [String: LayerParameters] = [:]
    /// Statistics of each batch norm node.
    var statistics: [String: BatchNormParameters] = [:]
    /// Whether operators outside the supported set become host functions (`ImportOptions.allowHostOps`).
    var allowsHostOps = false

    /// Whether `context`'s node may become a host function: a supported operator (in a form the
    /// device cannot run) always, another with `allowsHostOps`.
    func mayRunOnHost(_ context: NodeContext) -> Bool {
        allowsHostOps || ONNXImporter.operators.contains(context.opType)
    }
    /// The int8 quantization `QuantizeLinear` nodes fix, per graph tensor (`ImportQuantization.swift`).
    var fixedQuantization: [String: Quantization] = [:]

    init(model: ONNXModel) throws(ImportError) {
        self.model = model
        let graph = model.graph
        for initializer in graph.initializers {
            guard let constant = ConstantTensor(initializer) else {
                throw ImportError(.unsupported, "initializer \(ImportError.quoted(initializer.name))",
                                  "element type \(initializer.dataType) is not numeric")
            }
            values[initializer.name] = .constant(constant)
        }
        var counts: [String: Int] = [:]
        for node in graph.nodes { for input in node.inputs where !input.isEmpty { counts[input, default: 0] += 1 } }
        readerCounts = counts
        graphOutputs = Set(graph.outputs.map(\.name))
        let constants = values
        let inputs = graph.inputs.filter { constants[$0.name] == nil }
        names = NameTable(graphInputs: inputs.map(\.name), nodes: graph.nodes)
        for input in inputs { try addInput(input) }
    }

    /// A graph input for ONNX input `info`: a float tensor of a static shape of batch 1 (a
    /// symbolic or unknown leading dimension is taken as batch 1).
    private mutating func addInput(_ info: ONNXValueInfo) throws(ImportError) {
        let subject = "graph input \(ImportError.quoted(info.name))"
        guard values[info.name] == nil else { throw ImportError(.invalid, subject, "is declared twice") }
        guard case .tensor(let elementType, let declared)? = info.type else {
            throw ImportError(.unsupported, subject, "is not a tensor")
        }
        guard elementType == .float else { throw ImportError(.unsupported, subject, "is \(elementType); only FLOAT inputs are supported") }
        guard let declared else { throw ImportError(.unsupported, subject, "has no shape; give it a static shape") }
        var dims: [Int] = []
        for (axis, dimension) in declared.enumerated() {
            switch dimension.value {
            case .known(let size):
                guard size > 0, size <= Int64(Graph.Op.maximumTensorElements) else {
                    throw ImportError(.unsupported, subject, "dimension \(axis) is \(size)")
                }
                dims.append(Int(size))
            case .symbolic where axis == 0, .unknown where axis == 0:
                dims.append(1)
            case .symbolic(let symbol):
                throw ImportError(.unsupported, subject, "dimension \(axis) is the symbol \(ImportError.quoted(symbol)); "
                                    + "only the batch (dimension 0) may be dynamic")
            case .unknown:
                throw ImportError(.unsupported, subject, "dimension \(axis) is unknown; only the batch (dimension 0) may be dynamic")
            }
        }
        let shape = try Self.graphShape(dims, subject)
        graphInputs.append(Graph.Input(name: info.name, shape: shape))
        shapes[info.name] = shape
        values[info.name] = .tensor(TensorValue(graphName: info.name, onnxShape: dims, shape: shape))
        importedInputs.append(ImportedTensor(onnxName: info.name, onnxShape: dims, graphName: info.name, shape: shape))
    }

    /// The graph shape of ONNX shape `dims` (`ShapeMapping.graphShape`), checking rank, batch and size.
    static func graphShape(_ dims: [Int], _ subject: String) throws(ImportError) -> FeatureShape {
        guard (1...4).contains(dims.count), let shape = ShapeMapping.graphShape(dims) else {
            throw ImportError(.unsupported, subject, "shape \(ShapeMapping.text(dims)) has rank \(dims.count); "
                                + "supported: [N], [1, N], [1, T, N], [T, 1, N] and [1, C, H, W]")
        }
        if dims.count == 3 && dims[0] != 1 && dims[1] != 1 {
            throw ImportError(.unsupported, subject, "shape \(ShapeMapping.text(dims)) has a batch above 1 (neither of its first two "
                                + "axes is 1); only batch 1 ([1, T, N] or [T, 1, N]) is supported")
        }
        if dims.count != 3 && dims.count > 1 && dims[0] != 1 {
            throw ImportError(.unsupported, subject, "shape \(ShapeMapping.text(dims)) has batch \(dims[0]); only batch 1 is supported")
        }
        guard dims.allSatisfy({ $0 > 0 }), let count = ShapeMapping.elementCount(dims), count <= Graph.Op.maximumTensorElements else {
            throw ImportError(.unsupported, subject, "shape \(ShapeMapping.text(dims)) is empty or too large")
        }
        return shape
    }

    // MARK: Values

    /// The value named `name`, which `context`'s node reads.
    func value(_ name: String, _ context: NodeContext) throws(ImportError) -> ImportedValue {
        guard let value = values[name] else {
            throw context.invalid("input \(ImportError.quoted(name)) is missing: no initializer, graph input or earlier node defines it")
        }
        return value
    }

    /// The constant named `name` (an initializer, a `Constant` node's or folded shape arithmetic's output).
    func constant(_ name: String, _ context: NodeContext, role: String = "") throws(ImportError) -> ConstantTensor {
        guard case .constant(let constant) = try value(name, context) else {
            throw context.unsupported("\(role.isEmpty ? "input" : role) \(ImportError.quoted(name)) must be a constant "
                                        + "(an initializer or folded shape arithmetic), but it is computed")
        }
        return constant
    }

    /// The graph tensor holding `name`; a pending pad becomes a node now.
    mutating func tensor(_ name: String, _ context: NodeContext) throws(ImportError) -> TensorValue {
        switch try value(name, context) {
        case .tensor(let tensor):
            guard tensor.codes == nil else {
                throw context.unsupported("input \(ImportError.quoted(name)) is QuantizeLinear's integer output; only DequantizeLinear "
                                            + "and graph outputs may read it (a QDQ model dequantizes before every float operator)")
            }
            return tensor
        case .pad(let pad): return try materialize(pad, as: name, context)
        case .constant:
            throw context.unsupported("input \(ImportError.quoted(name)) is a constant; this operator needs a computed tensor")
        }
    }

    /// `tensor`, rejecting a flattened spatial map (whose element order only a fully connected
    /// layer can take) and a row-major value (which only reshapes can take).
    mutating func naturalTensor(_ name: String, _ context: NodeContext) throws(ImportError) -> TensorValue {
        let tensor = try tensor(name, context)
        switch tensor.layout {
        case .natural: break
        case .flattened(let source): throw context.unsupported(Self.flattenedMessage(name, source))
        case .rowMajor: throw context.unsupported(Self.rowMajorMessage(name, tensor))
        }
        return tensor
    }

    static func rowMajorMessage(_ name: String, _ tensor: TensorValue) -> String {
        "input \(ImportError.quoted(name)) of shape \(ShapeMapping.text(tensor.onnxShape)) is held in ONNX row-major order as "
            + "\(tensor.shape) (a recurrent output); only Squeeze, Reshape, Unsqueeze, Flatten and Transposes moving size-1 axes "
            + "may read it, e.g. to the sequence [T, 1, D*H]"
    }

    /// The value `graphName` of ONNX shape `dims` and graph shape `shape`, its elements in ONNX
    /// row-major order: natural when that is its natural mapping, else `.rowMajor`.
    static func rowMajorValue(graphName: String, onnxShape dims: [Int], shape: FeatureShape) -> TensorValue {
        let natural = ShapeMapping.isRowMajor(dims) && (try? graphShape(dims, "")) == shape
        return TensorValue(graphName: graphName, onnxShape: dims, shape: shape, layout: natural ? .natural : .rowMajor)
    }

    static func flattenedMessage(_ name: String, _ source: FeatureShape) -> String {
        "input \(ImportError.quoted(name)) flattens a \(source.channels)x\(source.height)x\(source.width) map, whose ONNX order "
            + "(C, H, W) differs from our HWC order; only Gemm or MatMul (a fully connected layer) may read it"
    }

    /// Whether `context`'s node is the only reader of value `name`, and it is no graph output.
    func isSoleReader(_ name: String) -> Bool { readerCounts[name] == 1 && !graphOutputs.contains(name) }

    /// Defines ONNX value `name` (an output of `context`'s node).
    mutating func define(_ name: String, _ value: ImportedValue, _ context: NodeContext) throws(ImportError) {
        guard !name.isEmpty else { return }
        guard values[name] == nil else { throw context.invalid("output \(ImportError.quoted(name)) is defined twice") }
        values[name] = value
    }

    /// Defines the node's first output as the graph tensor `graphName` of shape `shape`.
    mutating func defineOutput(_ context: NodeContext, graphName: String, shape: FeatureShape, onnxShape: [Int],
                               layout: TensorLayout = .natural) throws(ImportError) {
        try checkOnlyFirstOutput(context)
        try define(context.node.outputs.first ?? "",
                   .tensor(TensorValue(graphName: graphName, onnxShape: onnxShape, shape: shape, layout: layout)), context)
    }

    /// Defines the node's first output as the same tensor as `tensor`, with ONNX shape `onnxShape`.
    mutating func alias(_ context: NodeContext, to tensor: TensorValue, onnxShape: [Int]? = nil) throws(ImportError) {
        var result = tensor
        if let onnxShape { result.onnxShape = onnxShape }
        try checkOnlyFirstOutput(context)
        try define(context.node.outputs.first ?? "", .tensor(result), context)
    }

    /// Rejects a node whose outputs after the first are used (a `Dropout` mask, `MaxPool` indices).
    func checkOnlyFirstOutput(_ context: NodeContext) throws(ImportError) {
        guard !context.node.outputs.isEmpty else { throw context.invalid("has no outputs") }
        for output in context.node.outputs.dropFirst() where !output.isEmpty {
            if readerCounts[output] != nil || graphOutputs.contains(output) {
                throw context.unsupported("output \(ImportError.quoted(output)) (after the first) is used; only the first output is supported")
            }
        }
    }

    // MARK: Graph nodes

    /// Appends graph node `name` computing `op` on the graph tensors `inputs`; returns its shape.
    @discardableResult
    mutating func emit(_ op: Graph.Op, inputs: [String], name: String, _ context: NodeContext) throws(ImportError) -> FeatureShape {
        let inputShapes = inputs.map { shapes[$0]! }
        let shape: FeatureShape
        do {
            shape = try op.outputShape(inputs: inputShapes, node: name)
        } catch {
            throw context.unsupported(Self.compilerMessage(error))
        }
        nodes.append(Graph.Node(name: name, op: op, inputs: inputs))
        shapes[name] = shape
        return shape
    }

    /// A compiler error's message without its layer name (the import error names the node).
    static func compilerMessage(_ error: CompilerError) -> String {
        if case .invalidLayer(_, let message) = error { return message }
        return error.description
    }

    /// A depthwise 1x1 convolution node `name` (`groups = C`) on `input` computing
    /// `scale[c] * x + bias[c]` per channel: how per-channel constants and negation run on the device.
    @discardableResult
    mutating func emitChannelAffine(_ input: TensorValue, scale: [Float], bias: [Float]?, name: String,
                                    _ context: NodeContext) throws(ImportError) -> FeatureShape {
        let channels = input.shape.channels
        let convolution = Convolution(outputChannels: channels, kernelHeight: 1, kernelWidth: 1, groups: channels)
        let shape = try emit(.convolution(convolution, hasBias: bias != nil), inputs: [input.graphName], name: name, context)
        weights[name] = LayerParameters(weights: scale, bias: bias)
        return shape
    }

    /// Makes a pending zero padding a node: a depthwise identity convolution that pads. The
    /// device needs every padding smaller than the kernel's reach, so a padding of `t` rows on
    /// top and `b` below is a `(t + b + 1)`-row kernel, one-hot at row `b`, with `t + b` rows of
    /// padding on both sides: output row `i` reads input row `i + b - (t + b) = i - t`. Likewise
    /// the columns. Errors name the `Pad` node.
    mutating func materialize(_ pad: PendingPad, as name: String, _ context: NodeContext) throws(ImportError) -> TensorValue {
        let channels = pad.source.shape.channels, p = pad.padding
        let (height, width) = (p.top + p.bottom + 1, p.left + p.right + 1)
        let convolution = Convolution(outputChannels: channels, kernelHeight: height, kernelWidth: width,
                                      padding: Padding(top: height - 1, bottom: height - 1, left: width - 1, right: width - 1),
                                      groups: channels)
        let shape = try emit(.convolution(convolution, hasBias: false), inputs: [pad.source.graphName], name: pad.context.name, pad.context)
        var kernel = [Float](repeating: 0, count: height * width * channels)
        let tap = (p.bottom * width + p.right) * channels
        for channel in 0..<channels { kernel[tap + channel] = 1 }
        weights[pad.context.name] = LayerParameters(weights: kernel)
        let tensor = TensorValue(graphName: pad.context.name, onnxShape: pad.onnxShape, shape: shape)
        values[name] = .tensor(tensor)
        return tensor
    }
}
