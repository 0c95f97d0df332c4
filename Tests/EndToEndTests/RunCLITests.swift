import Foundation
import Testing

/// `npu run` and `npu models` as a user runs them.
@Suite struct RunCLITests {
    @Test func modelsListsTheZoo() throws {
        let run = try ToolRun.npu(["models"])
        #expect(run.status == 0)
        for name in ["lenet5", "resnet50", "vgg16", "googlenet", "densenet121", "mobilenet-v2", "yolov1", "unet"] {
            #expect(run.standardOutput.contains(name), "missing \(name)")
        }
    }

    @Test func unknownModelListsTheAvailableOnes() throws {
        let run = try ToolRun.npu(["run", "resnet51"])
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardError.contains("unknown model 'resnet51'; available: lenet5"))
    }

    @Test func lenetRunsVerifiedWithTheDocumentedJSONKeys() throws {
        let run = try ToolRun.npu(["run", "lenet5", "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        for key in ["model", "config", "cycles", "macs", "utilization", "dram_bytes_read", "dram_bytes_written", "energy_pj", "verified", "layers"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["verified"] as? Bool == true, "\(object["verification"] ?? "")")
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(!layers.isEmpty)
        for key in ["name", "op", "cycles", "macs", "roofline_cycles", "dram_bytes_read", "dram_bytes_written"] {
            #expect(layers[0][key] != nil, "missing layer key \(key)")
        }
    }

    @Test(arguments: ["inception-block", "dense-block", "resnet-tiny", "unet-small"])
    func reducedNetworksVerifyAndAgreeWithFP32(_ model: String) throws {
        let run = try ToolRun.npu(["run", model, "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["verified"] as? Bool == true, "\(object["verification"] ?? "")")
        let agreement = try #require(object["fp32_agreement"] as? [String: Any])
        #expect((agreement["cosine_similarity"] as? Double ?? 0) > 0.99)
    }

    @Test func reducedResNetVerifiesEveryLayer() throws {
        let run = try ToolRun.npu(["run", "resnet-tiny", "--verify=layers"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("verified: bit-exact"))
    }
}
