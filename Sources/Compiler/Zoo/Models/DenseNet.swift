extension ModelZoo {
    static func densenetInfo(_ name: String, _ blocks: [Int]) -> ModelInfo {
        ModelInfo(name: name, input: imageNet,
                  citation: "Huang et al., Densely connected convolutional networks, CVPR 2017, Table 1 (DenseNet-BC,"
                      + " growth 32), as torchvision builds it") {
            () throws(CompilerError) in try densenet(name: name, blocks: blocks)
        }
    }

    /// DenseNet-BC as torchvision builds it (Huang et al., CVPR 2017, Table 1):
    ///
    ///     conv0 7x7, 64, stride 2; 3x3 max pool, stride 2
    ///     dense block i: `blocks[i]` layers, each BN-ReLU-conv1x1(4k)-BN-ReLU-conv3x3(k), its
    ///     output concatenated to its input (k = growth rate 32)
    ///     transition (between blocks): BN-ReLU-conv1x1 halving the channels, 2x2 average pool
    ///     BN, ReLU, global average pool, fc-1000
    ///
    /// torchvision concatenates all earlier maps before each layer; here each layer appends its
    /// k channels to the running concatenation, the same values with one concat per layer.
    static func densenet(name: String, blocks: [Int], growthRate: Int = 32, initialFeatures: Int = 64,
                         input: FeatureShape = imageNet, classes: Int = imageNetClasses) throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: name, input: input)
        var x = b.scope("features") {
            b.input.conv(initialFeatures, kernel: 7, stride: 2, pad: 3, bias: false, name: "conv0").bn(name: "norm0")
                .relu(name: "relu0").maxPool(3, stride: 2, pad: 1, name: "pool0")
        }
        var features = initialFeatures
        for (index, layers) in blocks.enumerated() {
            x = b.scope("features.denseblock\(index + 1)") { denseBlock(x, layers: layers, growthRate: growthRate) }
            features += layers * growthRate
            if index < blocks.count - 1 {
                features /= 2
                x = b.scope("features.transition\(index + 1)") { transition(x, features: features) }
            }
        }
        let logits = x.bn(name: "features.norm5").relu(name: "relu").globalAvgPool(name: "avgpool").fc(classes, name: "classifier")
        return try b.build(output: logits)
    }

    /// `layers` bottleneck layers (bn_size 4), each appending `growthRate` channels.
    static func denseBlock(_ input: FeatureMap, layers: Int, growthRate: Int) -> FeatureMap {
        let b = input.builder
        var x = input
        for layer in 0..<layers {
            let y = b.scope("denselayer\(layer + 1)") {
                x.bn().relu().conv(4 * growthRate, kernel: 1, bias: false)
                    .bn().relu().conv(growthRate, kernel: 3, pad: 1, bias: false)
            }
            x = b.concat([x, y], name: "denselayer\(layer + 1).concat")
        }
        return x
    }

    /// BN, ReLU, 1x1 convolution to `features` channels, 2x2 average pool.
    static func transition(_ x: FeatureMap, features: Int) -> FeatureMap {
        x.bn(name: "norm").relu(name: "relu").conv(features, kernel: 1, bias: false, name: "conv").avgPool(2, stride: 2, name: "pool")
    }

    /// One dense block of 4 layers with growth rate 8 on 16x16x16 and a transition to 24 channels at 8x8.
    static func denseBlock() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "dense-block", input: FeatureShape(height: 16, width: 16, channels: 16))
        let block = b.scope("denseblock1") { denseBlock(b.input, layers: 4, growthRate: 8) }
        let output = b.scope("transition1") { transition(block, features: (16 + 4 * 8) / 2) }
        return try b.build(output: output)
    }
}
