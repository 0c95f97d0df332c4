@testable import Compiler
import Testing

/// Shape inference, costs and errors of the graph IR.
@Suite struct GraphTests {
    private let image = FeatureShape(height: 8, width: 8, channels: 4)

    private func shape(_ text: String) -> FeatureShape {
        let parts = text.split(separator: "x").map { Int($0)! }
        return FeatureShape(height: parts[0], width: parts[1], channels: parts[2])
    }

    /// The error `body` throws, if it throws a `CompilerError`.
    private func error(_ body: () throws -> Void) -> CompilerError? {
        do { try body() } catch { return error as? CompilerError }
        return nil
    }

    @Test func mismatchedAddIsNamedByNode() {
        let b = GraphBuilder(name: "g", input: image)
        let left = b.input.conv(8, kernel: 3, pad: 1)
        let right = b.input.conv(8, kernel: 3)  // 6x6: no padding
        let sum = left.add(right, name: "residual")
        #expect(sum.shape == nil)
        #expect(error { _ = try b.build(output: sum) }
            == .invalidLayer(layer: "residual", "add needs two inputs of the same shape, got 8x8x8 and 6x6x8"))
    }

    @Test func concatWithDifferentSizesIsNamedByNode() {
        let b = GraphBuilder(name: "g", input: image)
        let full = b.input.conv(8, kernel: 1)
        let half = b.input.maxPool(2)
        let joined = b.scope("mixed") { b.concat([full, half]) }
        #expect(error { _ = try b.build(output: joined) }
            == .invalidLayer(layer: "mixed.concat1", "concat needs inputs with the same height and width, got 8x8x8, 4x4x4"))
    }

    @Test func concatAddsChannels() throws {
        let b = GraphBuilder(name: "g", input: image)
        let joined = b.concat([b.input.conv(8, kernel: 1), b.input, b.input.maxPool(3, stride: 1, pad: 1)])
        #expect(joined.shape == shape("8x8x16"))
        _ = try b.build(output: joined)
    }

    @Test func structuralErrors() {
        let conv = Graph.Op.convolution(Convolution(outputChannels: 2, kernelHeight: 1, kernelWidth: 1), hasBias: true)
        let input = Graph.Input(name: "x", shape: image)
        func analyze(_ nodes: [Graph.Node], outputs: [String] = ["a"]) -> CompilerError? {
            error { _ = try Graph(name: "g", inputs: [input], nodes: nodes, outputs: outputs).analyze() }
        }
        #expect(analyze([Graph.Node(name: "a", op: conv, inputs: ["y"])])
            == .invalidLayer(layer: "a", "reads unknown tensor 'y'"))
        #expect(analyze([Graph.Node(name: "a", op: conv, inputs: ["x"]), Graph.Node(name: "a", op: .softmax, inputs: ["x"])])
            == .invalidLayer(layer: "a", "duplicate tensor name (another node or graph input has it)"))
        #expect(analyze([Graph.Node(name: "x", op: conv, inputs: ["x"])])
            == .invalidLayer(layer: "x", "duplicate tensor name (another node or graph input has it)"))
        #expect(analyze([Graph.Node(name: "a", op: conv, inputs: ["b"]), Graph.Node(name: "b", op: conv, inputs: ["a"])])
            == .invalidLayer(layer: "a", "is part of a cycle"))
        #expect(analyze([Graph.Node(name: "a", op: .add, inputs: ["x"])])
            == .invalidLayer(layer: "a", "add takes 2 input(s), got 1"))
        #expect(analyze([Graph.Node(name: "a", op: conv, inputs: ["x"])], outputs: ["b"])
            == .invalidLayer(layer: "b", "graph output names no tensor"))
        #expect(analyze([Graph.Node(name: "a", op: .fullyConnected(FullyConnected(outputFeatures: 3)), inputs: ["x"])])
            == .invalidLayer(layer: "a", "fully connected input must be a vector 1x1xN, got 8x8x4 (flatten it first)"))
        #expect(analyze([Graph.Node(name: "a", op: .reshape(shape("3x3x3")), inputs: ["x"])])
            == .invalidLayer(layer: "a", "reshape from 8x8x4 (256 elements) to 3x3x3 (27 elements)"))
    }

    @Test func topologicalOrderFollowsDependencies() throws {
        let nodes = [
            Graph.Node(name: "sum", op: .add, inputs: ["left", "right"]),
            Graph.Node(name: "right", op: .activation(.relu), inputs: ["x"]),
            Graph.Node(name: "left", op: .batchNorm(BatchNorm()), inputs: ["x"]),
        ]
        let graph = Graph(name: "g", inputs: [Graph.Input(name: "x", shape: image)], nodes: nodes, outputs: ["sum"])
        #expect(try graph.topologicalOrder().map(\.name) == ["right", "left", "sum"])
        let analysis = try graph.analyze()
        #expect(analysis.consumers["x"] == ["right", "left"])
        #expect(analysis.info(of: "sum")?.inputShapes == [image, image])
        #expect(analysis.parameters == 8)  // batch norm: gamma and beta per channel
    }

    @Test(arguments: [
        // (input, kernel, stride, padding, output padding, dilation, expected): (H-1)s - 2p + d(R-1) + op + 1
        ("4x4x16", 5, 2, 2, 1, 1, "8x8x3"),
        ("4x4x16", 4, 2, 1, 0, 1, "8x8x3"),
        ("64x64x16", 3, 2, 1, 1, 1, "128x128x3"),
        ("1x1x16", 4, 1, 0, 0, 1, "4x4x3"),
        ("5x5x16", 3, 1, 0, 0, 2, "9x9x3"),
        ("7x7x16", 2, 2, 0, 0, 1, "14x14x3"),
    ])
    func transposedConvolutionShape(_ input: String, _ kernel: Int, _ stride: Int, _ pad: Int, _ outputPadding: Int,
                                    _ dilation: Int, _ expected: String) throws {
        let transposed = TransposedConvolution(outputChannels: 3, kernelHeight: kernel, kernelWidth: kernel, strideY: stride,
                                               strideX: stride, padding: Padding(pad), outputPaddingY: outputPadding,
                                               outputPaddingX: outputPadding, dilationY: dilation, dilationX: dilation)
        let op = Graph.Op.transposedConvolution(transposed)
        let output = try op.outputShape(inputs: [shape(input)], node: "t")
        #expect(output == shape(expected))
        let inputShape = shape(input)
        #expect(op.macs(inputs: [inputShape], output: output) == inputShape.elementCount * 3 * kernel * kernel)
        #expect(op.parameterCount(inputs: [inputShape]) == 16 * 3 * kernel * kernel + 3)
    }

    @Test func transposedConvolutionRejectsLargeOutputPadding() {
        let transposed = TransposedConvolution(outputChannels: 3, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                               outputPaddingY: 2, outputPaddingX: 2)
        #expect(error { _ = try Graph.Op.transposedConvolution(transposed).outputShape(inputs: [image], node: "up") }
            == .invalidLayer(layer: "up", "output padding 2,2 must be smaller than the stride or the dilation"))
    }

    @Test func shapesOfTheOtherOperations() throws {
        func output(_ op: Graph.Op, _ inputs: [String] = ["8x8x4"]) throws -> FeatureShape {
            try op.outputShape(inputs: inputs.map(shape), node: "n")
        }
        #expect(try output(.upsample(Upsample(factor: 2))) == shape("16x16x4"))
        #expect(try output(.flatten) == shape("1x1x256"))
        #expect(try output(.reshape(shape("16x4x4"))) == shape("16x4x4"))
        #expect(try output(.globalAveragePool) == shape("1x1x4"))
        #expect(try output(.localResponseNorm(.alexNet)) == shape("8x8x4"))
        #expect(try output(.dropout(Dropout(probability: 0.5))) == shape("8x8x4"))
        #expect(try output(.softmax, ["1x1x10"]) == shape("1x1x10"))
        #expect(try output(.fullyConnected(FullyConnected(outputFeatures: 10)), ["1x1x256"]) == shape("1x1x10"))
        #expect(try output(.concat, ["8x8x4", "8x8x12"]) == shape("8x8x16"))
        #expect(try output(.pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2, ceilMode: true)),
                           ["112x112x64"]) == shape("56x56x64"))
        #expect(throws: CompilerError.self) { try output(.dropout(Dropout(probability: 1))) }
        #expect(throws: CompilerError.self) { try output(.upsample(Upsample(factor: 0))) }
    }

    @Test func macsAndParametersPerNode() throws {
        let b = GraphBuilder(name: "g", input: shape("8x8x16"))
        let grouped = b.input.conv(32, kernel: 3, pad: 1, groups: 4, bias: true, name: "grouped")
        let depthwise = grouped.depthwiseConv(kernel: 3, stride: 2, pad: 1, bias: false, name: "depthwise")
        let normalized = depthwise.bn(name: "bn")
        let logits = normalized.flatten().fc(10, name: "fc")
        let analysis = try b.build(output: logits).analyze()
        func info(_ name: String) throws -> Graph.NodeInfo { try #require(analysis.info(of: name)) }
        #expect(try info("grouped").macs == 8 * 8 * 32 * 9 * 4)
        #expect(try info("grouped").parameters == 9 * 4 * 32 + 32)
        #expect(try info("depthwise").outputShape == shape("4x4x32"))
        #expect(try info("depthwise").macs == 4 * 4 * 32 * 9)
        #expect(try info("depthwise").parameters == 9 * 32)
        #expect(try info("bn").macs == 0)
        #expect(try info("bn").parameters == 64)
        #expect(try info("fc").macs == 512 * 10)
        #expect(try info("fc").parameters == 512 * 10 + 10)
        #expect(analysis.macs == (8 * 8 * 32 * 9 * 4) + (4 * 4 * 32 * 9) + 5120)
    }

    @Test func builderNamesNodesByScopeAndKind() throws {
        let b = GraphBuilder(name: "g", input: image)
        let y = b.scope("layer1") { b.scope("0") { b.input.conv(4, kernel: 3, pad: 1).bn().relu().conv(4, kernel: 1).bn() } }
        let graph = try b.build(output: y.add(b.input))
        #expect(graph.nodes.map(\.name)
            == ["layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu1", "layer1.0.conv2", "layer1.0.bn2", "add1"])
    }
}
