import Compiler
import HostRuntime
import ISA
import Testing

/// Recurrent layers inside whole networks (`NetworkRun`, what `npu run` does): embedding on the
/// host, stacked and bidirectional layers on the device, a per-step head, each device tensor
/// bit-exact, and the fp32 agreement.
@Suite struct RecurrentNetworkTests {
    /// Tokens 1 x 6 (vocabulary 40) -> embedding 12 -> `first` (6 steps, sequences) -> `second`
    /// -> a per-step 1x1 convolution to 40 logits -> softmax.
    static func languageModel(_ first: Recurrent, _ second: Recurrent) -> Graph {
        Graph(name: "tiny-lm", inputs: [Graph.Input(name: "tokens", shape: FeatureShape(height: 1, width: 6, channels: 1), vocabulary: 40)],
                     nodes: [
                        Graph.Node(name: "embedding", op: .embedding(Embedding(vocabulary: 40, dimension: 12)), inputs: ["tokens"]),
                        Graph.Node(name: "rnn1", op: .recurrent(first), inputs: ["embedding"]),
                        Graph.Node(name: "rnn2", op: .recurrent(second), inputs: ["rnn1"]),
                        Graph.Node(name: "head", op: .convolution(Convolution(outputChannels: 40, kernelHeight: 1, kernelWidth: 1), hasBias: true),
                                   inputs: ["rnn2"]),
                        Graph.Node(name: "probabilities", op: .softmax, inputs: ["head"]),
                     ], outputs: ["probabilities"])
    }

    static let stacks: [(String, Recurrent, Recurrent)] = [
        ("lstm", .lstm(hiddenSize: 16), .lstm(hiddenSize: 16)),
        ("gru", Recurrent(cell: .gru, hiddenSize: 16), Recurrent(cell: .gru, hiddenSize: 12)),
        ("rnn", Recurrent(cell: .rnn(.tanh), hiddenSize: 16), Recurrent(cell: .rnn(.relu), hiddenSize: 16)),
        ("bidirectional", .lstm(hiddenSize: 8, bidirectional: true), Recurrent(cell: .gru, hiddenSize: 8, bidirectional: true)),
        ("peephole-coupled", Recurrent(cell: .lstm(peephole: true, coupled: true), hiddenSize: 8, bidirectional: true),
         Recurrent(cell: .lstm(peephole: true, coupled: false), hiddenSize: 8)),
        ("gru-reset-before-matmul", Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: 16),
         Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: 8, bidirectional: true)),
    ]

    @Test(arguments: stacks, [(HardwareConfig.edge, DataType.int8), (.diannao, .int16)])
    func stackedLanguageModelsAreBitExact(_ stack: (String, Recurrent, Recurrent), _ target: (HardwareConfig, DataType)) throws {
        let graph = Self.languageModel(stack.1, stack.2)
        for batch in [1, 3] {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: target.0, dataType: target.1, mode: .functional,
                                                                               verify: true, verifyLayers: true, batch: batch))
            #expect(report.verification == .bitExact, "\(stack.0) on \(target.0.name), batch \(batch): \(report.verification)")
            let agreement = try #require(report.agreement)
            #expect(agreement.topOne.rows == 6 * batch)
            #expect(agreement.error.cosineSimilarity > 0.95, "\(stack.0): \(agreement.error.cosineSimilarity)")
            #expect(report.statistics.macs == report.compiled.macs)
            #expect(report.compiled.hostOperations.map(\.op) == ["embedding", "softmax"])
        }
    }

    /// An image-captioning decoder's shape: a feature vector projected to the initial hidden
    /// state (and, with `cellState`, by a second projection to the initial cell state) of the
    /// recurrent layer that reads the caption's embedded tokens.
    static func captioning(_ recurrent: Recurrent, cellState: Bool = false) -> Graph {
        let width = recurrent.directions * recurrent.hiddenSize
        let cell = cellState ? [Graph.Node(name: "cell_projection", op: .fullyConnected(FullyConnected(outputFeatures: width)),
                                           inputs: ["features"])] : []
        return Graph(name: "tiny-captioning",
                     inputs: [Graph.Input(name: "features", shape: FeatureShape(height: 1, width: 1, channels: 10)),
                              Graph.Input(name: "captions", shape: FeatureShape(height: 1, width: 5, channels: 1), vocabulary: 30)],
                     nodes: cell + [
                        Graph.Node(name: "projection", op: .fullyConnected(FullyConnected(outputFeatures: width)), inputs: ["features"]),
                        Graph.Node(name: "embedding", op: .embedding(Embedding(vocabulary: 30, dimension: 8)), inputs: ["captions"]),
                        Graph.Node(name: "decoder", op: .recurrent(recurrent),
                                   inputs: ["embedding", "projection"] + cell.map(\.name)),
                        Graph.Node(name: "head", op: .convolution(Convolution(outputChannels: 30, kernelHeight: 1, kernelWidth: 1), hasBias: true),
                                   inputs: ["decoder"]),
                        Graph.Node(name: "probabilities", op: .softmax, inputs: ["head"]),
                     ], outputs: ["probabilities"])
    }

    static let decoders: [(String, Recurrent)] = [
        ("lstm", .lstm(hiddenSize: 16)), ("gru", Recurrent(cell: .gru, hiddenSize: 16)), ("rnn", Recurrent(cell: .rnn(.tanh), hiddenSize: 16)),
        ("bidirectional-gru", Recurrent(cell: .gru, hiddenSize: 8, bidirectional: true)),
        ("gru-reset-before-matmul", Recurrent(cell: .gru(resetBeforeMatmul: true), hiddenSize: 16)),
    ]

    @Test(arguments: decoders, [(HardwareConfig.edge, DataType.int8), (.diannao, .int16)])
    func initialStatesAreBitExact(_ decoder: (String, Recurrent), _ target: (HardwareConfig, DataType)) throws {
        let graph = Self.captioning(decoder.1)
        for batch in [1, 2] {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: target.0, dataType: target.1, mode: .functional,
                                                                               verify: true, verifyLayers: true, batch: batch))
            #expect(report.verification == .bitExact, "\(decoder.0) on \(target.0.name), batch \(batch): \(report.verification)")
            let agreement = try #require(report.agreement)
            #expect(agreement.error.cosineSimilarity > 0.95, "\(decoder.0): \(agreement.error.cosineSimilarity)")
        }
    }

    static let cellDecoders: [(String, Recurrent)] = [
        ("lstm", .lstm(hiddenSize: 16)),
        ("bidirectional-peephole-lstm", Recurrent(cell: .lstm(peephole: true, coupled: false), hiddenSize: 8, bidirectional: true)),
    ]

    /// LSTMs starting from projected hidden and cell states (PyTorch's `(h_0, c_0)`): each
    /// direction takes its channels of both, every device tensor bit-exact.
    @Test(arguments: cellDecoders, [(HardwareConfig.edge, DataType.int8), (.diannao, .int16)])
    func initialCellStatesAreBitExact(_ decoder: (String, Recurrent), _ target: (HardwareConfig, DataType)) throws {
        let graph = Self.captioning(decoder.1, cellState: true)
        for batch in [1, 2] {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: target.0, dataType: target.1, mode: .functional,
                                                                               verify: true, verifyLayers: true, batch: batch))
            #expect(report.verification == .bitExact, "\(decoder.0) on \(target.0.name), batch \(batch): \(report.verification)")
            let agreement = try #require(report.agreement)
            #expect(agreement.error.cosineSimilarity > 0.95, "\(decoder.0): \(agreement.error.cosineSimilarity)")
        }
    }
}
