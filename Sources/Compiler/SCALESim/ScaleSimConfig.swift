import Foundation
import ISA

/// A SCALE-Sim 3.0.0 hardware configuration (`.cfg`, an INI file read by Python's
/// `configparser`: `[section]` headers, `key : value` or `key = value`, keys case-insensitive,
/// `#` and `;` comment lines), as `scalesim/scale_config.py`, `read_conf_file`, reads it.
///
/// Keys read, and what they become in `hardwareConfig`:
///
///     [general]              run_name             config name
///     [architecture_presets] ArrayHeight          array rows          (required)
///                            ArrayWidth           array cols          (required)
///                            IfmapSramSzkB        NBin  capacity, KiB (required; SCALE-Sim: 1024 bytes)
///                            FilterSramSzkB       SB    capacity, KiB (required)
///                            OfmapSramSzkB        NBout capacity, KiB (required)
///                            Dataflow             ws | os | is        (required)
///                            Bandwidth            DRAM words/cycle (first value): GB/s at 1 GHz, 1-byte words
///                            MemoryBanks          read and checked; ignored (see below)
///     [run_presets]          InterfaceBandwidth   USER: `Bandwidth` is required; CALC: SCALE-Sim sizes the
///                                                 bandwidth so nothing stalls; we take `Bandwidth` if given,
///                                                 else SCALE-Sim's CALC default of 10 words/cycle
///                                                 (`single_layer_sim.run`, `ifmap_backing_bw = 10`)
///     [sparsity]             SparsitySupport      must be false: sparsity is not modelled
///
/// Ignored, and why: `IfmapOffset`, `FilterOffset`, `OfmapOffset` (base addresses of its traces;
/// we write no traces), `ReadRequestBuffer`, `WriteRequestBuffer` and the `[layout]` section
/// (its DRAM request queues and SRAM bank layout only shape its memory traces, not the compute
/// cycles), `UseRamulatorTrace` (an external DRAM simulator), and `MemoryBanks` (SCALE-Sim 3.0.0
/// itself never reads it; its `num_bank` stays 1). The rest of the machine (vector unit, DRAM
/// latency, burst and capacity, energies, queue depth) is the `edge` preset's. The clock is
/// 1 GHz, so SCALE-Sim's cycles are nanoseconds and its words per cycle GB/s. Words are one byte
/// (`single_layer_sim.run`, `word_size = 1`): the data type is int8. The array is not
/// double-buffered: every fold pays its own preload, fill and drain, as SCALE-Sim counts them.
public struct ScaleSimConfig: Equatable, Sendable {
    /// SCALE-Sim's `InterfaceBandwidth` mode.
    public enum InterfaceBandwidth: String, Equatable, Sendable {
        /// The user's `Bandwidth` limits DRAM transfers.
        case user = "USER"
        /// SCALE-Sim computes the bandwidth that keeps the array from stalling.
        case calc = "CALC"
    }

    public var runName: String
    /// Array rows (`ArrayHeight`) and columns (`ArrayWidth`), in PEs.
    public var arrayHeight: Int
    public var arrayWidth: Int
    /// SRAM sizes in KiB (`IfmapSramSzkB`, `FilterSramSzkB`, `OfmapSramSzkB`).
    public var ifmapSRAMKiB: Int
    public var filterSRAMKiB: Int
    public var ofmapSRAMKiB: Int
    public var dataflow: Dataflow
    /// `Bandwidth`, in words (bytes) per cycle; nil if absent.
    public var bandwidthWordsPerCycle: Int?
    public var interfaceBandwidth: InterfaceBandwidth
    /// `MemoryBanks`, if given (not used; see the type's documentation).
    public var memoryBanks: Int?

    /// SCALE-Sim's CALC-mode DRAM bandwidth, words per cycle (`single_layer_sim.run`).
    public static let calcModeBandwidthWordsPerCycle = 10
    /// SCALE-Sim's clock is implicit; at 1 GHz its cycles are nanoseconds.
    public static let clockGHz = 1.0
    /// Bytes in one of SCALE-Sim's KiB (`single_layer_sim.run`: `1024 * ifmap_buf_size_kb`).
    public static let bytesPerKiB = 1024

    /// Parses the text of a `.cfg` file; `file` names it in errors (one line each).
    public init(parsing text: String, file: String) throws(CompilerError) {
        let ini = try INI(text, file: file)
        func integer(_ section: String, _ key: String, required: Bool = true) throws(CompilerError) -> Int? {
            guard let entry = ini.value(section, key) else {
                if required { throw .invalidInput(file: file, line: 0, "missing key '\(key)' in section [\(section)]") }
                return nil
            }
            guard let value = Int(entry.value), value > 0 else {
                throw .invalidInput(file: file, line: entry.line, "\(key) must be a positive integer, got '\(entry.value)'")
            }
            return value
        }
        runName = ini.value("general", "run_name")?.value ?? "scalesim"
        arrayHeight = try integer("architecture_presets", "ArrayHeight")!
        arrayWidth = try integer("architecture_presets", "ArrayWidth")!
        ifmapSRAMKiB = try integer("architecture_presets", "IfmapSramSzkB")!
        filterSRAMKiB = try integer("architecture_presets", "FilterSramSzkB")!
        ofmapSRAMKiB = try integer("architecture_presets", "OfmapSramSzkB")!
        memoryBanks = try integer("architecture_presets", "MemoryBanks", required: false)
        guard let flow = ini.value("architecture_presets", "Dataflow") else {
            throw .invalidInput(file: file, line: 0, "missing key 'Dataflow' in section [architecture_presets]")
        }
        guard let parsed = Dataflow(rawValue: flow.value) else {
            throw .invalidInput(file: file, line: flow.line, "Dataflow must be ws, os or is, got '\(flow.value)'")
        }
        dataflow = parsed
        interfaceBandwidth = .calc
        if let mode = ini.value("run_presets", "InterfaceBandwidth") {
            guard let parsedMode = InterfaceBandwidth(rawValue: mode.value) else {
                throw .invalidInput(file: file, line: mode.line, "InterfaceBandwidth must be USER or CALC, got '\(mode.value)'")
            }
            interfaceBandwidth = parsedMode
        }
        // SCALE-Sim reads a comma-separated list and uses its first value (`bws[0]`).
        if let bandwidth = ini.value("architecture_presets", "Bandwidth") {
            let first = bandwidth.value.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let value = Int(first), value > 0 else {
                throw .invalidInput(file: file, line: bandwidth.line, "Bandwidth must be a positive integer (words per cycle), got '\(bandwidth.value)'")
            }
            bandwidthWordsPerCycle = value
        } else if interfaceBandwidth == .user {
            throw .invalidInput(file: file, line: 0, "InterfaceBandwidth USER needs 'Bandwidth' in section [architecture_presets]")
        }
        if let sparsity = ini.value("sparsity", "SparsitySupport"), sparsity.value.lowercased() == "true" {
            throw .invalidInput(file: file, line: sparsity.line, "SparsitySupport true is not supported (sparsity is not modelled)")
        }
    }

    /// Reads and parses the `.cfg` file at `path`.
    public static func load(path: String) throws(CompilerError) -> ScaleSimConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput(file: path, line: 0, "cannot read the file")
        }
        return try ScaleSimConfig(parsing: String(decoding: data, as: UTF8.self), file: path)
    }

    /// The machine this configuration describes (see the type's documentation for each field).
    public var hardwareConfig: HardwareConfig {
        var config = HardwareConfig.edge
        config.name = runName
        config.array = .init(rows: arrayHeight, cols: arrayWidth, dataflow: dataflow, doubleBuffered: false)
        config.clockGHz = Self.clockGHz
        config.dataType = .int8
        config.nbin.capacityBytes = ifmapSRAMKiB * Self.bytesPerKiB
        config.sb.capacityBytes = filterSRAMKiB * Self.bytesPerKiB
        config.nbout.capacityBytes = ofmapSRAMKiB * Self.bytesPerKiB
        // SRAM energy follows each buffer's capacity, as the presets' does.
        config.nbin.energyPerBytePJ = EnergyDefaults.sramPerByte(capacityBytes: config.nbin.capacityBytes)
        config.sb.energyPerBytePJ = EnergyDefaults.sramPerByte(capacityBytes: config.sb.capacityBytes)
        config.nbout.energyPerBytePJ = EnergyDefaults.sramPerByte(capacityBytes: config.nbout.capacityBytes)
        let words = bandwidthWordsPerCycle ?? Self.calcModeBandwidthWordsPerCycle
        config.dram.bandwidthGBps = Double(words) * Self.clockGHz
        return config
    }
}

/// The sections and keys of an INI file as Python's `configparser` reads them: keys lowercased,
/// values trimmed, the line of each kept for messages.
private struct INI {
    struct Entry {
        var value: String
        var line: Int
    }
    private var entries: [String: [String: Entry]] = [:]

    init(_ text: String, file: String) throws(CompilerError) {
        var section: String?
        for (index, raw) in text.components(separatedBy: .newlines).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw .invalidInput(file: file, line: index + 1, "malformed section header '\(line)'")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let section else { throw .invalidInput(file: file, line: index + 1, "a key before any [section]: '\(line)'") }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw .invalidInput(file: file, line: index + 1, "expected 'key : value' or 'key = value', got '\(line)'")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            entries[section, default: [:]][key] = Entry(value: value, line: index + 1)
        }
    }

    func value(_ section: String, _ key: String) -> Entry? { entries[section]?[key.lowercased()] }
}
