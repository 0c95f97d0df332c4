import Compiler
import ISA
import Simulator
import Testing

/// The cycles of one LSTM time step on the `diannao` preset, derived by hand from the cost model
/// and compared with the simulator.
@Suite struct RecurrentCycleTests {
    /// One LSTM direction (hidden 16, input 16, batch 1) on diannao: everything fits on chip (one
    /// block, `Wh` resident), so a step is the compute engine's dependency chain, and the loads of
    /// the next step's block of `P` finish long before it starts (4 x 32 bytes behind a 50-cycle
    /// DRAM latency, issued when the previous step's `vadd` releases the slot).
    ///
    /// The derivation, from `SystolicTiming` (double-buffered weight-stationary array) and
    /// `InstructionCost.vectorCycles` (`ceil(elements / lanes) + latency`):
    /// - each gate's `matmul`: 1 pixel (T = 1), window W = H = 16 rows, K = 16 columns, one fold:
    ///   `rows + folds * max(T, rows) + rows + cols - 2 = 16 + 16 + 16 + 16 - 2 = 62`;
    ///   the four run back to back on the matrix unit: matmul 3 starts at 186 and ends at 248;
    /// - `cfg.requant` (1 cycle) issues once matmul 3 has started (in-order issue): 186..187;
    /// - `vrequantc` of gates i, f, g (16 elements: 1 + 3 = 4 cycles each) read accumulators
    ///   matmuls 0-2 finished and overlap matmul 3: 187..199; gate o's waits for matmul 3:
    ///   248..252;
    /// - then the vector chain on 16-element blocks (4 cycles each unless noted): `vadd` of the
    ///   projection over 64 elements (4 + 3 = 7), `vpwl` i and f together (32 elements: 5),
    ///   `vpwl` g, `vpwl` o, `vmul` f*c, `vmul` i*g, `vadd` c', `vpwl` tanh(c'), `vmul` h',
    ///   `cfg.requant` (1), `vrequant` h' into NBin: 252 + 7 + 5 + 4 * 7 + 1 + 4 = 297;
    /// - the next step's first `matmul` reads that hidden state, so it starts at 297.
    @Test func oneLSTMStepOnDianNaoMatchesTheHandDerivation() throws {
        let config = HardwareConfig.diannao
        let (rows, cols, lanes, latency) = (config.array.rows, config.array.cols, config.vector.lanes, config.vector.latencyCycles)
        #expect((rows, cols, lanes, latency) == (16, 16, 16, 3), "the derivation's constants")
        let hidden = 16
        func vector(_ elements: Int) -> Int { (elements + lanes - 1) / lanes + latency }
        let matmul = rows + 1 * max(1, rows) + rows + cols - 2
        let lastMatmulEnd = 4 * matmul
        let gateO = lastMatmulEnd + vector(hidden)
        let chain = vector(4 * hidden) + vector(2 * hidden) + 7 * vector(hidden) + 1 + vector(hidden)
        let step = gateO + chain
        #expect(matmul == 62 && step == 297)

        // The simulator's step: the time between the ends of consecutive steps' last instruction
        // (the `vrequant` of the hidden state), from the timeline of an 8-step run.
        let direction = RecurrentDirection(name: "lstm", recurrent: .lstm(hiddenSize: hidden),
                                           sequence: FeatureShape(height: 1, width: 8, channels: 16))
        let compiled = try RecurrentCompiler.compile(direction, config: config, dataType: .int16, parameters: nil, quantization: nil)
        #expect(compiled.weightsResident && compiled.blocksPerStep == 1)
        let program = compiled.program
        let result = try Simulator(config: config).run(program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes), mode: .timingOnly)
        let stepEnds = result.timeline.filter { entry in
            if case .vector(let v) = program.instructions[entry.index].operation { return v.function == .requantize }
            return false
        }.map(\.end)
        #expect(stepEnds.count == 8)
        let periods = zip(stepEnds.dropFirst(), stepEnds).map { $0 - $1 }
        #expect(periods == Array(repeating: step, count: 7), "simulated steps: \(periods)")
        // The roofline's dependency-chain bound stays below: the same chain without the second
        // register write, 8 steps of 296 cycles.
        #expect(compiled.roofline.latencyCycles == 8 * (step - 1))
    }

    /// The steps of the two GRU forms (hidden 16, input 16, batch 1, one block, `Wh` resident) on
    /// diannao, each a 62-cycle matmul per gate (see above) and 4-cycle vector operations on 16
    /// elements (5 on 32), derived from the timeline's rules as above:
    /// - PyTorch's form: the three matmuls back to back (186), then `vrequantc` n, `vadd` of P
    ///   to r and z (32 elements: 5), `vpwl` r and z (5), `vmul` r * R_n, `vadd` P_n, `vpwl`
    ///   tanh, `vmul` z * n, `vsub`, `vmul` z * h, `vadd`, `cfg.requant` (1), `vrequant`:
    ///   186 + 4 + 5 + 5 + 7 * 4 + 1 + 4 = 233;
    /// - resetting before the matmul, pass 1: the r matmul (62), `vrequantc`, `vadd`, `vpwl`,
    ///   `vmul` r * h (4 x 4), `cfg.requant` (1); the `vrequant` of r * h into NBin starts at 79,
    ///   and so (in-order issue) does pass 2's z matmul, with the n matmul after it on the array:
    ///   79 + 2 * 62 = 203. z's `vrequantc`, `vadd` and `vpwl` overlap n's matmul; `vmul` z * h
    ///   reads the state and slot 1, whose one NBout span covers n's accumulators, so it waits
    ///   for n's matmul: then it, `vrequantc` n, `vadd`, `vpwl` tanh, `vmul` z * n, `vsub`,
    ///   `vadd`, `cfg.requant`, `vrequant`: 203 + 7 * 4 + 1 + 4 = 236.
    @Test func gruStepsOnDianNaoMatchTheHandDerivation() throws {
        let config = HardwareConfig.diannao
        let (rows, cols, lanes, latency) = (config.array.rows, config.array.cols, config.vector.lanes, config.vector.latencyCycles)
        #expect((rows, cols, lanes, latency) == (16, 16, 16, 3), "the derivation's constants")
        func vector(_ elements: Int) -> Int { (elements + lanes - 1) / lanes + latency }
        let matmul = rows + 1 * max(1, rows) + rows + cols - 2, hidden = 16
        let pytorch = 3 * matmul + vector(hidden) + 2 * vector(2 * hidden) + 7 * vector(hidden) + 1 + vector(hidden)
        let passOne = matmul + 4 * vector(hidden) + 1
        let resetBeforeMatmul = passOne + 2 * matmul + 7 * vector(hidden) + 1 + vector(hidden)
        #expect(pytorch == 233 && resetBeforeMatmul == 236)

        for (cell, step) in [(Recurrent.Cell.gru, pytorch), (.gru(resetBeforeMatmul: true), resetBeforeMatmul)] {
            let direction = RecurrentDirection(name: "gru", recurrent: Recurrent(cell: cell, hiddenSize: hidden),
                                               sequence: FeatureShape(height: 1, width: 8, channels: 16))
            let compiled = try RecurrentCompiler.compile(direction, config: config, dataType: .int16, parameters: nil, quantization: nil)
            #expect(compiled.weightsResident && compiled.blocksPerStep == 1)
            let program = compiled.program
            let result = try Simulator(config: config).run(program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes),
                                                           mode: .timingOnly)
            // The `vrequant` writing the hidden state into one of NBin's two 64-byte buffers ends
            // each step (the reset form's other writes `r * h` into the third).
            let hiddenBuffers = 2 * 64
            let stepEnds = result.timeline.filter { entry in
                if case .vector(let v) = program.instructions[entry.index].operation {
                    return v.function == .requantize && v.destinationBuffer == .nbin && v.destinationAddress < hiddenBuffers
                }
                return false
            }.map(\.end)
            #expect(stepEnds.count == 8)
            let periods = zip(stepEnds.dropFirst(), stepEnds).map { $0 - $1 }
            #expect(periods == Array(repeating: step, count: 7), "\(cell): simulated steps \(periods)")
            #expect(compiled.roofline.latencyCycles <= 8 * step)
        }
    }
}
