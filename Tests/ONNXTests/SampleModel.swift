@testable import ONNX

/// A small model in the shape torch.onnx.export gives a Conv-ReLU network, plus a node carrying
/// an attribute of every kind and initializers of every decoded data type: the fixture of the
/// round-trip, rejection and fuzz tests.
enum SampleModel {
    static func tensor(_ name: String, _ type: ONNXDataType, _ dims: [Int], _ values: TensorValues) -> ONNXTensor {
        ONNXTensor(name: name, dataType: type, dims: dims, values: values)
    }

    static func tensorType(_ dims: [ONNXDimension.Value]?) -> ONNXType {
        .tensor(elementType: .float, shape: dims?.map { ONNXDimension($0) })
    }

    static let weight = tensor("conv.weight", .float, [2, 1, 3, 3], .float32((0..<18).map { Float($0) * 0.25 - 2 }))
    static let bias = tensor("conv.bias", .float, [2], .float32([0.5, -1.5]))

    /// One initializer of each decoded type, and the shapes at the edges (scalar, empty).
    static let typedInitializers = [
        tensor("half", .float16, [3], .float16([1.5, -0.25, 65504])),
        tensor("double", .double, [2], .double([1e-300, -2.5])),
        tensor("int8", .int8, [4], .int8([-128, -1, 0, 127])),
        tensor("uint8", .uint8, [3], .uint8([0, 128, 255])),
        tensor("int32", .int32, [2], .int32([.min, .max])),
        tensor("int64", .int64, [2, 1], .int64([.min, .max])),
        tensor("bool", .bool, [3], .bool([true, false, true])),
        tensor("scalar", .int64, [], .int64([42])),
        tensor("empty", .float, [0, 3], .float32([])),
        tensor("u16", .uint16, [2], .unsupported(.uint16)),
    ]

    static let body = ONNXGraph(
        name: "body", nodes: [ONNXNode(opType: "Relu", inputs: ["a"], outputs: ["b"], name: "inner")],
        inputs: [ONNXValueInfo(name: "a", type: tensorType([.known(2)]))],
        outputs: [ONNXValueInfo(name: "b", type: tensorType([.known(2)]))])

    /// One attribute of each `AttributeType`.
    static let everyAttribute: [ONNXAttribute] = [
        ONNXAttribute(name: "alpha", value: .float(0.125), docString: "a float"),
        ONNXAttribute(name: "axis", value: .int(-1)),
        ONNXAttribute(name: "mode", value: .string("constant ✓")),
        ONNXAttribute(name: "value", value: .tensor(tensor("t", .float16, [2], .float16([-0.5, 2])))),
        ONNXAttribute(name: "then_branch", value: .graph(body)),
        ONNXAttribute(name: "scales", value: .floats([1, 2.5, -0.0])),
        ONNXAttribute(name: "perm", value: .ints([0, 2, 1, -9_000_000_000])),
        ONNXAttribute(name: "names", value: .strings(["a", "", "c"])),
        ONNXAttribute(name: "tables", value: .tensors([tensor("t0", .int64, [1], .int64([7])),
                                                       tensor("t1", .uint8, [2], .uint8([1, 2]))])),
        ONNXAttribute(name: "branches", value: .graphs([body, body])),
        ONNXAttribute(name: "sparse", value: .unsupported(11)),
    ]

    static let graph = ONNXGraph(
        name: "main_graph",
        nodes: [
            ONNXNode(opType: "Conv", inputs: ["x", "conv.weight", "conv.bias"], outputs: ["conv_out"], name: "/conv/Conv",
                     attributes: [ONNXAttribute(name: "dilations", value: .ints([1, 1])),
                                  ONNXAttribute(name: "group", value: .int(1)),
                                  ONNXAttribute(name: "kernel_shape", value: .ints([3, 3])),
                                  ONNXAttribute(name: "pads", value: .ints([0, 0, 0, 0])),
                                  ONNXAttribute(name: "strides", value: .ints([1, 1]))]),
            ONNXNode(opType: "Relu", inputs: ["conv_out"], outputs: ["y"], name: "/relu/Relu", docString: "ReLU"),
            ONNXNode(opType: "Custom", inputs: ["y", "", "int64"], outputs: ["z", "w"], name: "custom",
                     domain: "com.example", attributes: everyAttribute),
        ],
        initializers: [weight, bias] + typedInitializers,
        inputs: [ONNXValueInfo(name: "x", type: tensorType([.symbolic("batch"), .known(1), .known(5), .known(5)])),
                 ONNXValueInfo(name: "s", type: .unsupported("sequence_type"), docString: "a sequence"),
                 ONNXValueInfo(name: "untyped", type: nil)],
        outputs: [ONNXValueInfo(name: "y", type: .tensor(elementType: .float, shape: [
                      ONNXDimension(.symbolic("batch"), denotation: "DATA_BATCH"), ONNXDimension(.known(2)),
                      ONNXDimension(.known(3)), ONNXDimension(.known(3))])),
                  ONNXValueInfo(name: "z", type: tensorType(nil))],
        valueInfo: [ONNXValueInfo(name: "conv_out", type: tensorType([.symbolic("batch"), .known(2), .unknown, .known(3)]))],
        docString: "the main graph")

    static let metadata = [ONNXStringEntry(key: "author", value: "tests"), ONNXStringEntry(key: "license", value: "MIT")]

    /// The sample model's bytes.
    static func bytes(opset: Int64 = 17, options: EncodingOptions = EncodingOptions()) -> [UInt8] {
        ONNXEncoder.model(graph, opset: opset, extraOpsets: [ONNXOperatorSetID(domain: "com.example", version: 1)],
                          metadata: metadata, options: options)
    }

    /// A Conv-only model of a few hundred bytes, for tests that decode it many times.
    static let small: [UInt8] = ONNXEncoder.model(ONNXGraph(
        name: "g", nodes: [graph.nodes[0]], initializers: [weight, bias, typedInitializers[0]],
        inputs: [graph.inputs[0]], outputs: [graph.outputs[0]], valueInfo: graph.valueInfo))
}
