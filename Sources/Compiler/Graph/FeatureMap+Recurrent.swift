/// Sequence layers: a sequence is the feature map `1 x T x N` (see `Recurrent` for the cells,
/// shapes and parameter layout, `Embedding` for the lookup). Nodes are named `embedding<n>`,
/// `lstm<n>`, `gru<n>` or `rnn<n>` unless given a name.
extension FeatureMap {
    /// Looks the token ids `1 x T x 1` up in a `[vocabulary][dimension]` table (PyTorch
    /// `nn.Embedding`): `1 x T x dimension`.
    public func embedding(vocabulary: Int, dimension: Int, name: String? = nil) -> FeatureMap {
        builder.append(.embedding(Embedding(vocabulary: vocabulary, dimension: dimension)), inputs: [self], name: name)
    }

    /// An LSTM of `hidden` units (PyTorch `nn.LSTM`), optionally with peepholes or a coupled
    /// input-forget gate; `initialState` (`1 x 1 x (D * hidden)`) is `h_0`, else 0.
    public func lstm(_ hidden: Int, bidirectional: Bool = false, returnSequences: Bool = true, peephole: Bool = false,
                     coupled: Bool = false, initialState: FeatureMap? = nil, name: String? = nil) -> FeatureMap {
        recurrent(Recurrent(cell: .lstm(peephole: peephole, coupled: coupled), hiddenSize: hidden, bidirectional: bidirectional,
                            returnSequences: returnSequences),
                  initialState: initialState, name: name)
    }

    /// A GRU of `hidden` units (PyTorch `nn.GRU`); `initialState` is `h_0`, else 0.
    public func gru(_ hidden: Int, bidirectional: Bool = false, returnSequences: Bool = true, initialState: FeatureMap? = nil,
                    name: String? = nil) -> FeatureMap {
        recurrent(Recurrent(cell: .gru, hiddenSize: hidden, bidirectional: bidirectional, returnSequences: returnSequences),
                  initialState: initialState, name: name)
    }

    /// A simple (Elman) RNN of `hidden` units with `tanh` or `relu` (PyTorch `nn.RNN`);
    /// `initialState` is `h_0`, else 0.
    public func rnn(_ hidden: Int, activation: Activation = .tanh, bidirectional: Bool = false, returnSequences: Bool = true,
                    initialState: FeatureMap? = nil, name: String? = nil) -> FeatureMap {
        recurrent(Recurrent(cell: .rnn(activation), hiddenSize: hidden, bidirectional: bidirectional,
                            returnSequences: returnSequences),
                  initialState: initialState, name: name)
    }

    /// Any recurrent layer, reading this sequence and `initialState` if given.
    public func recurrent(_ recurrent: Recurrent, initialState: FeatureMap? = nil, name: String? = nil) -> FeatureMap {
        builder.append(.recurrent(recurrent), inputs: [self] + (initialState.map { [$0] } ?? []), name: name)
    }
}
