import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Whole networks through `NetworkCompiler`: a reduced ResNet (stem, two basic blocks, one with a
/// projection shortcut, global pooling, flatten, FC, softmax on the host) and an Inception-like block.
@Suite struct NetworkCompilerTests {
    static func reducedResNet() throws -> Graph {
        let b = GraphBuilder(name: "resnet_mini", input: FeatureShape(height: 16, width: 16, channels: 3))
        var x = b.input.conv(16, kernel: 3, stride: 1, pad: 1, bias: false, name: "conv1").bn(name: "bn1").relu(name: "relu1")
        x = x.maxPool(2, name: "pool1")
        for (index, (filters, stride)) in [(16, 1), (32, 2)].enumerated() {
            x = try b.scope("block\(index)") {
                let y = x.conv(filters, kernel: 3, stride: stride, pad: 1, bias: false, name: "conv1").bn(name: "bn1").relu(name: "relu1")
                    .conv(filters, kernel: 3, pad: 1, bias: false, name: "conv2").bn(name: "bn2")
                let shortcut = stride == 1 ? x : x.conv(filters, kernel: 1, stride: stride, bias: false, name: "down").bn(name: "down_bn")
                return y.add(shortcut, name: "add").relu(name: "relu")
            }
        }
        let logits = x.globalAvgPool(name: "gap").flatten(name: "flatten").fc(10, name: "fc")
        return try b.build(output: logits.softmax(name: "prob"))
    }

    static func inceptionBlock() throws -> Graph {
        let b = GraphBuilder(name: "inception_mini", input: FeatureShape(height: 12, width: 12, channels: 16))
        let x = b.input.conv(16, kernel: 3, pad: 1, name: "stem").relu(name: "stem_relu")
        let b1 = x.conv(8, kernel: 1, name: "b1x1").relu(name: "b1x1_relu")
        let b2 = x.conv(8, kernel: 1, name: "b3x3_reduce").relu(name: "b3x3_reduce_relu").conv(12, kernel: 3, pad: 1, name: "b3x3").relu(name: "b3x3_relu")
        let b3 = x.conv(4, kernel: 1, name: "b5x5_reduce").relu(name: "b5x5_reduce_relu").conv(4, kernel: 5, pad: 2, name: "b5x5").relu(name: "b5x5_relu")
        let b4 = x.maxPool(3, stride: 1, pad: 1, name: "pool").conv(4, kernel: 1, name: "pool_proj").relu(name: "pool_proj_relu")
        let cat = b.concat([b1, b2, b3, b4], name: "cat")
        return try b.build(output: cat.conv(8, kernel: 1, name: "head"))
    }

    static func parameters(_ graph: Graph, seed: UInt64) throws -> [String: LayerParameters] {
        var result: [String: LayerParameters] = [:]
        for (index, fused) in try graph.fusedLayers().enumerated() {
            if let p = try randomParameters(fused.layer, seed: seed &+ UInt64(index)) { result[fused.layer.name] = p }
        }
        return result
    }

    @Test(arguments: ["resnet", "inception"])
    func timingOnlyRunMatchesTheGraphMACs(network: String) throws {
        let graph = network == "resnet" ? try Self.reducedResNet() : try Self.inceptionBlock()
        let config = HardwareConfig.edge
        let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: nil, quantization: nil)
        let result = try Simulator(config: config).run(compiled.program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes),
                                                       mode: .timingOnly)
        #expect(result.statistics.macs == (try graph.macs()))
        #expect(compiled.macs == (try graph.macs()))
        #expect(result.statistics.layers.count == compiled.layers.count)
        #expect(compiled.peakActivationBytes <= compiled.unsharedActivationBytes)
        if network == "resnet" {
            #expect(compiled.hostOperations.map(\.node) == ["prob"])
            #expect(compiled.layers.map(\.op).filter { $0 == "add" }.count == 2)
            #expect(compiled.peakActivationBytes < compiled.unsharedActivationBytes)
        } else {
            #expect(compiled.hostOperations.isEmpty)
        }
    }

    @Test(arguments: ["resnet", "inception"])
    func functionalRunVerifiesEveryLayer(network: String) throws {
        let graph = network == "resnet" ? try Self.reducedResNet() : try Self.inceptionBlock()
        let config = HardwareConfig.edge
        let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: try Self.parameters(graph, seed: 3),
                                                   quantization: nil, options: NetworkCompiler.Options(reuseActivations: false))
        let report = try KernelExecution.run(compiled.program, config: config, seed: 4, mode: .functional)
        #expect(report.verification == .bitExact, "\(report.verification)")
        #expect(report.outputs.count > 1, "every intermediate tensor is declared and checked")
        // With reuse, only the network's output is declared, and it still verifies.
        let reused = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: try Self.parameters(graph, seed: 3),
                                                 quantization: nil)
        let reusedReport = try KernelExecution.run(reused.program, config: config, seed: 4, mode: .functional)
        #expect(reusedReport.verification == .bitExact, "\(reusedReport.verification)")
    }
}
