import Compiler
import HostRuntime
import ISA
import Testing

/// Every zoo model compiles and runs timing-only on the `edge` preset, with the graph's MACs.
@Suite struct ZooTimingTests {
    /// VGG-A-LRN needs its LRN on the host in the middle of the network (not supported yet).
    static let models = ModelZoo.all.map(\.name).filter { $0 != "vgg11-lrn" }

    @Test(arguments: models)
    func runsTimingOnlyOnEdge(_ name: String) throws {
        let model = try #require(ModelZoo.model(named: name))
        let graph = try model.graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        #expect(report.statistics.cycles > 0)
        #expect(report.statistics.macs == report.compiled.macs)
        #expect(report.compiled.hostOperations.allSatisfy { $0.op == "softmax" }, "\(report.compiled.hostOperations)")
    }

    @Test func lrnInsideANetworkIsReportedClearly() throws {
        let graph = try #require(ModelZoo.model(named: "vgg11-lrn")).graph()
        #expect(throws: CompilerError.self) {
            try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        }
    }
}
