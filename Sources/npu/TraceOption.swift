import Foundation
import HostRuntime

/// `--trace FILE.json` and `--trace-detail`, shared by `npu run` and `npu exec`.
enum TraceOption {
    static let options: Set<String> = ["trace", "trace-detail"]

    static let usage = """
          --trace FILE.json  write a Chrome trace (open it in https://ui.perfetto.dev or chrome://tracing):
                            tracks load, compute: array, compute: vector, store, DRAM and host; counters
                            of DRAM bandwidth and NBin/SB/NBout occupancy
          --trace-detail instructions|layers   a slice per instruction, or per layer on each track
                            (default: instructions up to \(TraceDetail.instructionLimit) fetched instructions, else layers)
        """

    /// The trace's path, if asked for, once `--trace-detail` is checked (it needs `--trace`).
    static func path(_ parsed: Arguments) throws(UsageError) -> String? {
        let path = parsed.value("trace")
        if path == nil && parsed.value("trace-detail") != nil { throw UsageError("--trace-detail needs --trace FILE.json") }
        _ = try detail(parsed)
        return path
    }

    /// `--trace-detail`, or `nil` for the automatic choice.
    static func detail(_ parsed: Arguments) throws(UsageError) -> TraceDetail? {
        guard let text = parsed.value("trace-detail") else { return nil }
        guard let detail = TraceDetail(rawValue: text) else {
            throw UsageError("--trace-detail needs instructions or layers, got '\(text)'")
        }
        return detail
    }

    /// Writes `trace` to `--trace`'s path (atomically), at `--trace-detail`; without `--trace`,
    /// does nothing (and does not evaluate `trace`).
    static func write(_ trace: @autoclosure () -> DeviceTrace, _ parsed: Arguments,
                      metadata: [(key: String, value: TraceEvent.Value)]) throws {
        guard let path = try path(parsed) else { return }
        try Files.write(trace().trace(detail: try detail(parsed), metadata: metadata).json(), to: path)
    }
}
