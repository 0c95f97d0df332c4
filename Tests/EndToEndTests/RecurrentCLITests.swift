import Foundation
import Testing

/// `npu run` on the language models as a user runs them: verified, the per-step report, the PWL
/// table options and their errors, and bad options.
@Suite struct RecurrentCLITests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try ToolRun.npu(["run"] + arguments + ["--json"])
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    @Test(arguments: ["lstm-lm-tiny", "gru-lm-tiny", "rnn-lm-tiny", "bilstm-tiny"])
    func tinyLanguageModelsVerifyWithPerStepReports(_ model: String) throws {
        let object = try Self.json([model, "--verify", "--batch", "2"])
        #expect(object["verified"] as? Bool == true, "\(object["verification"] ?? "")")
        let layers = try #require(object["layers"] as? [[String: Any]])
        let recurrent = layers.filter { ["lstm", "gru", "rnn"].contains($0["op"] as? String ?? "") }
        #expect(!recurrent.isEmpty)
        for layer in recurrent {
            let steps = try #require(layer["steps"] as? [[String: Any]])
            let projection = try #require(layer["projection"] as? [String: Any])
            #expect(steps.count == 8)
            // The steps' and the projection's MACs are the layer's.
            let macs = steps.compactMap { $0["macs"] as? Int }.reduce(0, +) + (projection["macs"] as? Int ?? 0)
            #expect(macs == layer["macs"] as? Int)
            for step in steps {
                for key in ["name", "cycles", "macs", "utilization", "dram_bytes_read", "dram_bytes_written", "dram_weight_bytes"] {
                    #expect(step[key] != nil, "missing step key \(key)")
                }
            }
        }
        let tables = try #require(object["activation_tables"] as? [String: Any])
        #expect(tables["segments"] as? Int == 62 && tables["range"] as? Double == 6)
    }

    @Test func finerTablesHaveSmallerErrors() throws {
        let coarse = try #require(try Self.json(["lstm-lm-tiny", "--timing-only", "--pwl-segments", "16", "--pwl-range", "8"])["activation_tables"]
                                  as? [String: Any])
        let fine = try #require(try Self.json(["lstm-lm-tiny", "--timing-only", "--pwl-segments", "48", "--pwl-range", "6"])["activation_tables"]
                                as? [String: Any])
        #expect(coarse["segments"] as? Int == 16 && coarse["range"] as? Double == 8)
        #expect(fine["segments"] as? Int == 48 && fine["range"] as? Double == 6)
        for key in ["sigmoid_max_abs_error", "tanh_max_abs_error"] {
            #expect((fine[key] as? Double ?? 1) < (coarse[key] as? Double ?? 0) / 4, "\(key)")
        }
        // No recurrent layer: no tables to report.
        #expect(try Self.json(["lenet5", "--timing-only"])["activation_tables"] is NSNull)
    }

    @Test(arguments: [
        (["--pwl-segments", "0"], "--pwl-segments needs an integer in 1...62, got '0'"),
        (["--pwl-segments", "x"], "--pwl-segments needs an integer in 1...62, got 'x'"),
        (["--pwl-range", "9"], "--pwl-range needs a number in (0, 8] (the reach of Q3.12), got '9'"),
        (["--pwl-range", "-1"], "--pwl-range needs a number in (0, 8] (the reach of Q3.12), got '-1'"),
    ])
    func badTableOptionsGiveOneLine(_ options: [String], _ message: String) throws {
        let run = try ToolRun.npu(["run", "lstm-lm-tiny"] + options)
        #expect(run.status == 1)
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    @Test func textReportSummarizesTheSteps() throws {
        let run = try ToolRun.npu(["run", "lstm-lm-tiny", "--timing-only"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("time steps (--json lists every step):"))
        #expect(run.standardOutput.contains("lstm1: projection"))
        #expect(run.standardOutput.contains("8 steps of"))
        #expect(run.standardOutput.contains("PWL tables  62 segments over [-6, 6]"))
    }
}
