import Compiler
import Foundation
import HostRuntime
import ISA
import Testing

/// Full-size networks verified bit-exact against the integer reference, and agreeing with fp32.
/// Opt-in (about a minute in all): `NPUSIM_FULL_NETWORKS=1 swift test --filter FullNetworkTests`.
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
}
