import Compiler
import Testing

/// The benchmark layer lists have the published MAC counts (torchvision, 224x224; DESIGN.md §9).
@Suite struct BenchmarkNetworksTests {
    private func totalMACs(_ layers: [Layer]) throws -> Int { try layers.reduce(0) { $0 + (try $1.macs()) } }

    @Test func resnet50() throws {
        let layers = BenchmarkNetworks.resnet50()
        #expect(layers.count == 54)  // 53 convolutions + the classifier
        let macs = Double(try totalMACs(layers))
        #expect(abs(macs / 4.089e9 - 1) < 0.01, "ResNet-50 has \(macs) MACs")
        #expect(try layers.last!.outputShape() == FeatureShape(height: 1, width: 1, channels: 1000))
    }

    @Test func vgg16() throws {
        let layers = BenchmarkNetworks.vgg16()
        #expect(layers.count == 16)
        let macs = Double(try totalMACs(layers))
        #expect(abs(macs / 15.47e9 - 1) < 0.01, "VGG-16 has \(macs) MACs")
    }

    @Test func everyLayerHasAValidShape() throws {
        for layer in BenchmarkNetworks.resnet50() + BenchmarkNetworks.vgg16() {
            _ = try layer.outputShape()
        }
    }
}
