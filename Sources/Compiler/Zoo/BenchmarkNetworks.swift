/// The convolution and fully connected layers of standard networks at 224x224, batch 1, as
/// `npu bench layers` measures them: every layer instance in order (repeated blocks repeated),
/// so sums over the list are sums over the network. The whole-network zoo (with pooling,
/// residual adds and concatenations) builds on these shapes.
public enum BenchmarkNetworks {
    /// Names of the networks `layers(of:)` knows.
    public static let names = ["resnet50", "vgg16"]

    public static func layers(of network: String) -> [Layer]? {
        switch network {
        case "resnet50": resnet50()
        case "vgg16": vgg16()
        default: nil
        }
    }

    private static func conv(_ name: String, _ size: Int, _ channels: Int, _ filters: Int, kernel: Int, stride: Int = 1,
                             batchNorm: Bool, activation: Activation = .relu) -> Layer {
        Layer(name: name,
              operation: .convolution(Convolution(outputChannels: filters, kernelHeight: kernel, kernelWidth: kernel,
                                                  strideY: stride, strideX: stride, padding: Padding(kernel / 2))),
              input: FeatureShape(height: size, width: size, channels: channels),
              hasBias: !batchNorm, hasBatchNorm: batchNorm, activation: activation)
    }

    private static func fc(_ name: String, _ inputs: Int, _ outputs: Int, activation: Activation) -> Layer {
        Layer(name: name, operation: .fullyConnected(outputFeatures: outputs),
              input: FeatureShape(height: 1, width: 1, channels: inputs), activation: activation)
    }

    /// ResNet-50 as torchvision builds it (v1.5: the stride of a downsampling bottleneck is on
    /// its 3x3 convolution; He et al., CVPR 2016, Table 1): 53 convolutions and the classifier,
    /// 4.09 G MACs.
    public static func resnet50() -> [Layer] {
        var layers = [conv("conv1", 224, 3, 64, kernel: 7, stride: 2, batchNorm: true)]
        let stages: [(name: String, blocks: Int, width: Int, outputSize: Int)] = [
            ("layer1", 3, 64, 56), ("layer2", 4, 128, 28), ("layer3", 6, 256, 14), ("layer4", 3, 512, 7),
        ]
        var channels = 64
        var size = 56
        for (stageIndex, stage) in stages.enumerated() {
            for block in 0..<stage.blocks {
                let stride = block == 0 && stageIndex > 0 ? 2 : 1
                let prefix = "\(stage.name)_\(block)"
                layers.append(conv("\(prefix)_conv1", size, channels, stage.width, kernel: 1, batchNorm: true))
                layers.append(conv("\(prefix)_conv2", size, stage.width, stage.width, kernel: 3, stride: stride, batchNorm: true))
                layers.append(conv("\(prefix)_conv3", stage.outputSize, stage.width, stage.width * 4, kernel: 1, batchNorm: true,
                                   activation: .none))
                if block == 0 {
                    layers.append(conv("\(prefix)_downsample", size, channels, stage.width * 4, kernel: 1, stride: stride,
                                       batchNorm: true, activation: .none))
                }
                channels = stage.width * 4
                size = stage.outputSize
            }
        }
        layers.append(fc("fc", 2048, 1000, activation: .none))
        return layers
    }

    /// VGG-16 (configuration D of Simonyan and Zisserman, ICLR 2015): thirteen 3x3 convolutions
    /// and three fully connected layers, 15.47 G MACs.
    public static func vgg16() -> [Layer] {
        let blocks: [(size: Int, channels: [Int])] = [
            (224, [64, 64]), (112, [128, 128]), (56, [256, 256, 256]), (28, [512, 512, 512]), (14, [512, 512, 512]),
        ]
        var layers: [Layer] = []
        var channels = 3
        for (blockIndex, block) in blocks.enumerated() {
            for (index, filters) in block.channels.enumerated() {
                layers.append(conv("conv\(blockIndex + 1)_\(index + 1)", block.size, channels, filters, kernel: 3, batchNorm: false))
                channels = filters
            }
        }
        layers.append(fc("fc6", 25088, 4096, activation: .relu))
        layers.append(fc("fc7", 4096, 4096, activation: .relu))
        layers.append(fc("fc8", 4096, 1000, activation: .none))
        return layers
    }
}
