extension ModelZoo {
    /// YOLOv1 (Redmon et al., CVPR 2016, Fig. 3) on 448x448: 24 convolutions ("same" padding,
    /// bias, leaky ReLU 0.1) with 2x2 max pools, then fc-4096 (leaky ReLU, dropout 0.5) and a
    /// linear fc-1470 reshaped to the 7x7 grid of S x S x (B * 5 + C) = 7x7x30 predictions.
    static func yolov1() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "yolov1", input: FeatureShape(height: 448, width: 448, channels: 3))
        func conv(_ x: FeatureMap, _ filters: Int, _ kernel: Int, stride: Int = 1) -> FeatureMap {
            x.conv(filters, kernel: kernel, stride: stride, pad: kernel / 2).leakyRelu(0.1)
        }
        var x = conv(b.input, 64, 7, stride: 2).maxPool(2, stride: 2)
        x = conv(x, 192, 3).maxPool(2, stride: 2)
        x = conv(conv(conv(conv(x, 128, 1), 256, 3), 256, 1), 512, 3).maxPool(2, stride: 2)
        for _ in 0..<4 { x = conv(conv(x, 256, 1), 512, 3) }
        x = conv(conv(x, 512, 1), 1024, 3).maxPool(2, stride: 2)
        for _ in 0..<2 { x = conv(conv(x, 512, 1), 1024, 3) }
        x = conv(conv(x, 1024, 3), 1024, 3, stride: 2)
        x = conv(conv(x, 1024, 3), 1024, 3)
        let grid = 7, boxes = 2, classes = 20
        let predictions = x.flatten().fc(4096).leakyRelu(0.1).dropout(0.5)
            .fc(grid * grid * (boxes * 5 + classes))
            .reshape(FeatureShape(height: grid, width: grid, channels: boxes * 5 + classes))
        return try b.build(output: predictions)
    }
}
