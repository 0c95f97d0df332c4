import ISA
import Testing
@testable import Simulator

/// `Statistics.bufferPeakBytes`: the most bytes of each buffer live at once.
@Suite struct BufferPeakTests {
    /// A GEMM [8 x 8] x [8 x 6]: its 64 input bytes (NBin) and 48 weight bytes (SB) live from
    /// their loads until the matmul completes, its 8 x 6 int32 accumulators (192 bytes of NBout)
    /// from the matmul until the store completes.
    @Test func gemmHoldsItsOperands() throws {
        let tile = with(MatrixTile()) { ($0.inputWidth, $0.outputWidth, $0.channels, $0.outputChannels) = (8, 8, 8, 6) }
        let program = [load(.nbin, dram: 0, address: 0, x: 64), load(.sb, dram: 64, address: 0, x: 48),
                       Instruction(.matmul(tile)), store(.nbout, dram: 0x200, address: 0, x: 48), halt]
        let result = try run(synchronized(program), segments: [DataSegment(address: 0, bytes: Array(repeating: 1, count: 112))])
        #expect(result.statistics.bufferPeakBytes == [64, 48, 192])
    }

    /// Two input tiles loaded into two NBin slots, each read by its own matmul: with double
    /// buffering both are live together (128 bytes); a single slot reloaded holds 64.
    @Test func doubleBufferingDoublesThePeak() throws {
        let tile = with(MatrixTile()) { ($0.inputWidth, $0.outputWidth, $0.channels, $0.outputChannels) = (8, 8, 8, 6) }
        func program(secondSlot: Int) -> [Instruction] {
            var second = tile
            second.inputAddress = secondSlot
            return [load(.sb, dram: 64, address: 0, x: 48), load(.nbin, dram: 0, address: 0, x: 64),
                    load(.nbin, dram: 0, address: secondSlot, x: 64), Instruction(.matmul(tile)), Instruction(.matmul(second)), halt]
        }
        let segments = [DataSegment(address: 0, bytes: Array(repeating: 1, count: 112))]
        #expect(try run(synchronized(program(secondSlot: 64)), segments: segments).statistics.bufferPeakBytes[0] == 128)
        #expect(try run(synchronized(program(secondSlot: 0)), segments: segments).statistics.bufferPeakBytes[0] == 64)
    }
}
