extension ModelZoo {
    /// The widths of one inception module (Szegedy et al., CVPR 2015, Table 1 columns).
    struct InceptionWidths {
        var conv1x1: Int
        var reduce3x3: Int, conv3x3: Int
        var reduce5x5: Int, conv5x5: Int
        var poolProjection: Int
    }

    /// GoogLeNet as torchvision builds it (Szegedy et al., CVPR 2015, Table 1): every convolution
    /// is `BasicConv2d` (no bias, batch norm with epsilon 1e-3, ReLU), max pools use ceil mode,
    /// the "5x5" branch uses a 3x3 convolution (torchvision keeps this for its weights), and the
    /// auxiliary classifiers are left out (inference). 1.498 G MACs, 6,624,904 parameters.
    static func googlenet() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "googlenet", input: imageNet)
        var x = b.scope("conv1") { b.input.convBNReLU(64, kernel: 7, stride: 2, pad: 3, epsilon: 1e-3) }
        x = x.maxPool(3, stride: 2, ceilMode: true, name: "maxpool1")
        x = b.scope("conv2") { x.convBNReLU(64, kernel: 1, epsilon: 1e-3) }
        x = b.scope("conv3") { x.convBNReLU(192, kernel: 3, pad: 1, epsilon: 1e-3) }
        x = x.maxPool(3, stride: 2, ceilMode: true, name: "maxpool2")
        x = inception(x, "inception3a", InceptionWidths(conv1x1: 64, reduce3x3: 96, conv3x3: 128, reduce5x5: 16, conv5x5: 32, poolProjection: 32))
        x = inception(x, "inception3b", InceptionWidths(conv1x1: 128, reduce3x3: 128, conv3x3: 192, reduce5x5: 32, conv5x5: 96, poolProjection: 64))
        x = x.maxPool(3, stride: 2, ceilMode: true, name: "maxpool3")
        x = inception(x, "inception4a", InceptionWidths(conv1x1: 192, reduce3x3: 96, conv3x3: 208, reduce5x5: 16, conv5x5: 48, poolProjection: 64))
        x = inception(x, "inception4b", InceptionWidths(conv1x1: 160, reduce3x3: 112, conv3x3: 224, reduce5x5: 24, conv5x5: 64, poolProjection: 64))
        x = inception(x, "inception4c", InceptionWidths(conv1x1: 128, reduce3x3: 128, conv3x3: 256, reduce5x5: 24, conv5x5: 64, poolProjection: 64))
        x = inception(x, "inception4d", InceptionWidths(conv1x1: 112, reduce3x3: 144, conv3x3: 288, reduce5x5: 32, conv5x5: 64, poolProjection: 64))
        x = inception(x, "inception4e", InceptionWidths(conv1x1: 256, reduce3x3: 160, conv3x3: 320, reduce5x5: 32, conv5x5: 128, poolProjection: 128))
        x = x.maxPool(2, stride: 2, ceilMode: true, name: "maxpool4")
        x = inception(x, "inception5a", InceptionWidths(conv1x1: 256, reduce3x3: 160, conv3x3: 320, reduce5x5: 32, conv5x5: 128, poolProjection: 128))
        x = inception(x, "inception5b", InceptionWidths(conv1x1: 384, reduce3x3: 192, conv3x3: 384, reduce5x5: 48, conv5x5: 128, poolProjection: 128))
        let logits = x.globalAvgPool(name: "avgpool").dropout(0.2, name: "dropout").fc(imageNetClasses, name: "fc")
        return try b.build(output: logits)
    }

    /// One inception module: four branches concatenated along channels, in Table 1's order
    /// (1x1; 1x1 reduce then 3x3; 1x1 reduce then "5x5" (3x3, as torchvision); 3x3 max pool then 1x1 projection).
    static func inception(_ x: FeatureMap, _ name: String, _ widths: InceptionWidths) -> FeatureMap {
        let b = x.builder
        return b.scope(name) {
            let branch1 = b.scope("branch1") { x.convBNReLU(widths.conv1x1, kernel: 1, epsilon: 1e-3) }
            let branch2 = b.scope("branch2") {
                x.convBNReLU(widths.reduce3x3, kernel: 1, epsilon: 1e-3).convBNReLU(widths.conv3x3, kernel: 3, pad: 1, epsilon: 1e-3)
            }
            let branch3 = b.scope("branch3") {
                x.convBNReLU(widths.reduce5x5, kernel: 1, epsilon: 1e-3).convBNReLU(widths.conv5x5, kernel: 3, pad: 1, epsilon: 1e-3)
            }
            let branch4 = b.scope("branch4") {
                x.maxPool(3, stride: 1, pad: 1, ceilMode: true).convBNReLU(widths.poolProjection, kernel: 1, epsilon: 1e-3)
            }
            return b.concat([branch1, branch2, branch3, branch4])
        }
    }

    /// Inception module 3a with every width divided by 4, on a 16x16x48 input (output 16x16x64).
    static func inceptionBlock() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "inception-block", input: FeatureShape(height: 16, width: 16, channels: 48))
        let output = inception(b.input, "inception3a",
                               InceptionWidths(conv1x1: 16, reduce3x3: 24, conv3x3: 32, reduce5x5: 4, conv5x5: 8, poolProjection: 8))
        return try b.build(output: output)
    }
}
