import Compiler
import Testing

/// Fusion of graph nodes into the layer compiler's `Layer`s.
@Suite struct GraphFusionTests {
    private let image = FeatureShape(height: 16, width: 16, channels: 8)

    @Test func convolutionAbsorbsBatchNormActivationAndPooling() throws {
        let b = GraphBuilder(name: "g", input: image)
        let y = b.input.conv(16, kernel: 3, pad: 1, bias: false, name: "conv").bn(name: "bn").relu(name: "relu")
            .maxPool(2, name: "pool")
        let graph = try b.build(output: y.flatten(name: "flat").fc(10, name: "fc").softmax(name: "prob"))
        let steps = try graph.fusedSteps()
        guard case .layer(let first) = steps[0] else { Issue.record("expected a layer, got \(steps[0])"); return }
        #expect(first.nodes == ["conv", "bn", "relu", "pool"])
        #expect(first.input == "input" && first.output == "pool")
        #expect(first.layer == Layer(name: "conv", operation: .convolution(Convolution(outputChannels: 16, kernelHeight: 3,
                                                                                       kernelWidth: 3, padding: Padding(1))),
                                     input: image, hasBias: false, hasBatchNorm: true, activation: .relu,
                                     pooling: .square(.max, 2)))
        #expect(try first.layer.outputShape() == FeatureShape(height: 8, width: 8, channels: 16))
        let rest = steps.dropFirst().map { step -> String in
            switch step {
            case .layer(let fused): "layer " + fused.nodes.joined(separator: "+")
            case .node(let info): "node " + info.node.name
            }
        }
        #expect(rest == ["node flat", "layer fc", "node prob"])
        let fc = try #require(try graph.fusedLayers().last)
        #expect(fc.layer.operation == .fullyConnected(outputFeatures: 10))
        #expect(fc.layer.input == FeatureShape(height: 1, width: 1, channels: 8 * 8 * 16))

        let unfused = try graph.fusedLayers(Graph.FusionOptions(fusePooling: false))
        #expect(unfused.map(\.nodes) == [["conv", "bn", "relu"], ["pool"], ["fc"]])
        #expect(unfused[1].layer.operation == .pooling(.square(.max, 2)))
    }

    @Test func aTensorReadTwiceIsNotFused() throws {
        let b = GraphBuilder(name: "g", input: image)
        let conv = b.input.conv(8, kernel: 3, pad: 1, name: "conv")
        let normalized = conv.bn(name: "bn")
        let graph = try b.build(output: normalized.relu(name: "relu").add(normalized, name: "sum"))
        #expect(try graph.fusedLayers().map(\.nodes) == [["conv", "bn"]])
        // A graph output is materialized too.
        let tapped = try b.build(outputs: [normalized.relu(name: "relu2"), conv])
        #expect(try tapped.fusedLayers().map(\.nodes) == [["conv"]])
    }

    @Test func preActivationStaysOutsideTheLayer() throws {
        // DenseNet's BN-ReLU-conv: a batch norm that precedes its convolution cannot fold; only
        // the bottleneck's second batch norm (after the 1x1 convolution) does.
        let graph = try ModelZoo.model(named: "dense-block")!.graph()
        let steps = try graph.fusedSteps()
        let layers = try graph.fusedLayers()
        #expect(layers.map(\.nodes).prefix(2) == [["denseblock1.denselayer1.conv1", "denseblock1.denselayer1.bn2",
                                                   "denseblock1.denselayer1.relu2"], ["denseblock1.denselayer1.conv2"]])
        #expect(layers.count == 4 * 2 + 1)  // two per dense layer; the transition's conv with its pooling
        #expect(layers.last?.nodes == ["transition1.conv", "transition1.pool"])
        #expect(layers.filter(\.layer.hasBatchNorm).count == 4)
        #expect(steps.filter { if case .node(let info) = $0 { info.node.op == .batchNorm(BatchNorm()) } else { false } }.count
            == 4 + 1)  // each dense layer's first batch norm and the transition's
        #expect(steps.count == graph.nodes.count - layers.filter { $0.nodes.count > 1 }.map { $0.nodes.count - 1 }.reduce(0, +))
    }

    @Test func resnet50FusesIntoTheBenchmarkLayers() throws {
        // The zoo's ResNet-50, fused without pooling, has exactly the convolution and FC layers
        // `npu bench layers` measures (BenchmarkNetworks), in the same order.
        let graph = try ModelZoo.model(named: "resnet50")!.graph()
        let fused = try graph.fusedLayers(Graph.FusionOptions(fusePooling: false)).map(\.layer).filter { $0.convolution != nil }
        let benchmark = BenchmarkNetworks.resnet50()
        #expect(fused.count == benchmark.count)
        for (mine, theirs) in zip(fused, benchmark) {
            #expect(mine.operation == theirs.operation, "\(mine.name) vs \(theirs.name)")
            #expect(mine.input == theirs.input, "\(mine.name) vs \(theirs.name)")
            #expect(mine.hasBatchNorm == theirs.hasBatchNorm && mine.activation == theirs.activation, "\(mine.name)")
        }
    }

    @Test func vgg16FusesIntoTheBenchmarkLayers() throws {
        let graph = try ModelZoo.model(named: "vgg16")!.graph()
        let fused = try graph.fusedLayers(Graph.FusionOptions(fusePooling: false)).map(\.layer).filter { $0.convolution != nil }
        let benchmark = BenchmarkNetworks.vgg16()
        #expect(fused.map(\.operation) == benchmark.map(\.operation))
        #expect(fused.map(\.input) == benchmark.map(\.input))
        #expect(fused.map(\.activation) == benchmark.map(\.activation))
    }
}
