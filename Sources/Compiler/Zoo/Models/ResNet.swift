extension ModelZoo {
    enum ResNetBlock {
        /// Two 3x3 convolutions (ResNet-18/34).
        case basic
        /// 1x1, 3x3, 1x1 with 4x expansion (ResNet-50/101/152).
        case bottleneck

        var expansion: Int { self == .basic ? 1 : 4 }
    }

    static func resnetInfo(_ name: String, _ block: ResNetBlock, _ blocks: [Int]) -> ModelInfo {
        ModelInfo(name: name, input: imageNet,
                  citation: "He et al., Deep residual learning, CVPR 2016, Table 1, as torchvision builds it (v1.5:"
                      + " a downsampling bottleneck strides on its 3x3 convolution; projection shortcuts only where"
                      + " the shape changes)") {
            () throws(CompilerError) in try resnet(name: name, block: block, blocks: blocks, input: imageNet)
        }
    }

    /// A ResNet as torchvision builds it (He et al., CVPR 2016, Table 1):
    ///
    ///     conv1  7x7, 64, stride 2; 3x3 max pool, stride 2
    ///     conv2_x .. conv5_x  `blocks[i]` blocks of width `widths[i]` (stride 2 from conv3_x on)
    ///     global average pool, fc-`classes`
    ///
    /// Every convolution is followed by batch norm and has no bias. With `shortcuts: false` it
    /// is the paper's plain network (no residual adds and no projections).
    static func resnet(name: String, block: ResNetBlock, blocks: [Int], widths: [Int] = [64, 128, 256, 512],
                       input: FeatureShape, classes: Int = imageNetClasses, shortcuts: Bool = true) throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: name, input: input)
        var x = b.input.conv(widths[0], kernel: 7, stride: 2, pad: 3, bias: false, name: "conv1").bn(name: "bn1")
            .relu(name: "relu").maxPool(3, stride: 2, pad: 1, name: "maxpool")
        for (stage, (count, width)) in zip(blocks, widths).enumerated() {
            for index in 0..<count {
                let stride = index == 0 && stage > 0 ? 2 : 1
                x = b.scope("layer\(stage + 1).\(index)") {
                    switch block {
                    case .basic: basicBlock(x, width: width, stride: stride, shortcut: shortcuts)
                    case .bottleneck: bottleneck(x, width: width, stride: stride, shortcut: shortcuts)
                    }
                }
            }
        }
        let logits = x.globalAvgPool(name: "avgpool").fc(classes, name: "fc")
        return try b.build(output: logits)
    }

    /// `relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x))`.
    static func basicBlock(_ x: FeatureMap, width: Int, stride: Int, shortcut: Bool) -> FeatureMap {
        let y = x.convBNReLU(width, kernel: 3, stride: stride, pad: 1)
            .conv(width, kernel: 3, pad: 1, bias: false).bn()
        guard shortcut else { return y.relu() }
        return y.add(projection(x, width: width, stride: stride)).relu()
    }

    /// `relu(bn(conv1x1(relu(bn(conv3x3/stride(relu(bn(conv1x1(x))))))) + shortcut(x))`, output `4 * width` channels.
    static func bottleneck(_ x: FeatureMap, width: Int, stride: Int, shortcut: Bool) -> FeatureMap {
        let y = x.convBNReLU(width, kernel: 1)
            .convBNReLU(width, kernel: 3, stride: stride, pad: 1)
            .conv(width * 4, kernel: 1, bias: false).bn()
        guard shortcut else { return y.relu() }
        return y.add(projection(x, width: width * 4, stride: stride)).relu()
    }

    /// The identity, or a strided 1x1 convolution with batch norm where the shape changes (option B).
    static func projection(_ x: FeatureMap, width: Int, stride: Int) -> FeatureMap {
        guard stride != 1 || x.channels != width else { return x }
        return x.conv(width, kernel: 1, stride: stride, bias: false, name: "downsample.0").bn(name: "downsample.1")
    }
}
