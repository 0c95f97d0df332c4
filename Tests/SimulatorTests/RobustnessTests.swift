import Foundation
import ISA
import Testing
@testable import Simulator

/// SplitMix64: a seeded generator, so every run of the tests sees the same programs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RobustnessTests {
    /// An instruction with random field values within each field's range (mostly small, with
    /// aligned addresses and packed pitches, so that many of them fit the buffers) and, a quarter
    /// of the time, random dependency flags.
    func randomInstruction(_ generator: inout SeededGenerator) -> Instruction {
        let spec = OpcodeTable.all.randomElement(using: &generator)!
        let addresses: Set = ["in", "w", "out", "dst", "a", "b", "addr", "src", "dram"]
        let values = spec.fields.map { field -> Int64 in
            let nearMinimum = Int.random(in: 0..<10, using: &generator) < 9
            if nearMinimum && field.name.hasSuffix("pitch") { return 0 }
            if nearMinimum && addresses.contains(field.name) { return 4 * Int64.random(in: 0...16, using: &generator) }
            let high = nearMinimum ? min(field.maximum, field.minimum + 6) : field.maximum
            return Int64.random(in: field.minimum...high, using: &generator)
        }
        let flags = Int.random(in: 0..<4, using: &generator) == 0 ? DependencyFlags(rawValue: Int.random(in: 0..<16, using: &generator)) : []
        return Instruction(spec.operation(from: values), dependencies: flags)
    }

    /// Random programs never crash the simulator; when they run, both modes agree on every statistic.
    @Test func randomProgramsNeverCrash() {
        var generator = SeededGenerator(state: 2024)
        var outcomes = (ran: 0, failed: 0)
        let segments = [DataSegment(address: 0, bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) })]
        for _ in 0..<3000 {
            let instructions = (0..<Int.random(in: 1...8, using: &generator)).map { _ in randomInstruction(&generator) }
            let functional = Result { () throws(SimulationError) in try run(instructions, segments: segments, mode: .functional) }
            let timingOnly = Result { () throws(SimulationError) in try run(instructions, segments: segments, mode: .timingOnly) }
            switch (functional, timingOnly) {
            case (.success(let a), .success(let b)):
                outcomes.ran += 1
                #expect(a.statistics == b.statistics)
            case (.failure(let error), .failure(let other)):
                outcomes.failed += 1
                #expect(error == other)
            case (.failure(let error), .success):
                // Only data can fail a functional run that a timing-only run completes.
                outcomes.failed += 1
                #expect(error.description.contains("per-channel shift"))
            case (.success, .failure(let error)):
                Issue.record("timing-only failed where functional ran: \(error)")
            }
        }
        #expect(outcomes.ran > 300 && outcomes.failed > 300, "ran \(outcomes.ran), failed \(outcomes.failed)")
    }

    /// Values no field can hold, in a program built in Swift, are errors, never traps.
    @Test func absurdValuesAreErrors() {
        let absurd: [Instruction] = [
            load(.nbin, dram: 0, address: 0, x: .max),
            load(.nbin, dram: 0, address: 0, x: 1, y: 1, z: 2) { $0.yStride = .max },
            load(.nbin, dram: .max, address: 0, x: 1),
            load(.nbin, dram: 0, address: 0, x: 4) { $0.xPadBefore = .max },
            load(.nbin, dram: 0, address: 0, x: 4) { $0.xPadBefore = -1 },
            Instruction(.matmul(with(MatrixTile()) { ($0.outputWidth, $0.inputWidth, $0.strideX) = (.max / 2, .max, 3) })),
            Instruction(.matmul(with(MatrixTile()) { ($0.kernelHeight, $0.dilationY) = (.max, .max) })),
            Instruction(.pool(with(PoolWindow()) { ($0.outputHeight, $0.channels) = (.max, .max) })),
            vector(.copy, .int8, .int8, a: 0, destination: 0, columns: 1, rows: .max),
            vector(.addImmediate, .int32, .int32, a: 0, destination: 0, columns: 1) { $0.immediate = .max },
            vector(.multiply, .int32, .int32, a: 0, destination: 0, columns: 1) { $0.shift = 99 },
            vector(.piecewiseLinear, .int32, .int32, a: 0, destination: 0, columns: 1) { $0.table = 9 },
            Instruction(.setRequantization(with(RequantizationParameters()) { $0.multiplier = .max })),
            Instruction(.loadPWL(with(PWLLoad()) { $0.segments = 0 })),
            Instruction(.layer(LayerMarker(id: 3)), dependencies: [.pushNext]),
            Instruction(.store(Transfer()), dependencies: [.pushNext]),
        ]
        for instruction in absurd {
            for mode in [SimulationMode.functional, .timingOnly] {
                #expect(throws: SimulationError.self) { try run([instruction, halt], mode: mode) }
            }
        }
        // Unused fields do not matter: vadd has no shift or immediate.
        let unusedFields = vector(.add, .int32, .int32, a: 0, destination: 0, columns: 1) { ($0.shift, $0.immediate, $0.table) = (99, .max, 9) }
        #expect(throws: Never.self) { try run([unusedFields, halt]) }
    }

    @Test func emptyProgram() throws {
        let result = try run([])
        #expect(result.statistics.cycles == 0)
        #expect(result.statistics.utilization == 0)
        #expect(result.timeline.isEmpty)
    }

    @Test func statisticsEncodeAsJSON() throws {
        let result = try run([gemm(m: 4, k: 4, n: 4), Instruction(.layer(LayerMarker(id: 1))), gemm(m: 4, k: 4, n: 4), halt])
        let data = try JSONEncoder().encode(result.statistics)
        #expect(try JSONDecoder().decode(Statistics.self, from: data) == result.statistics)
    }
}
