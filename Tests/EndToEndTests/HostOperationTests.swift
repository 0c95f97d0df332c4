import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Host operations inside a network: the device runs the layers before them, the runtime computes
/// them on the CPU and writes what the device reads back into DRAM, and the next device segment
/// goes on from there.
@Suite struct HostOperationTests {
    /// conv -> upsample (host) -> LRN (host, reads the upsample from host memory) -> conv -> fc ->
    /// softmax (host, at the tail).
    static func graph() throws -> Graph {
        let b = GraphBuilder(name: "host_ops", input: FeatureShape(height: 6, width: 6, channels: 3))
        let stem = b.input.conv(8, kernel: 3, pad: 1, name: "stem").relu(name: "stem_relu")
        let normalized = stem.upsample(2, name: "up").lrn(name: "lrn")
        let logits = normalized.conv(8, kernel: 3, stride: 2, pad: 1, name: "mid").relu(name: "mid_relu").flatten(name: "flat")
            .fc(10, name: "fc")
        return try b.build(output: logits.softmax(name: "prob"))
    }

    @Test func compilesIntoSegmentsAroundTheHostOperations() throws {
        let compiled = try NetworkCompiler.compile(try Self.graph(), config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.hostOperations.map(\.node) == ["up", "lrn", "prob"])
        #expect(compiled.schedule == [.device(0), .host(0), .host(1), .device(1), .host(2)])
        #expect(compiled.segments.map(\.layers) == [0..<1, 1..<3])
        let (up, lrn, prob) = (compiled.hostOperations[0], compiled.hostOperations[1], compiled.hostOperations[2])
        #expect(Self.names(up.inputTensors) == ["stem_relu"])
        #expect(up.outputTensor == nil, "only the host reads the upsampled map")
        #expect(Self.names(lrn.inputTensors) == ["host memory"])
        #expect(lrn.outputTensor?.name == "lrn")
        #expect(Self.names(prob.inputTensors) == ["fc"])
        #expect(prob.outputTensor == nil)
        // The second segment reads the host's result as an input; the first hands the stem to the host as an output.
        #expect(compiled.segments[0].program.outputs.map(\.name) == ["stem_relu"])
        #expect(compiled.segments[1].program.inputs.map(\.name) == ["lrn"])
        #expect(compiled.segments[1].program.outputs.map(\.name) == ["fc"])
    }

    /// The DRAM tensors a host operation reads, or "host memory".
    static func names(_ tensors: [LinkedTensor?]) -> [String] { tensors.map { tensor -> String in tensor?.name ?? "host memory" } }

    @Test(arguments: [false, true])
    func functionalRunVerifiesEverySegment(verifyLayers: Bool) throws {
        let graph = try Self.graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, seed: 3, mode: .functional,
                                                                           verify: true, verifyLayers: verifyLayers))
        #expect(report.verification == .bitExact, "\(report.verification)")
        // The softmax ran on the host: probabilities that sum to 1, ordered as the device's logits.
        let probabilities = try #require(report.hostValues["prob"])
        #expect(probabilities.count == 10)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
        let agreement = try #require(report.agreement)
        #expect(agreement.output == "fc")
        #expect(agreement.error.cosineSimilarity > 0.95, "\(agreement.error.cosineSimilarity)")
        // Every device layer has its measured row, the second segment's after the first's.
        #expect(report.layers.map(\.statistics.id) == [0, 1, 2])
        #expect(report.layers.allSatisfy { $0.statistics.cycles > 0 })
        #expect(report.layers[1].statistics.firstStart >= report.layers[0].statistics.lastEnd)
        #expect(report.statistics.macs == report.compiled.macs)
    }

    @Test func timingOnlyRunSkipsTheHostAndMeasuresTheSameCycles() throws {
        let graph = try Self.graph()
        let timing = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        let functional = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional))
        #expect(timing.hostValues.isEmpty)
        #expect(timing.statistics.cycles == functional.statistics.cycles)
        #expect(timing.statistics.cycles == timing.layers.last!.statistics.lastEnd)
    }

    /// Two device runs in sequence add up: cycles, MACs, traffic, energy, and every engine still
    /// accounts for each cycle as busy or stalled.
    @Test func statisticsOfSegmentsAddUp() throws {
        let compiled = try NetworkCompiler.compile(try Self.graph(), config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        let parts = try compiled.segments.map { segment in
            try Simulator(config: .edge).run(segment.program, dram: DRAMImage(capacityBytes: HardwareConfig.edge.dram.capacityBytes),
                                             mode: .timingOnly).statistics
        }
        let total = Statistics.sequence(parts, layerOffsets: compiled.segments.map(\.layers.lowerBound))
        #expect(total.cycles == parts.map(\.cycles).reduce(0, +))
        #expect(total.macs == parts.map(\.macs).reduce(0, +))
        #expect(total.dramTraffic.total == parts.map(\.dramTraffic.total).reduce(0, +))
        #expect(abs(total.energy.totalPJ - parts.map(\.energy.totalPJ).reduce(0, +)) < 1e-6 * total.energy.totalPJ)
        for engine in total.engines { #expect(engine.busyCycles + engine.stalls.total == total.cycles, "\(engine.engine)") }
        #expect(total.layers.filter { $0.id >= 0 }.map(\.id) == [0, 1, 2])
    }

    /// A host function `-x` on maps of `shape`, as a front end would give one.
    static func negation(_ shape: FeatureShape) -> Graph.Op {
        .hostFunction(HostFunction(name: "Neg", detail: "", inputShapes: [shape], outputShape: shape) { $0[0].map { -$0 } })
    }

    /// conv -> host function -> conv: two device segments, the host's result quantized between them.
    @Test func hostFunctionBetweenDeviceLayers() throws {
        let b = GraphBuilder(name: "negate", input: FeatureShape(height: 5, width: 5, channels: 3))
        let stem = b.input.conv(8, kernel: 3, pad: 1, name: "stem")
        let negated = b.append(Self.negation(FeatureShape(height: 5, width: 5, channels: 8)), inputs: [stem], name: "neg")
        let graph = try b.build(output: negated.conv(4, kernel: 1, name: "head"))
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, seed: 5, mode: .functional,
                                                                           verify: true))
        #expect(report.compiled.hostOperations.map(\.op) == ["neg"])
        #expect(report.compiled.schedule == [.device(0), .host(0), .device(1)])
        #expect(report.verification == .bitExact, "\(report.verification)")
        #expect(report.hostValues["neg"]?.count == 5 * 5 * 8)
        let agreement = try #require(report.agreement)
        #expect(agreement.output == "head" && agreement.error.cosineSimilarity > 0.99, "\(agreement.error.cosineSimilarity)")
    }

    /// A graph of host functions alone compiles into no device segment and runs on the host: its
    /// output is computed, its verification skipped as such, and it takes no device cycles.
    @Test func graphOfHostFunctionsOnlyRunsOnTheHost() throws {
        let shape = FeatureShape(height: 2, width: 3, channels: 4)
        let b = GraphBuilder(name: "host_only", input: shape)
        let once = b.append(Self.negation(shape), inputs: [b.input], name: "neg1")
        let graph = try b.build(output: b.append(Self.negation(shape), inputs: [once.flatten(name: "flat").reshape(shape, name: "back")],
                                                 name: "neg2"))
        let compiled = try NetworkCompiler.compile(graph, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.segments.isEmpty)
        #expect(compiled.schedule == [.host(0), .host(1)])
        #expect(compiled.hostOperations.map { Self.names($0.inputTensors) } == [["host memory"], ["host memory"]])
        let input = (0..<shape.elementCount).map { Float($0) / 8 - 1 }
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional, verify: true,
                                                                           inputs: ["input": [input]]))
        #expect(report.verification == .skipped(NetworkExecution.noDeviceLayers))
        #expect(report.outputValues["neg2"] == input, "negated twice, through a flatten and a reshape of host memory")
        #expect(report.statistics.cycles == 0 && report.layers.isEmpty)
        let timing = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        #expect(timing.hostValues.isEmpty && timing.verification == .skipped("timing-only run"))
    }
}
