extension ModelZoo {
    /// One row of MobileNetV2's Table 2: expansion t, output channels c, repeats n, first stride s.
    struct BottleneckRow {
        var expansion: Int, channels: Int, repeats: Int, stride: Int
    }

    /// Table 2 of Sandler et al. (CVPR 2018), the bottleneck rows.
    static let mobilenetV2Rows = [
        BottleneckRow(expansion: 1, channels: 16, repeats: 1, stride: 1),
        BottleneckRow(expansion: 6, channels: 24, repeats: 2, stride: 2),
        BottleneckRow(expansion: 6, channels: 32, repeats: 3, stride: 2),
        BottleneckRow(expansion: 6, channels: 64, repeats: 4, stride: 2),
        BottleneckRow(expansion: 6, channels: 96, repeats: 3, stride: 1),
        BottleneckRow(expansion: 6, channels: 160, repeats: 3, stride: 2),
        BottleneckRow(expansion: 6, channels: 320, repeats: 1, stride: 1),
    ]

    /// MobileNetV2 (width 1.0) as torchvision builds it: conv2d 3x3/2 to 32, the bottleneck rows
    /// of Table 2, conv2d 1x1 to 1280, global average pool, dropout 0.2, fc-1000. Every
    /// convolution has batch norm and no bias; ReLU6 except after the linear projections.
    /// 0.301 G MACs, 3,504,872 parameters.
    static func mobilenetV2() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "mobilenet-v2", input: imageNet)
        var x = b.scope("features.0") { b.input.conv(32, kernel: 3, stride: 2, pad: 1, bias: false).bn().relu6() }
        var index = 1
        for row in mobilenetV2Rows {
            for repeatIndex in 0..<row.repeats {
                x = b.scope("features.\(index)") {
                    invertedResidual(x, channels: row.channels, stride: repeatIndex == 0 ? row.stride : 1, expansion: row.expansion)
                }
                index += 1
            }
        }
        x = b.scope("features.\(index)") { x.conv(1280, kernel: 1, bias: false).bn().relu6() }
        let logits = x.globalAvgPool(name: "avgpool").dropout(0.2, name: "classifier.0").fc(imageNetClasses, name: "classifier.1")
        return try b.build(output: logits)
    }

    /// Expand 1x1 (if t > 1), depthwise 3x3 with the stride, linear project 1x1; a residual add
    /// when the stride is 1 and the channels are kept.
    static func invertedResidual(_ x: FeatureMap, channels: Int, stride: Int, expansion: Int) -> FeatureMap {
        let hidden = x.channels * expansion
        var y = x
        if expansion != 1 { y = y.conv(hidden, kernel: 1, bias: false).bn().relu6() }
        y = y.depthwiseConv(kernel: 3, stride: stride, pad: 1, bias: false).bn().relu6()
            .conv(channels, kernel: 1, bias: false).bn()
        return stride == 1 && x.channels == channels ? x.add(y) : y
    }
}
