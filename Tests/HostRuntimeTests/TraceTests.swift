import Foundation
import ISA
import Simulator
import Testing
@testable import HostRuntime

/// Chrome traces of device runs: the JSON encoding, and the slices and counters of a small
/// two-layer kernel at both details.
@Suite struct TraceTests {
    /// Two layers, each loading operands, multiplying on the array, rescaling on the vector unit
    /// and storing.
    static let kernel = """
        .config edge
        .layer first
        .layer second
            layer id=0
            cfg.dtype dtype=int8
            load  buf=nbin type=i8 dram=0x0000 addr=0 x=2048
            load  buf=sb   type=i8 dram=0x1000 addr=0 x=2048 push_next
            matmul in=0 w=0 out=0 in_w=32 c=64 out_w=32 k=32 pop_prev
            vrelu a=0 dst=0 type=i32 dst_type=i32 x=1024 push_next
            store buf=nbout type=i32 dram=0x2000 addr=0 x=1024 pop_prev push_prev
            layer id=1
            load  buf=nbin type=i8 dram=0x3000 addr=2048 x=2048 push_next
            matmul in=2048 w=0 out=4096 in_w=32 c=64 out_w=32 k=32 pop_prev pop_next
            vrelu a=4096 dst=4096 type=i32 dst_type=i32 x=1024 push_next
            store buf=nbout type=i32 dram=0x4000 addr=4096 x=1024 pop_prev
            halt
        """

    func trace(_ detail: TraceDetail) throws -> (trace: ChromeTrace, report: KernelExecution.Report) {
        let program = try Assembler(defaultConfig: .edge).assemble(Self.kernel, file: "trace.s")
        let report = try KernelExecution.run(program, config: .edge, seed: 1, mode: .timingOnly)
        let device = DeviceTrace(config: .edge, segments: [DeviceTrace.Segment(program: program, timeline: report.timeline)])
        return (device.trace(detail: detail), report)
    }

    func slices(_ trace: ChromeTrace, _ track: DeviceTrace.Track) -> [TraceEvent] {
        trace.events.filter { $0.phase == .complete && $0.thread == track.rawValue }
    }

    @Test func instructionSlicesFollowTheTimeline() throws {
        let (trace, report) = try trace(.instructions)
        #expect(slices(trace, .load).map(\.name) == ["load", "load", "load"])
        #expect(slices(trace, .array).map(\.name) == ["cfg.dtype", "matmul", "matmul"])
        #expect(slices(trace, .vector).map(\.name) == ["vrelu", "vrelu"])
        #expect(slices(trace, .store).map(\.name) == ["store", "store"])
        let matmul = slices(trace, .array)[1], entry = report.timeline[4]
        #expect(matmul.start == entry.start && matmul.cycles == entry.end - entry.start)
        #expect(matmul.args.first { $0.key == "layer" }?.value == .string("first"))
        #expect(slices(trace, .load)[2].args.first { $0.key == "dram_bytes" }?.value == .int(2048))
        let dram = slices(trace, .dram)
        #expect(dram.filter { $0.name == "load nbin" }.count == 2 && dram.filter { $0.name == "store nbout" }.count == 2)
        #expect(dram.contains { $0.name == "fetch" })
        for track in DeviceTrace.Track.allCases {
            let events = slices(trace, track)
            for (a, b) in zip(events, events.dropFirst()) { #expect(a.start + a.cycles <= b.start, "\(track.name) slices overlap") }
        }
    }

    @Test func layerSlicesGatherEachLayersInstructions() throws {
        let (trace, report) = try trace(.layers)
        for track in [DeviceTrace.Track.load, .array, .vector, .store] {
            #expect(slices(trace, track).map(\.name) == ["first", "second"], "\(track.name)")
        }
        let loads = slices(trace, .load).map { $0.args.first { $0.key == "instructions" }?.value }
        #expect(loads == [.int(2), .int(1)])
        let second = slices(trace, .array)[1]
        #expect(second.start == report.timeline[9].start && second.start + second.cycles == report.timeline[9].end)
    }

    @Test func countersCoverBandwidthAndEveryBuffer() throws {
        let (trace, report) = try trace(.instructions)
        let counters = Dictionary(grouping: trace.events.filter { $0.phase == .counter }, by: \.name)
        #expect(Set(counters.keys) == ["DRAM bandwidth (GB/s)", "NBin bytes", "SB bytes", "NBout bytes"])
        for (name, samples) in counters {
            #expect(samples.map(\.start) == samples.map(\.start).sorted(), "\(name)")
            #expect(samples.last?.start == report.statistics.cycles)
        }
        // Both NBin tiles (2 KiB each) are live at once while the second layer's load runs.
        let nbin = counters["NBin bytes"]!.compactMap { if case .int(let bytes) = $0.args[0].value { bytes } else { nil } }
        #expect(nbin.max() == 4096)
        let read = counters["DRAM bandwidth (GB/s)"]!.compactMap { if case .double(let rate) = $0.args[0].value { rate } else { nil } }
        #expect(read.max()! > 0 && read.max()! <= HardwareConfig.edge.dram.bandwidthGBps + 1e-9)
    }

    /// Overlapping slices (DMAs in flight together) go to the first lane free at their start:
    /// 5..<15 overlaps 0..<10, 12..<15 fits after 0..<10, 14..<15 overlaps both, 20..<25 fits.
    @Test func overlappingSlicesGoToExtraLanes() {
        let spans = [(0, 10), (5, 10), (12, 3), (14, 1), (20, 5)]
        let events = spans.map { TraceEvent(.complete, name: "load", process: 1, thread: 1, start: $0.0, cycles: $0.1) }
        #expect(DeviceTrace.lanes(events).map { $0.map(\.start) } == [[0, 12, 20], [5], [14]])
        #expect(DeviceTrace.lanes([]).count == 1)
    }

    @Test func automaticDetailSwitchesToLayersForLargePrograms() {
        #expect(TraceDetail.automatic(instructionCount: TraceDetail.instructionLimit) == .instructions)
        #expect(TraceDetail.automatic(instructionCount: TraceDetail.instructionLimit + 1) == .layers)
    }

    @Test func jsonHasTheFormatsKeysAndMicroseconds() throws {
        let events = [
            TraceEvent(.metadata, name: "thread_name", process: 1, thread: 2, args: [("name", .string("a \"quoted\"\nname\u{1}"))]),
            TraceEvent(.complete, name: "matmul", process: 1, thread: 2, start: 1000, cycles: 49, args: [("index", .int(3))]),
            TraceEvent(.counter, name: "DRAM", process: 1, start: 98, args: [("read", .double(1.5))]),
            TraceEvent(.instant, name: "softmax", process: 1, thread: 6, start: 1049),
        ]
        let data = ChromeTrace(events: events, clockGHz: 0.98, metadata: [("model", .string("m"))]).json()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["displayTimeUnit"] as? String == "ns")
        #expect((object["otherData"] as? [String: Any])?["model"] as? String == "m")
        let parsed = try #require(object["traceEvents"] as? [[String: Any]])
        #expect((parsed[0]["args"] as? [String: Any])?["name"] as? String == "a \"quoted\"\nname\u{1}")
        // 1000 cycles at 0.98 GHz = 1020.408 ns = 1.0204 µs; the end, 1049 cycles = 1.0704 µs.
        #expect(parsed[1]["ts"] as? Double == 1.0204 && parsed[1]["dur"] as? Double == 0.05)
        #expect(parsed[1]["ph"] as? String == "X" && parsed[1]["tid"] as? Int == 2)
        #expect(parsed[2]["ph"] as? String == "C" && parsed[2]["tid"] == nil && parsed[2]["ts"] as? Double == 0.1)
        #expect(parsed[3]["s"] as? String == "t")
    }
}
