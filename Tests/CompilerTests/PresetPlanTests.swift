import Compiler
import ISA
import Testing

/// The plan search finds a legal plan on every preset for the benchmark networks' largest layers
/// (timing-only compiles, so these stay fast).
@Suite struct PresetPlanTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var layer: Layer
        var config: HardwareConfig
        var testDescription: String { "\(layer.name) on \(config.name)" }
    }

    /// 3x3 layers whose weights exceed the tpu's 256 KiB SB: the plan must split the reduction
    /// into chunks smaller than the array height (or narrow the K tile).
    static let tpuLayers: [Case] = [
        ("resnet50_layer3_0_conv2", FeatureShape(height: 14, width: 14, channels: 256), 256),
        ("resnet50_layer4_0_conv2", FeatureShape(height: 7, width: 7, channels: 512), 512),
        ("vgg16_conv4_1", FeatureShape(height: 28, width: 28, channels: 256), 512),
        ("vgg16_conv5_1", FeatureShape(height: 14, width: 14, channels: 512), 512),
        ("alexnet_conv4", FeatureShape(height: 13, width: 13, channels: 384), 256),
        ("yolov1_conv21", FeatureShape(height: 7, width: 7, channels: 1024), 1024),
    ].map { name, input, filters in
        Case(layer: convLayer(name, input: input, filters: filters, kernel: (3, 3), padding: Padding(1), activation: .relu),
             config: .tpu)
    }

    @Test(arguments: tpuLayers)
    func searchFindsAValidPlan(_ c: Case) throws {
        let compiled = try LayerCompiler.compile(c.layer, config: c.config, dataType: .int8, parameters: nil, quantization: nil)
        try compiled.plan.validate(layer: c.layer, config: c.config, dataType: .int8)
        #expect(compiled.estimatedCycles > 0)
    }

    /// VGG-16's first classifier layer on diannao: its 4096 output-stage records (12 bytes each)
    /// exceed the 32 KiB SB on their own; `TileSchedule` loads only the K tile's records, into a
    /// record slot beside each weight slot.
    @Test func diannaoClassifierRecordsFitPerKTile() throws {
        let layer = Layer(name: "classifier_fc1", operation: .fullyConnected(outputFeatures: 4096),
                          input: FeatureShape(height: 1, width: 1, channels: 25088), activation: .relu)
        let compiled = try LayerCompiler.compile(layer, config: .diannao, dataType: .int8, parameters: nil, quantization: nil)
        try compiled.plan.validate(layer: layer, config: .diannao, dataType: .int8)
        #expect(compiled.plan.outputChannels < 4096)
        #expect(compiled.estimatedCycles > 0)
    }

    /// The style-transfer network's last layer (9x9, 32 -> 3, tanh) on diannao: one output pixel's
    /// 9x9 window of 16 int16 channels (2.5 KiB) overflows the 2 KiB NBin, so the reduction runs
    /// in chunks below the array height.
    @Test func diannaoLargeKernelSplitsTheReductionBelowTheArrayHeight() throws {
        let layer = convLayer("conv4", input: FeatureShape(height: 6, width: 6, channels: 32), filters: 3, kernel: (9, 9),
                              padding: Padding(4), activation: .tanh)
        let compiled = try compileAndVerify(layer, config: .diannao, dataType: .int16)
        #expect(compiled.plan.inputChannels < HardwareConfig.diannao.array.rows)
    }
}
