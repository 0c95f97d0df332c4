import Compiler
import Foundation
import Testing
@testable import HostRuntime

/// Naive loops in Double, written apart from the reference, to check it against.
enum Naive {
    /// Convolution with weights `[R][S][C][K]`, symmetric zero padding.
    static func convolution(_ x: [Float], _ shape: FeatureShape, weights: [Float], bias: [Float]?, filters: Int, kernel: Int,
                            stride: Int = 1, pad: Int = 0) -> [Float] {
        let oh = (shape.height + 2 * pad - kernel) / stride + 1, ow = (shape.width + 2 * pad - kernel) / stride + 1
        var out: [Float] = []
        for oy in 0..<oh {
            for ox in 0..<ow {
                for k in 0..<filters {
                    var sum = Double(bias?[k] ?? 0)
                    for r in 0..<kernel {
                        for s in 0..<kernel {
                            let y = oy * stride - pad + r, x0 = ox * stride - pad + s
                            guard y >= 0, y < shape.height, x0 >= 0, x0 < shape.width else { continue }
                            for c in 0..<shape.channels {
                                sum += Double(x[(y * shape.width + x0) * shape.channels + c]) * Double(weights[((r * kernel + s) * shape.channels + c) * filters + k])
                            }
                        }
                    }
                    out.append(Float(sum))
                }
            }
        }
        return out
    }

    static func maxPool(_ x: [Float], _ shape: FeatureShape, window: Int, stride: Int, pad: Int) -> [Float] {
        let oh = (shape.height + 2 * pad - window) / stride + 1, ow = (shape.width + 2 * pad - window) / stride + 1
        var out: [Float] = []
        for oy in 0..<oh {
            for ox in 0..<ow {
                for c in 0..<shape.channels {
                    var best = -Float.infinity
                    for r in 0..<window {
                        for s in 0..<window {
                            let y = oy * stride - pad + r, x0 = ox * stride - pad + s
                            if y >= 0, y < shape.height, x0 >= 0, x0 < shape.width {
                                best = max(best, x[(y * shape.width + x0) * shape.channels + c])
                            }
                        }
                    }
                    out.append(best)
                }
            }
        }
        return out
    }

    static func batchNorm(_ x: [Float], _ p: BatchNormParameters) -> [Float] {
        x.indices.map { i in
            let c = i % p.gamma.count
            let normalized = (Double(x[i]) - Double(p.mean[c])) / (Double(p.variance[c]) + Double(p.epsilon)).squareRoot()
            return Float(Double(p.gamma[c]) * normalized + Double(p.beta[c]))
        }
    }

    static func softmax(_ x: [Float], channels: Int) -> [Float] {
        stride(from: 0, to: x.count, by: channels).flatMap { base -> [Float] in
            let e = (0..<channels).map { Foundation.exp(Double(x[base + $0])) }
            let sum = e.reduce(0, +)
            return e.map { Float($0 / sum) }
        }
    }

    static func lrn(_ x: [Float], channels: Int, _ p: LocalResponseNorm) -> [Float] {
        x.indices.map { i in
            let c = i % channels, base = i - c
            var sum = 0.0
            for j in (c - p.size / 2)...(c + (p.size - 1) / 2) where j >= 0 && j < channels {
                sum += Double(x[base + j]) * Double(x[base + j])
            }
            return Float(Double(x[i]) / Foundation.pow(p.k + p.alpha / Double(p.size) * sum, p.beta))
        }
    }

    /// Transposed convolution as a gather over the output (weights `[R][S][C][K]`, one group).
    static func transposedConvolution(_ x: [Float], _ shape: FeatureShape, weights: [Float], bias: [Float]?,
                                      _ t: TransposedConvolution, output: FeatureShape) -> [Float] {
        var out: [Float] = []
        for oy in 0..<output.height {
            for ox in 0..<output.width {
                for k in 0..<t.outputChannels {
                    var sum = Double(bias?[k] ?? 0)
                    for r in 0..<t.kernelHeight {
                        for s in 0..<t.kernelWidth {
                            let ny = oy + t.padding.top - r * t.dilationY, nx = ox + t.padding.left - s * t.dilationX
                            guard ny >= 0, nx >= 0, ny % t.strideY == 0, nx % t.strideX == 0 else { continue }
                            let iy = ny / t.strideY, ix = nx / t.strideX
                            guard iy < shape.height, ix < shape.width else { continue }
                            for c in 0..<shape.channels {
                                sum += Double(x[(iy * shape.width + ix) * shape.channels + c])
                                    * Double(weights[((r * t.kernelWidth + s) * shape.channels + c) * t.outputChannels + k])
                            }
                        }
                    }
                    out.append(Float(sum))
                }
            }
        }
        return out
    }

    /// Channels `first..<first + count` of every pixel of an HWC map with `channels` channels.
    static func slice(_ x: [Float], channels: Int, first: Int, count: Int) -> [Float] {
        var out: [Float] = []
        for base in stride(from: 0, to: x.count, by: channels) { out += x[(base + first)..<(base + first + count)] }
        return out
    }

    /// Interleaves the pixels of HWC maps: each pixel's channels of `a`, then of `b`.
    static func interleave(_ a: [Float], _ aChannels: Int, _ b: [Float], _ bChannels: Int) -> [Float] {
        var out: [Float] = []
        for pixel in 0..<(a.count / aChannels) {
            out += a[(pixel * aChannels)..<((pixel + 1) * aChannels)]
            out += b[(pixel * bChannels)..<((pixel + 1) * bChannels)]
        }
        return out
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}

/// Seeded parameters for every device layer, drawn as `NetworkRun` draws them.
func networkParameters(_ graph: Graph, seed: UInt64 = 1) throws -> [String: LayerParameters] {
    var table: [String: LayerParameters] = [:]
    for (index, fused) in try graph.fusedLayers().enumerated() where fused.layer.convolution != nil {
        table[fused.layer.name] = LayerParameters.random(for: fused.layer, seed: seed &+ UInt64(index))
    }
    return table
}

struct GraphReferenceTests {
    /// conv+bn+relu+maxpool (fused), two branches (a 1x1 convolution read twice; a 3x3
    /// convolution+relu and a lone padded max pooling), add, concat, flatten, FC, softmax.
    func smallGraph() throws -> Graph {
        let b = GraphBuilder(name: "small", input: FeatureShape(height: 6, width: 6, channels: 2))
        let trunk = b.input.conv(4, kernel: 3, pad: 1, bias: false, name: "conv1").bn(name: "bn1").relu(name: "relu1")
            .maxPool(2, name: "pool1")
        let a = trunk.conv(3, kernel: 1, name: "a")
        let right = trunk.conv(3, kernel: 3, pad: 1, name: "b").relu(name: "brelu").maxPool(3, stride: 1, pad: 1, name: "bpool")
        let sum = a.add(right, name: "sum")
        let cat = b.concat([sum, a], name: "cat")
        return try b.build(output: cat.flatten(name: "flat").fc(5, name: "fc").softmax(name: "prob"))
    }

    @Test func smallGraphMatchesNaiveLoops() throws {
        let graph = try smallGraph()
        let parameters = try networkParameters(graph)
        #expect(Set(parameters.keys) == ["conv1", "a", "b", "fc"])
        let input = FloatData.random(count: 72, seed: 3)
        let values = try FloatGraphReference.run(graph, parameters: parameters, input: input)
        #expect(Set(values.keys) == ["input", "pool1", "a", "brelu", "bpool", "sum", "cat", "flat", "fc", "prob"])

        let shape = FeatureShape(height: 6, width: 6, channels: 2), small = FeatureShape(height: 3, width: 3, channels: 3)
        let conv1 = parameters["conv1"]!
        let trunk = Naive.maxPool(Naive.batchNorm(Naive.convolution(input, shape, weights: conv1.weights, bias: nil, filters: 4, kernel: 3, pad: 1),
                                                  conv1.batchNorm!).map { max($0, 0) },
                                  FeatureShape(height: 6, width: 6, channels: 4), window: 2, stride: 2, pad: 0)
        #expect(Naive.close(values["pool1"]!, trunk))
        let trunkShape = FeatureShape(height: 3, width: 3, channels: 4)
        let a = Naive.convolution(trunk, trunkShape, weights: parameters["a"]!.weights, bias: parameters["a"]!.bias, filters: 3, kernel: 1)
        #expect(Naive.close(values["a"]!, a))
        let right = Naive.maxPool(Naive.convolution(trunk, trunkShape, weights: parameters["b"]!.weights, bias: parameters["b"]!.bias,
                                                    filters: 3, kernel: 3, pad: 1).map { max($0, 0) },
                                  small, window: 3, stride: 1, pad: 1)
        #expect(Naive.close(values["bpool"]!, right))
        let sum = zip(a, right).map { $0 + $1 }
        let cat = Naive.interleave(sum, 3, a, 3)
        #expect(Naive.close(values["cat"]!, cat))
        #expect(values["flat"]! == values["cat"]!)
        let fc = Naive.convolution(cat, FeatureShape(height: 1, width: 1, channels: 54), weights: parameters["fc"]!.weights,
                                   bias: parameters["fc"]!.bias, filters: 5, kernel: 1)
        #expect(Naive.close(values["fc"]!, fc))
        #expect(Naive.close(values["prob"]!, Naive.softmax(fc, channels: 5)))
        #expect(abs(values["prob"]!.reduce(0, +) - 1) < 1e-5)
    }

    @Test func runsAreDeterministic() throws {
        let graph = try ModelZoo.model(named: "resnet-tiny")!.graph()
        let parameters = try networkParameters(graph, seed: 7)
        let input = FloatData.random(count: 32 * 32 * 3, seed: 9)
        let first = try FloatGraphReference.run(graph, parameters: parameters, input: input)
        let second = try FloatGraphReference.run(graph, parameters: parameters, input: input)
        #expect(first == second)
    }

    @Test func resnetTinyOutputMatchesAnalysis() throws {
        let graph = try ModelZoo.model(named: "resnet-tiny")!.graph()
        let analysis = try graph.analyze()
        let values = try FloatGraphReference.run(graph, parameters: try networkParameters(graph),
                                                 input: FloatData.random(count: 32 * 32 * 3, seed: 2))
        for output in analysis.outputs {
            let shape = try #require(analysis.shapes[output])
            #expect(values[output]?.count == shape.elementCount)
            let finite = values[output]!.allSatisfy { $0.isFinite }
            #expect(finite)
        }
        for (name, tensor) in values { #expect(tensor.count == analysis.shapes[name]?.elementCount, "\(name)") }
        let materialized = try graph.fusedSteps().map { step -> String in
            switch step {
            case .layer(let fused): fused.output
            case .node(let info): info.node.name
            }
        }
        #expect(Set(values.keys) == Set(materialized + graph.inputs.map(\.name)))
    }

    @Test func missingParametersAreReported() throws {
        let graph = try smallGraph()
        var parameters = try networkParameters(graph)
        parameters["b"] = nil
        #expect(throws: ReferenceError("layer 'b'", "no parameters given for this layer")) {
            try FloatGraphReference.run(graph, parameters: parameters, input: FloatData.random(count: 72, seed: 3))
        }
        #expect(throws: ReferenceError.self) {
            try FloatGraphReference.run(graph, parameters: try networkParameters(graph), input: [1, 2])
        }
    }

    @Test func nodeSeedIsFNV1a() {
        #expect(FloatGraphReference.nodeSeed("") == 0xcbf2_9ce4_8422_2325)
        #expect(FloatGraphReference.nodeSeed("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FloatGraphReference.nodeSeed("foobar") == 0x8594_4171_f739_67e8)
    }
}

/// Each node the device schedule leaves alone, run as a one-node graph against a naive loop.
struct GraphNodeReferenceTests {
    let shape = FeatureShape(height: 3, width: 4, channels: 7)
    var input: [Float] { FloatData.random(count: shape.elementCount, range: -3...3, seed: 11) }

    func single(_ op: Graph.Op, input shape: FeatureShape? = nil) -> Graph {
        Graph(name: "one", inputs: [Graph.Input(name: "x", shape: shape ?? self.shape)], nodes: [Graph.Node(name: "y", op: op, inputs: ["x"])],
              outputs: ["y"])
    }

    func run(_ op: Graph.Op, parameters: [String: LayerParameters] = [:]) throws -> [Float] {
        try FloatGraphReference.run(single(op), parameters: parameters, input: input)["y"]!
    }

    @Test func localResponseNorm() throws {
        #expect(Naive.close(try run(.localResponseNorm(.alexNet)), Naive.lrn(input, channels: 7, .alexNet)))
        let wide = LocalResponseNorm(size: 4, alpha: 0.5, beta: 0.6, k: 1)
        #expect(Naive.close(try run(.localResponseNorm(wide)), Naive.lrn(input, channels: 7, wide)))
    }

    @Test func softmax() throws {
        #expect(Naive.close(try run(.softmax), Naive.softmax(input, channels: 7)))
        let handInput: [Float] = [0, Float(Foundation.log(3.0))]
        let graph = single(.softmax, input: FeatureShape(height: 1, width: 1, channels: 2))
        #expect(Naive.close(try FloatGraphReference.run(graph, parameters: [:], input: handInput)["y"]!, [0.25, 0.75]))
    }

    @Test func upsample() throws {
        let output = try run(.upsample(Upsample(factor: 2)))
        #expect(output.count == input.count * 4)
        for y in 0..<6 {
            for x in 0..<8 {
                for c in 0..<7 { #expect(output[(y * 8 + x) * 7 + c] == input[((y / 2) * 4 + x / 2) * 7 + c]) }
            }
        }
    }

    @Test(arguments: [Graph.Op.dropout(Dropout(probability: 0.5)), .flatten, .reshape(FeatureShape(height: 1, width: 12, channels: 7))])
    func identities(_ op: Graph.Op) throws {
        #expect(try run(op) == input)
    }

    @Test(arguments: [Activation.relu, .relu6, .sigmoid, .tanh, .leakyRelu(alpha: 0.1)])
    func activation(_ activation: Activation) throws {
        #expect(try run(.activation(activation)) == input.map(activation.apply))
    }

    @Test func loneBatchNormIsSeededFromTheNodeName() throws {
        let output = try run(.batchNorm(BatchNorm(epsilon: 1e-3)))
        let info = try single(.batchNorm(BatchNorm(epsilon: 1e-3))).analyze().nodes[0]
        let statistics = try #require(FloatGraphReference.hostParameters(for: info).batchNorm)
        #expect(statistics.epsilon == 1e-3)
        #expect(statistics.gamma.allSatisfy { (0.5...1.5).contains($0) } && statistics.variance.allSatisfy { (0.5...1.5).contains($0) })
        #expect(Naive.close(output, Naive.batchNorm(input, statistics)))
        // Given statistics replace the seeded ones.
        let unit = BatchNormParameters(gamma: .init(repeating: 2, count: 7), beta: .init(repeating: 1, count: 7),
                                       mean: .init(repeating: 0, count: 7), variance: .init(repeating: 1, count: 7), epsilon: 0)
        #expect(try run(.batchNorm(BatchNorm()), parameters: ["y": LayerParameters(weights: [], batchNorm: unit)]) == input.map { 2 * $0 + 1 })
    }

    @Test func add() throws {
        let graph = Graph(name: "add", inputs: [Graph.Input(name: "p", shape: shape), Graph.Input(name: "q", shape: shape)],
                          nodes: [Graph.Node(name: "y", op: .add, inputs: ["p", "q"])], outputs: ["y"])
        let other = FloatData.random(count: shape.elementCount, seed: 12)
        let output = try FloatGraphReference.run(graph, parameters: [:], inputs: ["p": input, "q": other])["y"]!
        #expect(output == zip(input, other).map { $0 + $1 })
        #expect(throws: ReferenceError.self) { try FloatGraphReference.run(graph, parameters: [:], input: input) }
    }

    @Test func concatenation() throws {
        let shapes = [1, 3, 2].map { FeatureShape(height: 2, width: 2, channels: $0) }
        let graph = Graph(name: "cat", inputs: shapes.enumerated().map { Graph.Input(name: "in\($0)", shape: $1) },
                          nodes: [Graph.Node(name: "y", op: .concat, inputs: ["in0", "in1", "in2"])], outputs: ["y"])
        let inputs: [String: [Float]] = ["in0": [1, 2, 3, 4], "in1": (10..<22).map(Float.init), "in2": (100..<108).map(Float.init)]
        let output = try FloatGraphReference.run(graph, parameters: [:], inputs: inputs)["y"]!
        #expect(output == [1, 10, 11, 12, 100, 101,
                           2, 13, 14, 15, 102, 103,
                           3, 16, 17, 18, 104, 105,
                           4, 19, 20, 21, 106, 107])
    }

    @Test func transposedConvolutionByHand() throws {
        // Stride 2, 2x2 kernel, one channel: every input pixel writes its own 2x2 block.
        let t = TransposedConvolution(outputChannels: 1, kernelHeight: 2, kernelWidth: 2, strideY: 2, strideX: 2, hasBias: true)
        let graph = single(.transposedConvolution(t), input: FeatureShape(height: 2, width: 2, channels: 1))
        let output = try FloatGraphReference.run(graph, parameters: ["y": LayerParameters(weights: [1, 10, 100, 1000], bias: [0.5])],
                                                 input: [1, 2, 3, 4])["y"]!
        #expect(output == [1.5, 10.5, 2.5, 20.5,
                           100.5, 1000.5, 200.5, 2000.5,
                           3.5, 30.5, 4.5, 40.5,
                           300.5, 3000.5, 400.5, 4000.5])
    }

    @Test(arguments: [
        TransposedConvolution(outputChannels: 5, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2, padding: Padding(1),
                              outputPaddingY: 1, outputPaddingX: 1),
        TransposedConvolution(outputChannels: 4, kernelHeight: 4, kernelWidth: 2, strideY: 2, strideX: 1,
                              padding: Padding(top: 1, bottom: 0, left: 0, right: 1), hasBias: false),
        TransposedConvolution(outputChannels: 3, kernelHeight: 3, kernelWidth: 3, padding: Padding(2), dilationY: 2, dilationX: 2),
    ])
    func transposedConvolutionSeeded(_ t: TransposedConvolution) throws {
        let graph = single(.transposedConvolution(t))
        let info = try graph.analyze().nodes[0]
        let parameters = FloatGraphReference.hostParameters(for: info)
        #expect(parameters.bias?.count == (t.hasBias ? t.outputChannels : nil))
        let output = try FloatGraphReference.run(graph, parameters: [:], input: input)["y"]!
        let expected = Naive.transposedConvolution(input, shape, weights: parameters.weights, bias: parameters.bias, t, output: info.outputShape)
        #expect(Naive.close(output, expected, tolerance: 1e-4))
    }

    @Test func groupedTransposedConvolutionIsOneConvolutionPerGroup() throws {
        let shape = FeatureShape(height: 2, width: 3, channels: 4)
        let t = TransposedConvolution(outputChannels: 6, kernelHeight: 2, kernelWidth: 2, strideY: 2, strideX: 2, groups: 2, hasBias: false)
        let graph = single(.transposedConvolution(t), input: shape)
        let info = try graph.analyze().nodes[0]
        let weights = FloatGraphReference.hostParameters(for: info).weights   // [R][S][4][3]
        let x = FloatData.random(count: shape.elementCount, seed: 5)
        let output = try FloatGraphReference.run(graph, parameters: [:], input: x)["y"]!
        // Group g reads channels 2g..<2g+2 and writes outputs 3g..<3g+3.
        let half = FeatureShape(height: 2, width: 3, channels: 2)
        let single = TransposedConvolution(outputChannels: 3, kernelHeight: 2, kernelWidth: 2, strideY: 2, strideX: 2, hasBias: false)
        for group in 0..<2 {
            let groupInput = Naive.slice(x, channels: 4, first: group * 2, count: 2)
            // Weight rows [tap][c] of this group's channels, 3 outputs each.
            let groupWeights = Naive.slice(weights, channels: 12, first: group * 6, count: 6)
            let expected = Naive.transposedConvolution(groupInput, half, weights: groupWeights, bias: nil, single, output: info.outputShape)
            let actual = Naive.slice(output, channels: 6, first: group * 3, count: 3)
            #expect(Naive.close(actual, expected))
        }
    }
}
