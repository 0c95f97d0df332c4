extension ModelZoo {
    /// U-Net (Ronneberger et al., MICCAI 2015, Fig. 1) with padded 3x3 convolutions, so every
    /// level keeps its size and the skip connections concatenate without cropping:
    ///
    ///     contracting: 4 x (two 3x3 conv + ReLU, 2x2 max pool), widths 64, 128, 256, 512
    ///     bottom: two 3x3 conv + ReLU, width 1024
    ///     expanding: 4 x (2x2 up-convolution halving the channels, concat with the skip,
    ///                two 3x3 conv + ReLU)
    ///     1x1 convolution to `classes` maps
    static func unet(name: String, input: FeatureShape, baseWidth: Int = 64, classes: Int = 2) throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: name, input: input)
        func doubleConv(_ x: FeatureMap, _ width: Int) -> FeatureMap {
            x.conv(width, kernel: 3, pad: 1).relu().conv(width, kernel: 3, pad: 1).relu()
        }
        let depth = 4
        var x = b.input
        var skips: [FeatureMap] = []
        for level in 0..<depth {
            let skip = b.scope("down\(level + 1)") { doubleConv(x, baseWidth << level) }
            skips.append(skip)
            x = skip.maxPool(2, stride: 2, name: "pool\(level + 1)")
        }
        x = b.scope("bottom") { doubleConv(x, baseWidth << depth) }
        for level in (0..<depth).reversed() {
            x = b.scope("up\(depth - level)") {
                let up = x.transposedConv(baseWidth << level, kernel: 2, stride: 2, name: "upconv")
                return doubleConv(b.concat([skips[level], up]), baseWidth << level)
            }
        }
        let output = x.conv(classes, kernel: 1, name: "output")
        return try b.build(output: output)
    }
}
