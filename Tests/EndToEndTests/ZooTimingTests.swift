import Compiler
import HostRuntime
import ISA
import Testing

/// Every zoo model compiles and runs timing-only on the `edge` preset, with the graph's MACs.
@Suite struct ZooTimingTests {
    static let models = ModelZoo.all.map(\.name)

    @Test(arguments: models)
    func runsTimingOnlyOnEdge(_ name: String) throws {
        let model = try #require(ModelZoo.model(named: name))
        let graph = try model.graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8))
        #expect(report.statistics.cycles > 0)
        #expect(report.statistics.macs == report.compiled.macs)
        #expect(report.compiled.hostOperations.map(\.op) == (name == "vgg11-lrn" ? ["lrn"] : []))
    }
}
