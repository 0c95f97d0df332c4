extension ModelZoo {
    /// The DCGAN generator (Radford et al., ICLR 2016, Fig. 1): z (100) projected and reshaped to
    /// 4x4x1024, then four fractionally strided convolutions 5x5 stride 2 (padding 2, output
    /// padding 1, as "same" deconvolutions of the authors' code) to 8x8x512, 16x16x256,
    /// 32x32x128 and 64x64x3. Batch norm and ReLU after every layer but the output, which is
    /// tanh; no biases (batch norm supplies the shift).
    static func dcganGenerator() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "dcgan-generator", input: FeatureShape(height: 1, width: 1, channels: 100), inputName: "z")
        func up(_ x: FeatureMap, _ filters: Int) -> FeatureMap {
            x.transposedConv(filters, kernel: 5, stride: 2, pad: 2, outputPadding: 1, bias: false)
        }
        let projected = b.input.fc(4 * 4 * 1024, bias: false, name: "project")
            .reshape(FeatureShape(height: 4, width: 4, channels: 1024)).bn().relu()
        let image = up(up(up(projected, 512).bn().relu(), 256).bn().relu(), 128).bn().relu()
        return try b.build(output: up(image, 3).tanh())
    }
}
