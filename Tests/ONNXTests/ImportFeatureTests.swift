import Compiler
import HostRuntime
import Testing
@testable import ONNX

/// What the importer makes of forms the fixtures do not show: padding folded or materialized,
/// batch norms fused or alone, a flattened map's weight rows, node names, shared outputs.
struct ImportFeatureTests {
    typealias M = ImportTestModels

    /// The fp32 graph reference of `model` on `onnxInput` (ONNX order), output `index` in ONNX order.
    static func reference(_ model: ImportedModel, _ onnxInput: [Float], output index: Int = 0) throws -> [Float] {
        let input = model.inputs[0], output = model.outputs[index]
        let values = try FloatGraphReference.run(model.graph, parameters: model.parameters,
                                                 inputs: [input.graphName: input.toGraphOrder(onnxInput)])
        return output.toONNXOrder(try #require(values[output.graphName]))
    }

    /// Runs `model` on the device in int8 on `onnxInput`, verifying against the integer reference.
    static func runsBitExact(_ model: ImportedModel, _ onnxInput: [Float]) throws -> Bool {
        let input = model.inputs[0]
        let report = try NetworkRun.run(model.graph, options: .init(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                   parameters: model.parameters,
                                                                   inputs: [input.graphName: [input.toGraphOrder(onnxInput)]]))
        return report.verification == .bitExact
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

    @Test func zeroPadFoldsIntoTheFollowingConvolution() throws {
        let x = [M.value("x", [1, 3, 6, 6])], y = [M.output("y")], w = M.floats("w", [4, 3, 3, 3])
        let padded = try M.imported(nodes: [M.node("Pad", ["x", "pads"], ["p"], name: "pad"), M.node("Conv", ["p", "w"], ["y"], name: "conv")],
                                    initializers: [w, M.ints("pads", [0, 0, 1, 2, 0, 0, 2, 1])], inputs: x, outputs: y)
        let direct = try M.imported(nodes: [M.node("Conv", ["x", "w"], ["y"], name: "conv", ["pads": .ints([1, 2, 2, 1])])],
                                    initializers: [w], inputs: x, outputs: y)
        #expect(padded.graph.nodes.map(\.name) == ["conv"])
        #expect(padded.graph == direct.graph)
        let input = M.input(for: padded.inputs[0])
        #expect(try Self.reference(padded, input) == Self.reference(direct, input))
        #expect(try Self.runsBitExact(padded, input))
    }

    /// Expand on constants folds (exporters build an LSTM's zero initial states so): a `[3, 1, 1]`
    /// constant broadcast to `[1, 3, 1, 1]` and added to the input is a per-channel bias.
    @Test func expandOfConstantsFolds() throws {
        let nodes = [M.node("Expand", ["c", "shape"], ["e"], name: "expand"), M.node("Add", ["x", "e"], ["y"], name: "add")]
        let initializers = [M.floats("c", [3, 1, 1], [1, -2, 0.5]), M.ints("shape", [1, 3, 1, 1])]
        let model = try M.imported(nodes: nodes, initializers: initializers, inputs: [M.value("x", [1, 3, 2, 2])], outputs: [M.output("y")])
        let input = M.input(for: model.inputs[0])
        let expected = input.enumerated().map { index, value in value + [1, -2, 0.5][index / 4] }
        #expect(Self.maxDifference(try Self.reference(model, input), expected) < 1e-6)
        #expect(try Self.runsBitExact(model, input))
        // Of a computed tensor it runs on the host (`ImportErrorTests.formsTheDeviceCannotRunGoToTheHost`).
    }

    @Test func zeroPadBeforeMaxPoolingBecomesAPaddingConvolution() throws {
        // Max pooling pads with -infinity, so a zero Pad cannot fold into it.
        let nodes = [M.node("Pad", ["x", "pads"], ["p"], name: "pad"),
                     M.node("MaxPool", ["p"], ["y"], name: "pool", ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])]
        let model = try M.imported(nodes: nodes, initializers: [M.ints("pads", [0, 0, 1, 0, 0, 0, 2, 3])],
                                   inputs: [M.value("x", [1, 2, 4, 5])], outputs: [M.output("y")])
        #expect(model.graph.nodes.map(\.name) == ["pad", "pool"])
        #expect(model.outputs[0].onnxShape == [1, 2, 3, 4])
        // A padded map of negative values: the zeros win where the window covers padding.
        let input = (0..<40).map { -Float($0 + 1) / 8 }
        var padded = [Float](repeating: 0, count: 2 * 7 * 8)
        for c in 0..<2 { for h in 0..<4 { for w in 0..<5 { padded[(c * 7 + h + 1) * 8 + w] = input[(c * 4 + h) * 5 + w] } } }
        var expected: [Float] = []
        for c in 0..<2 {
            for oy in 0..<3 {
                for ox in 0..<4 {
                    expected.append([0, 1].flatMap { dy in [0, 1].map { dx in padded[(c * 7 + oy * 2 + dy) * 8 + ox * 2 + dx] } }.max()!)
                }
            }
        }
        #expect(try Self.reference(model, input) == expected)
        #expect(try Self.runsBitExact(model, input))
    }

    @Test func standaloneAsymmetricPadIsExact() throws {
        let model = try M.imported(nodes: [M.node("Pad", ["x", "pads"], ["y"], name: "pad")],
                                   initializers: [M.ints("pads", [0, 0, 1, 0, 0, 0, 2, 3])],
                                   inputs: [M.value("x", [1, 3, 4, 5])], outputs: [M.output("y")])
        let input = M.input(for: model.inputs[0])
        var expected = [Float](repeating: 0, count: 3 * 7 * 8)
        for c in 0..<3 { for h in 0..<4 { for w in 0..<5 { expected[(c * 7 + h + 1) * 8 + w] = input[(c * 4 + h) * 5 + w] } } }
        #expect(model.outputs[0].onnxShape == [1, 3, 7, 8])
        #expect(try Self.reference(model, input) == expected)
        #expect(try Self.runsBitExact(model, input))
    }

    @Test func zeroPadFoldsIntoAveragePoolingAsCountedPadding() throws {
        let nodes = [M.node("Pad", ["x", "pads"], ["p"], name: "pad"),
                     M.node("AveragePool", ["p"], ["y"], name: "pool", ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2])])]
        let model = try M.imported(nodes: nodes, initializers: [M.ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])],
                                   inputs: [M.value("x", [1, 2, 6, 6])], outputs: [M.output("y")])
        #expect(model.graph.nodes.map(\.name) == ["pool"])
        #expect(model.graph.nodes[0].op == .pooling(Pooling(kind: .average, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2,
                                                            padding: Padding(1), countIncludePadding: true)))
        #expect(try Self.runsBitExact(model, M.input(for: model.inputs[0])))
    }

    @Test func batchNormFusesIntoItsConvolutionOrStandsAlone() throws {
        let x = [M.value("x", [1, 3, 5, 5])]
        let statistics = [M.floats("g", [4]), M.floats("b", [4]), M.floats("m", [4]), M.floats("v", [4], [0.5, 1, 1.5, 2])]
        let initializers = [M.floats("w", [4, 3, 3, 3])] + statistics
        let conv = M.node("Conv", ["x", "w"], ["c"], name: "conv", ["pads": .ints([1, 1, 1, 1])])
        let bn = M.node("BatchNormalization", ["c", "g", "b", "m", "v"], ["n"], name: "bn", ["epsilon": .float(1e-3)])
        let fused = try M.imported(nodes: [conv, bn, M.node("Relu", ["n"], ["y"], name: "relu")], initializers: initializers, inputs: x,
                                   outputs: [M.output("y")])
        #expect(fused.parameters.keys.sorted() == ["conv"])
        #expect(fused.parameters["conv"]?.batchNorm?.epsilon == 1e-3)
        #expect(fused.parameters["conv"]?.batchNorm?.variance == [0.5, 1, 1.5, 2])
        let input = M.input(for: fused.inputs[0])
        #expect(try Self.runsBitExact(fused, input))

        // The convolution's output is also read by a Relu: the batch norm is a layer of its own.
        let alone = try M.imported(nodes: [conv, bn, M.node("Relu", ["c"], ["r"], name: "relu")], initializers: initializers, inputs: x,
                                   outputs: [M.output("n"), M.output("r")])
        #expect(alone.parameters.keys.sorted() == ["bn", "conv"])
        #expect(alone.parameters["bn"]?.weights == [1, 1, 1, 1])
        #expect(alone.parameters["bn"]?.batchNorm == fused.parameters["conv"]?.batchNorm)
        #expect(alone.parameters["conv"]?.batchNorm == nil)
        #expect(try Self.maxDifference(Self.reference(alone, input), Self.reference(fused, input).map { max($0, 0) }) > 0)
        #expect(try Self.maxDifference(Self.reference(alone, input).map { max($0, 0) }, Self.reference(fused, input)) < 1e-5)
        #expect(try Self.runsBitExact(alone, input))
    }

    @Test func flattenedMapPermutesTheWeightRows() throws {
        // [1, 2, 2, 3] flattened (C, H, W order) into Gemm with transB = 1: y = x_chw . B^T + C.
        let b = M.floats("b", [5, 12]), c = M.floats("c", [5])
        let nodes = [M.node("Flatten", ["x"], ["f"], name: "flat"), M.node("Gemm", ["f", "b", "c"], ["y"], name: "fc", ["transB": .int(1)])]
        let model = try M.imported(nodes: nodes, initializers: [b, c], inputs: [M.value("x", [1, 2, 2, 3])], outputs: [M.output("y")])
        let input = M.input(for: model.inputs[0])
        let weights = try b.floatValues(), bias = try c.floatValues()
        let expected = (0..<5).map { n in (0..<12).reduce(bias[n]) { $0 + input[$1] * weights[n * 12 + $1] } }
        #expect(Self.maxDifference(try Self.reference(model, input), expected) < 1e-5)
        #expect(model.graph.nodes.map(\.op.kind) == ["flatten", "fc"])
        #expect(try Self.runsBitExact(model, input))
    }

    @Test func nodeNamesAreUniqueGraphNames() throws {
        // Unnamed, duplicated, and named like the graph input: all fall back to <op_type>_<index>.
        let nodes = [M.node("Relu", ["x"], ["a"]), M.node("Sigmoid", ["a"], ["b"], name: "dup"), M.node("Tanh", ["b"], ["c"], name: "dup"),
                     M.node("Relu", ["c"], ["d"], name: "x"), M.node("Relu", ["d"], ["y"], name: "last")]
        let model = try M.imported(nodes: nodes, inputs: [M.value("x", [1, 4])], outputs: [M.output("y")])
        #expect(model.graph.nodes.map(\.name) == ["Relu_0", "Sigmoid_1", "Tanh_2", "Relu_3", "last"])
        #expect(model.outputs == [ImportedTensor(onnxName: "y", onnxShape: [1, 4], graphName: "last",
                                                 shape: FeatureShape(height: 1, width: 1, channels: 4))])
    }

    @Test func symbolicBatchIsOne() throws {
        let shape = [ONNXDimension(.symbolic("N")), ONNXDimension(.known(6))]
        let input = ONNXValueInfo(name: "x", type: .tensor(elementType: .float, shape: shape))
        let model = try M.imported(nodes: [M.node("Relu", ["x"], ["y"], name: "relu")], inputs: [input], outputs: [M.output("y")])
        #expect(model.inputs[0].onnxShape == [1, 6])
        #expect(model.graph.inputs == [Graph.Input(name: "x", shape: FeatureShape(height: 1, width: 1, channels: 6))])
    }

    @Test func outputsSharingATensorGetTheirOwnNodes() throws {
        let nodes = [M.node("Relu", ["x"], ["r"], name: "relu"), M.node("Identity", ["r"], ["i"], name: "same")]
        let model = try M.imported(nodes: nodes, inputs: [M.value("x", [1, 3, 2, 2])], outputs: [M.output("r"), M.output("i")])
        #expect(model.outputs.map(\.graphName) == ["relu", "relu/copy"])
        let input = M.input(for: model.inputs[0])
        #expect(try Self.reference(model, input, output: 1) == input.map { max($0, 0) })
        #expect(try Self.runsBitExact(model, input))
    }

    @Test func matMulThenConstantAddOnAVector() throws {
        let nodes = [M.node("MatMul", ["x", "w"], ["m"], name: "proj"), M.node("Add", ["m", "b"], ["y"], name: "bias")]
        let w = M.floats("w", [6, 3]), b = M.floats("b", [3], [0.5, -0.25, 1])
        let model = try M.imported(nodes: nodes, initializers: [w, b], inputs: [M.value("x", [1, 6])], outputs: [M.output("y")])
        let input = M.input(for: model.inputs[0])
        let weights = try w.floatValues()
        let expected = (0..<3).map { n in (0..<6).reduce(Float(0)) { $0 + input[$1] * weights[$1 * 3 + n] } + [0.5, -0.25, 1][n] }
        #expect(Self.maxDifference(try Self.reference(model, input), expected) < 1e-5)
        #expect(try Self.runsBitExact(model, input))
    }
}
