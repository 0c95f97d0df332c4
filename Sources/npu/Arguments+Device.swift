import Compiler
import ISA

extension Arguments {
    /// `--config NAME|FILE.json|FILE.cfg` (default `edge`; `.cfg`: SCALE-Sim's), `--dataflow`, `--dram MODEL[:CHANNELS]` and `--dtype
    /// int8|int16` (default: the configuration's own), the device options of `run`, `layer` and
    /// `bench`.
    /// `applyingDataflow` false leaves `--dataflow` to the caller (`npu sweep` takes a list).
    func configAndDataType(applyingDataflow: Bool = true) throws -> (HardwareConfig, DataType) {
        let name = value("config") ?? "edge"
        // A `.cfg` is a SCALE-Sim configuration (`ScaleSimConfig`).
        var config = try withDRAM(name.hasSuffix(".cfg") ? try ScaleSimConfig.load(path: name).hardwareConfig : try HardwareConfig.named(name))
        if applyingDataflow { config = try withDataflow(config) }
        guard let name = value("dtype") else { return (config, config.dataType) }
        guard let type = DataType(name: name), type != .fp16 else { throw UsageError("--dtype must be int8 or int16, got '\(name)'") }
        return (config, type)
    }

    /// `--seed N` (default 1): the seed of the random weights and inputs.
    func seed() throws(UsageError) -> UInt64 {
        guard let seed = UInt64(value("seed") ?? "1") else { throw UsageError("--seed needs a non-negative integer") }
        return seed
    }

    /// `config` with `--dataflow ws|os|is|any` applied (`any`: a flexible array, the compiler
    /// chooses each layer's dataflow; `HardwareConfig.SystolicArray.flexibleDataflow`).
    func withDataflow(_ config: HardwareConfig) throws(UsageError) -> HardwareConfig {
        guard let name = value("dataflow") else { return config }
        guard let array = config.array.with(dataflowNamed: name) else {
            throw UsageError("--dataflow must be ws, os, is or any, got '\(name)'")
        }
        var config = config
        config.array = array
        return config
    }

    /// `config` with `--dma-requests N` (`dram.dma_requests`) and `--dram MODEL[:CHANNELS]` applied: `simple` keeps the bandwidth-and-latency
    /// channel; a standard (`ddr3-1600`, `ddr4-3200`, `lpddr4-3200`, `hbm2`) times DRAM with
    /// its banks and row buffers, optionally with CHANNELS channels instead of its default
    /// (`HardwareConfig.withDRAMModel`). Without `--dram`, `config` as it is.
    func withDRAM(_ config: HardwareConfig) throws -> HardwareConfig {
        var config = config
        if let text = value("dma-requests") {
            guard let count = Int(text), (1...DRAMStandard.maximumDMARequests).contains(count) else {
                throw UsageError("--dma-requests needs 1 to \(DRAMStandard.maximumDMARequests), got '\(text)'")
            }
            config.dram.dmaRequests = count
        }
        guard let text = value("dram") else { return config }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let names = ([DRAMStandard.simpleModel] + DRAMStandard.all.map(\.name)).joined(separator: ", ")
        guard parts.count <= 2 else { throw UsageError("--dram takes MODEL or MODEL:CHANNELS, got '\(text)'") }
        if parts[0] == DRAMStandard.simpleModel && parts.count == 1 {
            var simple = config
            simple.dram.model = DRAMStandard.simpleModel
            simple.dram.channels = nil
            return simple
        }
        guard let standard = DRAMStandard.named(parts[0]) else { throw UsageError("--dram: unknown model '\(parts[0])' (\(names))") }
        var channels: Int?
        if parts.count == 2 {
            guard let count = Int(parts[1]), (1...DRAMStandard.maximumChannels).contains(count) else {
                throw UsageError("--dram \(parts[0]):CHANNELS needs 1 to \(DRAMStandard.maximumChannels) channels, got '\(parts[1])'")
            }
            channels = count
        }
        return config.withDRAMModel(standard, channels: channels)
    }
}
