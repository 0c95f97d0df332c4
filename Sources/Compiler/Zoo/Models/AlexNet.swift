extension ModelZoo {
    /// AlexNet as torchvision builds it (Krizhevsky et al., NIPS 2012, in the one-tower form of
    /// Krizhevsky's "one weird trick", arXiv 1404.5997): 64/192/384/256/256 filters, no LRN, no
    /// groups. At 224x224 the final map is already 6x6, so torchvision's `AdaptiveAvgPool2d(6)`
    /// is the identity and left out. 0.714 G MACs, 61,100,840 parameters.
    static func alexnet() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "alexnet", input: imageNet)
        let features = b.scope("features") {
            b.input.conv(64, kernel: 11, stride: 4, pad: 2).relu().maxPool(3, stride: 2)
                .conv(192, kernel: 5, pad: 2).relu().maxPool(3, stride: 2)
                .conv(384, kernel: 3, pad: 1).relu()
                .conv(256, kernel: 3, pad: 1).relu()
                .conv(256, kernel: 3, pad: 1).relu().maxPool(3, stride: 2)
        }
        let logits = b.scope("classifier") {
            features.flatten()
                .dropout(0.5).fc(4096).relu()
                .dropout(0.5).fc(4096).relu()
                .fc(imageNetClasses)
        }
        return try b.build(output: logits)
    }
}
