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
        /// Whether the array can run each matmul in any of the three dataflows (`MatmulDataflow`),
        /// as reconfigurable arrays do (Eyeriss v2, MAERI): the compiler then chooses one per layer.
        /// In JSON, `"dataflow": "any"`; `dataflow` is then the default of matmuls that name none,
        /// weight-stationary. Switching costs nothing in the model: the array drains between
        /// layers anyway.
        public var flexibleDataflow: Bool

        public init(rows: Int, cols: Int, dataflow: Dataflow, doubleBuffered: Bool, flexibleDataflow: Bool = false) {
            self.rows = rows
            self.cols = cols
            self.dataflow = dataflow
            self.doubleBuffered = doubleBuffered
            self.flexibleDataflow = flexibleDataflow
        }

        /// The configuration's `dataflow` value: `ws`, `os`, `is`, or `any` for a flexible array.
        public var dataflowName: String { flexibleDataflow ? Self.anyDataflow : dataflow.rawValue }

        /// The dataflows the array can run.
        public var dataflows: [Dataflow] { flexibleDataflow ? Dataflow.allCases : [dataflow] }

        /// The `dataflow` value of a flexible array.
        public static let anyDataflow = "any"

        /// The array with `name` (`ws`, `os`, `is` or `any`) as its dataflow, or nil for another name.
        public func with(dataflowNamed name: String) -> SystolicArray? {
            var array = self
            if name == Self.anyDataflow {
                (array.dataflow, array.flexibleDataflow) = (.weightStationary, true)
            } else if let dataflow = Dataflow(rawValue: name) {
                (array.dataflow, array.flexibleDataflow) = (dataflow, false)
            } else {
                return nil
            }
            return array
        }

        enum CodingKeys: String, CodingKey {
            case rows, cols, dataflow, doubleBuffered = "double_buffered"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let name = try container.decode(String.self, forKey: .dataflow)
            let fixed = SystolicArray(rows: try container.decode(Int.self, forKey: .rows), cols: try container.decode(Int.self, forKey: .cols),
                                      dataflow: .weightStationary, doubleBuffered: try container.decode(Bool.self, forKey: .doubleBuffered))
            guard let array = fixed.with(dataflowNamed: name) else {
                throw DecodingError.dataCorruptedError(forKey: .dataflow, in: container,
                                                       debugDescription: "dataflow must be ws, os, is or any, got '\(name)'")
            }
            self = array
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rows, forKey: .rows)
            try container.encode(cols, forKey: .cols)
            try container.encode(dataflowName, forKey: .dataflow)
            try container.encode(doubleBuffered, forKey: .doubleBuffered)
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
        /// How the simulator times DRAM requests: `"simple"` (the default: one channel of
        /// `bandwidthGBps` with a fixed `latencyCycles`, `DRAMTiming`) or the name of a
        /// `DRAMStandard` (`ddr3-1600`, `ddr4-3200`, `lpddr4-3200`, `hbm2`): channels, banks and
        /// open row buffers with that standard's command timing. The compiler plans with
        /// `bandwidthGBps` and `latencyCycles` either way; `withDRAMModel` sets them to match.
        /// JSON key `model`, optional; written only when not `"simple"`.
        public var model: String
        /// Channels of the `model` standard (nil: the standard's own count). JSON key `channels`,
        /// optional; ignored by the simple model.
        public var channels: Int?
        /// Requests each DMA engine (load, store) keeps in flight: it issues its next transfer
        /// once the one `dmaRequests` places earlier has completed, so with more than 1 the
        /// DRAM latency of consecutive transfers overlaps (DianNao's DMAs have request queues).
        /// 1, the default, waits for each transfer before the next. JSON key `dma_requests`,
        /// optional; written only when not 1.
        public var dmaRequests: Int

        public init(bandwidthGBps: Double, latencyCycles: Int, burstBytes: Int, capacityBytes: Int, energyPerBytePJ: Double,
                    model: String = DRAMStandard.simpleModel, channels: Int? = nil, dmaRequests: Int = 1) {
            self.bandwidthGBps = bandwidthGBps
            self.latencyCycles = latencyCycles
            self.burstBytes = burstBytes
            self.capacityBytes = capacityBytes
            self.energyPerBytePJ = energyPerBytePJ
            self.model = model
            self.channels = channels
            self.dmaRequests = dmaRequests
        }

        /// The standard `model` names, or nil for the simple model (`validate` rejects other names).
        public var standard: DRAMStandard? { DRAMStandard.named(model) }

        enum CodingKeys: String, CodingKey {
            case bandwidthGBps = "bandwidth_gbps", latencyCycles = "latency_cycles", burstBytes = "burst_bytes"
            case capacityBytes = "capacity_bytes", energyPerBytePJ = "energy_per_byte_pj", model, channels
            case dmaRequests = "dma_requests"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(bandwidthGBps: try container.decode(Double.self, forKey: .bandwidthGBps),
                      latencyCycles: try container.decode(Int.self, forKey: .latencyCycles),
                      burstBytes: try container.decode(Int.self, forKey: .burstBytes),
                      capacityBytes: try container.decode(Int.self, forKey: .capacityBytes),
                      energyPerBytePJ: try container.decode(Double.self, forKey: .energyPerBytePJ),
                      model: try container.decodeIfPresent(String.self, forKey: .model) ?? DRAMStandard.simpleModel,
                      channels: try container.decodeIfPresent(Int.self, forKey: .channels),
                      dmaRequests: try container.decodeIfPresent(Int.self, forKey: .dmaRequests) ?? 1)
        }

        /// Writes `model`, `channels` and `dma_requests` only when set, so configurations without
        /// them (and the program files that embed them) keep their JSON.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(bandwidthGBps, forKey: .bandwidthGBps)
            try container.encode(latencyCycles, forKey: .latencyCycles)
            try container.encode(burstBytes, forKey: .burstBytes)
            try container.encode(capacityBytes, forKey: .capacityBytes)
            try container.encode(energyPerBytePJ, forKey: .energyPerBytePJ)
            if model != DRAMStandard.simpleModel { try container.encode(model, forKey: .model) }
            try container.encodeIfPresent(channels, forKey: .channels)
            if dmaRequests != 1 { try container.encode(dmaRequests, forKey: .dmaRequests) }
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

    /// This configuration with DRAM timed by `standard` (`channels` of them, default the
    /// standard's count): `dram.model` names it, and the figures the compiler plans with follow
    /// it: `bandwidth_gbps` is its peak, `burst_bytes` its burst, and `latency_cycles` its
    /// closed-bank read latency tRCD + CL + BL/2 clocks in this machine's cycles (rounded up).
    public func withDRAMModel(_ standard: DRAMStandard, channels: Int? = nil) -> HardwareConfig {
        var config = self
        config.dram.model = standard.name
        config.dram.channels = channels
        config.dram.bandwidthGBps = standard.peakGBps(channels: channels ?? standard.channels)
        config.dram.burstBytes = standard.burstBytes
        let clocks = Double(standard.tRCD + standard.tCL + standard.burstLength / 2)
        config.dram.latencyCycles = Int((clocks * standard.clockPeriodNS * clockGHz - 1e-9).rounded(.up))
        return config
    }

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
        if dram.model != DRAMStandard.simpleModel {
            guard let standard = dram.standard else {
                throw .invalidConfiguration("dram.model must be \(DRAMStandard.simpleModel) or one of \(DRAMStandard.all.map(\.name).joined(separator: ", ")), got '\(dram.model)'")
            }
            if dram.burstBytes != standard.burstBytes {
                throw .invalidConfiguration("dram.burst_bytes must be \(standard.burstBytes) (the \(standard.name) burst), got \(dram.burstBytes)")
            }
        }
        if let channels = dram.channels, !(1...DRAMStandard.maximumChannels).contains(channels) {
            throw .invalidConfiguration("dram.channels must be 1 to \(DRAMStandard.maximumChannels), got \(channels)")
        }
        if !(1...DRAMStandard.maximumDMARequests).contains(dram.dmaRequests) {
            throw .invalidConfiguration("dram.dma_requests must be 1 to \(DRAMStandard.maximumDMARequests), got \(dram.dmaRequests)")
        }
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
