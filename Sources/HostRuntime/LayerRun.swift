import Compiler
import ISA
import Simulator

/// Compiles one layer, runs it on the simulated NPU and explains the result: what `npu layer`
/// does.
///
/// A functional run draws seeded fp32 parameters and input, computes the fp32 reference,
/// calibrates the activation quantization on it (int8: asymmetric min/max; int16: the largest
/// power-of-two fraction that holds the range), compiles with those, runs the device on the
/// quantized input, and reports the quantization error of the device output against fp32. With
/// `verify`, the output is also compared bit for bit with the integer reference (the compiled
/// program's `.check` lines). A timing-only run compiles without data.
public enum LayerRun {
    public struct Options: Sendable {
        public var config: HardwareConfig
        public var dataType: DataType
        public var seed: UInt64
        public var mode: SimulationMode
        public var verify: Bool
        public var plan: TilePlan?

        public init(config: HardwareConfig, dataType: DataType, seed: UInt64 = 1, mode: SimulationMode = .functional,
                    verify: Bool = false, plan: TilePlan? = nil) {
            self.config = config
            self.dataType = dataType
            self.seed = seed
            self.mode = mode
            self.verify = verify
            self.plan = plan
        }
    }

    public struct Report: Sendable {
        public var layer: Layer
        public var outputShape: FeatureShape
        public var compiled: CompiledLayer
        public var statistics: Statistics
        public var verification: KernelExecution.Verification
        /// Device output against the fp32 reference (functional runs).
        public var quantizationError: QuantizationError?

        /// Simulated cycles over the roofline bound.
        public var rooflineRatio: Double { Double(statistics.cycles) / Double(max(compiled.roofline.cycles, 1)) }
    }

    public static func run(_ layer: Layer, options: Options) throws -> Report {
        let outputShape = try layer.outputShape()
        guard options.dataType != .fp16 else {
            throw RuntimeError.check("layer '\(layer.name)': fp16 layers are not compiled yet (use int8 or int16)")
        }
        guard options.mode == .functional else {
            let compiled = try LayerCompiler.compile(layer, config: options.config, dataType: options.dataType,
                                                     parameters: nil, quantization: nil, plan: options.plan)
            let statistics = try Device(config: options.config).runTimingOnly(compiled.program)
            return Report(layer: layer, outputShape: outputShape, compiled: compiled, statistics: statistics,
                          verification: .skipped("timing-only run"), quantizationError: nil)
        }
        let parameters = LayerParameters.random(for: layer, seed: options.seed)
        let input = FloatData.random(count: layer.input.elementCount, seed: options.seed &+ 1)
        let reference = try FloatReference.run(layer, parameters: parameters, input: input)
        var quantization = calibrate(input: input, output: reference, dataType: options.dataType)
        if case .pooling(let pooling) = layer.operation, pooling.kind == .max {
            // Max pooling selects input values: it keeps the input's quantization exactly.
            quantization.output = quantization.input
        }
        let compiled = try LayerCompiler.compile(layer, config: options.config, dataType: options.dataType,
                                                 parameters: parameters, quantization: quantization, plan: options.plan)
        let inputType = options.dataType.operandType
        let x = Quantizer.quantize(input, shape: layer.input.dimensions, type: inputType, quantization.input)
        var program = compiled.program
        if !options.verify { program.checks = [] }
        let result = try KernelExecution.run(program, config: options.config, inputs: ["X": x], mode: .functional)
        let y = try result.outputs["Y"] ?? { throw RuntimeError.missingTensor("Y") }()
        let error = QuantizationError(reference: reference, device: Quantizer.dequantize(y, quantization.output))
        return Report(layer: layer, outputShape: outputShape, compiled: compiled, statistics: result.statistics,
                      verification: options.verify ? result.verification : .skipped("not requested (--verify)"),
                      quantizationError: error)
    }

    /// Activation quantization calibrated on the sample input and the fp32 output.
    static func calibrate(input: [Float], output: [Float], dataType: DataType) -> ActivationQuantization {
        switch dataType {
        case .int16:
            ActivationQuantization(input: Calibration.fixedPoint(maxAbs: input.map(abs).max() ?? 0),
                                   output: Calibration.fixedPoint(maxAbs: output.map(abs).max() ?? 0))
        default:
            ActivationQuantization(input: Calibration.int8(min: input.min() ?? 0, max: input.max() ?? 0),
                                   output: Calibration.int8(min: output.min() ?? 0, max: output.max() ?? 0))
        }
    }
}

extension Device {
    /// Runs a program that needs no data (timing-only) on a fresh copy of this device.
    func runTimingOnly(_ program: Program) throws(RuntimeError) -> Statistics {
        var device = self
        return try device.run(program, mode: .timingOnly)
    }
}
