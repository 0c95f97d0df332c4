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
    /// input-forget gate; `initialState` (`1 x 1 x (D * hidden)`) is `h_0`, else 0, and
    /// `initialCell` (the same shape, given with `initialState`) is `c_0`, else 0.
    public func lstm(_ hidden: Int, bidirectional: Bool = false, returnSequences: Bool = true, peephole: Bool = false,
                     coupled: Bool = false, initialState: FeatureMap? = nil, initialCell: FeatureMap? = nil,
                     name: String? = nil) -> FeatureMap {
        recurrent(Recurrent(cell: .lstm(peephole: peephole, coupled: coupled), hiddenSize: hidden, bidirectional: bidirectional,
                            returnSequences: returnSequences),
                  initialState: initialState, initialCell: initialCell, name: name)
    }

    /// A GRU of `hidden` units (PyTorch `nn.GRU`, or with `resetBeforeMatmul` ONNX's default
    /// form: see `Recurrent`); `initialState` is `h_0`, else 0.
    public func gru(_ hidden: Int, bidirectional: Bool = false, returnSequences: Bool = true, resetBeforeMatmul: Bool = false,
                    initialState: FeatureMap? = nil, name: String? = nil) -> FeatureMap {
        recurrent(Recurrent(cell: .gru(resetBeforeMatmul: resetBeforeMatmul), hiddenSize: hidden, bidirectional: bidirectional,
                            returnSequences: returnSequences),
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

    /// Any recurrent layer, reading this sequence, `initialState` if given and then (an LSTM)
    /// `initialCell` if given (the node's inputs are positional: a cell state needs a hidden state).
    public func recurrent(_ recurrent: Recurrent, initialState: FeatureMap? = nil, initialCell: FeatureMap? = nil,
                          name: String? = nil) -> FeatureMap {
        precondition(initialCell == nil || initialState != nil, "an LSTM's initial cell state comes with an initial hidden state")
        return builder.append(.recurrent(recurrent), inputs: [self] + [initialState, initialCell].compactMap { $0 }, name: name)
    }
}
