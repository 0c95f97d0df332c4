import Compiler
import HostRuntime
import ISA
import Testing

/// Recurrent directions compiled alone (`RecurrentCompiler`), run on the functional simulator
/// and verified bit for bit against their `.check` lines: every cell, both data types, one and
/// several sequences, both directions, weights resident and streamed, one block and several.
@Suite struct RecurrentLayerTests {
    static let cells: [(String, Recurrent.Cell)] = [
        ("rnn-tanh", .rnn(.tanh)), ("rnn-relu", .rnn(.relu)), ("lstm", .lstm(peephole: false, coupled: false)),
        ("lstm-peephole", .lstm(peephole: true, coupled: false)), ("lstm-coupled", .lstm(peephole: true, coupled: true)), ("gru", .gru),
        ("gru-reset-before-matmul", .gru(resetBeforeMatmul: true)),
    ]

    /// A configuration whose SB and NBout are small enough that a hidden size of 40 runs in
    /// several blocks with `Wh` streamed.
    static var cramped: HardwareConfig {
        var config = HardwareConfig.edge
        config.name = "cramped"
        config.sb.capacityBytes = 2 * 1024
        config.nbout.capacityBytes = 4 * 1024
        config.nbin.capacityBytes = 2 * 1024
        return config
    }

    static func parameters(_ recurrent: Recurrent, inputs: Int, seed: UInt64) -> LayerParameters {
        let bound = Float(1 / Double(recurrent.hiddenSize).squareRoot())
        let weights = recurrent.directions * recurrent.weightCount(inputFeatures: inputs)
        return LayerParameters(weights: FloatData.random(count: weights, range: -bound...bound, seed: seed),
                               bias: FloatData.random(count: recurrent.directions * recurrent.biasCount, range: -bound...bound, seed: seed + 1))
    }

    static func run(_ cell: Recurrent.Cell, config: HardwareConfig, dataType: DataType, hidden: Int = 5, inputs: Int = 6, steps: Int = 4,
                    batch: Int = 1, reverse: Bool = false, sequences: Bool = true,
                    initialState: Bool = false, initialCell: Bool = false) throws -> (KernelExecution.Report, CompiledRecurrent) {
        let recurrent = Recurrent(cell: cell, hiddenSize: hidden, bidirectional: reverse, returnSequences: sequences)
        // DianNao's 16-segment tables: the tables share SB with `Wh`, and `cramped` is sized for them.
        let direction = RecurrentDirection(name: "rnn", recurrent: recurrent, reverse: reverse,
                                           sequence: FeatureShape(height: 1, width: steps, channels: inputs), batch: batch,
                                           tables: ActivationTables(segments: 16, range: 8))
        let quantization = dataType == .int8
            ? ActivationQuantization(input: Quantization(scale: 1.0 / 64, zeroPoint: 3), output: Quantization(scale: 1.0 / 120, zeroPoint: -2))
            : ActivationQuantization(input: Quantization(scale: 1.0 / 4096, zeroPoint: 0), output: Quantization(scale: 1.0 / 16384, zeroPoint: 0))
        // A given initial state `[1][1][H]` far above everything else (dense: a standalone program's
        // symbols name the direction's own maps; a channel slice is the linker's business).
        let initial = initialState ? RecurrentInitialState(placement: TensorPlacement(address: 1 << 20), quantization: quantization.output) : nil
        // A cell state `[1][1][H]` quantized apart from the output (int8: its own zero point; int16: Q3.12, |c| < 8).
        let cellQuantization = dataType == .int8 ? Quantization(scale: 1.0 / 40, zeroPoint: 5) : Quantization(scale: 1.0 / 4096, zeroPoint: 0)
        let cell = initialCell ? RecurrentInitialState(placement: TensorPlacement(address: 1 << 21), quantization: cellQuantization) : nil
        let compiled = try RecurrentCompiler.compile(direction, config: config, dataType: dataType,
                                                     parameters: parameters(recurrent, inputs: inputs, seed: 7), quantization: quantization,
                                                     initialState: initial, initialCell: cell)
        let report = try KernelExecution.run(compiled.program, config: config, seed: 3, mode: .functional)
        return (report, compiled)
    }

    @Test(arguments: cells) func everyCellIsBitExactOnEdgeAndDianNao(_ cell: (String, Recurrent.Cell)) throws {
        for (config, type) in [(HardwareConfig.edge, DataType.int8), (.diannao, .int16)] {
            let (report, compiled) = try Self.run(cell.1, config: config, dataType: type)
            #expect(report.verification == .bitExact, "\(cell.0) on \(config.name): \(report.verification)")
            #expect(compiled.weightsResident && compiled.blocksPerStep == 1)
        }
    }

    @Test(arguments: cells) func batchReverseAndManyToOneAreBitExact(_ cell: (String, Recurrent.Cell)) throws {
        let (report, _) = try Self.run(cell.1, config: .edge, dataType: .int8, batch: 3, reverse: true, sequences: false)
        #expect(report.verification == .bitExact, "\(cell.0): \(report.verification)")
        let (forward, _) = try Self.run(cell.1, config: .edge, dataType: .int8, batch: 3)
        #expect(forward.verification == .bitExact, "\(cell.0): \(forward.verification)")
    }

    /// SB holds `Wh` but NBout only a few hidden units' working set: resident weights, several blocks.
    @Test(arguments: cells) func residentWeightsInSeveralBlocksAreBitExact(_ cell: (String, Recurrent.Cell)) throws {
        var config = Self.cramped
        config.sb.capacityBytes = 64 * 1024
        config.nbout.capacityBytes = 2 * 1024
        let (report, compiled) = try Self.run(cell.1, config: config, dataType: .int8, hidden: 40, inputs: 10, steps: 3, batch: 2)
        #expect(report.verification == .bitExact, "\(cell.0): \(report.verification)")
        #expect(compiled.weightsResident && compiled.blocksPerStep > 1, "\(compiled.hiddenBlock) x \(compiled.blocksPerStep)")
    }

    /// NBin holds the hidden states of only 3 of 5 sequences: the batch runs in two groups (3 and
    /// 2), each through every step, with and without a given initial state, in both directions.
    @Test(arguments: cells) func sequenceGroupsAreBitExact(_ cell: (String, Recurrent.Cell)) throws {
        var config = Self.cramped
        // Two `[3][40]` buffers of 128 bytes, or three (a GRU resetting before the matmul: `r * h`).
        config.nbin.capacityBytes = cell.1 == .gru(resetBeforeMatmul: true) ? 384 : 256
        for (reverse, sequences, initial) in [(false, true, false), (true, false, true), (false, true, true)] {
            let (report, compiled) = try Self.run(cell.1, config: config, dataType: .int8, hidden: 40, inputs: 10, steps: 3, batch: 5,
                                                  reverse: reverse, sequences: sequences, initialState: initial)
            #expect(report.verification == .bitExact, "\(cell.0), reverse \(reverse), initial \(initial): \(report.verification)")
            #expect(compiled.sequenceGroup == 3)
            #expect(compiled.program.layerNames.count == 1 + 2 * 3)
        }
    }

    @Test(arguments: cells) func streamedBlocksAreBitExact(_ cell: (String, Recurrent.Cell)) throws {
        let (report, compiled) = try Self.run(cell.1, config: Self.cramped, dataType: .int8, hidden: 40, inputs: 10, steps: 3, batch: 2)
        #expect(report.verification == .bitExact, "\(cell.0): \(report.verification)")
        #expect(!compiled.weightsResident && compiled.blocksPerStep > 1, "\(compiled.hiddenBlock) x \(compiled.blocksPerStep)")
    }

    /// ONNX's default GRU (`resetBeforeMatmul`) in several hidden blocks, so each step runs its
    /// two passes over the blocks (`r * h` of every unit before any n-gate product): resident
    /// on diannao int16 (blocks of 16 of 40 units), streamed on a cramped edge int8, forward
    /// and reverse, one and two sequences.
    @Test(arguments: [1, 2]) func resetBeforeMatmulGRUInSeveralBlocksIsBitExact(batch: Int) throws {
        let cell = Recurrent.Cell.gru(resetBeforeMatmul: true)
        for (config, type, resident) in [(HardwareConfig.diannao, DataType.int16, true), (Self.cramped, .int8, false)] {
            for reverse in [false, true] {
                let (report, compiled) = try Self.run(cell, config: config, dataType: type, hidden: 40, inputs: 10, steps: 3, batch: batch,
                                                      reverse: reverse, initialState: reverse)
                #expect(report.verification == .bitExact, "\(config.name), reverse \(reverse): \(report.verification)")
                #expect(compiled.weightsResident == resident && compiled.blocksPerStep > 1, "\(compiled.hiddenBlock) x \(compiled.blocksPerStep)")
                #expect(compiled.program.checks.contains { $0.hasPrefix("Q_1 = requant(mul(RG_1, ") }, "r * h of step 1 checked")
            }
        }
    }

    /// An LSTM starting from a given cell state (and hidden state): the codes loaded, requantized
    /// to the Q3.12 cell state, every step bit-exact; in one block and in several, one and two
    /// sequences, in two groups when NBin holds 3 of 5 sequences' buffers.
    @Test(arguments: cells.filter { if case .lstm = $0.1 { true } else { false } })
    func initialCellStatesAreBitExact(_ cell: (String, Recurrent.Cell)) throws {
        for (config, type) in [(HardwareConfig.edge, DataType.int8), (.diannao, .int16)] {
            for batch in [1, 2] {
                let (report, _) = try Self.run(cell.1, config: config, dataType: type, batch: batch, reverse: batch == 2,
                                               initialState: true, initialCell: true)
                #expect(report.verification == .bitExact, "\(cell.0) on \(config.name), batch \(batch): \(report.verification)")
            }
        }
        let (several, compiled) = try Self.run(cell.1, config: Self.cramped, dataType: .int8, hidden: 40, inputs: 10, steps: 3, batch: 2,
                                               initialState: true, initialCell: true)
        #expect(several.verification == .bitExact, "\(cell.0) in blocks: \(several.verification)")
        #expect(compiled.blocksPerStep > 1)
        var config = Self.cramped
        config.nbin.capacityBytes = 384
        let (grouped, groups) = try Self.run(cell.1, config: config, dataType: .int8, hidden: 40, inputs: 10, steps: 3, batch: 5,
                                             initialState: true, initialCell: true)
        #expect(grouped.verification == .bitExact, "\(cell.0) in groups: \(grouped.verification)")
        #expect(groups.sequenceGroup == 3)
    }
}
