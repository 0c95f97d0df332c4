import Foundation
import ISA

/// `npu configs`: lists the shipped hardware presets, or prints one as JSON.
struct ConfigsCommand: Command {
    let name = "configs"
    let summary = "list hardware presets (--show NAME prints one as JSON)"
    let usage = """
        usage: npu configs [--show NAME|FILE.json]

        Lists the hardware presets. --show prints a configuration as JSON; edit it and pass
        the file to --config of any command.
        """

    func run(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: ["show"], flags: [])
        _ = try parsed.requirePositionals(0, "")
        if let name = parsed.value("show") {
            print(String(decoding: try HardwareConfig.named(name).jsonData(), as: UTF8.self))
            return
        }
        let header = ["name", "array", "dataflow", "dtype", "clock", "NBin", "SB", "NBout", "DRAM", "peak"]
        let rows = HardwareConfig.presets.map { config in
            [config.name, "\(config.array.rows)x\(config.array.cols)", config.array.dataflowName,
             config.dataType.description, "\(config.clockGHz) GHz",
             Format.bytes(config.nbin.capacityBytes), Format.bytes(config.sb.capacityBytes), Format.bytes(config.nbout.capacityBytes),
             "\(config.dram.bandwidthGBps) GB/s",
             String(format: "%.1f GOP/s", 2 * Double(config.peakMACsPerCycle) * config.clockGHz)]
        }
        print(Format.table(header: header, rows: rows))
    }
}
