/// One DRAM standard at one speed grade: the organization and command timing that the
/// simulator's bank model runs when `dram.model` names it (see `HardwareConfig.DRAM.model`).
///
/// Timing parameters are in DRAM clock cycles of period `clockPeriodNS` (data moves on both
/// clock edges, so the data rate is `2 / clockPeriodNS` GT/s). Each preset cites where its
/// numbers come from; they are JEDEC speed-bin values as the open DRAM simulators DRAMsim3
/// (Li et al., IEEE CAL 2020, `configs/*.ini`) and Ramulator (Kim et al., IEEE CAL 2015,
/// `src/*.h`) encode them. A parameter given in ns by the standard is converted to clocks by
/// rounding up (`ceil(ns / tCK)`), as JEDEC's rounding rules do, and bounded below by its
/// minimum clock count (for instance tRRD = `max(4 nCK, 6 ns)`).
///
/// Not in these parameters, and not modelled: writes (CWL, tWR, tWTR, write-to-read
/// turnaround), per-bank and same-bank refresh (REFpb, REFsb), read-to-precharge tRTP beyond
/// a burst, power-down and self-refresh, and HBM2 pseudo-channels (JESD235B). How requests are
/// scheduled (first come, first served rather than FR-FCFS) is the bank model's, `DRAMDevice`.
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
    /// Bank groups per channel (1 for a standard without them); `banks` is a multiple of it.
    /// Commands to the same group are spaced by the `_L` timings, to different groups by the `_S`.
    public var bankGroups: Int
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
    /// Column command to column command on one channel, in clocks: tCCD_S (different bank
    /// groups), the only tCCD of a standard without bank groups.
    public var tCCD: Int
    /// Column command to column command in the same bank group (tCCD_L), in clocks; `tCCD`
    /// for a standard without bank groups.
    public var tCCD_L: Int
    /// ACTIVATE to ACTIVATE of different banks in different bank groups (tRRD_S; the only
    /// tRRD of a standard without bank groups), in clocks.
    public var tRRD_S: Int
    /// ACTIVATE to ACTIVATE of different banks in the same bank group (tRRD_L), in clocks.
    public var tRRD_L: Int
    /// Four-activate window tFAW: a fifth ACTIVATE on a channel waits this long after the
    /// fourth-last one, in clocks.
    public var tFAW: Int
    /// Average interval between all-bank REFRESH commands (tREFI, 0 to 85 °C), in clocks; 0
    /// turns refresh off.
    public var tREFI: Int
    /// All-bank refresh cycle time (tRFC, tRFC1 in DDR4, tRFCab in LPDDR4): the channel takes no
    /// command for this long after a REFRESH, in clocks.
    public var tRFC: Int

    /// Bytes one column access moves: the channel's burst.
    public var burstBytes: Int { busBytes * burstLength }

    /// Peak bandwidth of `channels` channels, in GB/s: width x 2 transfers per clock.
    public func peakGBps(channels: Int) -> Double { Double(channels * busBytes) * 2 / clockPeriodNS }

    /// DDR3-1600K (11-11-11), a 64-bit channel of 4 Gb x8 devices: 8 banks, no bank groups, 8 KiB
    /// pages (1 KiB per device x 8), BL8 = 64-byte bursts, 12.8 GB/s. tCK 1.25 ns, CL = tRCD =
    /// tRP = 11 (13.75 ns), tRAS 28 (35 ns), tCCD 4. tRRD 5 (1 KiB page: max(4 nCK, 6 ns)), tFAW
    /// 24 (1 KiB page: 30 ns), tREFI 6240 (7.8 us), tRFC 208 (4 Gb: 260 ns). JESD79-3F speed bin
    /// DDR3-1600K and refresh table; Micron MT41J512M8 datasheet (-125); DRAMsim3
    /// `configs/DDR3_4Gb_x8_1600.ini` (the same values).
    public static let ddr3_1600 = DRAMStandard(
        name: "ddr3-1600", clockPeriodNS: 1.25, channels: 1, busBytes: 8, burstLength: 8, banks: 8, bankGroups: 1,
        rowBytes: 8192, tRCD: 11, tRP: 11, tCL: 11, tRAS: 28, tCCD: 4, tCCD_L: 4, tRRD_S: 5, tRRD_L: 5, tFAW: 24,
        tREFI: 6240, tRFC: 208)

    /// DDR4-3200AA (22-22-22), a 64-bit channel of 8 Gb x8 devices: 16 banks in 4 groups of 4,
    /// 8 KiB pages, BL8 = 64-byte bursts, 25.6 GB/s. tCK 0.625 ns, CL = tRCD = tRP = 22
    /// (13.75 ns), tRAS 52 (32 ns), tCCD_S 4, tCCD_L 8 (max(5 nCK, 5 ns)), tRRD_S 4 (1 KiB page:
    /// max(4 nCK, 2.5 ns)), tRRD_L 8 (1 KiB page: max(4 nCK, 4.9 ns)), tFAW 34 (1 KiB page:
    /// 21 ns), tREFI 12480 (7.8 us), tRFC1 560 (8 Gb: 350 ns). JESD79-4B speed bin DDR4-3200AA
    /// and refresh table; Micron MT40A1G8 datasheet (-062E); DRAMsim3
    /// `configs/DDR4_8Gb_x8_3200.ini` (the same values).
    public static let ddr4_3200 = DRAMStandard(
        name: "ddr4-3200", clockPeriodNS: 0.625, channels: 1, busBytes: 8, burstLength: 8, banks: 16, bankGroups: 4,
        rowBytes: 8192, tRCD: 22, tRP: 22, tCL: 22, tRAS: 52, tCCD: 4, tCCD_L: 8, tRRD_S: 4, tRRD_L: 8, tFAW: 34,
        tREFI: 12480, tRFC: 560)

    /// LPDDR4-3200, 32-bit channels (two x16 dies of 8 Gb, 4 Gb per die channel), two of them
    /// for a x64 interface (25.6 GB/s): 8 banks, no bank groups, 4 KiB pages (2 KiB per die x
    /// 2), BL16 = 64-byte bursts. tCK 0.625 ns, RL 32 (as Ramulator counts it: 29 + 3), tRCD 29
    /// (18 ns), tRPpb 27, tRAS 68 (42 ns), tCCD 8, tRRD 16 (max(4 nCK, 10 ns)), tFAW 64 (40 ns),
    /// tREFI 6247 (3.904 us), tRFCab 288 (4 Gb per channel: 180 ns). JESD209-4 core timing and
    /// refresh tables; Ramulator `src/LPDDR4.h` speed entry LPDDR4_3200 and `src/LPDDR4.cpp`
    /// RFCAB_TABLE / REFI_TABLE for LPDDR4_8Gb_x16.
    public static let lpddr4_3200 = DRAMStandard(
        name: "lpddr4-3200", clockPeriodNS: 0.625, channels: 2, busBytes: 4, burstLength: 16, banks: 8, bankGroups: 1,
        rowBytes: 4096, tRCD: 29, tRP: 27, tCL: 32, tRAS: 68, tCCD: 8, tCCD_L: 8, tRRD_S: 16, tRRD_L: 16, tFAW: 64,
        tREFI: 6247, tRFC: 288)

    /// HBM2 at 2 Gb/s per pin, one stack of 8 legacy 128-bit channels (256 GB/s): 16 banks in 4
    /// groups of 4 per channel, 1 KiB pages (64 columns x 16 bytes), BL4 = 64-byte bursts. tCK
    /// 1 ns, CL = tRCD = tRP = 14, tRAS 34, tCCD_S 1 (a burst's 2 clocks bound it), tCCD_L 2,
    /// tRRD_S 4, tRRD_L 6, tFAW 30, tREFI 3900 (3.9 us), tRFC 260 (260 ns). JESD235A; DRAMsim3
    /// `configs/HBM2_8Gb_x128.ini`. Channels run in legacy mode: pseudo-channels are not modelled.
    public static let hbm2 = DRAMStandard(
        name: "hbm2", clockPeriodNS: 1.0, channels: 8, busBytes: 16, burstLength: 4, banks: 16, bankGroups: 4,
        rowBytes: 1024, tRCD: 14, tRP: 14, tCL: 14, tRAS: 34, tCCD: 1, tCCD_L: 2, tRRD_S: 4, tRRD_L: 6, tFAW: 30,
        tREFI: 3900, tRFC: 260)

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
