import Foundation
import ISA
import Simulator

/// The memory-system lines of the `exec` and `run` reports: stall cycles by cause and the DRAM
/// model with its row-buffer outcomes.
enum MemoryReport {
    /// Each cause of `StallCycles`: its JSON key, its name in text, and its field, in report order.
    static var stallCauses: [(key: String, name: String, cycles: KeyPath<StallCycles, Int>)] {
        [("dependency", "dependency", \.dependency), ("buffer_full", "buffer full", \.bufferFull),
         ("dram_latency", "DRAM latency", \.dramLatency), ("dram_bandwidth", "DRAM bandwidth", \.dramBandwidth),
         ("dispatch", "fetch", \.dispatch), ("idle", "idle", \.idle)]
    }

    /// One engine's (or the engines' summed) stalls, as `exec` prints them per engine (idle time aside).
    static func stallText(_ stalls: StallCycles) -> String {
        stallCauses.filter { $0.key != "idle" }.map { "\(Format.grouped(stalls[keyPath: $0.cycles])) \($0.name)" }.joined(separator: " / ")
    }

    /// The DRAM model: the simple channel's bandwidth and latency, or the standard, its channels
    /// and banks and the row-buffer hit rate of the run's bursts.
    static func dramText(_ statistics: Statistics, config: HardwareConfig) -> String {
        guard let standard = config.dram.standard else {
            return "simple (\(config.dram.bandwidthGBps) GB/s channel, \(config.dram.latencyCycles) cycles latency)"
        }
        let channels = config.dram.channels ?? standard.channels, rows = statistics.dramRows
        return String(format: "%@, %d channel%@ x %d banks (%.1f GB/s peak): row hits %.2f%% (%@ hits, %@ misses, %@ conflicts)",
                      standard.name, channels, channels == 1 ? "" : "s", standard.banks, standard.peakGBps(channels: channels),
                      100 * rows.hitRate, Format.grouped(rows.hits), Format.grouped(rows.misses), Format.grouped(rows.conflicts))
    }

    /// `stall_cycles`: stalls by cause.
    static func stallJSON(_ stalls: StallCycles) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: stallCauses.map { ($0.key, stalls[keyPath: $0.cycles]) })
    }

    /// A layer's `stall_cycles`: each engine's stalls by cause (`LayerStatistics.stalls`).
    static func engineStallJSON(_ stalls: [StallCycles]) -> [String: [String: Int]] {
        Dictionary(uniqueKeysWithValues: Engine.allCases.map { ($0.description, stallJSON(stalls[$0.rawValue])) })
    }

    /// Each buffer's peak occupancy against its capacity: `NBin 212.0 of 256 KiB (83%), ...`.
    static func bufferText(_ statistics: Statistics, config: HardwareConfig) -> String {
        zip(BufferID.allCases, statistics.bufferPeakBytes).map { buffer, peak in
            let capacity = config.buffer(buffer).capacityBytes
            return String(format: "%@ %.1f of %.0f KiB (%.0f%%)", buffer.displayName, Double(peak) / 1024, Double(capacity) / 1024,
                          100 * Double(peak) / Double(capacity))
        }.joined(separator: ", ") + " at most live at once"
    }

    /// The run-level memory keys: `dram_model`, `stall_cycles` (summed over the engines), and with
    /// a bank model `dram_row_hit_rate` and `dram_rows` (hits, misses, conflicts).
    static func json(_ statistics: Statistics, config: HardwareConfig) -> [String: Any] {
        var object: [String: Any] = ["dram_model": config.dram.model, "stall_cycles": stallJSON(statistics.stalls),
                                     "buffer_peak_bytes": Dictionary(uniqueKeysWithValues: zip(BufferID.allCases.map(\.description),
                                                                                               statistics.bufferPeakBytes))]
        if config.dram.standard != nil {
            let rows = statistics.dramRows
            object["dram_row_hit_rate"] = rows.hitRate
            object["dram_rows"] = ["hits": rows.hits, "misses": rows.misses, "conflicts": rows.conflicts]
        }
        return object
    }
}
