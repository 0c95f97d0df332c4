import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// The network compiler over a batch of images (`NetworkCompiler.Options.batch`): NHWC tensors
/// `[N, H, W, C]`, per-pixel device operations over `N * H * W` pixels, fully connected layers
/// folded into pixels, and batch-1 programs exactly as before.
@Suite struct NetworkBatchCompilerTests {
    static func compile(_ model: String, batch: Int, reuse: Bool = true) throws -> CompiledNetwork {
        let graph = try #require(ModelZoo.model(named: model)).graph()
        return try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil,
                                           options: NetworkCompiler.Options(reuseActivations: reuse, batch: batch))
    }

    static func text(_ compiled: CompiledNetwork) -> String {
        compiled.segments.map { Disassembler.text(of: $0.program) }.joined()
    }

    /// Batch 1 is the default and the programs are those of the compiler before batches (commit
    /// 2a4d794, where every zoo model's programs, timing-only and functional, were compared byte
    /// for byte): ResNet-tiny's instruction count and cycles as measured then, updated when the
    /// int8 residual add and average pooling began to subtract zero points unconditionally
    /// (373 instructions, was 356; 29,285 cycles, was 29,281).
    @Test func batchOneProgramsAreUnchanged() throws {
        let graph = try #require(ModelZoo.model(named: "resnet-tiny")).graph()
        let byDefault = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        let one = try Self.compile("resnet-tiny", batch: 1)
        #expect(Self.text(one) == Self.text(byDefault))
        #expect(one.batch == 1)
        #expect(one.program.instructions.count == 373)
        #expect(one.program.symbols.filter { $0.role != .constant }.allSatisfy { $0.shape.count == 3 })
        let functional = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional,
                                                                               verify: true))
        #expect(functional.statistics.cycles == 29_285)
        #expect(functional.verification == .bitExact)
    }

    @Test(arguments: ["lenet5", "resnet-tiny", "inception-block", "dense-block", "unet-small"])
    func tensorsHoldTheBatch(model: String) throws {
        let (one, three) = (try Self.compile(model, batch: 1, reuse: false), try Self.compile(model, batch: 3, reuse: false))
        #expect(three.batch == 3)
        let tensors = three.segments.flatMap(\.program.symbols).filter { $0.role != .constant }
        #expect(!tensors.isEmpty)
        #expect(tensors.allSatisfy { $0.shape.count == 4 && $0.shape[0] == 3 })
        // Unshared activation bytes grow by N (each tensor's bytes, before burst alignment).
        #expect(three.unsharedActivationBytes >= 3 * one.unsharedActivationBytes - 3 * 64 * tensors.count)
        #expect(three.macs == 3 * one.macs)
    }

    /// A batch of transposed-convolution phases: the linker interleaves the phases of each image
    /// along the axes one higher than for one image.
    @Test func phaseInterleaveChecksHaveTheImageAxis() throws {
        let graph = try #require(ModelZoo.model(named: "unet-small")).graph()
        let parameters = try Dictionary(uniqueKeysWithValues: NetworkCompiler.deviceLayers(graph).compactMap { fused in
            fused.layer.convolution == nil ? nil : (fused.layer.name, LayerParameters.random(for: fused.layer, seed: 1))
        })
        let compiled = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: parameters, quantization: nil,
                                                   options: NetworkCompiler.Options(batch: 2))
        let checks = compiled.segments.flatMap(\.program.checks)
        let interleave = checks.filter { $0.contains("_rc = concat(") }
        #expect(!interleave.isEmpty)
        #expect(interleave.allSatisfy { $0.hasSuffix("axis=2)") })
        #expect(checks.contains { $0.contains("_r0 = reshape(") && $0.contains("shape=2x") })
        #expect(!checks.contains { $0.contains("axis=2, start=") }, "channel slices are on axis 3")
    }

    /// Fully connected layers (and 1x1 convolutions on a 1x1 map) run the batch as pixels.
    @Test func vectorLayersFoldTheBatchIntoPixels() throws {
        let fc = Layer(name: "fc", operation: .fullyConnected(outputFeatures: 10), input: FeatureShape(height: 1, width: 1, channels: 64))
        let folded = try #require(NetworkCompiler.pixelFolded(fc, batch: 16))
        #expect(folded.input == FeatureShape(height: 1, width: 16, channels: 64))
        #expect(folded.batch == 1)
        #expect(try folded.macs() == 16 * (try fc.macs()))
        #expect(NetworkCompiler.pixelFolded(fc, batch: 1) == nil)
        let strided = convLayer("strided", input: FeatureShape(height: 1, width: 1, channels: 8), filters: 4, kernel: (1, 1), stride: 2)
        let unit = try #require(NetworkCompiler.pixelFolded(strided, batch: 4))
        #expect(try unit.outputShape() == FeatureShape(height: 1, width: 4, channels: 4))
        let spatial = convLayer("spatial", input: FeatureShape(height: 2, width: 2, channels: 8), filters: 4, kernel: (1, 1))
        #expect(NetworkCompiler.pixelFolded(spatial, batch: 4) == nil)
        let padded = convLayer("padded", input: FeatureShape(height: 1, width: 1, channels: 8), filters: 4, kernel: (3, 3),
                               padding: Padding(1))
        #expect(NetworkCompiler.pixelFolded(padded, batch: 4) == nil)

        // LeNet's F6 and output layers read their batch as one 1 x N x features map.
        let lenet = try Self.compile("lenet5", batch: 4, reuse: false)
        let graph = try #require(ModelZoo.model(named: "lenet5")).graph()
        let parameters = try Dictionary(uniqueKeysWithValues: NetworkCompiler.deviceLayers(graph).compactMap { fused in
            fused.layer.convolution == nil ? nil : (fused.layer.name, LayerParameters.random(for: fused.layer, seed: 1))
        })
        let functional = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: parameters, quantization: nil,
                                                     options: NetworkCompiler.Options(batch: 4))
        #expect(functional.program.checks.contains { $0.hasPrefix("F6_X = reshape(") && $0.hasSuffix("shape=1x4x120)") })
        #expect(lenet.layers.first { $0.name == "F6" }?.macs == 4 * 120 * 84)
    }

    @Test func batchBelowOneIsRejected() throws {
        let graph = try #require(ModelZoo.model(named: "lenet5")).graph()
        #expect {
            _ = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil,
                                            options: NetworkCompiler.Options(batch: 0))
        } throws: { error in
            guard case CompilerError.invalidLayer(_, let message) = error else { return false }
            return message.contains("batch must be at least 1")
        }
    }

    /// Residual adds and concatenation copies over a batch: `[N, H, W, C]` symbols, `N * H * W`
    /// pixels, bit-exact; a copy into a channel slice of a batch-major concatenation.
    @Test(arguments: [2, 3])
    func addsAndCopiesRunTheBatch(batch: Int) throws {
        let shape = FeatureShape(height: 5, width: 7, channels: 24)
        let add = ResidualAdd(name: "add", shape: shape, relu: true, batch: batch)
        let q = AddQuantization(a: Quantization(scale: 0.02, zeroPoint: 3), b: Quantization(scale: 0.05, zeroPoint: -7),
                                output: Quantization(scale: 0.04, zeroPoint: 1))
        let compiledAdd = try ElementwiseAddCompiler.compile(add, config: .edge, dataType: .int8, quantization: q)
        #expect(compiledAdd.program.symbols.map(\.shape) == Array(repeating: [batch, 5, 7, 24], count: 3))
        let addReport = try KernelExecution.run(compiledAdd.program, config: .edge, seed: 4, mode: .functional)
        #expect(addReport.verification == .bitExact, "\(addReport.verification)")

        let copy = TensorCopy(name: "copy", shape: shape, batch: batch)
        let dense = try TensorCopyCompiler.compile(copy, config: .edge, dataType: .int8, quantization: q.a,
                                                   input: TensorPlacement(address: 0), output: TensorPlacement(address: 65536))
        let report = try KernelExecution.run(dense.program, config: .edge, seed: 6, mode: .functional)
        #expect(report.verification == .bitExact, "\(report.verification)")
        // Into channels 8..<32 of a 40-channel tensor (its symbols name the view's base, as the
        // linker expects): image n's slice starts one 5x7x40 containing image after image n - 1's.
        let slice = TensorPlacement(address: 65536, channels: 40, channelOffset: 8)
        let compiledCopy = try TensorCopyCompiler.compile(copy, config: .edge, dataType: .int8, quantization: q.a,
                                                          input: TensorPlacement(address: 0), output: slice)
        let input = try #require(report.inputs["X"]).integers
        var device = Device(config: .edge)
        try device.copyIn(try #require(report.inputs["X"]), to: 0)
        _ = try device.run(compiledCopy.program, mode: .functional)
        let container = try device.copyOut(from: 65536, shape: [batch, 5, 7, 40], type: .int8).integers
        for n in 0..<batch {
            for pixel in 0..<35 {
                for c in 0..<24 {
                    #expect(container[(n * 35 + pixel) * 40 + 8 + c] == input[(n * 35 + pixel) * 24 + c])
                }
            }
        }

        let packedOnly = TensorPlacement(address: 0, imageStride: shape.elementCount + 64)
        #expect(throws: CompilerError.self) {
            _ = try TensorCopyCompiler.compile(copy, config: .edge, dataType: .int8, quantization: q.a, input: packedOnly,
                                               output: TensorPlacement(address: 65536))
        }
    }
}
