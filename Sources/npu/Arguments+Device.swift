import ISA

extension Arguments {
    /// `--config NAME|FILE.json` (default `edge`) and `--dtype int8|int16` (default: the
    /// configuration's own), the device options of `run`, `layer` and `bench`.
    func configAndDataType() throws -> (HardwareConfig, DataType) {
        let config = try HardwareConfig.named(value("config") ?? "edge")
        guard let name = value("dtype") else { return (config, config.dataType) }
        guard let type = DataType(name: name), type != .fp16 else { throw UsageError("--dtype must be int8 or int16, got '\(name)'") }
        return (config, type)
    }

    /// `--seed N` (default 1): the seed of the random weights and inputs.
    func seed() throws(UsageError) -> UInt64 {
        guard let seed = UInt64(value("seed") ?? "1") else { throw UsageError("--seed needs a non-negative integer") }
        return seed
    }
}
