import Compiler
import Testing

/// The zoo's networks have the published MAC and parameter counts and infer without error.
@Suite struct ZooTests {
    /// A published figure: MACs at the model's input (DESIGN.md §9) and torchvision's parameter count.
    struct Reference: CustomTestStringConvertible, Sendable {
        var model: String
        var macs: Double?
        var parameters: Int?
        var testDescription: String { model }
    }

    static let references = [
        Reference(model: "resnet18", macs: 1.814e9, parameters: 11_689_512),
        Reference(model: "resnet34", macs: 3.664e9, parameters: 21_797_672),
        Reference(model: "resnet50", macs: 4.089e9, parameters: 25_557_032),
        Reference(model: "resnet101", macs: 7.801e9, parameters: 44_549_160),
        Reference(model: "resnet152", macs: 11.514e9, parameters: 60_192_808),
        Reference(model: "vgg11", macs: 7.609e9, parameters: 132_863_336),
        Reference(model: "vgg13", macs: nil, parameters: 133_047_848),
        Reference(model: "vgg16", macs: 15.47e9, parameters: 138_357_544),
        Reference(model: "vgg19", macs: 19.632e9, parameters: 143_667_240),
        Reference(model: "alexnet", macs: 0.714e9, parameters: 61_100_840),
        Reference(model: "googlenet", macs: 1.498e9, parameters: 6_624_904),
        Reference(model: "densenet121", macs: 2.834e9, parameters: 7_978_856),
        Reference(model: "densenet169", macs: nil, parameters: 14_149_480),
        Reference(model: "densenet201", macs: nil, parameters: 20_013_928),
        Reference(model: "mobilenet-v2", macs: 0.301e9, parameters: 3_504_872),
        // torchvision's 27,161,264 less the auxiliary classifier's 3,326,696 (conv 768->128 1x1 + BN,
        // conv 128->768 5x5 + BN, fc 768->1000), which inference does not run.
        Reference(model: "inception-v3", macs: nil, parameters: 23_834_568),
    ]

    private func model(_ name: String) throws -> Graph.Analysis {
        let info = try #require(ModelZoo.model(named: name))
        return try info.graph().analyze()
    }

    @Test(arguments: references) func publishedCounts(_ reference: Reference) throws {
        let analysis = try model(reference.model)
        if let macs = reference.macs {
            #expect(abs(Double(analysis.macs) / macs - 1) < 0.01, "\(reference.model) has \(analysis.macs) MACs")
        }
        if let parameters = reference.parameters {
            #expect(abs(Double(analysis.parameters) / Double(parameters) - 1) < 0.01,
                    "\(reference.model) has \(analysis.parameters) parameters")
        }
    }

    @Test(arguments: ModelZoo.all.map(\.name)) func everyModelInfersItsShapes(_ name: String) throws {
        let info = try #require(ModelZoo.model(named: name))
        let graph = try info.graph()
        #expect(graph.name == name)
        #expect(graph.inputs.first?.shape == info.input)
        let analysis = try graph.analyze()
        #expect(analysis.nodes.count == graph.nodes.count)
        // Every device layer the fusion produces is a valid `Layer` with the graph's output shape
        // (YOLOv1's fc1 included: its 50,176 inputs are split into reduction chunks).
        for fused in try graph.fusedLayers() {
            #expect(try fused.layer.outputShape() == analysis.shapes[fused.output])
        }
    }

    @Test func namesAreUnique() {
        #expect(Set(ModelZoo.names).count == ModelZoo.all.count)
    }

    @Test(arguments: [
        ("resnet18", FeatureShape(height: 1, width: 1, channels: 1000)),
        ("yolov1", FeatureShape(height: 7, width: 7, channels: 30)),
        ("lenet5", FeatureShape(height: 1, width: 1, channels: 10)),
        ("inception-v3", FeatureShape(height: 1, width: 1, channels: 1000)),
        ("unet", FeatureShape(height: 256, width: 256, channels: 2)),
        ("unet-small", FeatureShape(height: 32, width: 32, channels: 2)),
        ("dcgan-generator", FeatureShape(height: 64, width: 64, channels: 3)),
        ("style-transfer", FeatureShape(height: 256, width: 256, channels: 3)),
        ("resnet-tiny", FeatureShape(height: 1, width: 1, channels: 10)),
        ("inception-block", FeatureShape(height: 16, width: 16, channels: 64)),
        ("dense-block", FeatureShape(height: 8, width: 8, channels: 24)),
    ]) func outputShapes(_ name: String, _ shape: FeatureShape) throws {
        #expect(try model(name).outputShapes == [shape])
    }

    @Test func yolov1HasTwentyFourConvolutionsAndTwoFullyConnectedLayers() throws {
        let ops = try model("yolov1").nodes.map(\.node.op)
        #expect(ops.filter { if case .convolution = $0 { true } else { false } }.count == 24)
        #expect(ops.filter { if case .fullyConnected = $0 { true } else { false } }.count == 2)
    }

    @Test func lenet5ReadsLikeTheFigure() throws {
        let analysis = try model("lenet5")
        let shapes = ["C1": "28x28x6", "S2": "14x14x6", "C3": "10x10x16", "S4": "5x5x16", "C5": "1x1x120", "F6": "1x1x84"]
        for (node, shape) in shapes { #expect(analysis.shapes[node]?.description == shape, "\(node)") }
    }

    @Test func plain34IsResNet34WithoutShortcuts() throws {
        let plain = try model("plain34"), residual = try model("resnet34")
        #expect(!plain.nodes.contains { $0.node.op == .add })
        #expect(residual.nodes.filter { $0.node.op == .add }.count == 16)
        // Same MACs but the three projection shortcuts (1x1 convolutions with batch norm).
        let projections = (64 * 128 + 2 * 128) + (128 * 256 + 2 * 256) + (256 * 512 + 2 * 512)
        #expect(plain.parameters == residual.parameters - projections)
    }

    @Test func inceptionV3Grid() throws {
        let analysis = try model("inception-v3")
        #expect(analysis.shapes["Mixed_5d.concat1"] == FeatureShape(height: 35, width: 35, channels: 288))
        #expect(analysis.shapes["Mixed_6e.concat1"] == FeatureShape(height: 17, width: 17, channels: 768))
        #expect(analysis.shapes["Mixed_7c.concat3"] == FeatureShape(height: 8, width: 8, channels: 2048))
    }

    @Test func dcganUsesTransposedConvolutions() throws {
        let analysis = try model("dcgan-generator")
        let upsampled = analysis.nodes.filter { if case .transposedConvolution = $0.node.op { true } else { false } }
        #expect(upsampled.map(\.outputShape.description) == ["8x8x512", "16x16x256", "32x32x128", "64x64x3"])
    }
}
