import Foundation
import ISA
@testable import Simulator
import Testing

/// The DRAM bank model (`DRAMDevice`), its presets (`DRAMStandard`) and the stalls by cause.
@Suite struct DRAMDeviceTests {
    /// `testConfig()` on DDR3-1600 at 0.8 GHz, so that one DRAM clock (1.25 ns) is one cycle.
    private func ddr3Config() -> HardwareConfig {
        var config = testConfig()
        config.clockGHz = 0.8
        return config.withDRAMModel(.ddr3_1600)
    }

    /// Every preset's cited numbers (see `DRAMStandard`), its peak bandwidth, and a
    /// configuration naming it survives JSON.
    @Test(arguments: [
        (DRAMStandard.ddr3_1600, [1.25, 11, 11, 11, 28, 4, 8, 8, 8192], 12.8),
        (.ddr4_3200, [0.625, 22, 22, 22, 52, 4, 8, 16, 8192], 25.6),
        (.lpddr4_3200, [0.625, 29, 27, 32, 68, 8, 16, 8, 4096], 25.6),
        (.hbm2, [1.0, 14, 14, 14, 34, 1, 4, 16, 1024], 256),
    ])
    func presetsCarryTheirCitedTiming(_ standard: DRAMStandard, _ numbers: [Double], _ peakGBps: Double) throws {
        let s = standard
        #expect([s.clockPeriodNS] + [s.tRCD, s.tRP, s.tCL, s.tRAS, s.tCCD, s.burstLength, s.banks, s.rowBytes].map(Double.init) == numbers)
        #expect(s.burstBytes == 64)
        #expect(abs(s.peakGBps(channels: s.channels) - peakGBps) < 1e-9)
        let config = HardwareConfig.edge.withDRAMModel(standard)
        #expect(config.dram.model == standard.name && config.dram.bandwidthGBps == s.peakGBps(channels: s.channels))
        let decoded = try HardwareConfig.decode(json: config.jsonData(), source: "test")
        #expect(decoded == config)
        #expect(DRAMStandard.named(standard.name) == standard)
    }

    /// A simple-model configuration writes no `model` key (program files keep their bytes) and
    /// reads back as simple; `channels` and `dma_requests` round-trip; bad models, bursts and channel counts are rejected by name.
    @Test func configurationKeys() throws {
        let json = String(decoding: HardwareConfig.edge.jsonData(), as: UTF8.self)
        #expect(!json.contains("\"model\""))
        #expect(try HardwareConfig.decode(json: Data(json.utf8), source: "edge").dram.model == "simple")
        let hbm = HardwareConfig.edge.withDRAMModel(.hbm2, channels: 4)
        #expect(hbm.dram.bandwidthGBps == 128)
        #expect(String(decoding: hbm.jsonData(), as: UTF8.self).contains("\"channels\" : 4"))
        let queued = with(HardwareConfig.edge) { $0.dram.dmaRequests = 4 }
        #expect(String(decoding: queued.jsonData(), as: UTF8.self).contains("\"dma_requests\" : 4"))
        #expect(try HardwareConfig.decode(json: queued.jsonData(), source: "queued") == queued)
        func rejects(_ change: (inout HardwareConfig) -> Void, _ message: String) {
            var config = HardwareConfig.edge.withDRAMModel(.ddr4_3200)
            change(&config)
            #expect(throws: ISAError.invalidConfiguration(message)) { try config.validate() }
        }
        rejects({ $0.dram.model = "ddr5" }, "dram.model must be simple or one of ddr3-1600, ddr4-3200, lpddr4-3200, hbm2, got 'ddr5'")
        rejects({ $0.dram.burstBytes = 32 }, "dram.burst_bytes must be 64 (the ddr4-3200 burst), got 32")
        rejects({ $0.dram.channels = 0 }, "dram.channels must be 1 to 64, got 0")
    }

    /// One 64-byte load, by hand (DDR3-1600, one DRAM clock per cycle; tRCD = CL = tRP = 11,
    /// tRAS 28, a burst 4 clocks). The instruction stream sits at 0xF0000 (the top of 1 MiB in
    /// 64 KiB steps), in bank 0, row 15: its burst activates at 0, reads at 11, is ready at 22
    /// and crosses the bus 22...26. The load (issued at 26) wants bank 0, row 0: a conflict.
    /// Precharge at max(26, 0 + tRAS) = 28, activate at 39, read at 50, data ready at 61 and on
    /// the bus 61...65. Its latency stall is 61 - 26 = 35 cycles; the NBin port's 2 cycles are
    /// busy, and the other 2 of the burst's 4 a bandwidth stall.
    @Test func rowConflictByHand() throws {
        let result = try run([load(.nbin, dram: 0, address: 0, x: 64), halt], config: ddr3Config())
        #expect(result.timeline[0].start == 26)
        #expect(result.statistics.cycles == 65)
        let load = result.statistics[.load]
        #expect(load.stalls.dramLatency == 35 && load.stalls.dramBandwidth == 2 && load.busyCycles == 2)
        #expect(load.stalls.dispatch == 26)
        #expect(result.statistics.dramRows.misses == 1 && result.statistics.dramRows.conflicts == 1)
        #expect(result.statistics.dramRows.hits == 0)
        for engine in result.statistics.engines {
            #expect(engine.busyCycles + engine.stalls.total == result.statistics.cycles)
        }
    }

    /// The same 1 KiB read sequentially (16 bursts in one open row: one activation, 15 hits) and
    /// as 16 runs of 64 bytes 64 KiB apart (the same bank, a new row each: 16 conflicts).
    @Test func rowLocalityAffectsCycles() throws {
        let sequential = try run([load(.nbin, dram: 0, address: 0, x: 1024), halt], config: ddr3Config()).statistics
        let strided = try run([load(.nbin, dram: 0, address: 0, x: 64, y: 16) { $0.yStride = 65536 }, halt],
                              config: ddr3Config()).statistics
        #expect(sequential.dramTraffic.ifmap == 1024 && strided.dramTraffic.ifmap == 1024)
        #expect(sequential.dramRows.hits == 15 && sequential.dramRows.conflicts == 1)
        #expect(strided.dramRows.hits == 0 && strided.dramRows.conflicts == 16)
        #expect(sequential.dramRows.hitRate > 0.4 && strided.dramRows.hitRate == 0)
        #expect(strided.cycles > 3 * sequential.cycles)
        #expect(strided[.load].stalls.dramBandwidth > sequential[.load].stalls.dramBandwidth)
    }

    /// The double-buffered tiled GEMM at three DRAM bandwidths (simple model): the DMA engines'
    /// DRAM bandwidth stalls appear and grow as the bandwidth falls, and so do the cycles.
    /// (`DRAMModelTests` in the end-to-end tests does the same for a network on the bank model.)
    @Test func stallsGrowAsBandwidthFalls() throws {
        let program = tiledProgram(doubleBuffered: true)
        let runs = try [64.0, 8, 1].map { bandwidth in
            try run(program.instructions, config: with(testConfig()) { $0.dram.bandwidthGBps = bandwidth },
                    segments: program.segments, mode: .timingOnly).statistics
        }
        let stalls = runs.map(\.stalls.dramBandwidth)
        #expect(stalls[0] < stalls[1] && stalls[1] < stalls[2], "\(stalls)")
        #expect(runs[0].cycles < runs[1].cycles && runs[1].cycles < runs[2].cycles, "\(runs.map(\.cycles))")
        #expect(runs.allSatisfy { $0.dramRows.bursts == 0 })
    }

    /// Two independent 64-byte loads (test machine: 10 cycles of latency, 16 bytes per cycle),
    /// both dispatched at 14. One request in flight: the second waits for the first (data
    /// 24...28), issues at 28, data 38...42. Two: it issues at 14 too and its data follows the
    /// first's on the channel, 28...32. The engine's cycles still add up.
    @Test func dmaRequestsInFlightOverlapLatency() throws {
        let instructions = [load(.nbin, dram: 0, address: 0, x: 64), load(.sb, dram: 0x100, address: 0, x: 64), halt]
        let serial = try run(instructions).statistics
        let overlapped = try run(instructions, config: with(testConfig()) { $0.dram.dmaRequests = 2 }).statistics
        #expect(serial.cycles == 42 && overlapped.cycles == 32)
        #expect(serial[.load].stalls.dramLatency == 20 && overlapped[.load].stalls.dramLatency == 10)
        for statistics in [serial, overlapped] {
            for engine in statistics.engines { #expect(engine.busyCycles + engine.stalls.total == statistics.cycles) }
        }
        var config = testConfig()
        config.dram.dmaRequests = 0
        #expect(throws: ISAError.invalidConfiguration("dram.dma_requests must be 1 to 64, got 0")) { try config.validate() }
    }

    /// Tokens from the next engine are buffer-full stalls, from the previous one dependencies:
    /// the load engine only ever waits for a buffer to be released, the store engine only for data.
    @Test func tokenStallsSplitByCause() throws {
        let program = tiledProgram(doubleBuffered: false)
        let statistics = try run(program.instructions, segments: program.segments, mode: .timingOnly).statistics
        #expect(statistics[.load].stalls.bufferFull > 0 && statistics[.load].stalls.dependency == 0)
        #expect(statistics[.store].stalls.dependency > 0 && statistics[.store].stalls.bufferFull == 0)
        #expect(statistics[.compute].stalls.dependency > 0)
        #expect(statistics.stalls.token == statistics.engines.map(\.stalls.token).reduce(0, +))
    }

    /// Timing-only and functional runs agree on the bank model too.
    @Test func timingOnlyMatchesFunctionalOnTheBankModel() throws {
        let program = tiledProgram(doubleBuffered: true)
        let config = testConfig().withDRAMModel(.lpddr4_3200)
        let functional = try run(program.instructions, config: config, segments: program.segments, mode: .functional)
        let timingOnly = try run(program.instructions, config: config, segments: program.segments, mode: .timingOnly)
        #expect(functional.statistics == timingOnly.statistics)
        #expect(functional.timeline == timingOnly.timeline)
    }
}
