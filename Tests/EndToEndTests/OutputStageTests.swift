import HostRuntime
import ISA
import Testing

/// `vrequantc bias=1`: bias add, per-channel scale and clamp in one output-stage pass, on the
/// device and in the reference (a `.constant` record table read by the check).
@Suite struct OutputStageTests {
    @Test func perChannelRequantizationWithBiasIsBitExact() throws {
        // Records (mult, shift, bias) for 4 channels; X is 8 pixels x 4 channels of int32.
        let source = """
            .config edge
            .input X addr=0x0 shape=8x4 type=i32 range=-300000,300000
            .constant P addr=0x100 shape=4x3 type=i32
            .output Y addr=0x200 shape=8x4 type=i8
            .check Y = requant(X, P, zp=-3, lo=-128, hi=127, type=i8)
            .data dram=0x100 type=i32 values=1073741824,20,-5000,1518500250,21,70000,2147483647,19,0,1200000000,22,-2147483648
                load buf=nbout type=i32 dram=0x0 addr=0 x=32
                load buf=nbout type=i32 dram=0x100 addr=0x400 x=12 push_next
                cfg.requant mult=1 shift=0 zp=-3 lo=-128 hi=127 pop_prev
                vrequantc dst=0x800 a=0 b=0x400 type=i32 dst_type=i8 x=4 y=8 b_bcast=1 bias=1 push_next
                store buf=nbout type=i8 dram=0x200 addr=0x800 x=32 pop_prev
                halt
            """
        let program = try Assembler().assemble(source, file: "bias.s")
        for seed: UInt64 in 1...5 {
            let report = try KernelExecution.run(program, config: program.config, seed: seed, mode: .functional)
            #expect(report.verification == .bitExact, "seed \(seed): \(report.verification)")
        }
        // The saturating bias add: channel 3's bias of -2^31 pins every value at the int32 minimum.
        let report = try KernelExecution.run(program, config: program.config, seed: 1, mode: .functional)
        let y = try #require(report.outputs["Y"])
        for pixel in 0..<8 { #expect(y.integer(at: pixel * 4 + 3) == -128) }
    }
}
