import ISA
@testable import Simulator
import Testing

/// Refresh, the activate limits tRRD / tFAW and DDR4's bank groups in the DRAM bank model
/// (`DRAMDevice`), each against cycles derived by hand. The devices run DDR3-1600 at 0.8 GHz or
/// DDR4-3200 at 1.6 GHz, so that one DRAM clock is one NPU cycle.
@Suite struct DRAMRefreshTests {
    /// A one-channel device of `standard` at one NPU cycle per DRAM clock.
    private func device(_ standard: DRAMStandard = .ddr3_1600) -> DRAMDevice {
        DRAMDevice(standard: standard, channels: 1, clockGHz: 1 / standard.clockPeriodNS)
    }

    /// The first address of `row` in `bank` on a one-channel device (mapping "ro ba co bg":
    /// bank b is bank b / groups of group b % groups; without groups, row:bank:column).
    private func address(_ standard: DRAMStandard, bank: Int, row: Int = 0) -> Int {
        let groups = standard.bankGroups, banksPerGroup = standard.banks / groups
        let burst = (row * banksPerGroup + bank / groups) * (standard.rowBytes / standard.burstBytes) * groups + bank % groups
        return burst * standard.burstBytes
    }

    /// One 64-byte burst in each of `banks` consecutive banks (row 0), served as one request.
    private func oneBurstPerBank(_ standard: DRAMStandard, banks: Int) -> DRAMRuns {
        with(DRAMRuns(base: 0, bytes: standard.burstBytes)) {
            $0.runsPerPlane = banks
            $0.runStride = standard.rowBytes
        }
    }

    /// The refresh and activate numbers each preset cites (see `DRAMStandard`): bank groups,
    /// tCCD_L, tRRD_S, tRRD_L, tFAW, tREFI, tRFC; and tREFI / tRFC in ns.
    @Test(arguments: [
        (DRAMStandard.ddr3_1600, [1, 4, 5, 5, 24, 6240, 208], 7800.0, 260.0),
        (.ddr4_3200, [4, 8, 4, 8, 34, 12480, 560], 7800, 350),
        (.lpddr4_3200, [1, 8, 16, 16, 64, 6247, 288], 3904.375, 180),
        (.hbm2, [4, 2, 4, 6, 30, 3900, 260], 3900, 260),
    ])
    func presetsCarryTheirRefreshAndActivateTiming(_ standard: DRAMStandard, _ numbers: [Int],
                                                   _ refreshIntervalNS: Double, _ refreshCycleNS: Double) {
        let s = standard
        #expect([s.bankGroups, s.tCCD_L, s.tRRD_S, s.tRRD_L, s.tFAW, s.tREFI, s.tRFC] == numbers)
        #expect(s.banks % s.bankGroups == 0 && s.tCCD_L >= s.tCCD && s.tRRD_L >= s.tRRD_S)
        #expect(abs(Double(s.tREFI) * s.clockPeriodNS - refreshIntervalNS) < 1e-9)
        #expect(abs(Double(s.tRFC) * s.clockPeriodNS - refreshCycleNS) < 1e-9)
    }

    /// (a) A request landing in a refresh. DDR3-1600: tREFI 6240, tRFC 208, tRCD = CL = 11, a
    /// burst 4 clocks. At 0 a burst of bank 0, row 0: ACTIVATE 0, READ 11, data 22...26; the
    /// row stays open. At 6300, inside the first refresh [6240, 6448), the next burst of that
    /// row: without refresh a hit (READ 6300, data 6311...6315); with it, the command waits for
    /// 6448 = tREFI + tRFC and the bank, closed by the refresh, activates again: ACTIVATE 6448,
    /// READ 6459, data 6470...6474.
    @Test func requestDuringRefreshWaitsAndActivates() {
        let standard = DRAMStandard.ddr3_1600
        var refreshing = device(standard)
        var refreshFree = device(with(standard) { $0.tREFI = 0 })
        let first = refreshing.serve(DRAMRuns(base: 0, bytes: 64), at: 0)
        #expect(first.firstReady == 22 && first.end == 26)
        let during = refreshing.serve(DRAMRuns(base: 64, bytes: 64), at: 6300)
        #expect(during.firstReady == 6470 && during.firstData == 6470 && during.end == 6474)
        #expect(refreshing.rows.misses == 2 && refreshing.rows.hits == 0)

        _ = refreshFree.serve(DRAMRuns(base: 0, bytes: 64), at: 0)
        let hit = refreshFree.serve(DRAMRuns(base: 64, bytes: 64), at: 6300)
        #expect(hit.firstReady == 6311 && hit.end == 6315)
        #expect(refreshFree.rows.misses == 1 && refreshFree.rows.hits == 1)
    }

    /// A READ that would issue after a refresh has begun is planned again after it. At 6235 a
    /// burst of the closed bank 1 would activate at 6235 and read at 6246, inside the refresh
    /// [6240, 6448): it activates at 6448 instead, reads at 6459, data 6470...6474 (its latency
    /// is 6470 - 6235 = 235 cycles, not 22). Around the second refresh [12480, 12688): a burst of
    /// bank 2 at 12468 activates then, reads at 12479, just before it (data 12490...12494); one
    /// of bank 3 at 12469 would activate at 12468 + tRRD = 12473 and read at 12484, so it waits:
    /// ACTIVATE 12688, READ 12699, data 12710...12714.
    @Test func readCrossingARefreshStartWaitsForItsEnd() {
        let standard = DRAMStandard.ddr3_1600
        var dram = device(standard)
        let first = dram.serve(DRAMRuns(base: address(standard, bank: 1), bytes: 64), at: 6235)
        #expect(first.firstReady == 6470 && first.end == 6474)
        let before = dram.serve(DRAMRuns(base: address(standard, bank: 2), bytes: 64), at: 12468)
        #expect(before.firstReady == 12490 && before.end == 12494)
        let after = dram.serve(DRAMRuns(base: address(standard, bank: 3), bytes: 64), at: 12469)
        #expect(after.firstReady == 12710 && after.end == 12714)
        #expect(dram.rows.misses == 3)
    }

    /// Channels refresh staggered: with two DDR3-1600 channels, channel 1's refreshes begin at
    /// (k + 1/2) x 6240. At 6300 channel 0 refreshes but channel 1 (burst 1, address 64) serves
    /// at once: ACTIVATE 6300, READ 6311, data 6322...6326. At 9400 its next burst of that row
    /// (burst 3, address 192) lands in channel 1's refresh [9360, 9568): ACTIVATE 9568, READ
    /// 9579, data 9590...9594.
    @Test func channelsRefreshStaggered() {
        var dram = DRAMDevice(standard: .ddr3_1600, channels: 2, clockGHz: 0.8)
        let first = dram.serve(DRAMRuns(base: 64, bytes: 64), at: 6300)
        #expect(first.firstReady == 6322 && first.end == 6326)
        let second = dram.serve(DRAMRuns(base: 192, bytes: 64), at: 9400)
        #expect(second.firstReady == 9590 && second.end == 9594)
        #expect(dram.rows.misses == 2 && dram.rows.hits == 0)
    }

    /// (b) Five bursts to banks 0...4 of DDR3-1600 in one request (tRRD 5, tFAW 24, tRCD = CL =
    /// 11, a burst 4 clocks). ACTIVATEs at 0, 5, 10, 15 (tRRD apart); the fifth would follow at
    /// 20 but four already lie in (20 - 24, 20], so it waits for 0 + tFAW = 24. READs at 11, 16,
    /// 21, 26, 35; data on the bus from 22, 27, 32, 37 and 46; the request ends at 46 + 4 = 50
    /// (without the activate limits, all five would activate at 0 and the bus would end at
    /// 22 + 5 x 4 = 42).
    @Test func fifthActivateWaitsForTheFourActivateWindow() {
        let standard = DRAMStandard.ddr3_1600
        var dram = device(standard)
        let service = dram.serve(oneBurstPerBank(standard, banks: 5), at: 0)
        #expect(service.firstReady == 22 && service.firstData == 22 && service.end == 50)
        #expect(dram.rows.misses == 5)
        var unlimited = device(with(standard) { $0.tRRD_S = 0; $0.tRRD_L = 0; $0.tFAW = 0 })
        #expect(unlimited.serve(oneBurstPerBank(standard, banks: 5), at: 0).end == 42)
        var four = device(standard)
        // Four activates: 0, 5, 10, 15; the last READ at 26, data 37...41.
        #expect(four.serve(oneBurstPerBank(standard, banks: 4), at: 0).end == 41)
    }

    /// ACTIVATEs take the earliest gap the limits leave, before ones planned for earlier bursts
    /// (DDR3-1600: tRRD 5, tRAS 28, tRP = tRCD = CL = 11). Request A at 0 reads bank 0, row 0
    /// (ACTIVATE 0, READ 11, data 22...26), then bank 0, row 1: PRECHARGE at max(15, 0 + tRAS) =
    /// 28, ACTIVATE 39, READ 50, data 61...65. Request B at 1, bank 1, activates at 5 (tRRD
    /// after 0 and before 39): ready at 5 + 22 = 27, its data after A's on the bus, 65...69.
    /// Request C at 36, bank 2: 36 is within tRRD of 39, so it activates at 44: ready 66, data
    /// 69...73.
    @Test func activatesFillEarlierGaps() {
        let standard = DRAMStandard.ddr3_1600
        var dram = device(standard)
        let twoRows = with(DRAMRuns(base: 0, bytes: 64)) {
            $0.runsPerPlane = 2
            $0.runStride = address(standard, bank: 0, row: 1)
        }
        let a = dram.serve(twoRows, at: 0)
        #expect(a.firstReady == 22 && a.end == 65)
        let b = dram.serve(DRAMRuns(base: address(standard, bank: 1), bytes: 64), at: 1)
        #expect(b.firstReady == 27 && b.firstData == 65 && b.end == 69)
        let c = dram.serve(DRAMRuns(base: address(standard, bank: 2), bytes: 64), at: 36)
        #expect(c.firstReady == 66 && c.end == 73)
        #expect(dram.rows.misses == 3 && dram.rows.conflicts == 1)
    }

    /// DDR4-3200's bank groups (bank b in group b % 4; tRRD_S 4, tRRD_L 8, tFAW 34, tCCD_L 8,
    /// tRCD = CL = 22, a burst 4 clocks).
    /// - Banks 0...4 (groups 0, 1, 2, 3, 0): ACTIVATEs at 0, 4, 8, 12 (tRRD_S apart, other
    ///   groups), the fifth at max(12 + 4, 0 + tRRD_L, 0 + tFAW) = 34; READ 56, data 78...82.
    /// - Banks 0 and 4 (both group 0): ACTIVATEs at 0 and 0 + tRRD_L = 8; READs at 22 and 30,
    ///   data 44...48 and 52...56.
    /// - Three bursts of one row of bank 0 (256 bytes apart: consecutive bursts alternate groups):
    ///   READs tCCD_L apart at 22, 30, 38 (not tCCD_S = 4): data 44, 52, 60, ending at 64.
    /// - Three consecutive bursts: groups 0, 1, 2, so three banks: ACTIVATEs at 0, 4, 8, READs
    ///   at 22, 26, 30, data back to back from 44 to 56, the full rate.
    @Test func ddr4BankGroupsSpaceActivatesAndReads() {
        let standard = DRAMStandard.ddr4_3200
        var five = device(standard)
        let ends = (0..<5).map { five.serve(DRAMRuns(base: address(standard, bank: $0), bytes: 64), at: 0).end }
        #expect(ends.last == 82)
        var sameGroup = device(standard)
        let pair = with(oneBurstPerBank(standard, banks: 2)) { $0.runStride = 4 * standard.rowBytes }
        let service = sameGroup.serve(pair, at: 0)
        #expect(service.firstData == 44 && service.end == 56)
        var row = device(standard)
        let sameBank = row.serve(with(DRAMRuns(base: 0, bytes: 64)) { ($0.runsPerPlane, $0.runStride) = (3, 4 * 64) }, at: 0)
        #expect(sameBank.firstData == 44 && sameBank.end == 64)
        #expect(row.rows.misses == 1 && row.rows.hits == 2)
        var stream = device(standard)
        let consecutive = stream.serve(DRAMRuns(base: 0, bytes: 3 * 64), at: 0)
        #expect(consecutive.firstData == 44 && consecutive.end == 56)
        #expect(stream.rows.misses == 3)
    }

    /// (c) A sequential stream of 1 MiB (16384 bursts) from cycle 0 on DDR3-1600. Without
    /// refresh: one ACTIVATE, then the data bus never idles (each bank's next row activates
    /// behind the other seven banks' 7 x 128 bursts): burst i's READ issues at 11 + 4i, its
    /// data at 22 + 4i, and the stream ends at 22 + 16384 x 4 = 65558.
    /// With refresh, refresh k begins at 6240k. The first READ at or after it (burst 1558, at
    /// 11 + 4 x 1558 = 6243 = 6240 + 3) moves to the refresh's end plus an ACTIVATE: READ at
    /// 6240 + 208 + 11 = 6459 instead of 6243, 216 = tRFC + tRCD - 3 cycles later. The stream
    /// then issues READs at 6240k + 219 + 4j, and 6240 - 219 = 6021 = 1 (mod 4), so every later
    /// refresh again finds its first READ 3 cycles in and costs 216 cycles. Ten refreshes (at
    /// 6240 ... 62400) begin before the end, the eleventh (68640) after it: 65558 + 2160 = 67718,
    /// 3.3 % more, as tRFC / tREFI = 208 / 6240 = 3.3 %. Each refresh adds an ACTIVATE (the row it
    /// closed opens again) except the sixth, whose first burst (9088 = 71 x 128) starts a new row
    /// anyway: 128 + 9 activates.
    @Test func refreshSlowsALongStreamByAboutTRFCOverTREFI() {
        let standard = DRAMStandard.ddr3_1600
        let bursts = 16384, rows = bursts / 128
        var refreshFree = device(with(standard) { $0.tREFI = 0 })
        var refreshing = device(standard)
        let stream = DRAMRuns(base: 0, bytes: bursts * 64)
        let free = refreshFree.serve(stream, at: 0)
        let refreshed = refreshing.serve(stream, at: 0)
        #expect(free.end == 65558 && free.end == Double(22 + bursts * 4))
        #expect(refreshed.end == 67718 && refreshed.end - free.end == 10 * Double(standard.tRFC + standard.tRCD - 3))
        let ratio = (refreshed.end - free.end) / free.end, refreshShare = Double(standard.tRFC) / Double(standard.tREFI)
        #expect(abs(ratio - refreshShare) < 0.1 * refreshShare, "\(ratio)")
        #expect(refreshFree.rows.misses + refreshFree.rows.conflicts == rows)
        #expect(refreshing.rows.misses + refreshing.rows.conflicts == rows + 9)
        #expect(refreshing.rows.bursts == bursts)
    }
}
