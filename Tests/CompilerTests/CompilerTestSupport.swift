import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// Deterministic test data drawn from the runtime's SplitMix64.
struct TestRandom {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func float(_ range: ClosedRange<Double>) -> Float { Float(range.lowerBound + (range.upperBound - range.lowerBound) * unit()) }
    mutating func bool() -> Bool { next() & 1 == 1 }
}

/// Random real parameters for `layer` (weights, bias and batch norm as the layer declares).
func randomParameters(_ layer: Layer, seed: UInt64) throws -> LayerParameters? {
    guard let convolution = layer.convolution else { return nil }
    var random = TestRandom(seed: seed)
    let k = convolution.outputChannels
    let count = convolution.kernelHeight * convolution.kernelWidth * (layer.input.channels / convolution.groups) * k
    let weights = (0..<count).map { _ in random.float(-0.5...0.5) }
    let bias = layer.hasBias ? (0..<k).map { _ in random.float(-1...1) } : nil
    let batchNorm = layer.hasBatchNorm
        ? BatchNormParameters(gamma: (0..<k).map { _ in random.float(0.5...1.5) }, beta: (0..<k).map { _ in random.float(-0.5...0.5) },
                              mean: (0..<k).map { _ in random.float(-0.5...0.5) }, variance: (0..<k).map { _ in random.float(0.5...2) })
        : nil
    return LayerParameters(weights: weights, bias: bias, batchNorm: batchNorm)
}

/// Quantization for tests: int8 affine with nonzero zero points; int16 Q.8 in, Q.10 out.
func testQuantization(_ dataType: DataType, pooling: Bool = false) -> ActivationQuantization {
    if dataType == .int16 {
        return ActivationQuantization(input: Quantization(scale: 1.0 / 256, zeroPoint: 0),
                                      output: Quantization(scale: pooling ? 1.0 / 256 : 1.0 / 1024, zeroPoint: 0))
    }
    let input = Quantization(scale: 0.02, zeroPoint: 3)
    return ActivationQuantization(input: input, output: pooling ? input : Quantization(scale: 0.05, zeroPoint: -7))
}

/// Compiles `layer` with random parameters and verifies it bit-exact on the simulator; returns the compiled layer.
@discardableResult
func compileAndVerify(_ layer: Layer, config: HardwareConfig, dataType: DataType, seed: UInt64 = 1,
                      plan: TilePlan? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> CompiledLayer {
    let compiled = try LayerCompiler.compile(layer, config: config, dataType: dataType,
                                             parameters: try randomParameters(layer, seed: seed),
                                             quantization: testQuantization(dataType, pooling: layer.convolution == nil), plan: plan)
    let report = try KernelExecution.run(compiled.program, config: config, seed: seed, mode: .functional)
    #expect(report.verification == .bitExact, "\(layer.name) \(layer.input) on \(config.name): \(report.verification) plan \(compiled.plan)",
            sourceLocation: sourceLocation)
    return compiled
}

func convLayer(_ name: String = "conv", input: FeatureShape, filters: Int, kernel: (Int, Int), stride: Int = 1,
               padding: Padding = .zero, dilation: Int = 1, groups: Int = 1, bias: Bool = true, batchNorm: Bool = false,
               activation: Activation = .none, pooling: Pooling? = nil) -> Layer {
    Layer(name: name, operation: .convolution(Convolution(outputChannels: filters, kernelHeight: kernel.0, kernelWidth: kernel.1,
                                                          strideY: stride, strideX: stride, padding: padding,
                                                          dilationY: dilation, dilationX: dilation, groups: groups)),
          input: input, hasBias: bias, hasBatchNorm: batchNorm, activation: activation, pooling: pooling)
}
