import ISA
import Simulator

/// Runs a hand-written kernel end to end, as `npu exec` does: fills the program's inputs with
/// seeded random data (constants come from the program's DRAM image), runs it on the simulated device, evaluates the program's `.check`
/// reference computations on the CPU, and compares every output bit for bit.
public enum KernelExecution {
    /// The outcome of verifying a program's outputs.
    public enum Verification: Equatable, Sendable {
        /// Every output equals its reference bit for bit.
        case bitExact
        /// The first output that differs, with its first differing element.
        case mismatch(String)
        /// Not verified, and why (timing-only run, or no `.check` for an output).
        case skipped(String)

        public var isVerified: Bool { self == .bitExact }
    }

    /// What a kernel run produced.
    public struct Report: Sendable {
        public var statistics: Statistics
        /// When each instruction ran (for `npu exec --trace`).
        public var timeline: Timeline
        public var inputs: [String: Tensor]
        public var outputs: [String: Tensor]
        public var verification: Verification
    }

    /// The seed used for input number `index`, derived from the run's seed so that each input
    /// gets its own stream and the same seed always gives the same data.
    static func inputSeed(_ seed: UInt64, index: Int) -> UInt64 { seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15 }

    public static func run(_ program: Program, config: HardwareConfig, seed: UInt64,
                           mode: SimulationMode) throws(RuntimeError) -> Report {
        var inputs: [String: Tensor] = [:]
        for (index, symbol) in program.inputs.enumerated() {
            inputs[symbol.name] = Tensor.random(shape: symbol.shape, type: symbol.type, range: symbol.fillRange,
                                                seed: inputSeed(seed, index: index))
        }
        return try run(program, config: config, inputs: inputs, mode: mode)
    }

    /// Runs `program` with the given input tensors (one per `.input` symbol, of its shape and type).
    public static func run(_ program: Program, config: HardwareConfig, inputs given: [String: Tensor],
                           mode: SimulationMode) throws(RuntimeError) -> Report {
        var device = Device(config: config)
        try device.load(program)
        var inputs = try device.copyOut(program.constants)
        for symbol in program.inputs {
            guard let tensor = given[symbol.name] else { throw .missingTensor(symbol.name) }
            guard tensor.shape == symbol.shape, tensor.type == symbol.type else {
                throw .check("input '\(symbol.name)' must be \(symbol.type)\(symbol.shape), got \(tensor.description)")
            }
            try device.copyIn(tensor, to: symbol.address)
            inputs[symbol.name] = tensor
        }
        let run = try device.runWithTimeline(program, mode: mode)
        guard mode == .functional else {
            return Report(statistics: run.statistics, timeline: run.timeline, inputs: inputs, outputs: [:],
                          verification: .skipped("timing-only run"))
        }
        let outputs = try device.copyOut(program.outputs)
        return Report(statistics: run.statistics, timeline: run.timeline, inputs: inputs, outputs: outputs,
                      verification: try verify(program, inputs: inputs, outputs: outputs))
    }

    /// Evaluates the program's checks on `inputs` and compares each output with its reference.
    public static func verify(_ program: Program, inputs: [String: Tensor],
                              outputs: [String: Tensor]) throws(RuntimeError) -> Verification {
        guard !program.outputs.isEmpty else { return .skipped("the program declares no outputs") }
        let references: [String: Tensor]
        do {
            references = try CheckProgram(lines: program.checks).evaluate(inputs: inputs)
        } catch {
            throw .check(error.description)
        }
        for symbol in program.outputs {
            guard let reference = references[symbol.name] else {
                return .skipped("no .check computes output '\(symbol.name)'")
            }
            if let mismatch = Checker.compare(name: symbol.name, device: outputs[symbol.name]!, reference: reference) {
                return .mismatch(mismatch.description)
            }
        }
        return .bitExact
    }
}
