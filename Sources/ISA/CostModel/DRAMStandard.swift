/// One DRAM standard at one speed grade: the organization and command timing that the
/// simulator's bank model runs when `dram.model` names it (see `HardwareConfig.DRAM.model`).
///
/// Timing parameters are in DRAM clock cycles of period `clockPeriodNS` (data moves on both
/// clock edges, so the data rate is `2 / clockPeriodNS` GT/s). Each preset cites where its
/// numbers come from; they are JEDEC speed-bin values as the open DRAM simulators DRAMsim3
/// (Li et al., IEEE CAL 2020, `configs/*.ini`) and Ramulator (Kim et al., IEEE CAL 2015,
/// `src/*.h`) encode them. Refresh, write-to-read turnaround, tRRD and tFAW are not modelled.
public struct DRAMStandard: Equatable, Sendable {
    /// The `dram.model` name, e.g. `ddr4-3200`.
    public var name: String
    /// Clock period tCK, in ns.
    public var clockPeriodNS: Double
    /// Independent channels (each with its own data bus and banks) in the default organization.
    public var channels: Int
    /// Data-bus width of one channel, in bytes.
    public var busBytes: Int
    /// Burst length BL: data beats per column access (a burst moves `busBytes * burstLength` bytes
    /// in `burstLength / 2` clocks).
    public var burstLength: Int
    /// Banks per channel.
    public var banks: Int
    /// Row-buffer (page) size of one channel, in bytes: the bytes one activation opens.
    public var rowBytes: Int
    /// ACTIVATE to READ/WRITE (row to column delay), in clocks.
    public var tRCD: Int
    /// PRECHARGE to ACTIVATE (row precharge time), in clocks.
    public var tRP: Int
    /// READ to first data (CAS latency CL), in clocks.
    public var tCL: Int
    /// ACTIVATE to PRECHARGE of the same bank (row active time), in clocks.
    public var tRAS: Int
    /// Column command to column command on one channel, in clocks.
    public var tCCD: Int

    /// Bytes one column access moves: the channel's burst.
    public var burstBytes: Int { busBytes * burstLength }

    /// Peak bandwidth of `channels` channels, in GB/s: width x 2 transfers per clock.
    public func peakGBps(channels: Int) -> Double { Double(channels * busBytes) * 2 / clockPeriodNS }

    /// DDR3-1600K (11-11-11), a 64-bit channel of x8 devices: 8 banks, 8 KiB pages (1 KiB per
    /// device x 8), BL8 = 64-byte bursts, 12.8 GB/s. tCK 1.25 ns, CL = tRCD = tRP = 11
    /// (13.75 ns), tRAS 28 (35 ns), tCCD 4. JESD79-3F speed bin DDR3-1600K; Micron MT41J512M8
    /// datasheet (-125); DRAMsim3 `configs/DDR3_4Gb_x8_1600.ini`.
    public static let ddr3_1600 = DRAMStandard(name: "ddr3-1600", clockPeriodNS: 1.25, channels: 1, busBytes: 8, burstLength: 8,
                                               banks: 8, rowBytes: 8192, tRCD: 11, tRP: 11, tCL: 11, tRAS: 28, tCCD: 4)

    /// DDR4-3200AA (22-22-22), a 64-bit channel of x8 devices: 16 banks (4 groups of 4), 8 KiB
    /// pages, BL8 = 64-byte bursts, 25.6 GB/s. tCK 0.625 ns, CL = tRCD = tRP = 22 (13.75 ns),
    /// tRAS 52 (32 ns), tCCD_S 4 (bursts alternate bank groups; tCCD_L = 8 is not modelled).
    /// JESD79-4B speed bin DDR4-3200AA; Micron MT40A1G8 datasheet (-062E); DRAMsim3
    /// `configs/DDR4_8Gb_x8_3200.ini`.
    public static let ddr4_3200 = DRAMStandard(name: "ddr4-3200", clockPeriodNS: 0.625, channels: 1, busBytes: 8, burstLength: 8,
                                               banks: 16, rowBytes: 8192, tRCD: 22, tRP: 22, tCL: 22, tRAS: 52, tCCD: 4)

    /// LPDDR4-3200, 32-bit channels (two x16 dies), two of them for a x64 interface (25.6 GB/s):
    /// 8 banks, 4 KiB pages (2 KiB per die x 2), BL16 = 64-byte bursts. tCK 0.625 ns, RL 32
    /// (as Ramulator counts it: 29 + 3), tRCD 29 (18 ns), tRPpb 27, tRAS 68 (42 ns), tCCD 8.
    /// JESD209-4 core timing; Ramulator `src/LPDDR4.h` speed entry LPDDR4_3200.
    public static let lpddr4_3200 = DRAMStandard(name: "lpddr4-3200", clockPeriodNS: 0.625, channels: 2, busBytes: 4, burstLength: 16,
                                                 banks: 8, rowBytes: 4096, tRCD: 29, tRP: 27, tCL: 32, tRAS: 68, tCCD: 8)

    /// HBM2 at 2 Gb/s per pin, one stack of 8 legacy 128-bit channels (256 GB/s): 16 banks
    /// (4 groups of 4) per channel, 1 KiB pages (64 columns x 16 bytes), BL4 = 64-byte bursts.
    /// tCK 1 ns, CL = tRCD = tRP = 14, tRAS 34, tCCD_S 1 (a burst's 2 clocks bound it).
    /// JESD235A; DRAMsim3 `configs/HBM2_8Gb_x128.ini`.
    public static let hbm2 = DRAMStandard(name: "hbm2", clockPeriodNS: 1.0, channels: 8, busBytes: 16, burstLength: 4,
                                          banks: 16, rowBytes: 1024, tRCD: 14, tRP: 14, tCL: 14, tRAS: 34, tCCD: 1)

    /// The standards `dram.model` can name.
    public static let all: [DRAMStandard] = [ddr3_1600, ddr4_3200, lpddr4_3200, hbm2]

    /// `dram.model`'s value for the bandwidth-and-latency channel model (`DRAMTiming`).
    public static let simpleModel = "simple"

    /// The most channels `dram.channels` may ask for (an HBM3 stack has 32 pseudo-channels; 64
    /// leaves room for two).
    public static let maximumChannels = 64

    /// The most requests a DMA engine may keep in flight (`dram.dma_requests`).
    public static let maximumDMARequests = 64

    /// The standard called `name`, or nil.
    public static func named(_ name: String) -> DRAMStandard? { all.first { $0.name == name } }
}
