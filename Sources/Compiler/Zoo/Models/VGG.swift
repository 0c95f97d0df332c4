extension ModelZoo {
    /// One entry of a VGG configuration column (Simonyan and Zisserman, ICLR 2015, Table 1).
    enum VGGLayer {
        /// `conv3-N`: 3x3 convolution, padding 1, N filters, ReLU.
        case conv3(Int)
        /// `conv1-N`: 1x1 convolution, N filters, ReLU (configuration C).
        case conv1(Int)
        /// `LRN` with Krizhevsky's parameters (configuration A-LRN).
        case lrn
        /// `maxpool`: 2x2, stride 2.
        case maxPool
    }

    /// The columns of Table 1.
    enum VGGConfiguration {
        case a, aLRN, b, c, d, e

        var layers: [VGGLayer] {
            switch self {
            case .a: [.conv3(64), .maxPool, .conv3(128), .maxPool, .conv3(256), .conv3(256), .maxPool,
                      .conv3(512), .conv3(512), .maxPool, .conv3(512), .conv3(512), .maxPool]
            case .aLRN: [.conv3(64), .lrn, .maxPool, .conv3(128), .maxPool, .conv3(256), .conv3(256), .maxPool,
                         .conv3(512), .conv3(512), .maxPool, .conv3(512), .conv3(512), .maxPool]
            case .b: [.conv3(64), .conv3(64), .maxPool, .conv3(128), .conv3(128), .maxPool, .conv3(256), .conv3(256), .maxPool,
                      .conv3(512), .conv3(512), .maxPool, .conv3(512), .conv3(512), .maxPool]
            case .c: [.conv3(64), .conv3(64), .maxPool, .conv3(128), .conv3(128), .maxPool,
                      .conv3(256), .conv3(256), .conv1(256), .maxPool, .conv3(512), .conv3(512), .conv1(512), .maxPool,
                      .conv3(512), .conv3(512), .conv1(512), .maxPool]
            case .d: [.conv3(64), .conv3(64), .maxPool, .conv3(128), .conv3(128), .maxPool,
                      .conv3(256), .conv3(256), .conv3(256), .maxPool, .conv3(512), .conv3(512), .conv3(512), .maxPool,
                      .conv3(512), .conv3(512), .conv3(512), .maxPool]
            case .e: [.conv3(64), .conv3(64), .maxPool, .conv3(128), .conv3(128), .maxPool,
                      .conv3(256), .conv3(256), .conv3(256), .conv3(256), .maxPool,
                      .conv3(512), .conv3(512), .conv3(512), .conv3(512), .maxPool,
                      .conv3(512), .conv3(512), .conv3(512), .conv3(512), .maxPool]
            }
        }
    }

    static func vggInfo(_ name: String, _ configuration: VGGConfiguration, _ column: String) -> ModelInfo {
        ModelInfo(name: name, input: imageNet,
                  citation: "Simonyan and Zisserman, Very deep convolutional networks, ICLR 2015, Table 1 \(column);"
                      + " classifier as torchvision builds it") {
            () throws(CompilerError) in try vgg(name: name, configuration)
        }
    }

    /// A VGG network: the configuration's convolutions (ReLU after each), then the classifier
    /// FC-4096, FC-4096, FC-1000 with dropout 0.5 as torchvision orders it. At 224x224 the
    /// final map is 7x7, so torchvision's `AdaptiveAvgPool2d(7)` is the identity and left out.
    static func vgg(name: String, _ configuration: VGGConfiguration) throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: name, input: imageNet)
        let features = b.scope("features") {
            configuration.layers.reduce(b.input) { x, layer in
                switch layer {
                case .conv3(let filters): x.conv(filters, kernel: 3, pad: 1).relu()
                case .conv1(let filters): x.conv(filters, kernel: 1).relu()
                case .lrn: x.lrn(.alexNet)
                case .maxPool: x.maxPool(2, stride: 2)
                }
            }
        }
        let logits = b.scope("classifier") {
            features.flatten()
                .fc(4096).relu().dropout(0.5)
                .fc(4096).relu().dropout(0.5)
                .fc(imageNetClasses)
        }
        return try b.build(output: logits)
    }
}
