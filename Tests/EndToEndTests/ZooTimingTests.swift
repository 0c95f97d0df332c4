import Compiler
import HostRuntime
import ISA
import Testing

/// Every zoo model compiles and runs timing-only on every shipped preset, with the graph's MACs.
@Suite struct ZooTimingTests {
    static let models = ModelZoo.all.map(\.name)

    @Test(arguments: HardwareConfig.presets.map(\.name), models)
    func runsTimingOnly(preset: String, model name: String) throws {
        let config = try HardwareConfig.named(preset)
        let model = try #require(ModelZoo.model(named: name))
        let graph = try model.graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: config.dataType))
        #expect(report.statistics.cycles > 0)
        #expect(report.statistics.macs == report.compiled.macs)
        // LRN on the CPU; a language model's embedding lookup and its softmax over the vocabulary.
        let languageModel = graph.inputs.contains { $0.vocabulary != nil }
        #expect(report.compiled.hostOperations.map(\.op) == (name == "vgg11-lrn" ? ["lrn"] : languageModel ? ["embedding", "softmax"] : []))
    }

    /// A timing-only run (default quantization, no values) measures exactly what a calibrated
    /// functional run does: int8 adds and average pooling subtract zero points whether or not
    /// they are 0, so the code does not depend on the calibrated values.
    @Test(arguments: ["resnet-tiny", "inception-block"])
    func timingOnlyCyclesEqualAFunctionalRun(model name: String) throws {
        let graph = try #require(ModelZoo.model(named: name)).graph()
        let timing = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        let functional = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional))
        #expect(timing.statistics.instructionCount == functional.statistics.instructionCount)
        #expect(timing.statistics.cycles == functional.statistics.cycles)
    }
}
