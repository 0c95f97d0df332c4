import Foundation
import HostRuntime
import ISA
import Simulator

/// `npu exec`: runs a kernel on the simulated NPU and verifies it against the CPU reference.
struct ExecCommand: Command {
    let name = "exec"
    let summary = "run a kernel (.s or .npub) with seeded inputs and verify it bit for bit"
    let usage = """
        usage: npu exec FILE.s|FILE.npub [--config NAME|FILE.json] [--dataflow ws|os|is|any] [--dram MODEL[:N]] [--seed N] [--timing-only] [--json]
                        [--trace FILE.json [--trace-detail instructions|layers]]

        Fills the program's .input tensors with seeded random data (within each input's range=),
        runs the program on the simulated NPU, evaluates its .check reference computations on
        the CPU, and compares every .output bit for bit. Prints cycles, MAC utilization, DRAM
        traffic, engine activity with stalls by cause, the DRAM model, an energy estimate and
        `verified: bit-exact` or the first mismatching element (exit status 2 on a mismatch).

          --config NAME|FILE  hardware to run on (default: the program's own configuration)
          --dram MODEL[:N]    time DRAM with banks and row buffers: ddr3-1600, ddr4-3200,
                              lpddr4-3200 or hbm2 (N channels instead of its own), or simple
          --seed N            seed of the random inputs (default 1)
          --timing-only       skip all arithmetic: same cycles, no verification
          --json              print one JSON object (keys: cycles, macs, utilization,
                              dram_bytes_read, dram_bytes_written, stall_cycles,
                              dram_row_hit_rate, verified, ...)
        \(TraceOption.usage)

        Check functions: gemm, conv2d, maxpool, sumpool, requant, relu, clamp, copy, pwl, add,
        sub, mul, max, min, slice, concat, reshape (see kernels/README.md).
        """

    func run(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: Set(["config", "dataflow", "dram", "dma-requests", "seed"]).union(TraceOption.options), flags: ["timing-only", "json"])
        let path = try parsed.requirePositionals(1, "kernel file")[0]
        let program = try Files.program(path)
        let config = try parsed.withDataflow(try parsed.withDRAM(try parsed.value("config").map { (name) throws(ISAError) in try HardwareConfig.named(name) } ?? program.config))
        guard let seed = UInt64(parsed.value("seed") ?? "1") else {
            throw UsageError("--seed needs a non-negative integer, got '\(parsed.value("seed")!)'")
        }
        let mode: SimulationMode = parsed.has("timing-only") ? .timingOnly : .functional
        let report = try KernelExecution.run(program, config: config, seed: seed, mode: mode)
        try TraceOption.write(DeviceTrace(config: config, segments: [DeviceTrace.Segment(program: program, timeline: report.timeline)]),
                              parsed, metadata: [("program", .string(path))])
        if parsed.has("json") {
            print(ExecReport.json(report, config: config, path: path))
        } else {
            print(ExecReport.text(report, config: config, path: path))
        }
        if case .mismatch = report.verification { exit(2) }
    }
}

/// Renders a kernel run for the terminal and as JSON.
enum ExecReport {
    static func text(_ report: KernelExecution.Report, config: HardwareConfig, path: String) -> String {
        let s = report.statistics
        let engines = Engine.allCases.map { engine in
            let e = s[engine]
            var line = "\(engine) \(Format.grouped(e.busyCycles)) busy, stalled \(MemoryReport.stallText(e.stalls))"
            if engine == .compute {
                line += " (" + ComputeUnit.allCases.map { "\($0) unit \(Format.grouped(s[$0].busyCycles))" }.joined(separator: ", ") + ")"
            }
            return line
        }
        let energy = s.energy
        var lines = [
            ("program", path),
            ("config", "\(config.name): \(config.array.rows)x\(config.array.cols) \(config.array.dataflowName) array, \(config.dataType), \(config.clockGHz) GHz, \(config.dram.bandwidthGBps) GB/s DRAM"),
            ("cycles", "\(Format.grouped(s.cycles)) (\(String(format: "%.3f", s.microseconds)) µs)"),
            ("MACs", Format.grouped(s.macs)),
            ("utilization", String(format: "%.2f%% of %@ MACs/cycle (mapping efficiency %.2f%%)", 100 * s.utilization,
                                   Format.grouped(config.peakMACsPerCycle), 100 * s.mappingEfficiency)),
            ("DRAM read", "\(Format.grouped(s.dramBytesRead)) B (instructions \(Format.grouped(s.dramTraffic.instructions)), ifmap \(Format.grouped(s.dramTraffic.ifmap)), weights \(Format.grouped(s.dramTraffic.weights)), psum \(Format.grouped(s.dramTraffic.psum)))"),
            ("DRAM written", "\(Format.grouped(s.dramBytesWritten)) B"),
            ("bandwidth", String(format: "%.2f GB/s average, %.2f GB/s peak", s.averageDRAMBandwidthGBps, s.peakDRAMBandwidthGBps)),
            ("DRAM model", MemoryReport.dramText(s, config: config)),
            ("buffers", MemoryReport.bufferText(s, config: config)),
            ("engines", engines.joined(separator: "\n             ")),
            ("energy", String(format: "%.1f nJ (MAC %.1f, SRAM %.1f, DRAM %.1f, vector %.1f)", energy.totalPJ / 1000,
                              energy.macPJ / 1000, energy.sramPJ / 1000, energy.dramPJ / 1000, energy.vectorPJ / 1000)),
        ].map { $0.0.padding(toLength: 13, withPad: " ", startingAt: 0) + $0.1 }
        lines.append("verified: " + verificationText(report.verification))
        return lines.joined(separator: "\n")
    }

    static func verificationText(_ verification: KernelExecution.Verification) -> String {
        switch verification {
        case .bitExact: "bit-exact"
        case .mismatch(let message): "MISMATCH " + message
        case .skipped(let reason): "no (\(reason))"
        }
    }

    static func json(_ report: KernelExecution.Report, config: HardwareConfig, path: String) -> String {
        let s = report.statistics
        var object: [String: Any] = [
            "program": path,
            "config": config.name,
            "cycles": s.cycles,
            "macs": s.macs,
            "utilization": s.utilization,
            "mapping_efficiency": s.mappingEfficiency,
            "dram_bytes_read": s.dramBytesRead,
            "dram_bytes_written": s.dramBytesWritten,
            "dram_bytes_by_class": [
                "instructions": s.dramTraffic.instructions, "ifmap": s.dramTraffic.ifmap, "weights": s.dramTraffic.weights,
                "psum": s.dramTraffic.psum, "ofmap": s.dramTraffic.ofmap,
            ],
            "average_bandwidth_gbps": s.averageDRAMBandwidthGBps,
            "peak_bandwidth_gbps": s.peakDRAMBandwidthGBps,
            "energy_pj": s.energy.totalPJ,
            "microseconds": s.microseconds,
            "engines": Dictionary(uniqueKeysWithValues: Engine.allCases.map { engine in
                let e = s[engine]
                return (engine.description, [
                    "instructions": e.instructions, "busy_cycles": e.busyCycles, "stall_cycles": MemoryReport.stallJSON(e.stalls),
                ] as [String: Any])
            }),
            "compute_units": Dictionary(uniqueKeysWithValues: ComputeUnit.allCases.map { unit in
                (unit.description, ["instructions": s[unit].instructions, "busy_cycles": s[unit].busyCycles,
                                    "hazard_cycles": s[unit].hazardCycles])
            }),
            "verified": report.verification.isVerified,
            "verification": verificationText(report.verification),
        ]
        object.merge(MemoryReport.json(s, config: config)) { $1 }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
