import Foundation
import HostRuntime
import ISA
import Simulator
import Testing

/// Every hand-written kernel runs, verifies bit for bit, and survives the binary round trip.
@Suite struct KernelTests {
    static let kernels = Repository.kernels

    @Test func everyRequiredKernelIsPresent() {
        let names = Set(Self.kernels.map(\.lastPathComponent))
        for required in ["gemm.s", "conv3x3.s", "maxpool2x2.s", "relu_requant.s", "sigmoid_tanh.s", "lstm_cell.s"] {
            #expect(names.contains(required), "kernels/\(required) is missing")
        }
    }

    @Test(arguments: kernels)
    func kernelVerifiesBitExact(_ url: URL) throws {
        let program = try Assembler().assemble(try Repository.text(url), file: url.lastPathComponent)
        for seed: UInt64 in [1, 2, 3] {
            let report = try KernelExecution.run(program, config: program.config, seed: seed, mode: .functional)
            #expect(report.verification == .bitExact, "\(url.lastPathComponent) seed \(seed): \(report.verification)")
            #expect(report.statistics.cycles > 0)
        }
    }

    @Test(arguments: kernels)
    func timingOnlyGivesTheSameStatistics(_ url: URL) throws {
        let program = try Assembler().assemble(try Repository.text(url), file: url.lastPathComponent)
        let functional = try KernelExecution.run(program, config: program.config, seed: 7, mode: .functional)
        let timing = try KernelExecution.run(program, config: program.config, seed: 7, mode: .timingOnly)
        #expect(functional.statistics == timing.statistics)
        #expect(timing.verification == .skipped("timing-only run"))
    }

    @Test(arguments: kernels)
    func binaryRoundTrip(_ url: URL) throws {
        let program = try Assembler().assemble(try Repository.text(url), file: url.lastPathComponent)
        let binary = try ProgramFile.encode(program)
        let decoded = try ProgramFile.decode(binary)
        #expect(decoded == program)
        let reassembled = try Assembler().assemble(Disassembler.text(of: decoded), file: "disassembly")
        #expect(try ProgramFile.encode(reassembled) == binary)
    }

    /// The conv3x3 kernel overlaps band 1's load with band 0's compute, and band 0's store with
    /// band 1's compute. Forcing each step to wait for the previous one (extra tokens) gives the
    /// same result more slowly.
    @Test func doubleBufferedConvolutionBeatsSerialized() throws {
        let url = Repository.root.appendingPathComponent("kernels/conv3x3.s")
        let source = try Repository.text(url)
        let overlapped = try Assembler().assemble(source, file: "conv3x3.s")
        var serializedSource = source
        // Band 1's load waits for band 0's matmul; band 1's matmul waits for band 0's store.
        serializedSource = serializedSource.replacingOccurrences(of: "zpad1=1 push_next", with: "zpad1=1 push_next pop_next")
        serializedSource = serializedSource.replacingOccurrences(
            of: "matmul in=0 w=0 out=0 in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next",
            with: "matmul in=0 w=0 out=0 in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next push_prev")
        serializedSource = serializedSource.replacingOccurrences(
            of: "matmul in=BAND1_IN w=0 out=BAND1_OUT in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next",
            with: "matmul in=BAND1_IN w=0 out=BAND1_OUT in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next pop_next")
        serializedSource = serializedSource.replacingOccurrences(
            of: "store buf=nbout type=i32 dram=0x4000 addr=0 x=4096 pop_prev",
            with: "store buf=nbout type=i32 dram=0x4000 addr=0 x=4096 pop_prev push_prev")
        let serialized = try Assembler().assemble(serializedSource, file: "serialized.s")
        #expect(serialized.instructions != overlapped.instructions, "the serializing edits did not apply")

        let fast = try KernelExecution.run(overlapped, config: overlapped.config, seed: 1, mode: .functional)
        let slow = try KernelExecution.run(serialized, config: serialized.config, seed: 1, mode: .functional)
        #expect(fast.verification == .bitExact)
        #expect(slow.verification == .bitExact)
        #expect(fast.statistics.cycles < slow.statistics.cycles)
        #expect(fast.statistics.macs == slow.statistics.macs)
    }
}
