/// One network of the zoo: its name, standard input, the paper (and implementation) it follows,
/// and a builder of its graph.
public struct ModelInfo: Sendable {
    /// The name the command line uses (`resnet50`, `inception-v3`, ...).
    public var name: String
    /// The input the architecture is defined for (HWC, batch 1).
    public var input: FeatureShape
    /// The source: paper, and the implementation followed where it differs from the paper.
    public var citation: String
    private let builder: @Sendable () throws(CompilerError) -> Graph

    public init(name: String, input: FeatureShape, citation: String, builder: @escaping @Sendable () throws(CompilerError) -> Graph) {
        self.name = name
        self.input = input
        self.citation = citation
        self.builder = builder
    }

    /// The network's graph, checked.
    public func graph() throws(CompilerError) -> Graph { try builder() }
}

/// The networks of the course material, built as published (or as torchvision builds them,
/// where the citation says so), plus reduced-size variants for fast tests.
public enum ModelZoo {
    static let imageNet = FeatureShape(height: 224, width: 224, channels: 3)
    static let imageNetClasses = 1000

    /// Every model, full-size networks first, then the reduced variants.
    public static let all: [ModelInfo] = [
        ModelInfo(name: "lenet5", input: FeatureShape(height: 32, width: 32, channels: 1),
                  citation: "LeCun et al., Gradient-based learning applied to document recognition, Proc. IEEE 1998, Fig. 2"
                      + " (C3 fully connected to S2, S4 and S2 as average pooling, RBF output as a fully connected layer)") {
            () throws(CompilerError) in try lenet5()
        },
        ModelInfo(name: "alexnet", input: imageNet,
                  citation: "Krizhevsky et al., NIPS 2012, as torchvision builds it (one tower, 64/192/384/256/256 filters, no LRN)") {
            () throws(CompilerError) in try alexnet()
        },
        vggInfo("vgg11", .a, "configuration A"),
        vggInfo("vgg11-lrn", .aLRN, "configuration A-LRN"),
        vggInfo("vgg13", .b, "configuration B"),
        vggInfo("vgg16-c", .c, "configuration C (with 1x1 convolutions)"),
        vggInfo("vgg16", .d, "configuration D"),
        vggInfo("vgg19", .e, "configuration E"),
        ModelInfo(name: "googlenet", input: imageNet,
                  citation: "Szegedy et al., Going deeper with convolutions, CVPR 2015, Table 1, as torchvision builds it"
                      + " (batch norm after every convolution, 3x3 instead of 5x5 in the third branch, ceil-mode pooling,"
                      + " no auxiliary classifiers)") {
            () throws(CompilerError) in try googlenet()
        },
        ModelInfo(name: "inception-v3", input: FeatureShape(height: 299, width: 299, channels: 3),
                  citation: "Szegedy et al., Rethinking the Inception architecture, CVPR 2016, as torchvision builds it"
                      + " (Mixed_5b..Mixed_7c, no auxiliary classifier)") {
            () throws(CompilerError) in try inceptionV3()
        },
        resnetInfo("resnet18", .basic, [2, 2, 2, 2]),
        resnetInfo("resnet34", .basic, [3, 4, 6, 3]),
        resnetInfo("resnet50", .bottleneck, [3, 4, 6, 3]),
        resnetInfo("resnet101", .bottleneck, [3, 4, 23, 3]),
        resnetInfo("resnet152", .bottleneck, [3, 8, 36, 3]),
        ModelInfo(name: "plain34", input: imageNet,
                  citation: "He et al., CVPR 2016, Fig. 3 middle: the 34-layer plain network (ResNet-34 without shortcuts)") {
            () throws(CompilerError) in
            try resnet(name: "plain34", block: .basic, blocks: [3, 4, 6, 3], input: imageNet, shortcuts: false)
        },
        densenetInfo("densenet121", [6, 12, 24, 16]),
        densenetInfo("densenet169", [6, 12, 32, 32]),
        densenetInfo("densenet201", [6, 12, 48, 32]),
        ModelInfo(name: "mobilenet-v2", input: imageNet,
                  citation: "Sandler et al., MobileNetV2, CVPR 2018, Table 2, as torchvision builds it (width 1.0)") {
            () throws(CompilerError) in try mobilenetV2()
        },
        ModelInfo(name: "yolov1", input: FeatureShape(height: 448, width: 448, channels: 3),
                  citation: "Redmon et al., You only look once, CVPR 2016, Fig. 3 (24 convolutions, 2 fully connected,"
                      + " leaky ReLU 0.1, output 7x7x30)") {
            () throws(CompilerError) in try yolov1()
        },
        ModelInfo(name: "unet", input: FeatureShape(height: 256, width: 256, channels: 1),
                  citation: "Ronneberger et al., U-Net, MICCAI 2015, Fig. 1, with padded 3x3 convolutions so sizes are kept") {
            () throws(CompilerError) in try unet(name: "unet", input: FeatureShape(height: 256, width: 256, channels: 1))
        },
        ModelInfo(name: "dcgan-generator", input: FeatureShape(height: 1, width: 1, channels: 100),
                  citation: "Radford et al., DCGAN, ICLR 2016, Fig. 1 (project and reshape, four 5x5 stride-2 fractionally"
                      + " strided convolutions as in the authors' code)") {
            () throws(CompilerError) in try dcganGenerator()
        },
        ModelInfo(name: "style-transfer", input: FeatureShape(height: 256, width: 256, channels: 3),
                  citation: "Johnson et al., Perceptual losses for real-time style transfer, ECCV 2016, supplementary"
                      + " Table 1 (image transform net; zero-padded residual blocks instead of cropping)") {
            () throws(CompilerError) in try styleTransfer()
        },
        ModelInfo(name: "lstm-lm", input: tokens(32),
                  citation: "Zaremba et al., Recurrent neural network regularization, 2014, Section 4.1 (the medium PTB"
                      + " model: 10,000 words, 2 LSTM layers, dropout 0.5) with 512 units instead of 650, 32 steps instead"
                      + " of 35, and only the dropout before the output layer (the identity at inference)") {
            () throws(CompilerError) in
            try languageModel(name: "lstm-lm", cell: .lstm(peephole: false, coupled: false), layers: 2, dropout: 0.5)
        },
        ModelInfo(name: "gru-lm", input: tokens(32),
                  citation: "lstm-lm (Zaremba et al., 2014, medium PTB model at 512 units and 32 steps) with GRU layers"
                      + " (Cho et al., EMNLP 2014, as PyTorch's nn.GRU computes them) in place of the LSTMs") {
            () throws(CompilerError) in try languageModel(name: "gru-lm", cell: .gru, layers: 2, dropout: 0.5)
        },
        ModelInfo(name: "rnn-lm", input: tokens(32),
                  citation: "Mikolov et al., Recurrent neural network based language model, Interspeech 2010, Section 2"
                      + " (Elman network, one recurrent layer, softmax output) with tanh instead of the sigmoid, 512 units,"
                      + " an embedding of 512 before the recurrent layer (the paper feeds it the one-hot word), PyTorch's"
                      + " nn.RNN biases, 10,000 words and 32 steps") {
            () throws(CompilerError) in try languageModel(name: "rnn-lm", cell: .rnn(.tanh), layers: 1)
        },
        ModelInfo(name: "image-captioning", input: FeatureShape(height: 1, width: 1, channels: 512),
                  citation: "Vinyals et al., Show and tell, CVPR 2015, as the CS231n assignment 3 captioning decoder builds"
                      + " it: the 512-feature image vector projected to the LSTM's initial hidden state (the paper feeds"
                      + " it as the first input instead), word vectors 256, hidden 512, 1004 words, 16 steps") {
            () throws(CompilerError) in try imageCaptioning()
        },
        ModelInfo(name: "resnet-tiny", input: FeatureShape(height: 32, width: 32, channels: 3),
                  citation: "the ResNet-18 topology (He et al., CVPR 2016) at 32x32 with widths / 8 and 10 classes") {
            () throws(CompilerError) in
            try resnet(name: "resnet-tiny", block: .basic, blocks: [2, 2, 2, 2], widths: [8, 16, 32, 64],
                       input: FeatureShape(height: 32, width: 32, channels: 3), classes: 10)
        },
        ModelInfo(name: "inception-block", input: FeatureShape(height: 16, width: 16, channels: 48),
                  citation: "one GoogLeNet inception module (3a of Szegedy et al., CVPR 2015) with widths / 4, on 16x16x48") {
            () throws(CompilerError) in try inceptionBlock()
        },
        ModelInfo(name: "dense-block", input: FeatureShape(height: 16, width: 16, channels: 16),
                  citation: "one DenseNet-BC dense block of 4 layers (growth 8) and a transition (Huang et al., CVPR 2017)") {
            () throws(CompilerError) in try denseBlock()
        },
        ModelInfo(name: "unet-small", input: FeatureShape(height: 32, width: 32, channels: 1),
                  citation: "the U-Net topology (Ronneberger et al., MICCAI 2015) at 32x32 with widths / 8") {
            () throws(CompilerError) in
            try unet(name: "unet-small", input: FeatureShape(height: 32, width: 32, channels: 1), baseWidth: 8)
        },
        ModelInfo(name: "lstm-lm-tiny", input: tokens(8),
                  citation: "the lstm-lm topology (Zaremba et al., 2014) with 64 words, embedding and 2 LSTM layers of 16, 8 steps") {
            () throws(CompilerError) in
            try languageModel(name: "lstm-lm-tiny", cell: .lstm(peephole: false, coupled: false), layers: 2, dropout: 0.5,
                              vocabulary: 64, dimension: 16, hidden: 16, steps: 8)
        },
        ModelInfo(name: "gru-lm-tiny", input: tokens(8),
                  citation: "the gru-lm topology with 64 words, embedding and 2 GRU layers of 16, 8 steps") {
            () throws(CompilerError) in
            try languageModel(name: "gru-lm-tiny", cell: .gru, layers: 2, dropout: 0.5, vocabulary: 64, dimension: 16,
                              hidden: 16, steps: 8)
        },
        ModelInfo(name: "rnn-lm-tiny", input: tokens(8),
                  citation: "the rnn-lm topology (Mikolov et al., Interspeech 2010) with 64 words, embedding and one tanh"
                      + " RNN layer of 16, 8 steps") {
            () throws(CompilerError) in
            try languageModel(name: "rnn-lm-tiny", cell: .rnn(.tanh), layers: 1, vocabulary: 64, dimension: 16, hidden: 16,
                              steps: 8)
        },
        ModelInfo(name: "bilstm-tiny", input: tokens(8),
                  citation: "a sequence classifier with stacked bidirectional recurrent layers (Schuster and Paliwal,"
                      + " IEEE Trans. Signal Processing 1997): 64 words, embedding 16, BiLSTM 16, many-to-one BiGRU 8,"
                      + " 10 classes") {
            () throws(CompilerError) in try bilstmTiny()
        },
    ]

    /// Names of all models, in `all` order.
    public static var names: [String] { all.map(\.name) }

    /// The model named `name`, if the zoo has it.
    public static func model(named name: String) -> ModelInfo? { all.first { $0.name == name } }
}
