extension ModelZoo {
    /// Inception-v3 as torchvision builds it (Szegedy et al., CVPR 2016, Table 1 and Figs. 5-7)
    /// on 299x299: every convolution is `BasicConv2d` (no bias, batch norm epsilon 1e-3, ReLU);
    /// modules Mixed_5b..5d (Fig. 5), Mixed_6a (grid reduction), Mixed_6b..6e (Fig. 6, n = 7),
    /// Mixed_7a (grid reduction), Mixed_7b..7c (Fig. 7); global average pool, dropout 0.5,
    /// fc-1000. The auxiliary classifier is left out (inference): torchvision's 27,161,264
    /// parameters include its 3,326,696, so this graph has 23,834,568.
    static func inceptionV3() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "inception-v3", input: FeatureShape(height: 299, width: 299, channels: 3))
        var x = b.scope("Conv2d_1a_3x3") { b.input.basic(32, kernel: 3, stride: 2) }
        x = b.scope("Conv2d_2a_3x3") { x.basic(32, kernel: 3) }
        x = b.scope("Conv2d_2b_3x3") { x.basic(64, kernel: 3, pad: 1) }
        x = x.maxPool(3, stride: 2, name: "maxpool1")
        x = b.scope("Conv2d_3b_1x1") { x.basic(80, kernel: 1) }
        x = b.scope("Conv2d_4a_3x3") { x.basic(192, kernel: 3) }
        x = x.maxPool(3, stride: 2, name: "maxpool2")
        x = b.scope("Mixed_5b") { inceptionA(x, poolFeatures: 32) }
        x = b.scope("Mixed_5c") { inceptionA(x, poolFeatures: 64) }
        x = b.scope("Mixed_5d") { inceptionA(x, poolFeatures: 64) }
        x = b.scope("Mixed_6a") { inceptionB(x) }
        x = b.scope("Mixed_6b") { inceptionC(x, channels7x7: 128) }
        x = b.scope("Mixed_6c") { inceptionC(x, channels7x7: 160) }
        x = b.scope("Mixed_6d") { inceptionC(x, channels7x7: 160) }
        x = b.scope("Mixed_6e") { inceptionC(x, channels7x7: 192) }
        x = b.scope("Mixed_7a") { inceptionD(x) }
        x = b.scope("Mixed_7b") { inceptionE(x) }
        x = b.scope("Mixed_7c") { inceptionE(x) }
        let logits = x.globalAvgPool(name: "avgpool").dropout(0.5, name: "dropout").fc(imageNetClasses, name: "fc")
        return try b.build(output: logits)
    }

    /// 35x35 module (Fig. 5): 1x1 | 1x1, 5x5 | 1x1, 3x3, 3x3 | 3x3 avg pool, 1x1.
    static func inceptionA(_ x: FeatureMap, poolFeatures: Int) -> FeatureMap {
        let branch1x1 = x.basic(64, kernel: 1)
        let branch5x5 = x.basic(48, kernel: 1).basic(64, kernel: 5, pad: 2)
        let branch3x3dbl = x.basic(64, kernel: 1).basic(96, kernel: 3, pad: 1).basic(96, kernel: 3, pad: 1)
        let branchPool = x.avgPool(3, stride: 1, pad: 1).basic(poolFeatures, kernel: 1)
        return x.builder.concat([branch1x1, branch5x5, branch3x3dbl, branchPool])
    }

    /// 35x35 -> 17x17 grid reduction: 3x3/2 | 1x1, 3x3, 3x3/2 | 3x3/2 max pool.
    static func inceptionB(_ x: FeatureMap) -> FeatureMap {
        let branch3x3 = x.basic(384, kernel: 3, stride: 2)
        let branch3x3dbl = x.basic(64, kernel: 1).basic(96, kernel: 3, pad: 1).basic(96, kernel: 3, stride: 2)
        let branchPool = x.maxPool(3, stride: 2)
        return x.builder.concat([branch3x3, branch3x3dbl, branchPool])
    }

    /// 17x17 module (Fig. 6, n = 7): 1x1 | 1x1, 1x7, 7x1 | 1x1, 7x1, 1x7, 7x1, 1x7 | avg pool, 1x1.
    static func inceptionC(_ x: FeatureMap, channels7x7 c7: Int) -> FeatureMap {
        let branch1x1 = x.basic(192, kernel: 1)
        let branch7x7 = x.basic(c7, kernel: 1).row(c7, 7).column(192, 7)
        let branch7x7dbl = x.basic(c7, kernel: 1).column(c7, 7).row(c7, 7).column(c7, 7).row(192, 7)
        let branchPool = x.avgPool(3, stride: 1, pad: 1).basic(192, kernel: 1)
        return x.builder.concat([branch1x1, branch7x7, branch7x7dbl, branchPool])
    }

    /// 17x17 -> 8x8 grid reduction: 1x1, 3x3/2 | 1x1, 1x7, 7x1, 3x3/2 | 3x3/2 max pool.
    static func inceptionD(_ x: FeatureMap) -> FeatureMap {
        let branch3x3 = x.basic(192, kernel: 1).basic(320, kernel: 3, stride: 2)
        let branch7x7x3 = x.basic(192, kernel: 1).row(192, 7).column(192, 7).basic(192, kernel: 3, stride: 2)
        let branchPool = x.maxPool(3, stride: 2)
        return x.builder.concat([branch3x3, branch7x7x3, branchPool])
    }

    /// 8x8 module (Fig. 7): 1x1 | 1x1, (1x3 ‖ 3x1) | 1x1, 3x3, (1x3 ‖ 3x1) | avg pool, 1x1.
    static func inceptionE(_ x: FeatureMap) -> FeatureMap {
        let b = x.builder
        let branch1x1 = x.basic(320, kernel: 1)
        let reduced3x3 = x.basic(384, kernel: 1)
        let branch3x3 = b.concat([reduced3x3.row(384, 3), reduced3x3.column(384, 3)])
        let reduced3x3dbl = x.basic(448, kernel: 1).basic(384, kernel: 3, pad: 1)
        let branch3x3dbl = b.concat([reduced3x3dbl.row(384, 3), reduced3x3dbl.column(384, 3)])
        let branchPool = x.avgPool(3, stride: 1, pad: 1).basic(192, kernel: 1)
        return b.concat([branch1x1, branch3x3, branch3x3dbl, branchPool])
    }
}

private extension FeatureMap {
    /// torchvision Inception's `BasicConv2d`.
    func basic(_ filters: Int, kernel: Int, stride: Int = 1, pad: Int = 0) -> FeatureMap {
        convBNReLU(filters, kernel: kernel, stride: stride, pad: pad, epsilon: 1e-3)
    }

    /// A `1 x n` `BasicConv2d`, padded to keep the size.
    func row(_ filters: Int, _ n: Int) -> FeatureMap {
        convBNReLU(filters, kernelHeight: 1, kernelWidth: n, padX: n / 2, epsilon: 1e-3)
    }

    /// An `n x 1` `BasicConv2d`, padded to keep the size.
    func column(_ filters: Int, _ n: Int) -> FeatureMap {
        convBNReLU(filters, kernelHeight: n, kernelWidth: 1, padY: n / 2, epsilon: 1e-3)
    }
}
