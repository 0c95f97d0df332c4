/// Cycles of the instructions whose cost does not involve DRAM (matmul: `SystolicTiming`;
/// DMAs: `DRAMTiming` plus `portCycles`).
public enum InstructionCost {
    /// `cfg.dtype`, `cfg.requant`: one cycle to write a register.
    public static let configurationCycles = 1
    /// `nop`: one issue cycle, so its tokens are pushed one cycle after it starts.
    public static let nopCycles = 1

    /// Vector instructions and pooling: `ceil(elements / lanes) + latency`: the vector unit
    /// processes `lanes` elements per cycle in a pipeline `latencyCycles` deep (DianNao's NFU-2/3).
    /// For pooling, `elements` is outputs x window size (every window element passes the adder tree).
    public static func vectorCycles(elements: Int, unit: HardwareConfig.VectorUnit) -> Int {
        (elements + unit.lanes - 1) / unit.lanes + unit.latencyCycles
    }

    /// `pwl.load`: one cycle per segment (a 12-byte entry per cycle) plus one to commit the table.
    public static func pwlLoadCycles(segments: Int) -> Int { segments + 1 }

    /// Cycles a buffer port needs for `bytes`: `ceil(bytes / portBytesPerCycle)`.
    public static func portCycles(bytes: Int, bytesPerCycle: Int) -> Int { (bytes + bytesPerCycle - 1) / bytesPerCycle }
}
