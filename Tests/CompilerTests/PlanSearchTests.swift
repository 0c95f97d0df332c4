@testable import Compiler
import ISA
import Testing

/// The plan search's pruning: `PlanTraffic` counts a candidate's DMAs as its schedule issues them
/// and never more bytes than they move, and `PlanSearch.lowerBound` never exceeds the pipeline
/// model's estimate, so stopping at the first candidate whose bound exceeds the best estimate
/// loses nothing: the search returns the cheapest candidate.
@Suite struct PlanSearchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var layer: Layer
        var config: HardwareConfig
        var dataType: DataType
        /// A view of wider containing tensors; `nil`: dense tensors packed from address 0.
        var placement: LayerPlacement?
        var testDescription: String { "\(layer.name) \(layer.input) on \(config.name)" }

        init(_ layer: Layer, _ config: HardwareConfig, placement: LayerPlacement? = nil) {
            self.layer = layer
            self.config = config
            dataType = config.dataType
            self.placement = placement
        }

        /// The search's inputs: the layer's geometry, timing-only numerics and DRAM layout.
        func inputs() throws -> (g: LayerGeometry, numerics: LayerNumerics, layout: DRAMLayout) {
            let g = try LayerGeometry(layer, dataType: dataType)
            let numerics = try LayerNumerics(g, parameters: nil, quantization: .defaults(for: dataType))
            return (g, numerics, placement.map { DRAMLayout(g, placement: $0) } ?? DRAMLayout(g))
        }
    }

    static let maxPool = Pooling(kind: .max, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2)

    /// Layers of every kind the search plans (odd sizes give partial tiles), on each preset.
    static let cases: [Case] = [HardwareConfig.diannao, .edge, .tpu].flatMap { config in
        [
            Case(convLayer("conv3x3", input: FeatureShape(height: 14, width: 14, channels: 64), filters: 64, kernel: (3, 3),
                           padding: Padding(1), activation: .relu), config),
            Case(convLayer("strided", input: FeatureShape(height: 15, width: 15, channels: 48), filters: 40, kernel: (3, 3), stride: 2,
                           padding: Padding(1), activation: .relu), config),
            Case(convLayer("stem", input: FeatureShape(height: 32, width: 32, channels: 3), filters: 16, kernel: (7, 7), stride: 2,
                           padding: Padding(3), activation: .relu), config),
            Case(convLayer("pointwise", input: FeatureShape(height: 14, width: 14, channels: 256), filters: 72, kernel: (1, 1)), config),
            Case(convLayer("depthwise", input: FeatureShape(height: 14, width: 14, channels: 32), filters: 32, kernel: (3, 3),
                           padding: Padding(1), groups: 32, activation: .relu6), config),
            Case(convLayer("grouped", input: FeatureShape(height: 10, width: 10, channels: 64), filters: 64, kernel: (3, 3),
                           padding: Padding(1), groups: 4), config),
            Case(convLayer("dilated", input: FeatureShape(height: 12, width: 12, channels: 32), filters: 32, kernel: (3, 3),
                           padding: Padding(2), dilation: 2, activation: .sigmoid), config),
            Case(convLayer("fusedpool", input: FeatureShape(height: 16, width: 16, channels: 32), filters: 48, kernel: (3, 3),
                           padding: Padding(1), activation: .leakyRelu(alpha: 0.1), pooling: maxPool), config),
            Case(Layer(name: "batched", operation: .convolution(Convolution(outputChannels: 32, kernelHeight: 3, kernelWidth: 3,
                                                                            padding: Padding(1))),
                       input: FeatureShape(height: 8, width: 8, channels: 32), activation: .relu, batch: 3), config),
            Case(Layer(name: "fc", operation: .fullyConnected(outputFeatures: 300), input: FeatureShape(height: 1, width: 1, channels: 1024),
                       activation: .leakyRelu(alpha: 0.1)), config),
            Case(Layer(name: "maxpool", operation: .pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2,
                                                                    padding: Padding(1))),
                       input: FeatureShape(height: 28, width: 28, channels: 64)), config),
            Case(Layer(name: "avgpool", operation: .pooling(Pooling(kind: .average, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2)),
                       input: FeatureShape(height: 14, width: 14, channels: 64)), config),
            // Channel slices of concatenations: 64 of 96 input channels, 32 of 128 output channels.
            Case(convLayer("slices", input: FeatureShape(height: 14, width: 14, channels: 64), filters: 32, kernel: (1, 1)), config,
                 placement: LayerPlacement(input: TensorPlacement(address: 0, channels: 96, channelOffset: 16),
                                           output: TensorPlacement(address: 1 << 20, channels: 128, channelOffset: 32),
                                           constants: 2 << 20)),
        ]
    }

    /// At most this many candidates of a case are checked (every n-th in the search's order), so
    /// the diannao cases' long schedules stay quick.
    static let sampledCandidates = 48

    @Test(arguments: cases)
    func trafficCountsTheSchedulesDMAsAndBoundStaysBelowTheEstimate(_ c: Case) throws {
        let (g, numerics, layout) = try c.inputs()
        let plans = PlanSearch.candidates(g, config: c.config)
        try #require(!plans.isEmpty)
        let burst = c.config.dram.burstBytes
        for plan in stride(from: 0, to: plans.count, by: max(1, plans.count / Self.sampledCandidates)).map({ plans[$0] }) {
            let schedule = TileSchedule(g, numerics: numerics, plan: plan, layout: layout, config: c.config)
            let traffic = PlanTraffic(g, plan: plan, layout: layout, config: c.config)
            let loads = schedule.steps.flatMap(\.loads)
            #expect(traffic.loads == loads.count, "\(plan)")
            #expect(traffic.loadBytes <= loads.reduce(0) { $0 + DRAMTiming.trafficBytes($1, burst: burst) }, "\(plan)")
            #expect(traffic.stores == schedule.stores.count, "\(plan)")
            #expect(traffic.outputBytes <= schedule.stores.reduce(0) { $0 + DRAMTiming.trafficBytes($1, burst: burst) }, "\(plan)")
            #expect(traffic.steps == schedule.steps.count, "\(plan)")
            let estimate = PipelineModel.estimate(schedule, config: c.config)
            #expect(PlanSearch.lowerBound(g, plan, layout: layout, config: c.config) <= estimate.cycles, "\(plan)")
        }
    }

    /// Small layers, whose candidates can all be scored: the search's choice costs what the
    /// cheapest candidate costs (fewest cycles, then fewest DRAM bytes).
    static let exhaustiveCases: [Case] = [HardwareConfig.diannao, .edge].flatMap { config in
        [
            Case(convLayer("conv3x3", input: FeatureShape(height: 9, width: 9, channels: 32), filters: 48, kernel: (3, 3),
                           padding: Padding(1), activation: .relu), config),
            Case(Layer(name: "fc", operation: .fullyConnected(outputFeatures: 100), input: FeatureShape(height: 1, width: 1, channels: 600)),
                 config),
            Case(Layer(name: "maxpool", operation: .pooling(Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2)),
                       input: FeatureShape(height: 13, width: 13, channels: 48)), config),
        ]
    }

    @Test(arguments: exhaustiveCases)
    func searchFindsTheCheapestCandidate(_ c: Case) throws {
        let (g, numerics, layout) = try c.inputs()
        let estimates = PlanSearch.candidates(g, config: c.config).map {
            PipelineModel.estimate(TileSchedule(g, numerics: numerics, plan: $0, layout: layout, config: c.config), config: c.config)
        }
        let cheapest = try #require(estimates.min { ($0.cycles, $0.dramBytes) < ($1.cycles, $1.dramBytes) })
        let choice = try PlanSearch.best(g, numerics: numerics, layout: layout, config: c.config)
        #expect(choice.estimate.cycles == cheapest.cycles)
        #expect(choice.estimate.dramBytes == cheapest.dramBytes)
    }
}
