import Compiler
import Foundation
import HostRuntime
import ISA
import Simulator
import Testing

/// Whole networks over a batch of images (`NetworkRun.Options.batch`, `npu run --batch`): every
/// device tensor bit-exact for every image, the fp32 agreement per image, and the utilization and
/// weight traffic that batching buys.
@Suite struct NetworkBatchTests {
    static let smallModels = ["lenet5", "resnet-tiny", "inception-block", "dense-block", "unet-small"]

    @Test(arguments: smallModels, [false, true])
    func smallModelsRunBitExactInABatchOfThree(model: String, verifyLayers: Bool) throws {
        let graph = try #require(ModelZoo.model(named: model)).graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional,
                                                                           verify: true, verifyLayers: verifyLayers, batch: 3))
        #expect(report.verification == .bitExact, "\(report.verification)")
        #expect(report.batch == 3)
        let input = try #require(report.compiled.segments[0].program.inputs.first)
        #expect(input.shape == [3] + graph.inputs[0].shape.dimensions)
        // The agreement covers the three images: each image's rows (pixels; one for a classifier).
        let agreement = try #require(report.agreement)
        let output = try #require(try graph.analyze().shapes[agreement.output])
        #expect(agreement.topOne.rows == 3 * output.height * output.width)
        #expect(agreement.error.cosineSimilarity > 0.98, "\(agreement.error.cosineSimilarity)")
        #expect(report.statistics.macs == report.compiled.macs)
    }

    /// A classifier's batch output is `[N, 1, 1, classes]`, and its top-1 agreement with fp32 is
    /// counted per image (seed 7: each of the four LeNet images picks the fp32 class).
    @Test func classifierAgreementIsPerImage() throws {
        let graph = try #require(ModelZoo.model(named: "lenet5")).graph()
        func run(_ batch: Int) throws -> NetworkRun.Report {
            try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, seed: 7, mode: .functional,
                                                                  verify: true, batch: batch))
        }
        let (one, four) = (try run(1), try run(4))
        #expect(four.verification == .bitExact)
        let agreement = try #require(four.agreement)
        #expect(agreement.topOne.rows == 4)
        #expect(agreement.topOne.matching == 4, "top-1 of each image agrees with fp32")
        let symbol = try #require(four.compiled.tensorSymbols[agreement.output])
        let batched = try #require(four.compiled.segments.last?.program.outputs.first { $0.name == symbol })
        #expect(batched.shape == [4, 1, 1, 10])
        #expect(one.agreement?.topOne.rows == 1)
    }

    /// A host operation between device segments computes each image (upsampling and LRN in the
    /// middle, softmax per image at the tail); every segment verifies.
    @Test(arguments: [false, true])
    func hostOperationsRunPerImage(verifyLayers: Bool) throws {
        let graph = try HostOperationTests.graph()
        let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, seed: 3, mode: .functional,
                                                                           verify: true, verifyLayers: verifyLayers, batch: 3))
        #expect(report.verification == .bitExact, "\(report.verification)")
        #expect(report.compiled.segments.count == 2)
        let probabilities = try #require(report.hostValues["prob"])
        #expect(probabilities.count == 3 * 10)
        for image in 0..<3 {
            #expect(abs(probabilities[(image * 10)..<((image + 1) * 10)].reduce(0, +) - 1) < 1e-5)
        }
        #expect(report.agreement?.topOne.rows == 3)
        #expect(report.compiled.hostOperations[1].outputTensor?.dimensions == [3, 12, 12, 8])
    }

    /// A multilayer perceptron is matrix-vector products at batch 1: one pixel streams through
    /// each weight tile. At batch 16 the fully connected layers stream 16 pixels through the
    /// same weights: several times the utilization, and a sixteenth of the weight bytes per image.
    @Test func batchingRaisesTheUtilizationOfFullyConnectedLayers() throws {
        let b = GraphBuilder(name: "mlp", input: FeatureShape(height: 1, width: 1, channels: 512))
        let hidden = b.input.fc(512, name: "fc1").relu().fc(256, name: "fc2").relu()
        let graph = try b.build(output: hidden.fc(10, name: "fc3"))
        func run(_ batch: Int) throws -> NetworkRun.Report {
            try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, batch: batch))
        }
        let (one, sixteen) = (try run(1), try run(16))
        #expect(sixteen.statistics.macs == 16 * one.statistics.macs)
        #expect(sixteen.statistics.utilization > 4 * one.statistics.utilization,
                "batch 16: \(sixteen.statistics.utilization), batch 1: \(one.statistics.utilization)")
        #expect(sixteen.statistics.dramTraffic.weights <= one.statistics.dramTraffic.weights * 5 / 4)
        #expect(sixteen.statistics.cycles < 4 * one.statistics.cycles)
        let functional = try NetworkRun.run(graph, options: NetworkRun.Options(config: .edge, dataType: .int8, mode: .functional,
                                                                               verify: true, batch: 16))
        #expect(functional.verification == .bitExact, "\(functional.verification)")
        #expect(functional.agreement?.topOne.rows == 16)
    }

    // MARK: - The command line

    @Test func runWithABatchReportsItInJSON() throws {
        let run = try ToolRun.npu(["run", "lenet5", "--batch", "4", "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["batch"] as? Int == 4)
        #expect(object["verified"] as? Bool == true, "\(object["verification"] ?? "")")
        for key in ["model", "config", "cycles", "macs", "utilization", "dram_bytes_read", "dram_bytes_written", "energy_pj", "layers",
                    "inferences_per_second"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        let agreement = try #require(object["fp32_agreement"] as? [String: Any])
        #expect(agreement["top1_rows"] as? Int == 4)
        let cycles = try #require(object["cycles"] as? Int)
        let rate = try #require(object["inferences_per_second"] as? Double)
        #expect(abs(rate - 4 * 1e9 / Double(cycles)) < 1e-6 * rate)
    }

    @Test func textReportGivesTheBatchAndCyclesPerImage() throws {
        let run = try ToolRun.npu(["run", "resnet-tiny", "--batch", "2", "--timing-only"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasSuffix(", batch 2)") == true, "\(lines.first ?? "")")
        #expect(lines.contains { $0.hasPrefix("cycles") && $0.contains("for 2 images") && $0.contains("per image") })
        let one = try ToolRun.npu(["run", "resnet-tiny", "--timing-only"])
        #expect(one.standardOutput.split(separator: "\n").first?.contains("batch") == false)
    }

    @Test(arguments: ["0", "x", "-3", "2.5"])
    func badBatchesAreOneLineErrors(value: String) throws {
        let run = try ToolRun.npu(["run", "lenet5", "--batch", value])
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardError.contains("--batch needs a positive integer, got '\(value)'"), "\(run.standardError)")
    }
}
