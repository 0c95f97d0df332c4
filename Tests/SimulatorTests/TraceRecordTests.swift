import ISA
import Testing
@testable import Simulator

/// What a run records for traces: the DRAM channel's uses in the timeline, and the buffer
/// occupancy estimate derived from it.
@Suite struct TraceRecordTests {
    /// Loads of A (NBin 0..<64) and B (SB 0..<48), the GEMM [8 x 8] x [8 x 6] into NBout
    /// 0..<192 (int32), optionally a second, accumulating GEMM, and the store of the result.
    func program(accumulate: Bool) -> [Instruction] {
        var instructions = [load(.nbin, dram: 0, address: 0, x: 64),
                            load(.sb, dram: 64, address: 0, x: 48, [.pushNext]),
                            gemm(m: 8, k: 8, n: 6, accumulate ? [.popPrevious] : [.popPrevious, .pushNext])]
        if accumulate { instructions.append(gemm(m: 8, k: 8, n: 6, accumulate: true, [.pushNext])) }
        return instructions + [store(.nbout, dram: 256, address: 0, x: 48, [.popPrevious]), halt]
    }

    @Test func channelUsesNameTheirRequestersAndAddUpToTheTraffic() throws {
        let result = try run(program(accumulate: false), mode: .timingOnly)
        let uses = result.timeline.channelUses
        #expect(uses.filter { if case .dma = $0.requester { true } else { false } }.map(\.requester)
            == [.dma(instruction: 0), .dma(instruction: 1), .dma(instruction: 3)])
        // Two 32-byte instructions per 64-byte burst: fetch groups start at 0, 2 and 4.
        #expect(uses.compactMap { if case .fetch(let first) = $0.requester { first } else { nil } } == [0, 2, 4])
        #expect(uses.map(\.bytes).reduce(0, +) == result.statistics.dramTraffic.total)
        for (a, b) in zip(uses, uses.dropFirst()) { #expect(a.start + a.cycles <= b.start) }
        #expect(result.timeline.cycles == result.statistics.cycles)
    }

    @Test func blocksLiveFromTheirWriteToTheirLastRead() throws {
        let result = try run(program(accumulate: false), mode: .timingOnly)
        let t = result.timeline
        let blocks = BufferOccupancy(program: Program(config: testConfig(), instructions: program(accumulate: false)),
                                     timeline: t, config: testConfig()).blocks
        #expect(blocks.count == 3)
        let byBuffer = Dictionary(uniqueKeysWithValues: blocks.map { ($0.buffer, $0) })
        #expect(byBuffer[.nbin] == .init(buffer: .nbin, address: 0, bytes: 64, start: t[0].start, end: t[2].end))
        #expect(byBuffer[.sb] == .init(buffer: .sb, address: 0, bytes: 48, start: t[1].start, end: t[2].end))
        #expect(byBuffer[.nbout] == .init(buffer: .nbout, address: 0, bytes: 192, start: t[2].start, end: t[3].end))
    }

    /// An accumulating GEMM reads and rewrites its output: the first output block ends where
    /// the second GEMM starts, and the second one lives until the store completes.
    @Test func anAccumulatingWriteTakesOverItsBlock() throws {
        let instructions = program(accumulate: true)
        let result = try run(instructions, mode: .timingOnly)
        let t = result.timeline
        let outputs = BufferOccupancy(program: Program(config: testConfig(), instructions: instructions), timeline: t,
                                      config: testConfig()).blocks.filter { $0.buffer == .nbout }
        #expect(outputs.map(\.start) == [t[2].start, t[3].start])
        #expect(outputs.map(\.end) == [t[3].start, t[4].end])
    }
}
