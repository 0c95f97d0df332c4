import ISA
import Testing
@testable import Simulator

@Suite struct TimingTests {
    /// A GEMM [8 x 8] x [8 x 6] on the 4x4 test array, derived by hand:
    /// - fetch: `matmul` and `halt` are one 64-byte burst, requested at cycle 0; data after the
    ///   10-cycle latency, 64 B / 16 B per cycle = 4 cycles of channel: it arrives at 14.
    /// - matmul (ws): Sr = W = 8, Sc = K = 6, T = P = 8; folds = ceil(8/4) * ceil(6/4) = 4;
    ///   per fold 2*4 + 4 + 8 - 2 = 18; 4 * 18 = 72 cycles, from 14 to 86.
    @Test func gemmTileCycles() throws {
        let result = try run([gemm(m: 8, k: 8, n: 6), halt])
        #expect(result.statistics.cycles == 86)
        #expect(result.timeline[0].start == 14 && result.timeline[0].end == 86)
        #expect(result.statistics.macs == 8 * 8 * 6)
        // Mapping efficiency: Sr * Sc / (folds * rows * cols) = 48 / 64.
        #expect(result.statistics.mappingEfficiency == 0.75)
        #expect(result.statistics.utilization == 384.0 / (86 * 16))
        #expect(result.statistics[.compute].busyCycles == 72)
        #expect(result.statistics[.compute].stalls.dispatch == 14)
        #expect(result.statistics.dramTraffic.instructions == 64)
    }

    /// The same GEMM on a double-buffered array: the next fold's weights shift in while the
    /// current fold streams, and the folds stream back to back:
    /// preload 4 + 4 folds * max(T = 8, rows = 4) + fill/drain 4 + 4 - 2 = 42 cycles, 14 to 56.
    @Test func gemmTileCyclesDoubleBuffered() throws {
        let result = try run([gemm(m: 8, k: 8, n: 6), halt], config: testConfig(doubleBuffered: true))
        #expect(result.statistics.cycles == 56)
        #expect(result.timeline[0].start == 14 && result.timeline[0].end == 56)
        #expect(result.statistics[.compute].busyCycles == 42)
    }

    /// A load of 100 int8 bytes from DRAM 0x30 into NBin:
    /// - fetched with `halt` in one burst, dispatched at 14 (as above); the request is issued at 14;
    /// - bytes 0x30...0x93 touch bursts 0, 1 and 2: 192 bytes, 192 / 16 = 12 channel cycles;
    /// - data starts at 14 + 10 = 24 (the channel is free since 14); the NBin port needs
    ///   ceil(100 / 32) = 4 cycles, fewer than the channel's 12: done at 24 + 12 = 36.
    @Test func dmaCycles() throws {
        let result = try run([load(.nbin, dram: 0x30, address: 0, x: 100), halt])
        #expect(result.statistics.cycles == 36)
        #expect(result.statistics.dramTraffic.ifmap == 192)
        #expect(result.statistics.dramPayloadBytes == 100)
        // Busy: the 4 port cycles; 10 cycles of DRAM latency, and 12 - 4 cycles of DRAM bandwidth.
        #expect(result.statistics[.load].busyCycles == 4 && result.statistics[.load].stalls.dramLatency == 10)
        #expect(result.statistics[.load].stalls.dramBandwidth == 8)
        #expect(result.statistics.sram.nbin.bytesWritten == 100)
    }

    /// A strided, padded load: 4 rows of 16 bytes, 64 bytes apart, padded by one element on each
    /// side. Each row touches one burst: 256 bytes, 16 channel cycles; the padded box is
    /// 18 * 4 = 72 bytes, 3 port cycles. Data from 24 to 24 + 16 = 40.
    @Test func stridedPaddedDMACycles() throws {
        let instruction = load(.nbin, dram: 0, address: 0, x: 16, y: 4) {
            $0.yStride = 64
            ($0.xPadBefore, $0.xPadAfter) = (1, 1)
        }
        let result = try run([instruction, halt])
        #expect(result.statistics.cycles == 40)
        #expect(result.statistics.dramTraffic.ifmap == 256)
        #expect(result.statistics.sram.nbin.bytesWritten == 72)
    }

    /// A store and a load share the channel. Fetch: the first burst (store, load) arrives at 14;
    /// `halt`'s burst, requested at 0 too, is served 14...18. Both DMAs are dispatched and start
    /// at 14, the store first (program order): its data 24...40 (256 B in 16 cycles; the NBout
    /// port needs only 8). The load's data waits for the channel until 40 instead of 24 (16
    /// cycles of DRAM bandwidth stall, after 10 of latency) and moves 128 B in 8 cycles: done at 48.
    @Test func dramContention() throws {
        let result = try run([store(.nbout, .int32, dram: 0x1000, address: 0, x: 64),
                              load(.nbin, dram: 0, address: 0, x: 128), halt])
        #expect(result.statistics.cycles == 48)
        #expect(result.timeline[0].end == 40)
        // 16 cycles waiting for the channel, and 8 - 4 more moving 128 B than the NBin port's 4.
        #expect(result.statistics[.load].stalls.dramBandwidth == 16 + 4)
        #expect(result.statistics[.load].stalls.dramLatency == 10)
        #expect(result.statistics[.load].busyCycles == 4)
        #expect(result.statistics.dramBytesWritten == 256)
        #expect(result.statistics.dramBytesRead == 128 + 128)
        // Every engine's busy + stall cycles cover the run.
        for engine in result.statistics.engines {
            #expect(engine.busyCycles + engine.stalls.total == result.statistics.cycles)
        }
    }

    @Test func doubleBufferingOverlapsLoadsAndCompute() throws {
        let (pipelined, serialized) = (tiledProgram(doubleBuffered: true), tiledProgram(doubleBuffered: false))
        let fast = try run(pipelined.instructions, segments: pipelined.segments)
        let slow = try run(serialized.instructions, segments: serialized.segments)
        #expect(fast.statistics.macs == slow.statistics.macs)
        #expect(fast.dram == slow.dram)
        // Six matmuls of 2 folds * (8 + 4 + 16 - 2) = 52 cycles bound the pipelined run from below.
        #expect(fast.statistics.cycles >= 6 * 52)
        #expect(Double(fast.statistics.cycles) < 0.7 * Double(slow.statistics.cycles))
        #expect(fast.statistics[.compute].stalls.token < slow.statistics[.compute].stalls.token)
    }

    @Test func timingOnlyMatchesFunctional() throws {
        let program = tiledProgram(doubleBuffered: true)
        let functional = try run(program.instructions, segments: program.segments, mode: .functional)
        let timingOnly = try run(program.instructions, segments: program.segments, mode: .timingOnly)
        #expect(functional.statistics == timingOnly.statistics)
        #expect(functional.timeline == timingOnly.timeline)
        #expect(timingOnly.dram == DRAMImage(capacityBytes: 1 << 20, segments: program.segments))
        #expect(functional.dram != timingOnly.dram)
    }

    @Test func layersAttributeInstructions() throws {
        let instructions = [gemm(m: 4, k: 4, n: 4), Instruction(.layer(LayerMarker(id: 3))), gemm(m: 8, k: 4, n: 4),
                            Instruction(.layer(LayerMarker(id: 7))), gemm(m: 4, k: 8, n: 4), halt]
        let statistics = try run(instructions).statistics
        #expect(statistics.layers.map(\.id) == [-1, 3, 7])
        #expect(statistics.layers.map(\.macs) == [64, 128, 128])
        #expect(statistics.layers.map(\.instructions) == [1, 2, 3])
        // Each matmul starts when the previous one ends: the layers tile the compute timeline.
        #expect(statistics.layers[1].firstStart == statistics.layers[0].lastEnd)
        #expect(statistics.layers[2].lastEnd == statistics.cycles)
        #expect(statistics.layers.map { $0.busyCycles[Engine.compute.rawValue] }.reduce(0, +) == statistics[.compute].busyCycles)
        #expect(statistics.layers.map(\.dramTraffic.instructions).reduce(0, +) == statistics.dramTraffic.instructions)
        let energy = statistics.layers.map(\.energy.totalPJ).reduce(0, +)
        #expect(abs(energy - statistics.energy.totalPJ) < 1e-6 * statistics.energy.totalPJ)
    }

    @Test func energyAndBandwidth() throws {
        let config = testConfig()
        let result = try run([load(.sb, dram: 0, address: 0, x: 64), gemm(m: 8, k: 8, n: 8), halt], config: config)
        let statistics = result.statistics
        #expect(statistics.energy.macPJ == Double(8 * 8 * 8) * config.macEnergy.int8PJ)
        // DRAM: the 64-byte load and two 64-byte fetch bursts (three instructions).
        #expect(statistics.energy.dramPJ == Double(64 + 128) * config.dram.energyPerBytePJ)
        // ws: the filter (64 B) once from SB; the ifmap (8 x 8 B) ceil(8/4) = 2 times from NBin;
        // the ofmap (8 x 8 x 4 B) written ceil(8/4) = 2 times and read back once.
        #expect(statistics.sram.sb.bytesRead == 64)
        #expect(statistics.sram.nbin.bytesRead == 128)
        #expect(statistics.sram.nbout.bytesWritten == 512 && statistics.sram.nbout.bytesRead == 256)
        #expect(statistics.energy.sbPJ == Double(64 + 64) * config.sb.energyPerBytePJ)
        #expect(statistics.averageDRAMBandwidthGBps == 192.0 / Double(statistics.cycles))
        // 192 bytes in a run shorter than the window: the whole run is the window.
        #expect(abs(statistics.peakDRAMBandwidthGBps - statistics.averageDRAMBandwidthGBps) < 1e-9)
    }

    @Test func peakBandwidthWindow() {
        // Requests of 100 bytes over cycles 0..<10 and 15..<25. A 20-cycle window holds at most
        // 150 bytes (0..<20 or 5..<25: one request whole, half of the other); 25 cycles hold both.
        let reservations = [ChannelReservation(start: 0, cycles: 10, bytes: 100), ChannelReservation(start: 15, cycles: 10, bytes: 100)]
        #expect(PeakBandwidth.maximumBytes(reservations, window: 20) == 150)
        #expect(PeakBandwidth.maximumBytes(reservations, window: 25) == 200)
        #expect(PeakBandwidth.maximumBytes(reservations, window: 5) == 50)
    }

    @Test func queueDepthStallsFetch() throws {
        // Twelve 1-cycle vector copies behind a long matmul: with a queue of 2 the fetch unit
        // stalls until the queue drains, so the compute queue's entries dispatch late; the total
        // is the same (compute-bound) but dispatch waits appear only in the shallow case.
        var config = testConfig()
        let instructions = [gemm(m: 16, k: 16, n: 16)]
            + (0..<12).map { _ in vector(.copy, .int32, .int32, a: 0, destination: 1024, columns: 4) } + [halt]
        config.queueDepth = 2
        let shallow = try run(instructions, config: config)
        #expect(shallow.timeline[3].dispatch >= shallow.timeline[1].start)
        config.queueDepth = 64
        let deep = try run(instructions, config: config)
        #expect(deep.timeline[3].dispatch < deep.timeline[1].start)
        #expect(shallow.statistics.cycles == deep.statistics.cycles)
    }

    @Test func largeProgramRunsQuickly() throws {
        // 20,000 instructions, timing only (the schedule must stay linear in the program length).
        var instructions: [Instruction] = []
        for i in 0..<5_000 {
            instructions.append(load(.nbin, dram: (i % 64) * 256, address: (i % 2) * 256, x: 256, i >= 2 ? [.popNext, .pushNext] : [.pushNext]))
            instructions.append(gemm(m: 16, k: 16, n: 16, input: (i % 2) * 256, [.popPrevious, .pushPrevious, .pushNext]))
            instructions.append(store(.nbout, dram: 0x40000 + (i % 64) * 1024, address: 0, x: 256, [.popPrevious]))
            instructions.append(Instruction(.layer(LayerMarker(id: i % 50))))
        }
        instructions.append(halt)
        let result = try run(instructions, mode: .timingOnly)
        #expect(result.statistics.instructionCount == 20_001)
        #expect(result.statistics.layers.count == 51)
        #expect(result.timeline.count == 20_001)
    }
}

/// Six tiles of a GEMM [16 x 8] x [8 x 4], each loaded, multiplied and stored.
/// Double-buffered (VTA's scheme): two input and two output buffers; a load waits for the
/// compute two tiles back to release its buffer, a matmul for its load and for the store two
/// tiles back. Serialized: every step waits for the previous one (a compute `nop` passes the
/// store's token back to the load engine).
func tiledProgram(doubleBuffered: Bool, tiles: Int = 6) -> (instructions: [Instruction], segments: [DataSegment]) {
    var instructions: [Instruction] = []
    var segments: [DataSegment] = []
    segments.append(DataSegment(address: 0x800, bytes: (0..<32).map { UInt8($0 % 5) }))
    instructions.append(load(.sb, dram: 0x800, address: 0, x: 32, [.pushNext]))
    for i in 0..<tiles {
        segments.append(DataSegment(address: 0x1000 + i * 128, bytes: (0..<128).map { UInt8(truncatingIfNeeded: $0 * 7 + i) }))
        let slot = doubleBuffered ? i % 2 : 0
        var loadFlags: DependencyFlags = [.pushNext]
        var computeFlags: DependencyFlags = [.popPrevious, .pushNext]
        if doubleBuffered {
            if i >= 2 { loadFlags.insert(.popNext) }
            computeFlags.insert(.pushPrevious)
            if i >= 2 { computeFlags.insert(.popNext) }
        } else if i >= 1 {
            loadFlags.insert(.popNext)
        }
        instructions.append(load(.nbin, dram: 0x1000 + i * 128, address: slot * 128, x: 128, loadFlags))
        // The first matmul also pops the weights' token.
        if i == 0 { instructions.append(Instruction(.nop(NoOperation(engine: .compute)), dependencies: [.popPrevious])) }
        instructions.append(gemm(m: 16, k: 8, n: 4, input: slot * 128, output: slot * 256, computeFlags))
        instructions.append(store(.nbout, dram: 0x8000 + i * 256, address: slot * 256, x: 64, [.popPrevious, .pushPrevious]))
        if !doubleBuffered {
            instructions.append(Instruction(.nop(NoOperation(engine: .compute)), dependencies: [.popNext, .pushPrevious]))
        }
    }
    instructions.append(halt)
    return (instructions, segments)
}
