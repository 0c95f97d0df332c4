import Compiler
import HostRuntime
import ISA
import Testing

/// Small compiled layers verify bit for bit against the check language's reference, int8 on the
/// edge preset and int16 (DianNao fixed point) on the diannao preset.
@Suite struct BitExactLayerTests {
    static let shape = FeatureShape(height: 9, width: 7, channels: 8)

    static let layers: [Layer] = [
        convLayer("conv3x3_pad1", input: shape, filters: 12, kernel: (3, 3), padding: Padding(1)),
        convLayer("conv3x3_stride2", input: shape, filters: 16, kernel: (3, 3), stride: 2, padding: Padding(1), activation: .relu),
        convLayer("conv1x1", input: shape, filters: 20, kernel: (1, 1), bias: false),
        convLayer("conv1x7", input: shape, filters: 8, kernel: (1, 7), padding: Padding(top: 0, bottom: 0, left: 3, right: 3)),
        convLayer("conv7x1", input: shape, filters: 8, kernel: (7, 1), padding: Padding(top: 3, bottom: 3, left: 0, right: 0)),
        convLayer("conv_dilation2", input: shape, filters: 8, kernel: (3, 3), padding: Padding(2), dilation: 2),
        convLayer("conv_asymmetric", input: shape, filters: 8, kernel: (3, 2), padding: Padding(top: 2, bottom: 0, left: 1, right: 0)),
        convLayer("conv_batchnorm_relu6", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), bias: false,
                  batchNorm: true, activation: .relu6),
        convLayer("conv_leaky", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), activation: .leakyRelu(alpha: 0.1)),
        convLayer("conv_sigmoid", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), activation: .sigmoid),
        convLayer("conv_tanh", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), activation: .tanh),
        convLayer("conv_fused_maxpool", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), activation: .relu,
                  pooling: .square(.max, 2)),
        convLayer("conv_fused_avgpool", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), pooling: .square(.average, 2)),
        convLayer("depthwise", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), groups: 8, activation: .relu),
        convLayer("grouped", input: shape, filters: 12, kernel: (3, 3), padding: Padding(1), groups: 4),
        Layer(name: "fc_batch3", operation: .fullyConnected(outputFeatures: 10), input: FeatureShape(height: 1, width: 3, channels: 40),
              activation: .relu),
        Layer(name: "maxpool3x3s2", operation: .pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2,
                                                                 padding: Padding(1))), input: shape),
        Layer(name: "avgpool2x2", operation: .pooling(.square(.average, 2)), input: shape),
        Layer(name: "avgpool3x3pad1", operation: .pooling(Pooling(kind: .average, windowHeight: 3, windowWidth: 3, strideY: 1,
                                                                   strideX: 1, padding: Padding(1))), input: shape),
        Layer(name: "maxpool_ceil", operation: .pooling(Pooling(kind: .max, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2,
                                                                 ceilMode: true)), input: shape),
        Layer(name: "global_average", operation: .globalAveragePool, input: shape),
    ]

    @Test(arguments: layers)
    func int8OnEdge(layer: Layer) throws {
        try compileAndVerify(layer, config: .edge, dataType: .int8)
    }

    @Test(arguments: layers)
    func int16OnDianNao(layer: Layer) throws {
        try compileAndVerify(layer, config: .diannao, dataType: .int16)
    }

    /// Forced plans exercise reduction splits, both loop orders and single buffers.
    @Test(arguments: [
        TilePlan(rows: 2, columns: 3, outputChannels: 8, inputChannels: 3, loopOrder: .weightsOuter),
        TilePlan(rows: 3, columns: 7, outputChannels: 8, inputChannels: 5, loopOrder: .inputOuter),
        TilePlan(rows: 1, columns: 2, outputChannels: 16, inputChannels: 8, loopOrder: .inputOuter,
                 inputBuffers: 1, weightBuffers: 1, outputBuffers: 1),
        TilePlan(rows: 9, columns: 7, outputChannels: 4, inputChannels: 8, loopOrder: .weightsOuter,
                 inputBuffers: 1, weightBuffers: 2, outputBuffers: 1),
        TilePlan(rows: 1, columns: 7, outputChannels: 8, inputChannels: 3, loopOrder: .weightsOuter, outputBuffers: 3),
    ])
    func forcedPlans(plan: TilePlan) throws {
        let layer = convLayer("forced", input: Self.shape, filters: 16, kernel: (3, 3), stride: 1, padding: Padding(1), activation: .relu)
        let compiled = try compileAndVerify(layer, config: .edge, dataType: .int8, plan: plan)
        #expect(compiled.plan == plan)
    }

    /// Every output stage (in place over the accumulators, LeakyReLU with its scratch, fused
    /// pooling) with many tiles in flight: three output slots, so the next tiles' matmuls overlap
    /// this tile's epilogue and store.
    @Test(arguments: [Activation.none, .relu6, .leakyRelu(alpha: 0.25), .sigmoid, .tanh], [nil, Pooling.square(.average, 2)])
    func outputStagesWithThreeSlots(activation: Activation, pooling: Pooling?) throws {
        let layer = convLayer("slots", input: Self.shape, filters: 16, kernel: (3, 3), padding: Padding(1), batchNorm: true,
                              activation: activation, pooling: pooling)
        let plan = TilePlan(rows: 2, columns: 2, outputChannels: 8, inputChannels: 8, outputBuffers: 3)
        try compileAndVerify(layer, config: .edge, dataType: .int8, plan: plan)
        try compileAndVerify(layer, config: .edge, dataType: .int16, plan: plan)
    }

    /// The emitted program survives disassembly and reassembly unchanged.
    @Test func assemblyRoundTrip() throws {
        for layer in Self.layers {
            let compiled = try LayerCompiler.compile(layer, config: .edge, dataType: .int8,
                                                     parameters: try randomParameters(layer, seed: 3),
                                                     quantization: testQuantization(.int8, pooling: layer.convolution == nil))
            let text = Disassembler.text(of: compiled.program)
            let reassembled = try Assembler().assemble(text, file: "\(layer.name).s")
            #expect(reassembled == compiled.program, "\(layer.name)")
        }
    }
}
