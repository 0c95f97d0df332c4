import Foundation

/// Cited default energies (Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm).
public enum EnergyDefaults {
    /// 8-bit multiply (0.2 pJ) + 32-bit accumulate add (0.1 pJ).
    public static let int8MAC = 0.3
    /// Horowitz gives no 16-bit multiply; a multiplier's energy grows with the square of its
    /// width, so 4 x 0.2 pJ, plus a 32-bit add (0.1 pJ). An estimate, marked as such.
    public static let int16MAC = 0.9
    /// fp16 multiply (1.1 pJ) + fp32 add (0.9 pJ).
    public static let fp16MAC = 2.0
    /// One vector-unit element operation: a 32-bit add (0.1 pJ).
    public static let vectorOp = 0.1
    /// DRAM: 1.3 nJ per 64-bit access (low end of Horowitz's 1.3-2.6 nJ) = 162.5 pJ per byte.
    public static let dramPerByte = 1300.0 / 8

    /// SRAM energy per byte for a buffer of `capacityBytes`: Horowitz's 64-bit reads cost 10 pJ
    /// (8 KB), 20 pJ (32 KB) and 100 pJ (1 MB); interpolated log-log between those points,
    /// constant below 8 KB and extrapolated with the last slope above 1 MB.
    public static func sramPerByte(capacityBytes: Int) -> Double {
        let points: [(bytes: Double, pj: Double)] = [(8192, 10), (32768, 20), (1_048_576, 100)]
        let size = Double(max(capacityBytes, 8192))
        let (a, b) = size <= points[1].bytes ? (points[0], points[1]) : (points[1], points[2])
        let t = log(size / a.bytes) / log(b.bytes / a.bytes)
        let per64Bits = a.pj * exp(t * log(b.pj / a.pj))
        return (per64Bits / 8 * 1000).rounded() / 1000
    }
}


extension HardwareConfig {
    private static func buffer(_ capacity: Int, port: Int) -> Buffer {
        Buffer(capacityBytes: capacity, portBytesPerCycle: port, energyPerBytePJ: EnergyDefaults.sramPerByte(capacityBytes: capacity))
    }

    private static let defaultMACEnergy = MACEnergy(int8PJ: EnergyDefaults.int8MAC, int16PJ: EnergyDefaults.int16MAC,
                                                    fp16PJ: EnergyDefaults.fp16MAC)
    private static let gibibyte = 1 << 30

    /// DianNao (Chen et al., ASPLOS 2014): Tn = 16 (16x16 multipliers), 16-bit fixed point,
    /// 0.98 GHz, NBin 2 KB, SB 32 KB, NBout 2 KB. DRAM: DDR3-1600 class, one 64-bit channel
    /// = 12.8 GB/s, ~50 ns latency, 64-byte bursts (BL8 x 8 bytes). Ports: NBin and NBout move
    /// 16 x 2 bytes per cycle, SB 256 x 2 bytes (the synapses of one NFU cycle).
    public static let diannao = HardwareConfig(
        name: "diannao",
        array: SystolicArray(rows: 16, cols: 16, dataflow: .weightStationary, doubleBuffered: true),
        clockGHz: 0.98, dataType: .int16,
        nbin: buffer(2048, port: 32), sb: buffer(32768, port: 512), nbout: buffer(2048, port: 32),
        vector: VectorUnit(lanes: 16, latencyCycles: 3, energyPerOpPJ: EnergyDefaults.vectorOp),
        dram: DRAM(bandwidthGBps: 12.8, latencyCycles: 50, burstBytes: 64, capacityBytes: 4 * gibibyte,
                   energyPerBytePJ: EnergyDefaults.dramPerByte),
        queueDepth: 32, macEnergy: defaultMACEnergy)

    /// A larger edge NPU: 32x32 int8 with int32 accumulators at 1 GHz, NBin 256 KiB, SB 256 KiB,
    /// NBout 128 KiB; DRAM LPDDR4 class (LPDDR4-3200, four 16-bit channels = 25.6 GB/s),
    /// ~100 ns latency, 64-byte bursts.
    public static let edge = HardwareConfig(
        name: "edge",
        array: SystolicArray(rows: 32, cols: 32, dataflow: .weightStationary, doubleBuffered: true),
        clockGHz: 1.0, dataType: .int8,
        nbin: buffer(256 * 1024, port: 64), sb: buffer(256 * 1024, port: 128), nbout: buffer(128 * 1024, port: 128),
        vector: VectorUnit(lanes: 32, latencyCycles: 4, energyPerOpPJ: EnergyDefaults.vectorOp),
        dram: DRAM(bandwidthGBps: 25.6, latencyCycles: 100, burstBytes: 64, capacityBytes: 4 * gibibyte,
                   energyPerBytePJ: EnergyDefaults.dramPerByte),
        queueDepth: 64, macEnergy: defaultMACEnergy)

    /// TPU v1-like (Jouppi et al., ISCA 2017): 256x256 weight-stationary int8 MACs at 700 MHz,
    /// 24 MiB unified buffer (NBin), a weight FIFO of four 64 KiB tiles (SB 256 KiB), 4 MiB of
    /// 32-bit accumulators (NBout), weights from DDR3 at 34 GB/s, 8 GiB.
    public static let tpu = HardwareConfig(
        name: "tpu",
        array: SystolicArray(rows: 256, cols: 256, dataflow: .weightStationary, doubleBuffered: true),
        clockGHz: 0.7, dataType: .int8,
        nbin: buffer(24 * 1024 * 1024, port: 256), sb: buffer(256 * 1024, port: 256), nbout: buffer(4 * 1024 * 1024, port: 1024),
        vector: VectorUnit(lanes: 256, latencyCycles: 4, energyPerOpPJ: EnergyDefaults.vectorOp),
        dram: DRAM(bandwidthGBps: 34, latencyCycles: 70, burstBytes: 64, capacityBytes: 8 * gibibyte,
                   energyPerBytePJ: EnergyDefaults.dramPerByte),
        queueDepth: 128, macEnergy: defaultMACEnergy)

    /// The presets that ship with the tool.
    public static let presets: [HardwareConfig] = [diannao, edge, tpu]
}
