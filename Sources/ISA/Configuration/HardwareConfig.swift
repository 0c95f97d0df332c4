import Foundation

/// Everything the simulator and the compiler know about the machine. A value, loadable from and
/// writable to JSON (snake_case keys), with named presets in `HardwareConfig+Presets.swift`.
public struct HardwareConfig: Codable, Equatable, Sendable {
    /// The systolic MAC array.
    public struct SystolicArray: Codable, Equatable, Sendable {
        public var rows: Int
        public var cols: Int
        public var dataflow: Dataflow
        /// Whether each PE holds a second stationary operand, so that the next fold's operands
        /// shift in while the current fold streams and folds run back to back without refilling
        /// the pipeline (TPU v1 double-buffers its weight tile "to hide the 256 cycles it takes to
        /// shift a tile in", Jouppi et al., ISCA 2017). Without it, every fold pays its preload,
        /// fill and drain, as SCALE-Sim 3.0.0 counts them. See `SystolicTiming`.
        public var doubleBuffered: Bool

        public init(rows: Int, cols: Int, dataflow: Dataflow, doubleBuffered: Bool) {
            self.rows = rows
            self.cols = cols
            self.dataflow = dataflow
            self.doubleBuffered = doubleBuffered
        }

        enum CodingKeys: String, CodingKey {
            case rows, cols, dataflow, doubleBuffered = "double_buffered"
        }
    }

    /// One on-chip buffer (NBin, SB or NBout).
    public struct Buffer: Codable, Equatable, Sendable {
        public var capacityBytes: Int
        /// Bytes per cycle the DMA can write into (or read out of) the buffer.
        public var portBytesPerCycle: Int
        /// Energy of one byte read or written, in pJ (default from `EnergyDefaults.sramPerByte`).
        public var energyPerBytePJ: Double

        enum CodingKeys: String, CodingKey {
            case capacityBytes = "capacity_bytes", portBytesPerCycle = "port_bytes_per_cycle"
            case energyPerBytePJ = "energy_per_byte_pj"
        }
    }

    /// The vector unit (DianNao's NFU-2 / NFU-3).
    public struct VectorUnit: Codable, Equatable, Sendable {
        /// Elements processed per cycle.
        public var lanes: Int
        /// Pipeline depth in cycles, paid once per vector instruction.
        public var latencyCycles: Int
        /// Energy per element operation, in pJ.
        public var energyPerOpPJ: Double

        enum CodingKeys: String, CodingKey {
            case lanes, latencyCycles = "latency_cycles", energyPerOpPJ = "energy_per_op_pj"
        }
    }

    /// DRAM and the DMA path to it.
    public struct DRAM: Codable, Equatable, Sendable {
        public var bandwidthGBps: Double
        /// Cycles from request to first data; pipelined across outstanding requests.
        public var latencyCycles: Int
        /// Transfer granularity: each contiguous run is rounded out to whole aligned bursts.
        public var burstBytes: Int
        public var capacityBytes: Int
        /// Energy per byte transferred, in pJ.
        public var energyPerBytePJ: Double

        enum CodingKeys: String, CodingKey {
            case bandwidthGBps = "bandwidth_gbps", latencyCycles = "latency_cycles", burstBytes = "burst_bytes"
            case capacityBytes = "capacity_bytes", energyPerBytePJ = "energy_per_byte_pj"
        }
    }

    /// Energy of one multiply-accumulate, per arithmetic mode, in pJ.
    public struct MACEnergy: Codable, Equatable, Sendable {
        public var int8PJ: Double
        public var int16PJ: Double
        public var fp16PJ: Double

        enum CodingKeys: String, CodingKey {
            case int8PJ = "int8_pj", int16PJ = "int16_pj", fp16PJ = "fp16_pj"
        }

        public func perMAC(_ type: DataType) -> Double {
            switch type {
            case .int8: int8PJ
            case .int16: int16PJ
            case .fp16: fp16PJ
            }
        }
    }

    public var name: String
    public var array: SystolicArray
    public var clockGHz: Double
    /// The machine's native arithmetic (what compiled programs use unless told otherwise).
    public var dataType: DataType
    public var nbin: Buffer
    public var sb: Buffer
    public var nbout: Buffer
    public var vector: VectorUnit
    public var dram: DRAM
    /// Entries in each engine's instruction queue; the fetch unit stalls when a queue is full.
    public var queueDepth: Int
    public var macEnergy: MACEnergy

    enum CodingKeys: String, CodingKey {
        case name, array, clockGHz = "clock_ghz", dataType = "data_type", nbin, sb, nbout, vector, dram
        case queueDepth = "queue_depth", macEnergy = "mac_energy"
    }

    /// The buffer description for `id`.
    public func buffer(_ id: BufferID) -> Buffer {
        switch id {
        case .nbin: nbin
        case .sb: sb
        case .nbout: nbout
        }
    }

    /// DRAM bytes per clock cycle: GB/s divided by GHz.
    public var dramBytesPerCycle: Double { dram.bandwidthGBps / clockGHz }

    /// Peak multiply-accumulates per cycle.
    public var peakMACsPerCycle: Int { array.rows * array.cols }

    /// Checks every field, throwing one message naming the first bad field.
    public func validate() throws(ISAError) {
        func positive(_ value: some BinaryInteger, _ name: String) throws(ISAError) {
            if value <= 0 { throw .invalidConfiguration("\(name) must be positive, got \(value)") }
        }
        func positive(_ value: Double, _ name: String) throws(ISAError) {
            if !(value > 0) || !value.isFinite { throw .invalidConfiguration("\(name) must be positive, got \(value)") }
        }
        func nonNegative(_ value: Double, _ name: String) throws(ISAError) {
            if !(value >= 0) || !value.isFinite { throw .invalidConfiguration("\(name) must be zero or positive, got \(value)") }
        }
        try positive(array.rows, "array.rows")
        try positive(array.cols, "array.cols")
        try positive(clockGHz, "clock_ghz")
        for (id, buffer) in [("nbin", nbin), ("sb", sb), ("nbout", nbout)] {
            try positive(buffer.capacityBytes, "\(id).capacity_bytes")
            if buffer.capacityBytes > 1 << OpcodeTable.bufferAddressBits {
                throw .invalidConfiguration("\(id).capacity_bytes must be at most \(1 << OpcodeTable.bufferAddressBits) (the address field's reach), got \(buffer.capacityBytes)")
            }
            try positive(buffer.portBytesPerCycle, "\(id).port_bytes_per_cycle")
            try nonNegative(buffer.energyPerBytePJ, "\(id).energy_per_byte_pj")
        }
        try positive(vector.lanes, "vector.lanes")
        if vector.latencyCycles < 0 { throw .invalidConfiguration("vector.latency_cycles must be zero or positive, got \(vector.latencyCycles)") }
        try nonNegative(vector.energyPerOpPJ, "vector.energy_per_op_pj")
        try positive(dram.bandwidthGBps, "dram.bandwidth_gbps")
        if dram.latencyCycles < 0 { throw .invalidConfiguration("dram.latency_cycles must be zero or positive, got \(dram.latencyCycles)") }
        try positive(dram.burstBytes, "dram.burst_bytes")
        try positive(dram.capacityBytes, "dram.capacity_bytes")
        if dram.capacityBytes > 1 << OpcodeTable.dramAddressBits {
            throw .invalidConfiguration("dram.capacity_bytes must be at most \(1 << OpcodeTable.dramAddressBits), got \(dram.capacityBytes)")
        }
        try nonNegative(dram.energyPerBytePJ, "dram.energy_per_byte_pj")
        try positive(queueDepth, "queue_depth")
        try nonNegative(macEnergy.int8PJ, "mac_energy.int8_pj")
        try nonNegative(macEnergy.int16PJ, "mac_energy.int16_pj")
        try nonNegative(macEnergy.fp16PJ, "mac_energy.fp16_pj")
    }
}

extension HardwareConfig {
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// Pretty-printed JSON with snake_case keys.
    public func jsonData() -> Data { try! Self.encoder.encode(self) }

    /// Compact one-line JSON, as stored in program files.
    public func compactJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Decodes and validates a configuration; `source` names it in error messages.
    public static func decode(json data: Data, source: String) throws(ISAError) -> HardwareConfig {
        let decoder = JSONDecoder()
        let config: HardwareConfig
        do {
            config = try decoder.decode(HardwareConfig.self, from: data)
        } catch let error as DecodingError {
            throw .invalidConfiguration("\(source): \(describe(error))")
        } catch {
            throw .invalidConfiguration("\(source): \(error.localizedDescription)")
        }
        do {
            try config.validate()
        } catch .invalidConfiguration(let message) {
            throw .invalidConfiguration("\(source): \(message)")
        } catch {
            throw error
        }
        return config
    }

    /// A preset by name, or a JSON file by path.
    public static func named(_ nameOrPath: String) throws(ISAError) -> HardwareConfig {
        if let preset = presets.first(where: { $0.name == nameOrPath }) { return preset }
        guard nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") else {
            throw .invalidConfiguration("unknown configuration '\(nameOrPath)' (presets: \(presets.map(\.name).joined(separator: ", ")); or give a .json file)")
        }
        guard let data = FileManager.default.contents(atPath: nameOrPath) else {
            throw .invalidConfiguration("cannot read \(nameOrPath)")
        }
        return try decode(json: data, source: nameOrPath)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing key '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at '\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            return at.isEmpty ? "not valid JSON" : "invalid value at '\(at)': \(context.debugDescription)"
        @unknown default:
            return "cannot decode"
        }
    }
}

extension DataType {
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let type = DataType(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown data type '\(name)' (int8, int16, fp16)"))
        }
        self = type
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
