import Compiler
import ISA
import Simulator
import Testing

@Suite struct ShapeAndValidationTests {
    @Test func outputShapes() throws {
        let stem = convLayer("stem", input: FeatureShape(height: 224, width: 224, channels: 3), filters: 64, kernel: (7, 7), stride: 2,
                             padding: Padding(3))
        #expect(try stem.outputShape() == FeatureShape(height: 112, width: 112, channels: 64))
        let fused = convLayer("fused", input: FeatureShape(height: 9, width: 7, channels: 4), filters: 8, kernel: (3, 3),
                              padding: Padding(1), pooling: .square(.max, 2))
        #expect(try fused.outputShape() == FeatureShape(height: 4, width: 3, channels: 8))
        let ceil = Layer(name: "ceil", operation: .pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2,
                                                                    ceilMode: true)), input: FeatureShape(height: 8, width: 8, channels: 2))
        #expect(try ceil.outputShape() == FeatureShape(height: 4, width: 4, channels: 2))
        let fc = Layer(name: "fc", operation: .fullyConnected(outputFeatures: 10), input: FeatureShape(height: 1, width: 4, channels: 32))
        let compiled = try LayerCompiler.compile(fc, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.program.outputs.first?.shape == [1, 4, 10])
        #expect(compiled.macs == 4 * 32 * 10)
    }

    func rejects(_ layer: Layer, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
            Issue.record("\(layer.name) compiled", sourceLocation: sourceLocation)
        } catch {
            guard case .invalidLayer(let name, let message) = error else {
                Issue.record("unexpected \(error) for \(layer.name)", sourceLocation: sourceLocation)
                return
            }
            #expect(name == layer.name, sourceLocation: sourceLocation)
            #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        }
    }

    @Test func invalidLayersAreRejected() {
        let shape = FeatureShape(height: 5, width: 5, channels: 6)
        rejects(convLayer("zero", input: FeatureShape(height: 0, width: 5, channels: 6), filters: 4, kernel: (3, 3)), "positive sizes")
        rejects(convLayer("nofilters", input: shape, filters: 0, kernel: (3, 3)), "filters must be positive")
        rejects(convLayer("large", input: shape, filters: 4, kernel: (7, 7), padding: Padding(top: 1, bottom: 0, left: 1, right: 1)), "larger than the padded input")
        rejects(convLayer("groups", input: shape, filters: 4, kernel: (3, 3), groups: 4), "not divisible by groups")
        rejects(convLayer("bad name", input: shape, filters: 4, kernel: (3, 3)), "identifier")
        rejects(convLayer("overlap", input: shape, filters: 4, kernel: (3, 3),
                          pooling: Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2)), "separate pooling layer")
        rejects(Layer(name: "avgpad", operation: .pooling(Pooling(kind: .average, windowHeight: 3, windowWidth: 3, strideY: 1, strideX: 1,
                                                                   padding: Padding(1), countIncludePadding: false)), input: shape),
                "count_include_pad=false")
        rejects(convLayer("allpad", input: shape, filters: 4, kernel: (1, 1), padding: Padding(1)), "entirely in the padding")
    }
}

@Suite struct PlanTests {
    static let layer = convLayer("layer", input: FeatureShape(height: 56, width: 56, channels: 64), filters: 64, kernel: (3, 3),
                                 padding: Padding(1), activation: .relu)

    @Test func validatorNamesTheBufferThatOverflows() throws {
        let plan = TilePlan(rows: 56, columns: 56, outputChannels: 64, inputChannels: 64, inputBuffers: 1)
        #expect(throws: CompilerError.self) { try plan.validate(layer: Self.layer, config: .edge, dataType: .int8) }
        do {
            try plan.validate(layer: Self.layer, config: .edge, dataType: .int8)
        } catch {
            guard case .invalidPlan(_, let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("NBout holds 131072 bytes"), "\(message)")
        }
        let band = TilePlan(rows: 56, columns: 56, outputChannels: 1, inputChannels: 64)
        do {
            _ = try LayerCompiler.compile(Self.layer, config: .diannao, dataType: .int16, parameters: nil, quantization: nil, plan: band)
            Issue.record("an oversized plan compiled")
        } catch {
            guard case .invalidPlan(_, let message) = error else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("NBin holds 2048 bytes"), "\(message)")
        }
        let notWholePools = TilePlan(rows: 3, columns: 4, outputChannels: 8, inputChannels: 4)
        let pooled = convLayer("pooled", input: FeatureShape(height: 8, width: 8, channels: 4), filters: 8, kernel: (3, 3),
                               padding: Padding(1), pooling: .square(.max, 2))
        #expect(throws: CompilerError.self) { try notWholePools.validate(layer: pooled, config: .edge, dataType: .int8) }
    }

    @Test func noPlanFitsNamesTheBuffer() {
        var config = HardwareConfig.diannao
        config.nbin.capacityBytes = 64
        let layer = convLayer("dilated", input: FeatureShape(height: 16, width: 16, channels: 4), filters: 4, kernel: (7, 7))
        do {
            _ = try LayerCompiler.compile(layer, config: config, dataType: .int16, parameters: nil, quantization: nil)
            Issue.record("compiled with a 64-byte NBin")
        } catch {
            guard case .noPlanFits(let name, let message) = error else { Issue.record("\(error)"); return }
            #expect(name == "dilated")
            #expect(message.hasPrefix("NBin holds 64 bytes"), "\(message)")
            #expect(error.description.contains("no tile plan fits"))
        }
    }

    /// 8x8x16 -> 16 filters, 3x3, pad 1, int8 on edge: 147,456 MACs / 1024 = 144 cycles; weights
    /// 2304 + input 1024 + output 1024 = 4352 bytes / 25.6 bytes per cycle = 170 cycles: memory bound.
    @Test func rooflineHandCase() throws {
        let layer = convLayer("hand", input: FeatureShape(height: 8, width: 8, channels: 16), filters: 16, kernel: (3, 3), padding: Padding(1))
        let roofline = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil).roofline
        #expect(roofline.macs == 147_456)
        #expect(roofline.compulsoryBytes == 4352)
        #expect(roofline.computeCycles == 144)
        #expect(roofline.memoryCycles == 170)
        #expect(roofline.cycles == 170)
        #expect(roofline.bound == .memory)
    }

    @Test func searchPicksALegalPlanThatBeatsABadOne() throws {
        let searched = try LayerCompiler.compile(Self.layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        try searched.plan.validate(layer: Self.layer, config: .edge, dataType: .int8)
        let bad = TilePlan(rows: 1, columns: 8, outputChannels: 32, inputChannels: 16, loopOrder: .inputOuter,
                           inputBuffers: 1, weightBuffers: 1, outputBuffers: 1)
        let forced = try LayerCompiler.compile(Self.layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil, plan: bad)
        #expect(forced.plan == bad)
        #expect(searched.estimatedCycles < forced.estimatedCycles)
        #expect(searched.estimatedCycles >= searched.roofline.cycles)
        #expect(!searched.plan.description.isEmpty)
    }

    /// With double-buffered accumulators the matrix unit computes the next tile while the vector
    /// unit runs this tile's output stage, and the pipeline model that chose the plan predicts the
    /// simulated cycles closely.
    @Test(arguments: [(56, 64, 3), (28, 256, 1), (14, 512, 3)])
    func matmulsOverlapTheOutputStageAsEstimated(size: Int, channels: Int, kernel: Int) throws {
        let layer = convLayer("overlap", input: FeatureShape(height: size, width: size, channels: channels), filters: channels,
                              kernel: (kernel, kernel), padding: Padding(kernel / 2), activation: .relu)
        let compiled = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.plan.outputBuffers >= 2)
        let statistics = try Simulator(config: .edge).run(compiled.program, dram: DRAMImage(capacityBytes: 1 << 24),
                                                          mode: .timingOnly).statistics
        let matrix = statistics[ComputeUnit.matrix].busyCycles, vector = statistics[ComputeUnit.vector].busyCycles
        #expect(matrix + vector > statistics[Engine.compute].busyCycles + vector / 2, "matrix \(matrix) vector \(vector)")
        let deviation = abs(Double(compiled.estimatedCycles) / Double(statistics.cycles) - 1)
        #expect(deviation < 0.05, "estimated \(compiled.estimatedCycles), simulated \(statistics.cycles)")
    }

    @Test func timingOnlyProgramsHaveTheSameInstructions() throws {
        let layer = convLayer("same", input: FeatureShape(height: 6, width: 6, channels: 5), filters: 7, kernel: (3, 3), padding: Padding(1),
                              activation: .sigmoid)
        let quantization = testQuantization(.int8)
        let timing = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: nil, quantization: quantization)
        let full = try LayerCompiler.compile(layer, config: .edge, dataType: .int8, parameters: try randomParameters(layer, seed: 5),
                                             quantization: quantization)
        #expect(timing.program.instructions == full.program.instructions)
        #expect(timing.program.segments.isEmpty && timing.program.checks.isEmpty)
        #expect(!full.program.segments.isEmpty && !full.program.checks.isEmpty)
    }
}
