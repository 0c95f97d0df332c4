import Foundation
import ISA

/// `sweep.csv`: one row per configuration, every parameter and measurement, in index order.
///
/// The rows are text written one way (fixed formats), so shards' rows merge into exactly the
/// rows of an unsharded sweep. `SweepTable.Row` holds a row (written or read back) for the
/// Pareto front and plots.
public enum SweepTable {
    public static let header = [
        "index", "rows", "cols", "dataflow", "nbin_bytes", "sb_bytes", "nbout_bytes", "buffer_scale", "bandwidth_gbps",
        "status", "cycles", "latency_ms", "utilization", "dram_bytes_read", "dram_bytes_written", "energy_j", "edp_js",
        "area_mm2", "area_array_mm2", "area_buffers_mm2", "area_vector_mm2", "area_control_mm2",
    ]

    /// The CSV line of `result` (a failed configuration: status `failed: ...`, measurements empty).
    public static func line(_ result: SweepResult) -> String {
        let c = result.point.config, area = result.area
        let parameters = ["\(result.point.index)", "\(c.array.rows)", "\(c.array.cols)", c.array.dataflowName,
                          "\(c.nbin.capacityBytes)", "\(c.sb.capacityBytes)", "\(c.nbout.capacityBytes)",
                          number(result.point.bufferScale), number(c.dram.bandwidthGBps)]
        let areas = [area.total, area.array, area.buffers, area.vector, area.control].map { String(format: "%.4f", $0) }
        guard result.failure == nil else {
            let status = "failed: " + result.failure!.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: "\n", with: " ")
            return (parameters + [status] + Array(repeating: "", count: 7) + areas).joined(separator: ",")
        }
        let measured = ["ok", "\(result.cycles)", String(format: "%.6f", result.seconds * 1e3), String(format: "%.6f", result.utilization),
                        "\(result.dramBytesRead)", "\(result.dramBytesWritten)", String(format: "%.6e", result.joules),
                        String(format: "%.6e", result.energyDelayProduct)]
        return (parameters + measured + areas).joined(separator: ",")
    }

    /// A number without a trailing `.0` (1, 0.5, 25.6).
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// One line of `sweep.csv` read back.
    public struct Row: Equatable, Sendable {
        /// The line as written.
        public var line: String
        public var fields: [String]

        /// The row of a line as `line(_:)` writes it.
        public init(line: String) {
            self.line = line
            fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }

        public var index: Int { Int(fields[0])! }
        public subscript(_ column: String) -> String { fields[SweepTable.header.firstIndex(of: column)!] }
        public var succeeded: Bool { self["status"] == "ok" }
        /// A numeric column (0 when empty).
        public func value(_ column: String) -> Double { Double(self[column]) ?? 0 }

        /// The objective's value: cycles, energy (J) or EDP (J·s).
        public func objective(_ objective: SweepObjective) -> Double {
            switch objective {
            case .cycles: value("cycles")
            case .energy: value("energy_j")
            case .edp: value("edp_js")
            }
        }
    }

    /// Reads a `sweep.csv`: its header must be `header`, every line as many fields with an
    /// integer index. `source` names the file in errors.
    public static func rows(_ text: String, source: String) throws -> [Row] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let first = lines.first, first == header.joined(separator: ",") else {
            throw SweepError("\(source): not a sweep.csv (its header differs)")
        }
        lines.removeFirst()
        return try lines.enumerated().map { number, line in
            let row = Row(line: line)
            guard row.fields.count == header.count, Int(row.fields[0]) != nil else {
                throw SweepError("\(source): line \(number + 2) has \(row.fields.count) fields or no index (\(header.count) expected)")
            }
            return row
        }
    }
}

/// A sweep input problem: one line for the user.
public struct SweepError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
