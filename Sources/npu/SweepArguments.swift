import Foundation
import HostRuntime
import ISA

/// Parsing of `npu sweep`'s list options into a `SweepSpace`: comma-separated values, each
/// checked, so a typo is one clear line rather than a silently smaller sweep.
enum SweepArguments {
    /// The space the list options describe.
    static func space(_ parsed: Arguments) throws(UsageError) -> SweepSpace {
        var space = SweepSpace()
        space.rows = try list(parsed, "rows", arraySide)
        space.cols = try list(parsed, "cols", arraySide)
        space.nbinBytes = try list(parsed, "nbin", bytes)
        space.sbBytes = try list(parsed, "sb", bytes)
        space.nboutBytes = try list(parsed, "nbout", bytes)
        space.bufferScales = try list(parsed, "buffer-scale") { Double($0).flatMap { $0 > 0 && $0 <= 1024 && $0.isFinite ? $0 : nil } }
        space.bandwidthsGBps = try list(parsed, "bandwidth") { Double($0).flatMap { $0 > 0 && $0 <= 1e6 && $0.isFinite ? $0 : nil } }
        space.dataflows = try list(parsed, "dataflow") { ["ws", "os", "is", "any"].contains($0) ? $0 : nil }
        return space
    }

    /// What each option takes, for messages.
    static let expected = [
        "rows": "array rows from 1 to 4096", "cols": "array columns from 1 to 4096",
        "nbin": "byte sizes such as 65536, 256K or 1M", "sb": "byte sizes such as 65536, 256K or 1M",
        "nbout": "byte sizes such as 65536, 256K or 1M", "buffer-scale": "positive factors such as 0.5,1,2",
        "bandwidth": "positive GB/s such as 12.8,25.6", "dataflow": "ws, os, is or any",
    ]

    /// `--name a,b,c` parsed by `parse`, or [] without the option; distinct values in order.
    static func list<T: Equatable>(_ parsed: Arguments, _ name: String, _ parse: (String) -> T?) throws(UsageError) -> [T] {
        guard let text = parsed.value(name) else { return [] }
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !text.isEmpty, !items.contains(where: \.isEmpty) else {
            throw UsageError("--\(name) needs a comma-separated list of \(expected[name]!), got '\(text)'")
        }
        var values: [T] = []
        for item in items {
            guard let value = parse(item) else { throw UsageError("--\(name): '\(item)' is not one of \(expected[name]!)") }
            if !values.contains(value) { values.append(value) }
        }
        return values
    }

    /// Rows or columns of an array: 1 to 4096.
    static func arraySide(_ text: String) -> Int? { Int(text).flatMap { (1...4096).contains($0) ? $0 : nil } }

    /// Bytes: an integer, optionally with K (KiB) or M (MiB), from 64 B to 64 MiB.
    static func bytes(_ text: String) -> Int? {
        let multiplier = text.hasSuffix("K") ? 1024 : text.hasSuffix("M") ? 1024 * 1024 : 1
        guard let number = Int(multiplier == 1 ? text : String(text.dropLast())) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return !overflow && (64...(64 << 20)).contains(bytes) ? bytes : nil
    }

    /// `--shard I/N`: shard I (1-based) of N, or nil without the option.
    static func shard(_ parsed: Arguments) throws(UsageError) -> (index: Int, count: Int)? {
        guard let text = parsed.value("shard") else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw UsageError("--shard takes I/N with 1 <= I <= N (shard I of N), got '\(text)'")
        }
        return (index, count)
    }
}
