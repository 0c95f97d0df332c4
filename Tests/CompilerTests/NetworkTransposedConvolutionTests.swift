import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Transposed convolutions on the device: each runs as `s * s` sub-pixel phase convolutions
/// (`NetworkCompiler`), every phase storing every s-th output pixel.
@Suite struct NetworkTransposedConvolutionTests {
    struct Case: Sendable, CustomStringConvertible {
        var kernel: Int, pad: Int, outputPadding: Int, bias: Bool
        var description: String { "k\(kernel) p\(pad) op\(outputPadding)\(bias ? " bias" : "")" }
    }
    static let cases = [Case(kernel: 4, pad: 1, outputPadding: 0, bias: true), Case(kernel: 5, pad: 2, outputPadding: 1, bias: false),
                        Case(kernel: 3, pad: 1, outputPadding: 1, bias: false), Case(kernel: 2, pad: 0, outputPadding: 0, bias: true)]

    /// conv -> stride-2 transposed conv -> BN -> ReLU -> 1x1 conv, so the transposed output is read on the device.
    static func graph(_ c: Case) throws -> Graph {
        let b = GraphBuilder(name: "up", input: FeatureShape(height: 5, width: 6, channels: 8))
        let stem = b.input.conv(12, kernel: 3, pad: 1, name: "stem").relu(name: "stem_relu")
        let up = stem.transposedConv(10, kernel: c.kernel, stride: 2, pad: c.pad, outputPadding: c.outputPadding, bias: c.bias, name: "up")
            .bn(name: "up_bn").relu(name: "up_relu")
        return try b.build(output: up.conv(6, kernel: 1, name: "head"))
    }

    @Test(arguments: cases)
    func functionalRunVerifiesBitExact(c: Case) throws {
        let graph = try Self.graph(c)
        let config = HardwareConfig.edge
        let parameters = try NetworkConcatTests.parameters(graph, seed: 11)
        for reuse in [false, true] {
            let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: parameters, quantization: nil,
                                                       options: NetworkCompiler.Options(reuseActivations: reuse))
            #expect(compiled.hostOperations.isEmpty)
            // Four phases, each with the batch norm and ReLU folded in.
            let phases = compiled.layers.filter { $0.op == "convtranspose" }
            #expect(phases.count == 4)
            #expect(phases.allSatisfy { $0.nodes == ["up", "up_bn", "up_relu"] })
            #expect(!compiled.layers.contains { $0.op == "bn" })
            let report = try KernelExecution.run(compiled.program, config: config, seed: 12, mode: .functional)
            #expect(report.verification == .bitExact, "reuse \(reuse): \(report.verification)")
        }
    }

    /// The decomposition computes the transposed convolution: the quantized device output agrees
    /// with the fp32 graph reference (which scatters with the node's own `[R][S][C][K]` weights).
    @Test(arguments: cases)
    func deviceAgreesWithFloatReference(c: Case) throws {
        let graph = try Self.graph(c)
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, seed: 3, mode: .functional,
                                                                            verify: true))
        let agreement = try #require(report.agreement)
        #expect(agreement.error.cosineSimilarity > 0.999, "\(agreement.error)")
    }

    @Test func unsupportedDecompositionsThrow() throws {
        let b = GraphBuilder(name: "odd", input: FeatureShape(height: 4, width: 4, channels: 4))
        let graph = try b.build(output: b.input.transposedConv(4, kernel: 3, stride: 2, name: "up"))   // 9x9: not a multiple of 2
        #expect(throws: CompilerError.self) {
            try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        }
    }

    @Test(arguments: ["unet-small", "dcgan-generator", "style-transfer"])
    func zooModelsRunTimingOnly(model: String) throws {
        let graph = try #require(ModelZoo.model(named: model)).graph()
        let config = HardwareConfig.edge
        let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.hostOperations.isEmpty)
        let result = try Simulator(config: config).run(compiled.program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes),
                                                       mode: .timingOnly)
        #expect(result.statistics.macs == compiled.macs)
        #expect(result.statistics.layers.count == compiled.layers.count)
    }
}
