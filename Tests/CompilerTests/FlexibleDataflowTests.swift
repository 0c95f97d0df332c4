import HostRuntime
import ISA
import Simulator
import Testing
@testable import Compiler

/// On a flexible array (`dataflow any`) the plan search tries each dataflow and keeps the
/// fastest plan per layer.
@Suite struct FlexibleDataflowTests {
    static func edge(_ name: String) -> HardwareConfig {
        var config = HardwareConfig.edge
        config.array = config.array.with(dataflowNamed: name)!
        return config
    }

    static let layers: [Layer] = [
        convLayer("conv3x3", input: FeatureShape(height: 14, width: 14, channels: 64), filters: 64, kernel: (3, 3), padding: Padding(1)),
        convLayer("pointwise", input: FeatureShape(height: 7, width: 7, channels: 160), filters: 96, kernel: (1, 1)),
        convLayer("stem", input: FeatureShape(height: 32, width: 32, channels: 3), filters: 16, kernel: (3, 3), stride: 2, padding: Padding(1)),
    ]

    /// The flexible array's estimate is at most the best fixed array's, its plan names the
    /// dataflow it runs, and the program still verifies bit-exact.
    @Test(arguments: layers)
    func flexibleArrayTakesTheFastestDataflow(_ layer: Layer) throws {
        let fixed = try ["ws", "os", "is"].map {
            try LayerCompiler.compile(layer, config: Self.edge($0), dataType: .int8, parameters: nil, quantization: nil).estimatedCycles
        }
        let flexible = try compileAndVerify(layer, config: Self.edge("any"), dataType: .int8)
        #expect(flexible.estimatedCycles <= fixed.min()!, "\(layer.name): \(flexible.estimatedCycles) against \(fixed)")
        #expect(flexible.plan.dataflow != .array)
        #expect(flexible.plan.description.contains("dataflow \(flexible.plan.dataflow)"))
    }

    /// A fixed array's plans keep the configured dataflow, and a plan naming another is refused.
    @Test func fixedArraysKeepTheirDataflow() throws {
        let layer = Self.layers[0]
        let compiled = try LayerCompiler.compile(layer, config: Self.edge("os"), dataType: .int8, parameters: nil, quantization: nil)
        #expect(compiled.plan.dataflow == .array)
        var plan = compiled.plan
        plan.dataflow = .inputStationary
        #expect(throws: CompilerError.self) {
            try LayerCompiler.compile(layer, config: Self.edge("os"), dataType: .int8, parameters: nil, quantization: nil, plan: plan)
        }
    }
}
