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
    /// in a batch of 4 on `edge`. With the default gate tables (62 segments over [-6, 6]) the
    /// logits agree with fp32 above a cosine of 0.99 (DianNao's 16 segments over [-8, 8],
    /// `--pwl-segments 16 --pwl-range 8`, give about 0.96).
    @Test(arguments: ["lstm-lm", "gru-lm", "rnn-lm", "image-captioning"])
    func recurrentModelsVerifyBitExact(_ name: String) throws {
        let graph = try #require(ModelZoo.model(named: name)).graph()
        for (config, type, batch) in [(HardwareConfig.edge, DataType.int8, 1), (.diannao, .int16, 1), (.edge, .int8, 4)] {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: type, mode: .functional,
                                                                               verify: true, batch: batch))
            #expect(report.verification == .bitExact, "\(name) on \(config.name), batch \(batch): \(report.verification)")
            let agreement = try #require(report.agreement)
            #expect(agreement.error.cosineSimilarity > 0.99, "\(name): cosine \(agreement.error.cosineSimilarity)")
        }
    }
}
