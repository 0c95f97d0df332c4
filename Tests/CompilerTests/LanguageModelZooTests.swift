import Compiler
import Testing

/// The sequence `1 x steps x features`.
private func sequence(_ steps: Int, _ features: Int) -> FeatureShape {
    FeatureShape(height: 1, width: steps, channels: features)
}

/// The zoo's sequence models and the builder's recurrent layers: shapes, PyTorch's parameter
/// counts, MACs, token inputs and errors.
@Suite struct LanguageModelZooTests {
    /// A model's output shape, parameters as PyTorch counts them (`sum(p.numel())` of
    /// `nn.Embedding`, `nn.LSTM` / `nn.GRU` / `nn.RNN` with both biases, `nn.Linear`) and MACs.
    struct Expected: CustomTestStringConvertible, Sendable {
        var model: String
        var output: FeatureShape
        var parameters: Int
        var macs: Int
        var testDescription: String { model }
    }

    // Per layer, for input features N, hidden H and gates G (LSTM 4, GRU 3, RNN 1):
    // recurrent parameters G*H*(N+H) + 2*G*H per direction, MACs T*D*G*H*(N+H);
    // the per-step head (1x1 convolution, H -> V) has H*V + V parameters and T*H*V MACs.
    static let expected = [
        // Embedding 10000*512 = 5,120,000; each LSTM 4*512*(512+512) + 2*4*512 = 2,101,248;
        // head 512*10000 + 10000 = 5,130,000. MACs: 2 * 32*4*512*1024 + 32*512*10000.
        Expected(model: "lstm-lm", output: sequence(32, 10_000), parameters: 14_452_496, macs: 298_057_728),
        // Each GRU 3*512*1024 + 2*3*512 = 1,575,936. MACs: 2 * 32*3*512*1024 + 32*512*10000.
        Expected(model: "gru-lm", output: sequence(32, 10_000), parameters: 13_401_872, macs: 264_503_296),
        // One RNN 512*1024 + 2*512 = 525,312. MACs: 32*512*1024 + 32*512*10000.
        Expected(model: "rnn-lm", output: sequence(32, 10_000), parameters: 10_775_312, macs: 180_617_216),
        // Projection 512*512 + 512 = 262,656; embedding 1004*256 = 257,024;
        // LSTM 4*512*(256+512) + 2*4*512 = 1,576,960; head 512*1004 + 1004 = 515,052.
        // MACs: 512*512 + 16*4*512*768 + 16*512*1004.
        Expected(model: "image-captioning", output: sequence(16, 1004), parameters: 2_611_692, macs: 33_652_736),
        // Embedding 64*16 = 1024; each LSTM 4*16*32 + 2*4*16 = 2176; head 16*64 + 64 = 1088.
        // MACs: 2 * 8*4*16*32 + 8*16*64.
        Expected(model: "lstm-lm-tiny", output: sequence(8, 64), parameters: 6464, macs: 40_960),
        // Each GRU 3*16*32 + 2*3*16 = 1632. MACs: 2 * 8*3*16*32 + 8*16*64.
        Expected(model: "gru-lm-tiny", output: sequence(8, 64), parameters: 5376, macs: 32_768),
        // One RNN 16*32 + 2*16 = 544. MACs: 8*16*32 + 8*16*64.
        Expected(model: "rnn-lm-tiny", output: sequence(8, 64), parameters: 2656, macs: 12_288),
        // Embedding 1024; BiLSTM 2 * (4*16*(16+16) + 2*4*16) = 4352; BiGRU on 32 features
        // 2 * (3*8*(32+8) + 2*3*8) = 2016; fc 16*10 + 10 = 170.
        // MACs: 8*2*4*16*32 + 8*2*3*8*40 + 16*10.
        Expected(model: "bilstm-tiny", output: FeatureShape(height: 1, width: 1, channels: 10), parameters: 7562, macs: 48_288),
    ]

    private func graph(_ name: String) throws -> Graph { try #require(ModelZoo.model(named: name)).graph() }

    /// The error `body` throws, if it throws a `CompilerError`.
    private func error(_ body: () throws -> Void) -> CompilerError? {
        do { try body() } catch { return error as? CompilerError }
        return nil
    }

    @Test(arguments: expected) func shapesParametersAndMACs(_ expected: Expected) throws {
        let graph = try graph(expected.model)
        let analysis = try graph.analyze()
        #expect(graph.name == expected.model)
        #expect(analysis.outputShapes == [expected.output])
        #expect(analysis.parameters == expected.parameters)
        #expect(analysis.macs == expected.macs)
        #expect(graph.inputs.first?.shape == ModelZoo.model(named: expected.model)?.input)
        for info in analysis.nodes {
            if case .recurrent(let recurrent) = info.node.op {
                #expect(info.macs == recurrent.macs(input: info.inputShapes[0]), "\(info.node.name)")
            }
        }
    }

    @Test(arguments: ["lstm-lm", "gru-lm", "rnn-lm"]) func languageModelsReadTokens(_ name: String) throws {
        let graph = try graph(name)
        #expect(graph.inputs == [Graph.Input(name: "tokens", shape: sequence(32, 1), vocabulary: 10_000)])
        let analysis = try graph.analyze()
        #expect(analysis.shapes["embedding"] == sequence(32, 512))
        #expect(analysis.shapes["decoder"] == sequence(32, 10_000))
    }

    @Test func lstmLanguageModelStacksTwoLayers() throws {
        let nodes = try graph("lstm-lm").topologicalOrder()
        #expect(nodes.map(\.name) == ["embedding", "lstm1", "lstm2", "dropout1", "decoder", "softmax1"])
        #expect(nodes[1].op == .recurrent(.lstm(hiddenSize: 512)))
        #expect(nodes[4].op == .convolution(Convolution(outputChannels: 10_000, kernelHeight: 1, kernelWidth: 1), hasBias: true))
    }

    @Test func captioningStartsTheLSTMFromTheProjectedFeature() throws {
        let graph = try graph("image-captioning")
        #expect(graph.inputs == [Graph.Input(name: "features", shape: FeatureShape(height: 1, width: 1, channels: 512)),
                                 Graph.Input(name: "captions", shape: sequence(16, 1), vocabulary: 1004)])
        #expect(graph.node(named: "lstm1")?.inputs == ["embedding", "projection"])
        let analysis = try graph.analyze()
        #expect(analysis.shapes["embedding"] == sequence(16, 256))
        #expect(analysis.shapes["lstm1"] == sequence(16, 512))
    }

    @Test func bidirectionalClassifierEndsManyToOne() throws {
        let analysis = try graph("bilstm-tiny").analyze()
        #expect(analysis.shapes["lstm1"] == sequence(8, 32))
        #expect(analysis.shapes["gru1"] == FeatureShape(height: 1, width: 1, channels: 16))
        #expect(analysis.info(of: "gru1")?.node.op
            == .recurrent(Recurrent(cell: .gru, hiddenSize: 8, bidirectional: true, returnSequences: false)))
    }

    @Test func builderNamesSequenceLayersByKind() throws {
        let b = GraphBuilder(name: "g", input: sequence(6, 1), inputName: "tokens", vocabulary: 50)
        let state = b.addInput(name: "state", shape: FeatureShape(height: 1, width: 1, channels: 12))
        let words = b.input.embedding(vocabulary: 50, dimension: 8)
        let lstm = words.lstm(12, peephole: true, initialState: state)
        let gru = lstm.gru(6, bidirectional: true)
        let rnn = gru.rnn(4, activation: .relu, returnSequences: false)
        let coupled = words.lstm(5, peephole: true, coupled: true, name: "cifg")
        let graph = try b.build(outputs: [rnn, coupled])
        #expect(graph.inputs == [Graph.Input(name: "tokens", shape: sequence(6, 1), vocabulary: 50),
                                 Graph.Input(name: "state", shape: FeatureShape(height: 1, width: 1, channels: 12))])
        #expect(graph.nodes.map(\.name) == ["embedding1", "lstm1", "gru1", "rnn1", "cifg"])
        #expect(graph.nodes.map(\.op.kind) == ["embedding", "lstm", "gru", "rnn", "lstm"])
        #expect(graph.node(named: "lstm1")?.inputs == ["embedding1", "state"])
        #expect(graph.node(named: "rnn1")?.op
            == .recurrent(Recurrent(cell: .rnn(.relu), hiddenSize: 4, returnSequences: false)))
        #expect([lstm, gru, rnn, coupled].map(\.shape) == [sequence(6, 12), sequence(6, 12), sequence(1, 4), sequence(6, 5)])
        let analysis = try graph.analyze()
        // Peepholes add 3*H (i, f, o), or 2*H (f, o) for a coupled cell (3 gates), to the
        // weights and biases: 4*12*(8+12) + 3*12 + 2*4*12 = 1092 and 3*5*(8+5) + 2*5 + 2*3*5 = 235.
        #expect(analysis.info(of: "lstm1")?.parameters == 1092)
        #expect(analysis.info(of: "cifg")?.parameters == 235)
    }

    @Test func invalidRecurrentLayersThrow() {
        func failure(_ body: (GraphBuilder) -> FeatureMap) -> CompilerError? {
            let b = GraphBuilder(name: "g", input: sequence(8, 16))
            return error { _ = try b.build(output: body(b)) }
        }
        #expect(failure { $0.input.lstm(0) } == .invalidLayer(layer: "lstm1", "hidden size must be positive, got 0"))
        #expect(failure { $0.input.rnn(8, activation: .sigmoid) }
            == .invalidLayer(layer: "rnn1", "a simple RNN uses tanh or relu, not sigmoid"))
        #expect(failure { $0.input.reshape(FeatureShape(height: 2, width: 4, channels: 16)).lstm(8) }
            == .invalidLayer(layer: "lstm1", "input must be a sequence 1 x T x N, got 2x4x16"))
        #expect(failure { b in
            let state = b.addInput(name: "h0", shape: FeatureShape(height: 1, width: 1, channels: 8))
            return b.input.gru(8, bidirectional: true, initialState: state)
        } == .invalidLayer(layer: "gru1", "initial state must be 1x1x16, got 1x1x8"))
        #expect(failure { $0.input.embedding(vocabulary: 10, dimension: 4) }
            == .invalidLayer(layer: "embedding1", "input must be token ids 1 x T x 1, got 1x8x16"))
        #expect(failure { $0.addInput(name: "input", shape: sequence(8, 16)).lstm(8) }
            == .invalidLayer(layer: "input", "duplicate graph input name"))
    }
}
