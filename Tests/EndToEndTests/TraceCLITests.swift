import Foundation
import Testing

/// `npu run --trace` and `npu exec --trace`: a trace file in Chrome's Trace Event Format that
/// Perfetto opens.
@Suite struct TraceCLITests {
    private func temporaryPath(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    /// What a trace file holds, checked against the format: the object's keys, each event's
    /// required keys for its phase, slices that never overlap and start in order on each track,
    /// counter samples in order.
    private struct CheckedTrace {
        var metadata: [String: Any]
        /// Slices by track name.
        var slices: [String: [[String: Any]]] = [:]
        var instants: [String: [[String: Any]]] = [:]
        /// Counter samples by counter name.
        var counters: [String: [[String: Any]]] = [:]
        var bytes: Int

        init(path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let data = try #require(FileManager.default.contents(atPath: path), sourceLocation: sourceLocation)
            bytes = data.count
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
            #expect(object["displayTimeUnit"] as? String == "ns", sourceLocation: sourceLocation)
            metadata = object["otherData"] as? [String: Any] ?? [:]
            let events = try #require(object["traceEvents"] as? [[String: Any]], sourceLocation: sourceLocation)
            var threadNames: [Int: String] = [:]
            var byThread: [Int: [[String: Any]]] = [:]
            for event in events {
                let phase = try #require(event["ph"] as? String, sourceLocation: sourceLocation)
                #expect(event["name"] is String && event["pid"] is Int, "\(event)", sourceLocation: sourceLocation)
                let required: [String] = switch phase {
                case "X": ["tid", "ts", "dur"]
                case "i": ["tid", "ts", "s"]
                case "C": ["ts", "args"]
                case "M": ["tid", "args"]
                default: ["unexpected phase \(phase)"]
                }
                for key in required { #expect(event[key] != nil, "\(phase) event without \(key): \(event)", sourceLocation: sourceLocation) }
                switch phase {
                case "M" where event["name"] as? String == "thread_name":
                    threadNames[event["tid"] as! Int] = (event["args"] as? [String: Any])?["name"] as? String
                case "X", "i": byThread[event["tid"] as! Int, default: []].append(event)
                case "C": counters[event["name"] as! String, default: []].append(event)
                default: break
                }
            }
            for (thread, events) in byThread {
                let name = try #require(threadNames[thread], "thread \(thread) has no name", sourceLocation: sourceLocation)
                let complete = events.filter { $0["ph"] as? String == "X" }
                slices[name] = complete
                instants[name] = events.filter { $0["ph"] as? String == "i" }
                for (a, b) in zip(complete, complete.dropFirst()) {
                    let (start, end, next) = (a["ts"] as! Double, (a["ts"] as! Double) + (a["dur"] as! Double), b["ts"] as! Double)
                    #expect(start <= next, "\(name): slices out of order: \(a) then \(b)", sourceLocation: sourceLocation)
                    #expect(end <= next + 1e-9, "\(name): slices overlap: \(a) and \(b)", sourceLocation: sourceLocation)
                }
            }
            for (name, samples) in counters {
                let times = samples.map { $0["ts"] as! Double }
                #expect(times == times.sorted(), "counter \(name) out of order", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func lenetTraceIsValidWithEveryTrackAndCounter() throws {
        let path = try temporaryPath("t.json")
        let run = try ToolRun.npu(["run", "lenet5", "--trace", path])
        #expect(run.status == 0, "\(run.standardError)")
        let trace = try CheckedTrace(path: path)
        #expect(trace.metadata["detail"] as? String == "instructions" && trace.metadata["model"] as? String == "lenet5")
        for track in ["load", "compute: array", "compute: vector", "store", "DRAM"] {
            #expect(!(trace.slices[track] ?? []).isEmpty, "no slices on \(track)")
        }
        #expect(trace.slices["compute: array"]!.contains { $0["name"] as? String == "matmul" })
        let args = try #require(trace.slices["load"]?.first?["args"] as? [String: Any])
        for key in ["index", "layer", "buffer", "dram_bytes"] { #expect(args[key] != nil, "load slice without \(key)") }
        #expect(Set(trace.counters.keys) == ["DRAM bandwidth (GB/s)", "NBin bytes", "SB bytes", "NBout bytes"])
        // The last slice ends at the run's last cycle (1 GHz: 1 µs = 1000 cycles).
        let end = trace.slices.values.flatMap { $0 }.map { ($0["ts"] as! Double) + ($0["dur"] as! Double) }.max()!
        #expect(abs(end * 1000 - Double(trace.metadata["cycles"] as! Int)) < 0.5)
    }

    @Test func layerDetailNamesTheLayers() throws {
        let path = try temporaryPath("layers.json")
        let run = try ToolRun.npu(["run", "lenet5", "--timing-only", "--trace", path, "--trace-detail", "layers"])
        #expect(run.status == 0, "\(run.standardError)")
        let trace = try CheckedTrace(path: path)
        #expect(trace.metadata["detail"] as? String == "layers")
        #expect(trace.slices["compute: array"]?.compactMap { $0["name"] as? String }.first == "C1")
    }

    /// A network with host operations: they are moments on the host track with their wall time.
    @Test func hostOperationsAreOnTheHostTrack() throws {
        let path = try temporaryPath("lm.json")
        let run = try ToolRun.npu(["run", "lstm-lm-tiny", "--trace", path])
        #expect(run.status == 0, "\(run.standardError)")
        let host = try CheckedTrace(path: path).instants["host"] ?? []
        #expect(host.compactMap { $0["name"] as? String } == ["embedding", "softmax1"])
        #expect(host.allSatisfy { ($0["args"] as? [String: Any])?["wall_ms"] is Double })
    }

    /// ResNet-18 on the edge preset is a few thousand instructions: traced per instruction, in
    /// about a megabyte. On DianNao's small buffers it takes over 250,000, so the trace is per
    /// layer by default and stays small.
    @Test(arguments: [(config: "edge", detail: "instructions"), (config: "diannao", detail: "layers")])
    func resnet18TraceStaysSmall(_ config: String, _ detail: String) throws {
        let path = try temporaryPath("resnet18.json")
        let run = try ToolRun.npu(["run", "resnet18", "--timing-only", "--config", config, "--trace", path])
        #expect(run.status == 0, "\(run.standardError)")
        let trace = try CheckedTrace(path: path)
        #expect(trace.metadata["detail"] as? String == detail)
        #expect(trace.bytes < 5_000_000)
        #expect(trace.slices["compute: array"]!.count > 20)
    }

    /// DMAs in flight together and a bank model's parallel channels: overlapping slices go to
    /// extra tracks (`load (2)`, `DRAM (2)`, ...), so every track stays free of overlaps.
    @Test func overlappingRequestsGetTracksOfTheirOwn() throws {
        let path = try temporaryPath("lanes.json")
        let run = try ToolRun.npu(["run", "resnet-tiny", "--timing-only", "--dram", "hbm2", "--dma-requests", "4", "--trace", path])
        #expect(run.status == 0, "\(run.standardError)")
        let trace = try CheckedTrace(path: path)
        #expect(trace.slices.keys.contains("DRAM (2)"), "\(trace.slices.keys.sorted())")
    }

    @Test func execWritesATrace() throws {
        let path = try temporaryPath("gemm.json")
        let run = try ToolRun.npu(["exec", "kernels/gemm.s", "--trace", path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try CheckedTrace(path: path).slices["compute: array"]?.compactMap { $0["name"] as? String } == ["cfg.dtype", "matmul"])
    }

    @Test func badTraceArgumentsGiveOneLine() throws {
        let cases: [([String], String)] = [
            (["run", "lenet5", "--timing-only", "--trace", "/nonexistent-directory/t.json"], "cannot write '/nonexistent-directory/t.json'"),
            (["run", "lenet5", "--timing-only", "--trace", "t.json", "--trace-detail", "cycles"], "--trace-detail needs instructions or layers"),
            (["run", "lenet5", "--timing-only", "--trace-detail", "layers"], "--trace-detail needs --trace FILE.json"),
        ]
        for (arguments, message) in cases {
            let run = try ToolRun.npu(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.standardError.split(separator: "\n").count == 1 && run.standardError.contains(message), "\(run.standardError)")
        }
    }
}
