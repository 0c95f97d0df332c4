/// A first-order silicon area estimate of a configuration, per component, in mm² at a 40 nm
/// node, so that a design-space sweep can weigh cycles and energy against area (`npu sweep`).
///
/// Logic comes from Aladdin's 40 nm standard-cell characterization (Shao et al., "Aladdin: A
/// Pre-RTL, Power-Performance Accelerator Simulator", ISCA 2014; the figures Accelergy's Aladdin
/// plug-in tabulates): a 32-bit integer multiplier 6,350 µm², a 32-bit adder 278 µm², a register
/// 5.98 µm² per bit. A b-bit multiplier is taken as `6,350 * (b / 32)²` (an array multiplier
/// grows with the square of its width), an adder linearly in its width.
///
/// - **Array**: `rows * cols` processing elements, each an operand-wide multiplier (fp16: an
///   11-bit significand multiplier, counted as 16-bit), a 32-bit accumulating adder, registers for
///   the streaming operand and the stationary one (twice with `double_buffered`) and the 32-bit
///   partial sum.
/// - **Buffers**: NBin, SB and NBout at 0.484 µm² per bit: a 0.242 µm² 6T cell (TSMC's 40 nm
///   high-density cell) over an assumed 50% array efficiency for the macros' periphery.
/// - **Vector unit**: per lane a 32-bit multiplier and adder (requantization) and 64 bits of
///   pipeline registers.
/// - **Control**: the three instruction queues of `queue_depth` 256-bit entries, as registers.
///
/// Not counted: the DMA engines' address generators, the DRAM PHY and interconnect, and
/// wiring. The figures rank configurations; they are not a floorplan.
public struct AreaEstimate: Equatable, Sendable {
    public var array: Double
    public var buffers: Double
    public var vector: Double
    public var control: Double

    public var total: Double { array + buffers + vector + control }
}

public enum AreaModel {
    /// Aladdin 40 nm figures, µm².
    static let multiplier32 = 6_350.0
    static let adderPerBit = 278.0 / 32
    static let registerPerBit = 5.98
    /// SRAM, µm² per bit: cell 0.242 µm² / 0.5 array efficiency.
    static let sramPerBit = 0.242 / 0.5

    /// µm² of a `bits`-wide multiplier.
    static func multiplier(bits: Int) -> Double { multiplier32 * Double(bits * bits) / Double(32 * 32) }

    /// The estimate for `config`, with its own data type (or `dataType`).
    public static func estimate(_ config: HardwareConfig, dataType: DataType? = nil) -> AreaEstimate {
        let type = dataType ?? config.dataType
        let operandBits = type.operandType.byteSize * 8
        let stationary = config.array.doubleBuffered ? 2 : 1
        let registers = operandBits * (1 + stationary) + 32
        let pe = multiplier(bits: operandBits) + 32 * adderPerBit + Double(registers) * registerPerBit
        let lane = multiplier(bits: 32) + 32 * adderPerBit + 64 * registerPerBit
        let bufferBits = 8 * (config.nbin.capacityBytes + config.sb.capacityBytes + config.nbout.capacityBytes)
        let queues = 3 * config.queueDepth * InstructionEncoding.instructionBits
        let squareMicrons = 1e-6
        return AreaEstimate(array: Double(config.array.rows * config.array.cols) * pe * squareMicrons,
                            buffers: Double(bufferBits) * sramPerBit * squareMicrons,
                            vector: Double(config.vector.lanes) * lane * squareMicrons,
                            control: Double(queues) * registerPerBit * squareMicrons)
    }
}
