import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Layers over a batch of images (`Layer.batch`, NHWC in DRAM): bit-exact against the check
/// language's per-image reference, with the images placed where `TensorPlacement` documents,
/// and each weight tile loaded once for the whole batch.
@Suite struct BatchLayerTests {
    static let shape = FeatureShape(height: 6, width: 5, channels: 8)

    static func batched(_ layer: Layer, _ batch: Int) -> Layer {
        var layer = layer
        layer.batch = batch
        return layer
    }

    static let layers: [Layer] = [
        convLayer("conv3x3_pad1", input: shape, filters: 12, kernel: (3, 3), padding: Padding(1)),
        convLayer("conv3x3_stride2", input: shape, filters: 16, kernel: (3, 3), stride: 2, padding: Padding(1), activation: .relu),
        convLayer("grouped", input: shape, filters: 12, kernel: (3, 3), padding: Padding(1), groups: 4),
        convLayer("depthwise", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), groups: 8, activation: .relu),
        convLayer("conv_fused_maxpool", input: shape, filters: 8, kernel: (3, 3), padding: Padding(1), activation: .relu,
                  pooling: .square(.max, 2)),
        convLayer("conv1x1", input: shape, filters: 20, kernel: (1, 1), bias: false),
        Layer(name: "maxpool3x3s2", operation: .pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2,
                                                                 padding: Padding(1))), input: shape),
        Layer(name: "avgpool2x2", operation: .pooling(.square(.average, 2)), input: shape),
    ]

    @Test(arguments: layers, [2, 3])
    func bitExactOnEdge(layer: Layer, batch: Int) throws {
        let compiled = try compileAndVerify(Self.batched(layer, batch), config: .edge, dataType: .int8)
        let output = try layer.outputShape()
        #expect(compiled.program.inputs.first?.shape == [batch] + Self.shape.dimensions)
        #expect(compiled.program.outputs.first?.shape == [batch] + output.dimensions)
    }

    @Test(arguments: [layers[0], layers[4], layers[7]])
    func bitExactInt16OnDianNao(layer: Layer) throws {
        try compileAndVerify(Self.batched(layer, 2), config: .diannao, dataType: .int16)
    }

    /// Several tiles per image, both loop orders, reduction splits and single buffers.
    @Test(arguments: [
        TilePlan(rows: 2, columns: 3, outputChannels: 8, inputChannels: 8, loopOrder: .weightsOuter),
        TilePlan(rows: 6, columns: 5, outputChannels: 8, inputChannels: 3, loopOrder: .weightsOuter, inputBuffers: 1, outputBuffers: 1),
        TilePlan(rows: 3, columns: 5, outputChannels: 8, inputChannels: 5, loopOrder: .inputOuter),
        TilePlan(rows: 1, columns: 2, outputChannels: 16, inputChannels: 8, loopOrder: .inputOuter,
                 inputBuffers: 1, weightBuffers: 1, outputBuffers: 1),
    ], [2, 3])
    func forcedPlans(plan: TilePlan, batch: Int) throws {
        let layer = convLayer("forced", input: Self.shape, filters: 16, kernel: (3, 3), padding: Padding(1), activation: .relu)
        let compiled = try compileAndVerify(Self.batched(layer, batch), config: .edge, dataType: .int8, plan: plan)
        #expect(compiled.plan == plan)
    }

    /// With the K tile outer and no reduction split, each weight tile is loaded once and reused
    /// by every tile of every image.
    @Test func weightsOuterLoadsEachWeightTileOnce() throws {
        let layer = Self.batched(convLayer("reuse", input: Self.shape, filters: 16, kernel: (3, 3), padding: Padding(1)), 3)
        let plan = TilePlan(rows: 2, columns: 5, outputChannels: 8, inputChannels: 8, loopOrder: .weightsOuter)
        let compiled = try compileAndVerify(layer, config: .edge, dataType: .int8, plan: plan)
        let weightLoads = compiled.program.instructions.compactMap { instruction -> Transfer? in
            if case .load(let t) = instruction.operation, t.buffer == .sb, t.type == .int8 { t } else { nil }
        }
        #expect(weightLoads.count == 2)
        let loadedBytes = weightLoads.reduce(0) { $0 + $1.payloadBytes }
        #expect(loadedBytes == 3 * 3 * 8 * 16)
    }

    /// A batch-4 layer whose weights dominate its traffic (4x4x256, 3x3 to 256 on edge: 576 KiB of
    /// weights, 4 KiB per image) loads each weight byte once: its DRAM traffic is far below four
    /// batch-1 runs', and each image takes fewer cycles.
    @Test func batchingReusesWeights() throws {
        let layer = convLayer("wide", input: FeatureShape(height: 4, width: 4, channels: 256), filters: 256, kernel: (3, 3),
                              padding: Padding(1))
        func run(_ batch: Int) throws -> (program: Program, statistics: Statistics) {
            let compiled = try LayerCompiler.compile(Self.batched(layer, batch), config: .edge, dataType: .int8, parameters: nil,
                                                     quantization: nil)
            var device = Device(config: .edge)
            return (compiled.program, try device.run(compiled.program, mode: .timingOnly))
        }
        let (one, four) = (try run(1), try run(4))
        let weightLoadBytes = four.program.instructions.reduce(0) { total, instruction in
            guard case .load(let t) = instruction.operation, t.buffer == .sb, t.type == .int8 else { return total }
            return total + t.payloadBytes
        }
        #expect(weightLoadBytes == 3 * 3 * 256 * 256)
        #expect(four.statistics.dramTraffic.weights <= one.statistics.dramTraffic.weights * 5 / 4)
        let traffic = { (s: Statistics) in s.dramBytesRead + s.dramBytesWritten }
        #expect(traffic(four.statistics) < 2 * traffic(one.statistics),
                "batch 4: \(traffic(four.statistics)) B, batch 1: \(traffic(one.statistics)) B")
        // At least 10% fewer cycles per image.
        #expect(four.statistics.cycles * 10 < 4 * one.statistics.cycles * 9,
                "batch 4: \(four.statistics.cycles) cycles, batch 1: \(one.statistics.cycles)")
    }

    @Test func symbolsMacsAndRoofline() throws {
        let layer = convLayer("conv", input: Self.shape, filters: 12, kernel: (3, 3), padding: Padding(1))
        let single = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(single.program.inputs.first?.shape == [6, 5, 8])
        #expect(single.program.outputs.first?.shape == [6, 5, 12])
        let batch = try LayerCompiler.compile(Self.batched(layer, 3), config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(batch.macs == 3 * single.macs)
        #expect(try Self.batched(layer, 3).macs() == 3 * (try layer.macs()))
        let weights = 3 * 3 * 8 * 12, image = 6 * 5 * 8 + 6 * 5 * 12
        #expect(single.roofline.compulsoryBytes == weights + image)
        #expect(batch.roofline.compulsoryBytes == weights + 3 * image)
    }

    @Test func invalidBatchesAndImageStridesAreRejected() {
        let layer = convLayer("conv", input: Self.shape, filters: 12, kernel: (3, 3), padding: Padding(1))
        #expect {
            _ = try LayerCompiler.compile(Self.batched(layer, 0), config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        } throws: { error in
            guard case CompilerError.invalidLayer(_, let message) = error else { return false }
            return message.contains("batch must be at least 1")
        }
        let tooClose = LayerPlacement(input: TensorPlacement(address: 0, imageStride: 6 * 5 * 8 - 1),
                                      output: TensorPlacement(address: 4096), constants: 8192)
        #expect {
            _ = try LayerCompiler.compile(Self.batched(layer, 2), config: .edge, dataType: .int8, parameters: nil, quantization: nil,
                                          placement: tooClose)
        } throws: { error in
            guard case CompilerError.invalidLayer(_, let message) = error else { return false }
            return message.contains("must hold one containing image")
        }
    }

    /// Input channels 4..<12 of a 20-channel tensor whose images are 64 elements further apart
    /// than packed; output channels 6..<18 of a 24-channel tensor, packed.
    @Test(arguments: [2, 3])
    func channelSlicesOfWiderTensors(batch: Int) throws {
        let layer = Self.batched(convLayer("slices", input: Self.shape, filters: 12, kernel: (3, 3), padding: Padding(1),
                                           activation: .relu), batch)
        let input = TensorPlacement(address: 0, channels: 20, channelOffset: 4, imageStride: 6 * 5 * 20 + 64)
        let output = TensorPlacement(address: 16384, channels: 24, channelOffset: 6)
        try verifyPlaced(layer, input: input, output: output, plan: nil)
        try verifyPlaced(layer, input: input, output: output,
                         plan: TilePlan(rows: 2, columns: 5, outputChannels: 8, inputChannels: 4, loopOrder: .inputOuter))
    }

    /// The output is phase (1, 0) of a 2x-upsampled 8-channel tensor (a transposed convolution's
    /// sub-pixel phase): image n's pixel (y, x) lands on containing pixel (2y + 1, 2x).
    @Test(arguments: [2, 3])
    func transposedPhaseView(batch: Int) throws {
        let layer = Self.batched(convLayer("phase", input: Self.shape, filters: 8, kernel: (3, 3), padding: Padding(1)), batch)
        let output = TensorPlacement(address: 8192, channels: 8, pixelStep: 2, phaseY: 1, phaseX: 0)
        try verifyPlaced(layer, input: TensorPlacement(address: 0), output: output, plan: nil)
        try verifyPlaced(layer, input: TensorPlacement(address: 0), output: output,
                         plan: TilePlan(rows: 3, columns: 2, outputChannels: 8, inputChannels: 8, loopOrder: .weightsOuter))
    }
}

/// A batch of feature-map views in DRAM and the byte address `TensorPlacement` documents for
/// each element, computed here independently of the compiler.
struct BatchView {
    var placement: TensorPlacement
    /// The layer's own map of one image.
    var shape: FeatureShape
    var batch: Int
    var elementBytes: Int

    var channels: Int { placement.channels ?? shape.channels }
    var containingImage: Int { shape.height * placement.pixelStep * shape.width * placement.pixelStep * channels }
    var imageStride: Int { placement.imageStride ?? containingImage }
    /// Bytes from the containing tensor's address to the end of its last image.
    var byteCount: Int { ((batch - 1) * imageStride + containingImage) * elementBytes }

    /// Offset from `placement.address` of element (n, y, x, c).
    func offset(n: Int, y: Int, x: Int, c: Int) -> Int {
        let s = placement.pixelStep
        let pixel = (y * s + placement.phaseY) * (shape.width * s) + x * s + placement.phaseX
        return (n * imageStride + pixel * channels + placement.channelOffset + c) * elementBytes
    }

    /// Every element's offset, in NHWC order of the layer's map.
    var offsets: [Int] {
        var result: [Int] = []
        for n in 0..<batch {
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    for c in 0..<shape.channels { result.append(offset(n: n, y: y, x: x, c: c)) }
                }
            }
        }
        return result
    }
}

/// Compiles `layer` (int8, edge) with its input and output in the given views, fills both
/// containing tensors with random bytes, runs it, and checks that the output view holds the
/// check language's result on the input view's elements and that no other output byte changed.
func verifyPlaced(_ layer: Layer, input: TensorPlacement, output: TensorPlacement, plan: TilePlan?,
                  sourceLocation: SourceLocation = #_sourceLocation) throws {
    let config = HardwareConfig.edge
    let inputView = BatchView(placement: input, shape: layer.input, batch: layer.batch, elementBytes: 1)
    let outputView = BatchView(placement: output, shape: try layer.outputShape(), batch: layer.batch, elementBytes: 1)
    let tensorsEnd = max(input.address + inputView.byteCount, output.address + outputView.byteCount)
    let constants = (tensorsEnd + 63) / 64 * 64
    let compiled = try LayerCompiler.compile(layer, config: config, dataType: .int8, parameters: try randomParameters(layer, seed: 5),
                                             quantization: testQuantization(.int8), plan: plan,
                                             placement: LayerPlacement(input: input, output: output, constants: constants))
    var device = Device(config: config)
    try device.load(compiled.program)
    let inputBytes = Tensor.random(shape: [inputView.byteCount], type: .int8, seed: 21)
    let outputBefore = Tensor.random(shape: [outputView.byteCount], type: .int8, seed: 22)
    try device.copyIn(inputBytes, to: input.address)
    try device.copyIn(outputBefore, to: output.address)
    _ = try device.run(compiled.program, mode: .functional)
    let outputAfter = try device.copyOut(from: output.address, shape: [outputView.byteCount], type: .int8)

    var inputs: [String: Tensor] = [:]
    for symbol in compiled.program.constants {
        inputs[symbol.name] = try device.copyOut(from: symbol.address, shape: symbol.shape, type: symbol.type)
    }
    let xShape = compiled.program.inputs[0].shape
    inputs["X"] = Tensor(shape: xShape, type: .int8, bytes: inputView.offsets.map { inputBytes.bytes[$0] })
    let reference = try CheckProgram(lines: compiled.program.checks).evaluate(inputs: inputs)["Y"]!
    let offsets = outputView.offsets
    let stored = Tensor(shape: reference.shape, type: .int8, bytes: offsets.map { outputAfter.bytes[$0] })
    #expect(stored == reference, "\(layer.name) batch \(layer.batch) plan \(compiled.plan)", sourceLocation: sourceLocation)
    var untouched = outputAfter.bytes
    for offset in offsets { untouched[offset] = outputBefore.bytes[offset] }
    #expect(untouched == outputBefore.bytes, "bytes outside the output view changed", sourceLocation: sourceLocation)
}
