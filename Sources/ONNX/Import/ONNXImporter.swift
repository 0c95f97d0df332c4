import Compiler
import Foundation

/// Imports ONNX models into our graph IR: float models of batch 1 made of the operators in
/// `supportedOperators`, with their real weights.
///
/// Layout: ONNX tensors are NCHW, ours HWC. A value `[1, C, H, W]` becomes the graph tensor
/// `H x W x C`, `[1, N]` (or `[N]`) the vector `1 x 1 x N`, `[1, T, N]` or `[T, 1, N]`
/// (time-major, as recurrent operators take it) the sequence `1 x T x N` (`ImportedTensor`
/// converts data). Weights are reordered: Conv `[K][C/g][R][S]` to our `[R][S][C/g][K]`,
/// ConvTranspose `[C][K][R][S]` to `[R][S][C][K]`, Gemm's `B` to our `[N][M]` (`[in][out]`),
/// recurrent gate blocks to PyTorch's order. A spatial map flattened for a fully connected layer
/// is ordered C, H, W by ONNX and H, W, C by us, so the layer's weight rows are permuted instead.
///
/// What each operator becomes:
/// - Conv, ConvTranspose (groups 1), Gemm, MatMul with a constant second operand (a fully
///   connected layer; on a sequence `[1, T, N]` a 1x1 convolution), MaxPool, AveragePool,
///   GlobalAveragePool, BatchNormalization, LRN, Concat (channels), Softmax (channels), Resize
///   and Upsample (nearest, integer factor), and the activations Relu, LeakyRelu, Sigmoid, Tanh
///   and Clip ([0, 6] or [0, inf)): the node of the same kind;
/// - Add of two tensors of one shape: a residual add; Sub of two: an add of a negation;
/// - Add, Sub, Mul, Div with a constant scalar or per-channel operand: a depthwise 1x1
///   convolution with those weights and bias;
/// - Pad with zeros on H and W: folded into the padding of the Conv or AveragePool that is its
///   sole reader, otherwise a depthwise 1x1 identity convolution with that padding;
/// - LSTM, GRU and RNN (forward or bidirectional, default activations, GRU with
///   linear_before_reset 0 or 1): a recurrent node, its output `Y [T, D, 1, H]` or `Y_h [D, 1, H]`
///   held in ONNX row-major order (`ImportRecurrent.swift`);
/// - Flatten, Reshape, Squeeze, Unsqueeze, and Transpose moving only size-1 axes: nothing when
///   the graph tensor is unchanged, a flatten or reshape node when only its shape changes;
///   Identity and Dropout: nothing;
/// - QuantizeLinear and DequantizeLinear (QDQ models): a pair on a computed tensor fixes its int8
///   quantization, and weights dequantized from int8 keep their scales (`ImportQuantization.swift`);
/// - Constant, Shape, Gather and the shape arithmetic exporters emit (Shape -> Gather ->
///   Unsqueeze -> Concat -> Reshape): folded at import, every tensor's shape being static;
/// - with `ImportOptions.allowHostOps`, a node rejected as unsupported (its operator, or its form,
///   or an average pooling the device cannot divide) whose operator has a host kernel
///   (`HostKernels`): a `HostFunction` node the host computes in fp32 (`importHostFunction`).
///
/// Parameters are keyed as `NetworkRun` draws them (`ImportParameters`): by device layer
/// (`NetworkCompiler.deviceLayers`), a batch norm folded into its convolution's entry.
/// Graph node names are the ONNX node names when unique (`NameTable`).
///
/// Every failure is an `ImportError` of one line naming the node: an unsupported operator, an
/// unsupported form of a supported one, or an inconsistent model; when the host could compute
/// the node, the message ends with the hint to allow host operations (`ImportSession.hostHint`).
/// No model crashes the importer.
public enum ONNXImporter {
    /// Loads and imports the model at `url`, naming the graph after the file.
    public static func load(contentsOf url: URL, options: ImportOptions = ImportOptions()) throws -> ImportedModel {
        let model = try ONNXModel.load(contentsOf: url)
        return try importModel(model, name: url.deletingPathExtension().lastPathComponent, options: options)
    }

    /// Imports `model` as a graph named `name` (the ONNX graph's name when empty).
    public static func importModel(_ model: ONNXModel, name: String, options: ImportOptions = ImportOptions()) throws -> ImportedModel {
        try checkOperators(model.graph, options: options)
        var session = try ImportSession(model: model)
        session.allowsHostOps = options.allowHostOps
        for (index, node) in model.graph.nodes.enumerated() {
            let context = NodeContext(node: node, name: session.names.nodeNames[index], opset: model.opsetVersion)
            do {
                try session.importNodeOrHostFunction(context)
            } catch let error as ImportError {
                throw error
            } catch {
                throw context.invalid("\(error)")
            }
        }
        return try session.finish(name: name.isEmpty ? model.graph.name : name)
    }

    /// The op types this importer supports, sorted (for the error message).
    public static var supportedOperators: [String] { operators.sorted() }

    static let operators: Set<String> = [
        "Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant", "Conv", "ConvTranspose", "Div", "Dropout",
        "Expand", "Flatten", "GRU", "Gather", "Gemm", "GlobalAveragePool", "Identity", "LRN", "LSTM", "LeakyRelu", "MatMul", "MaxPool", "Mul",
        "Pad", "RNN", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Softmax", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze",
        "Upsample", "QuantizeLinear", "DequantizeLinear",
    ]

    /// Rejects the first node whose operator is not supported (or not of the default domain),
    /// before anything else, so that the message names what the model needs; an operator with a
    /// host kernel passes when host operations are allowed, and its message hints at them otherwise.
    static func checkOperators(_ graph: ONNXGraph, options: ImportOptions) throws(ImportError) {
        let initializers = Set(graph.initializers.map(\.name))
        let names = NameTable(graphInputs: graph.inputs.map(\.name).filter { !initializers.contains($0) }, nodes: graph.nodes)
        for (index, node) in graph.nodes.enumerated() {
            let isDefaultDomain = node.domain.isEmpty || node.domain == "ai.onnx"
            guard !isDefaultDomain || !operators.contains(node.opType) else { continue }
            let onHost = isDefaultDomain && HostKernels.builders[node.opType] != nil
            if onHost && options.allowHostOps { continue }
            let domain = isDefaultDomain ? "" : " (domain \(ImportError.quoted(node.domain)))"
            throw ImportError(.unsupportedOperator, ImportError.node(names.nodeNames[index], node.opType),
                              "unsupported operator\(domain); supported: " + supportedOperators.joined(separator: ", ")
                                + (onHost ? ImportSession.hostHint : ""))
        }
    }
}

extension ImportSession {
    /// Imports one node: folds it if it computes a constant, else translates it.
    mutating func importNode(_ context: NodeContext) throws {
        if try foldConstant(context) { return }
        switch context.opType {
        case "Conv": try importConvolution(context)
        case "ConvTranspose": try importTransposedConvolution(context)
        case "Pad": try importPad(context)
        case "Gemm": try importGemm(context)
        case "MatMul": try importMatMul(context)
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip": try importActivation(context)
        case "Add", "Sub", "Mul", "Div": try importArithmetic(context)
        case "BatchNormalization": try importBatchNorm(context)
        case "MaxPool", "AveragePool": try importPooling(context)
        case "GlobalAveragePool": try importGlobalAveragePool(context)
        case "LRN": try importLocalResponseNorm(context)
        case "Softmax": try importSoftmax(context)
        case "Concat": try importConcat(context)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze": try importReshape(context)
        case "Transpose": try importTranspose(context)
        case "LSTM", "GRU", "RNN": try importRecurrent(context)
        case "Identity", "Dropout": try importIdentity(context)
        case "Resize", "Upsample": try importResize(context)
        case "QuantizeLinear": try importQuantizeLinear(context)
        case "DequantizeLinear": try importDequantizeLinear(context)
        case "Gather":
            throw context.unsupported("gathers from a computed tensor; only Gather on constants (shape arithmetic) is supported")
        case "Expand":
            throw context.unsupported("expands a computed tensor; only Expand on constants (initial states) is supported")
        default:
            throw context.unsupported("unsupported operator; supported: " + ONNXImporter.supportedOperators.joined(separator: ", "))
        }
    }

    /// The imported model: graph outputs resolved (a constant is rejected; a flattened map keeps
    /// its map, `ImportedTensor.flattenedMap`;
    /// a declared static shape must match), parameters keyed by device layer. An output whose
    /// tensor is a graph input or another output's gets a node of its own, `<tensor>/copy`, an
    /// identity (`Dropout` of probability 0), since graph outputs name distinct node tensors.
    mutating func finish(name: String) throws(ImportError) -> ImportedModel {
        var outputs: [ImportedTensor] = []
        var taken = Set(graphInputs.map(\.name))
        for info in model.graph.outputs {
            let subject = "graph output \(ImportError.quoted(info.name))"
            var tensor: TensorValue
            switch values[info.name] {
            case nil: throw ImportError(.invalid, subject, "no node computes it")
            case .constant?: throw ImportError(.unsupported, subject, "is a constant; only computed outputs are supported")
            case .pad(let pad)?: tensor = try materialize(pad, as: info.name, pad.context)
            case .tensor(let value)?: tensor = value
            }
            let flattenedMap: FeatureShape? = if case .flattened(let source) = tensor.layout { source } else { nil }
            if case .tensor(let elementType, let declared)? = info.type {
                let expected = tensor.codes?.type ?? .float
                guard elementType == expected || elementType == .undefined else {
                    throw ImportError(.invalid, subject, "is declared \(elementType) but computes \(expected)")
                }
                let known = declared?.compactMap { dimension -> Int? in
                    if case .known(let size) = dimension.value { Int(size) } else { nil }
                }
                if let declared, let known, known.count == declared.count, known != tensor.onnxShape {
                    throw ImportError(.invalid, subject, "is declared \(ShapeMapping.text(known)) but computes "
                                        + ShapeMapping.text(tensor.onnxShape))
                }
            }
            if taken.contains(tensor.graphName) {
                // A graph input, or a tensor already named as an output: an output of its own.
                let copy = names.unique("\(tensor.graphName)/copy")
                let context = NodeContext(node: ONNXNode(opType: "Identity", inputs: [], outputs: []), name: copy, opset: model.opsetVersion)
                try emit(.dropout(Dropout(probability: 0)), inputs: [tensor.graphName], name: copy, context)
                tensor.graphName = copy
            }
            taken.insert(tensor.graphName)
            outputs.append(ImportedTensor(onnxName: info.name, onnxShape: tensor.onnxShape, graphName: tensor.graphName, shape: tensor.shape,
                                          isRowMajor: tensor.layout == .rowMajor ? true : nil, codes: tensor.codes,
                                          flattenedMap: flattenedMap))
        }
        guard !outputs.isEmpty else { throw ImportError(.invalid, "model", "the graph has no outputs") }
        let graph = Graph(name: name, inputs: graphInputs, nodes: nodes, outputs: outputs.map(\.graphName))
        let parameters = try ImportParameters.keyed(graph, weights: weights, statistics: statistics)
        return ImportedModel(graph: graph, parameters: parameters, inputs: importedInputs, outputs: outputs,
                             quantization: fixedQuantization)
    }
}
