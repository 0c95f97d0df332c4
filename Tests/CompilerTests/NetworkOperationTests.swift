import Compiler
import HostRuntime
import ISA
import Testing

/// Device operations of the network compiler besides convolutions: the residual add.
@Suite struct NetworkOperationTests {
    static let quantizations: [AddQuantization] = [
        AddQuantization(a: Quantization(scale: 0.02, zeroPoint: 3), b: Quantization(scale: 0.05, zeroPoint: -7),
                        output: Quantization(scale: 0.04, zeroPoint: 1)),
        .uniform(Quantization(scale: 1.0 / 64, zeroPoint: 0)),
        AddQuantization(a: Quantization(scale: 0.1, zeroPoint: -128), b: Quantization(scale: 0.003, zeroPoint: 127),
                        output: Quantization(scale: 0.01, zeroPoint: -20)),
    ]

    @Test(arguments: quantizations, [false, true])
    func residualAddIsBitExact(quantization: AddQuantization, relu: Bool) throws {
        for config in [HardwareConfig.edge, .diannao] {
            let add = ResidualAdd(name: "add", shape: FeatureShape(height: 9, width: 7, channels: 24), relu: relu)
            let compiled = try ElementwiseAddCompiler.compile(add, config: config, dataType: .int8, quantization: quantization)
            let report = try KernelExecution.run(compiled.program, config: config, seed: 5, mode: .functional)
            #expect(report.verification == .bitExact, "\(config.name): \(report.verification)")
        }
    }

    @Test func residualAddInt16IsBitExact() throws {
        let add = ResidualAdd(name: "add16", shape: FeatureShape(height: 5, width: 5, channels: 40), relu: true)
        let q = AddQuantization(a: Quantization(scale: 1.0 / 256, zeroPoint: 0), b: Quantization(scale: 1.0 / 1024, zeroPoint: 0),
                                output: Quantization(scale: 1.0 / 512, zeroPoint: 0))
        let compiled = try ElementwiseAddCompiler.compile(add, config: .diannao, dataType: .int16, quantization: q)
        let report = try KernelExecution.run(compiled.program, config: .diannao, seed: 2, mode: .functional)
        #expect(report.verification == .bitExact, "\(report.verification)")
    }

    /// The sum is close to the real sum: the integer formula is a faithful requantization.
    @Test func residualAddApproximatesTheRealSum() throws {
        let q = Self.quantizations[0]
        let add = ResidualAdd(name: "add", shape: FeatureShape(height: 4, width: 4, channels: 8))
        let compiled = try ElementwiseAddCompiler.compile(add, config: .edge, dataType: .int8, quantization: q)
        let report = try KernelExecution.run(compiled.program, config: .edge, seed: 9, mode: .functional)
        let (a, b, y) = (report.inputs["A"]!.integers, report.inputs["B"]!.integers, report.outputs["Y"]!.integers)
        for i in a.indices {
            let real = q.a.scale * Double(a[i] - Int64(q.a.zeroPoint)) + q.b.scale * Double(b[i] - Int64(q.b.zeroPoint))
            let expected = min(max((real / q.output.scale).rounded() + Double(q.output.zeroPoint), -128), 127)
            #expect(abs(Double(y[i]) - expected) <= 1)
        }
    }
}
