import ISA
import Testing
@testable import Simulator

/// The compute engine's matrix and vector units: overlap, scoreboard hazards, in-order
/// retirement of tokens, and the statistics of overlapping units.
///
/// Shared derivation (test machine of `testConfig`): the fetch unit reads two instructions per
/// 64-byte burst; group g arrives at 14 + 4g (10 cycles of latency, then 4 channel cycles per
/// group, back to back). The GEMM [8 x 8] x [8 x 6] takes 72 cycles (see `TimingTests`); it
/// reads NBin bytes 0..<64 and SB 0..<48 and writes NBout 0..<192. A vector op of 16 elements
/// takes ceil(16 / 4) + 2 = 6 cycles.
@Suite struct ComputeUnitTests {
    let matmul = gemm(m: 8, k: 8, n: 6)

    /// A 16-element int32 copy in NBout from `a` to `destination`.
    func copy(a: Int, destination: Int, _ flags: DependencyFlags = [],
              configure: (inout VectorOperation) -> Void = { _ in }) -> Instruction {
        var instruction = vector(.copy, .int32, .int32, a: a, destination: destination, columns: 16, configure: configure)
        instruction.dependencies = flags
        return instruction
    }

    /// (1) Independent: the copy (NBout 1024..<1088 to 1536..<1600) touches nothing the matmul
    /// does. Both arrive at 14; the matmul starts at 14 on the matrix unit, the copy at 14 too
    /// (in-order issue allows it: the matmul has started) on the vector unit, done at 20. The
    /// run ends at 86 = max(14 + 72, 14 + 6), not 14 + 72 + 6 = 92.
    @Test func independentVectorOpOverlapsMatmul() throws {
        let result = try run([matmul, copy(a: 1024, destination: 1536), halt])
        let statistics = result.statistics
        #expect(statistics.cycles == 86)
        #expect(result.timeline[1].start == 14 && result.timeline[1].end == 20)
        #expect(result.timeline[0].unit == .matrix && result.timeline[1].unit == .vector)
        // The engine is busy while either unit is: 14..<86.
        #expect(statistics[.compute].busyCycles == 72)
        #expect(statistics[.compute].stalls.dispatch == 14 && statistics[.compute].stalls.total == 14)
        #expect(statistics[.matrix].busyCycles == 72 && statistics[.vector].busyCycles == 6)
        #expect(statistics[.matrix].instructions == 1 && statistics[.vector].instructions == 1)
        #expect(statistics[.vector].hazardCycles == 0)
        #expect(statistics.layers[0].busyCycles[Engine.compute.rawValue] == 72)
        #expect(statistics.layers[0].computeUnitBusyCycles == [72, 6])
    }

    /// (2) Read after write: the copy reads NBout 0..<64, which the matmul writes. It is ready at
    /// 14 but waits for the matmul's completion: 86..<92, 72 cycles of hazard. The engine is busy
    /// 78 cycles and stalled 14 (dispatch): the hazard wait is busy time of the matrix unit.
    @Test func readAfterWriteSerializes() throws {
        let result = try run([matmul, copy(a: 0, destination: 1536), halt])
        let statistics = result.statistics
        #expect(statistics.cycles == 92)
        #expect(result.timeline[1].start == 86 && result.timeline[1].end == 92)
        #expect(statistics[.vector].hazardCycles == 72)
        #expect(statistics[.compute].busyCycles == 78)
        #expect(statistics[.compute].busyCycles + statistics[.compute].stalls.total == 92)
    }

    /// (3) Write after read: a copy into NBin 0..<64 overwrites the matmul's input, so it waits
    /// for the matmul (86..<92). A copy into NBin 64..<128 starts right after the matmul does:
    /// the spans [0, 64) and [64, 128) share no byte.
    @Test(arguments: [(destination: 0, start: 86, cycles: 92), (destination: 64, start: 14, cycles: 86)])
    func writeAfterReadSerializes(destination: Int, start: Int, cycles: Int) throws {
        let overwrite = copy(a: 1024, destination: destination) { $0.destinationBuffer = .nbin }
        let result = try run([matmul, overwrite, halt])
        #expect(result.timeline[1].start == start)
        #expect(result.statistics.cycles == cycles)
    }

    /// Write after write: a copy into NBout 128..<192 (inside the matmul's output) waits for it.
    @Test func writeAfterWriteSerializes() throws {
        let result = try run([matmul, copy(a: 1024, destination: 128), halt])
        #expect(result.timeline[1].start == 86)
    }

    /// (4) In-order retirement: the independent copy completes at 20, before the matmul (86),
    /// and pushes a token to the load engine (`push_prev`, say to release NBin). The token
    /// becomes available when the copy retires, at max(20, 86) = 86: the load that pops it (in
    /// the second fetch group, dispatched at 18) starts at 86, not 20, so it cannot overwrite
    /// the NBin bytes the matmul still reads. Its data: 86 + 10 = 96, one 64-byte burst (4
    /// cycles): done at 100.
    @Test func tokensRetireInOrder() throws {
        let result = try run([matmul, copy(a: 1024, destination: 1536, [.pushPrevious]),
                              load(.nbin, dram: 0, address: 0, x: 64, [.popNext]), halt])
        #expect(result.timeline[1].end == 20)
        #expect(result.timeline[2].start == 86)
        #expect(result.statistics.cycles == 100)
        #expect(result.statistics[.load].stalls.dispatch == 18 && result.statistics[.load].stalls.token == 86 - 18)
    }

    /// A compute `nop` is a barrier: it waits for the matmul (86), and the copy after it waits
    /// for the `nop` (87..<93), though it conflicts with nothing.
    @Test func nopIsABarrier() throws {
        let result = try run([matmul, Instruction(.nop(NoOperation(engine: .compute))), copy(a: 1024, destination: 1536), halt])
        #expect(result.timeline[1].start == 86 && result.timeline[2].start == 87)
        #expect(result.statistics.cycles == 93)
        #expect(result.timeline[1].unit == nil)
        #expect(result.statistics[.compute].busyCycles == 72 + 1 + 6)
        #expect(result.statistics[.matrix].busyCycles == 73 && result.statistics[.vector].busyCycles == 7)
    }

    /// (5) The same results as a sequential compute engine. `epiloguePipeline` overlaps the
    /// vector epilogue of each tile with the next tile's matmul, and has RAW (epilogue after its
    /// matmul), WAR (new weights written into SB while an earlier matmul reads SB) and register
    /// (`cfg.requant`) dependencies; with a `nop` after every compute instruction the compute
    /// engine runs one instruction at a time. The DRAM contents are identical. Data effects
    /// happen at start in program order, so what makes this hold for hardware that reads and
    /// writes during execution is checked too: no two conflicting instructions overlap in time.
    @Test func overlapGivesSequentialResults() throws {
        let (overlapped, segments) = epiloguePipeline(serialized: false)
        let (serialized, _) = epiloguePipeline(serialized: true)
        let fast = try run(overlapped, segments: segments)
        let slow = try run(serialized, segments: segments)
        #expect(fast.dram == slow.dram)
        #expect(fast.dram != DRAMImage(capacityBytes: 1 << 20, segments: segments))
        #expect(fast.statistics.cycles < slow.statistics.cycles)
        // Overlap happened: some compute instruction started before an earlier one completed.
        let compute = fast.timeline.filter { $0.engine == .compute }
        #expect(zip(compute, compute.dropFirst()).contains { $1.start < $0.end })
        // And hazards held some back.
        #expect(fast.statistics[.vector].hazardCycles > 0 && fast.statistics[.matrix].hazardCycles > 0)
        #expect(slow.statistics[.vector].hazardCycles == 0 && slow.statistics[.matrix].hazardCycles == 0)
        for (later, second) in compute.enumerated() {
            let accesses = BufferAccesses(overlapped[second.index].operation, dataType: .int8)
            for first in compute[..<later] where first.end > second.start {
                #expect(!accesses.conflicts(with: BufferAccesses(overlapped[first.index].operation, dataType: .int8)),
                        "instructions \(first.index) and \(second.index) conflict but overlap")
            }
        }
    }

    /// (6) Timing-only runs give the same statistics and timeline when the units overlap.
    @Test func timingOnlyMatchesFunctionalWithOverlap() throws {
        let (program, segments) = epiloguePipeline(serialized: false)
        let functional = try run(program, segments: segments, mode: .functional)
        let timingOnly = try run(program, segments: segments, mode: .timingOnly)
        #expect(functional.statistics == timingOnly.statistics)
        #expect(functional.timeline == timingOnly.timeline)
    }

    /// The accounting invariants with overlapping units: busy + stalls == cycles per engine; the
    /// engine's busy cycles lie between the busier unit's and the sum of both; layers add up.
    @Test func statisticsAddUp() throws {
        let (program, segments) = epiloguePipeline(serialized: false)
        let statistics = try run(program, segments: segments).statistics
        for engine in statistics.engines {
            #expect(engine.busyCycles + engine.stalls.total == statistics.cycles)
        }
        let (engine, units) = (statistics[.compute].busyCycles, statistics.computeUnits.map(\.busyCycles))
        #expect(engine >= units.max()! && engine < units.reduce(0, +))
        #expect(statistics.layers.map { $0.busyCycles[Engine.compute.rawValue] }.reduce(0, +) == engine)
        #expect(statistics.layers.map { $0.computeUnitBusyCycles[0] }.reduce(0, +) == units[0])
        #expect(statistics.layers.map { $0.computeUnitBusyCycles[1] }.reduce(0, +) == units[1])
        #expect(statistics.computeUnits.map(\.instructions).reduce(0, +) <= statistics[.compute].instructions)
    }
}

/// Four GEMM tiles [16 x 8] x [8 x 4], each followed by a vector epilogue (int32 ReLU in place,
/// then requantization to int8 into NBout 1024...) that can overlap the next tile's matmul.
/// Before tile 2, a vector copy writes new weights into SB 32..<64 (from NBout, where tile 0's
/// int8 result lies) while tile 1's matmul still reads SB 0..<32: no conflict, so it overlaps;
/// then tile 2 reads those weights (a RAW across units), and tile 3 goes back to SB 0..<32,
/// which a copy into SB 0..<32 issued right after tile 3's matmul must not overwrite early (WAR). A store of all of
/// NBout ends the program. `serialized` puts a compute `nop` after every compute instruction.
func epiloguePipeline(serialized: Bool) -> (instructions: [Instruction], segments: [DataSegment]) {
    let segments = [DataSegment(address: 0, bytes: (0..<128).map { UInt8(truncatingIfNeeded: $0 * 37 - 60) }),
                    DataSegment(address: 0x100, bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 11 - 90) })]
    var compute: [Instruction] = []
    var requant = RequantizationParameters()
    (requant.multiplier, requant.shift, requant.zeroPoint, requant.low, requant.high) = (3, 6, -2, -128, 127)
    compute.append(Instruction(.setRequantization(requant), dependencies: [.popPrevious]))
    for tile in 0..<4 {
        if tile == 2 {
            compute.append(vector(.copy, .int8, .int8, a: 1024, destination: 32, columns: 32) { $0.destinationBuffer = .sb })
        }
        compute.append(gemm(m: 16, k: 8, n: 4, weights: tile == 2 ? 32 : 0, output: tile * 256))
        if tile == 3 {
            compute.append(vector(.copy, .int8, .int8, a: 1088, destination: 0, columns: 32) { $0.destinationBuffer = .sb })
        }
        compute.append(vector(.relu, .int32, .int32, a: tile * 256, destination: tile * 256, columns: 4, rows: 16))
        compute.append(vector(.requantize, .int32, .int8, a: tile * 256, destination: 1024 + tile * 64, columns: 64))
    }
    compute[compute.count - 1].dependencies.insert(.pushNext)
    var instructions = [load(.nbin, dram: 0, address: 0, x: 128), load(.sb, dram: 0x100, address: 0, x: 32, [.pushNext])]
    for instruction in compute {
        instructions.append(instruction)
        if serialized { instructions.append(Instruction(.nop(NoOperation(engine: .compute)))) }
    }
    instructions.append(Instruction(.layer(LayerMarker(id: 1))))
    instructions.append(store(.nbout, .int8, dram: 0x1000, address: 0, x: 2048, [.popPrevious]))
    instructions.append(halt)
    return (instructions, segments)
}
