extension ModelZoo {
    /// The image transformation network of Johnson et al. (ECCV 2016, supplementary Table 1) on 256x256x3:
    ///
    ///     32 x 9x9 conv, stride 1        -> 256x256x32
    ///     64 x 3x3 conv, stride 2        -> 128x128x64
    ///     128 x 3x3 conv, stride 2       -> 64x64x128
    ///     5 residual blocks, 128 filters -> 64x64x128
    ///     64 x 3x3 conv, stride 1/2      -> 128x128x64   (transposed, padding 1, output padding 1)
    ///     32 x 3x3 conv, stride 1/2      -> 256x256x32
    ///     3 x 9x9 conv, stride 1         -> 256x256x3    (scaled tanh)
    ///
    /// Batch norm and ReLU follow every other convolution (no bias before batch norm). A residual
    /// block is conv-BN-ReLU-conv-BN plus its input, with no ReLU after the sum; its convolutions
    /// are zero-padded here instead of the paper's unpadded convolutions with a cropped shortcut.
    static func styleTransfer() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "style-transfer", input: FeatureShape(height: 256, width: 256, channels: 3))
        var x = b.input.convBNReLU(32, kernel: 9, pad: 4)
            .convBNReLU(64, kernel: 3, stride: 2, pad: 1)
            .convBNReLU(128, kernel: 3, stride: 2, pad: 1)
        for index in 0..<5 {
            x = b.scope("res\(index + 1)") { [x] in
                x.convBNReLU(128, kernel: 3, pad: 1).conv(128, kernel: 3, pad: 1, bias: false).bn().add(x)
            }
        }
        let image = x.transposedConv(64, kernel: 3, stride: 2, pad: 1, outputPadding: 1, bias: false).bn().relu()
            .transposedConv(32, kernel: 3, stride: 2, pad: 1, outputPadding: 1, bias: false).bn().relu()
            .conv(3, kernel: 9, pad: 4).tanh()
        return try b.build(output: image)
    }
}
