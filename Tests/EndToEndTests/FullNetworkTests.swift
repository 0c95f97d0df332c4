import Compiler
import Foundation
import HostRuntime
import ISA
import Testing

/// Full-size networks verified bit-exact against the integer reference, and agreeing with fp32.
/// Opt-in (a few minutes in all): `NPUSIM_FULL_NETWORKS=1 swift test --filter FullNetworkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NPUSIM_FULL_NETWORKS"] == "1"))
struct FullNetworkTests {
    @Test(arguments: ["resnet18", "googlenet", "densenet121", "mobilenet-v2"])
    func verifiesBitExact(_ name: String) throws {
        let model = try #require(ModelZoo.model(named: name))
        let report = try NetworkRun.run(try model.graph(), options: NetworkRun.Options(
            config: .edge, dataType: .int8, mode: .functional, verify: true))
        #expect(report.verification == .bitExact, "\(name): \(report.verification)")
        let agreement = try #require(report.agreement)
        #expect(agreement.error.cosineSimilarity > 0.99, "\(name): cosine \(agreement.error.cosineSimilarity)")
        #expect(agreement.topOne.matching == agreement.topOne.rows)
    }

    /// The full-size recurrent zoo entries, on the int8 `edge` and the int16 `diannao` presets and
    /// in a batch of 4 on `edge`. Their gates' 16-segment tables (max abs error 0.08 for tanh)
    /// keep the logits' agreement with fp32 near a cosine of 0.96 (`npu run --pwl-segments 62`
    /// reaches 0.9997).
    @Test(arguments: ["lstm-lm", "gru-lm", "rnn-lm", "image-captioning"])
    func recurrentModelsVerifyBitExact(_ name: String) throws {
        let graph = try #require(ModelZoo.model(named: name)).graph()
        for (config, type, batch) in [(HardwareConfig.edge, DataType.int8, 1), (.diannao, .int16, 1), (.edge, .int8, 4)] {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: type, mode: .functional,
                                                                               verify: true, batch: batch))
            #expect(report.verification == .bitExact, "\(name) on \(config.name), batch \(batch): \(report.verification)")
            let agreement = try #require(report.agreement)
            #expect(agreement.error.cosineSimilarity > 0.95, "\(name): cosine \(agreement.error.cosineSimilarity)")
        }
    }
}
