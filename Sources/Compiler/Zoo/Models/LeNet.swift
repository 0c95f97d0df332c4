extension ModelZoo {
    /// LeNet-5 (LeCun et al., Proc. IEEE 1998, Fig. 2) on a 32x32 image:
    ///
    ///     C1: 6@28x28 (5x5)   S2: 6@14x14   C3: 16@10x10 (5x5)   S4: 16@5x5
    ///     C5: 120 (5x5)       F6: 84        output: 10
    ///
    /// Squashing is tanh; the subsampling layers are 2x2 average pooling (the paper's trainable
    /// coefficient and bias per map are left out), C3 sees all six S2 maps (the paper's sparse
    /// connection table is not modelled), and the RBF output is a fully connected layer.
    static func lenet5() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "lenet5", input: FeatureShape(height: 32, width: 32, channels: 1))
        let c1 = b.input.conv(6, kernel: 5, name: "C1").tanh().avgPool(2, name: "S2")
        let c3 = c1.conv(16, kernel: 5, name: "C3").tanh().avgPool(2, name: "S4")
        let c5 = c3.conv(120, kernel: 5, name: "C5").tanh().flatten()
        let output = c5.fc(84, name: "F6").tanh().fc(10, name: "output")
        return try b.build(output: output)
    }
}
