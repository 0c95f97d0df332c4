import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Concatenations beyond one level of device outputs: DenseNet's running concatenation (a concat
/// of a concat, the graph input copied into its slice, pre-activation BN-ReLU as depthwise 1x1
/// layers) and nested concatenations with a tensor that feeds two of them.
@Suite struct NetworkConcatTests {
    /// input -> stem; a = concat(input, stem); b = concat(a, branch); c = concat(stem, b) (stem in
    /// two concatenations: copied into the second); head reads c and the partial `a`.
    static func nestedConcat() throws -> Graph {
        let b = GraphBuilder(name: "nested_concat", input: FeatureShape(height: 6, width: 5, channels: 8))
        let stem = b.input.conv(8, kernel: 3, pad: 1, name: "stem").relu(name: "stem_relu")
        let a = b.concat([b.input, stem], name: "a")
        let early = a.conv(4, kernel: 1, name: "early")
        let branch = a.conv(6, kernel: 3, pad: 1, name: "branch").relu(name: "branch_relu")
        let inner = b.concat([a, branch], name: "b")
        let outer = b.concat([stem, inner, early], name: "c")
        return try b.build(output: outer.conv(8, kernel: 1, name: "head"))
    }

    /// Random parameters for every device layer `NetworkCompiler` compiles.
    static func parameters(_ graph: Graph, seed: UInt64) throws -> [String: LayerParameters] {
        var result: [String: LayerParameters] = [:]
        for (index, fused) in try NetworkCompiler.deviceLayers(graph).enumerated() {
            if let p = try randomParameters(fused.layer, seed: seed &+ UInt64(index)) { result[fused.layer.name] = p }
        }
        return result
    }

    static func graph(_ name: String) throws -> Graph {
        name == "nested" ? try nestedConcat() : try #require(ModelZoo.model(named: name)).graph()
    }

    @Test(arguments: ["nested", "dense-block"])
    func functionalRunVerifiesBitExact(network: String) throws {
        let graph = try Self.graph(network)
        let config = HardwareConfig.edge
        for reuse in [false, true] {
            let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: try Self.parameters(graph, seed: 5),
                                                       quantization: nil, options: NetworkCompiler.Options(reuseActivations: reuse))
            #expect(compiled.layers.contains { $0.op == "copy" })
            #expect(compiled.hostOperations.isEmpty)
            let report = try KernelExecution.run(compiled.program, config: config, seed: 6, mode: .functional)
            #expect(report.verification == .bitExact, "reuse \(reuse): \(report.verification)")
        }
    }

    @Test func denseNetChainsItsConcatenationsWithoutCopies() throws {
        let graph = try Self.graph("dense-block")
        let compiled = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        // Only the graph input is copied; every dense layer writes its channels in place.
        #expect(compiled.layers.filter { $0.op == "copy" }.count == 1)
        #expect(compiled.macs == (try graph.macs()) + compiled.layers.filter { $0.op == "bn" || $0.op == "relu" }.reduce(0) { $0 + $1.macs })
    }

    @Test(arguments: ["densenet121", "inception-v3"])
    func zooModelsRunTimingOnly(model: String) throws {
        let graph = try Self.graph(model)
        let config = HardwareConfig.edge
        let compiled = try NetworkCompiler.compile(graph, config: config, dataType: .int8, parameters: nil, quantization: nil)
        let result = try Simulator(config: config).run(compiled.program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes),
                                                       mode: .timingOnly)
        #expect(result.statistics.macs == compiled.macs)
        #expect(result.statistics.layers.count == compiled.layers.count)
    }
}
