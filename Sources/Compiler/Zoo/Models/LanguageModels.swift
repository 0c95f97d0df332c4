extension ModelZoo {
    /// Token ids `1 x steps x 1`, the input of the sequence models.
    static func tokens(_ steps: Int) -> FeatureShape { FeatureShape(height: 1, width: steps, channels: 1) }

    /// A word-level language model: token ids `1 x T x 1` in `0..<vocabulary`, an embedding of
    /// `dimension`, `layers` stacked recurrent layers of `hidden` units returning every step,
    /// optionally dropout, then per step a fully connected layer to the vocabulary's logits
    /// (a 1x1 convolution with bias over `1 x T x hidden`, since `fc` takes one vector) and
    /// softmax: `1 x T x vocabulary`, the next word's distribution after each step.
    static func languageModel(name: String, cell: Recurrent.Cell, layers: Int, dropout: Double? = nil,
                              vocabulary: Int = 10_000, dimension: Int = 512, hidden: Int = 512, steps: Int = 32)
        throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: name, input: tokens(steps), inputName: "tokens", vocabulary: vocabulary)
        var x = b.input.embedding(vocabulary: vocabulary, dimension: dimension, name: "embedding")
        for _ in 0..<layers { x = x.recurrent(Recurrent(cell: cell, hiddenSize: hidden)) }
        if let dropout { x = x.dropout(dropout) }
        return try b.build(output: x.conv(vocabulary, kernel: 1, name: "decoder").softmax())
    }

    /// The CS231n (assignment 3) image-captioning decoder: the image feature `1 x 1 x 512`
    /// (first input `features`) projected by a fully connected layer to the LSTM's initial hidden
    /// state; the caption's tokens `1 x 16 x 1` (input `captions`, vocabulary 1004) embedded to
    /// 256, an LSTM of 512 from that state, per step a 1x1 convolution to the 1004 word logits
    /// and softmax: `1 x 16 x 1004`.
    static func imageCaptioning() throws(CompilerError) -> Graph {
        let vocabulary = 1004
        let b = GraphBuilder(name: "image-captioning", input: FeatureShape(height: 1, width: 1, channels: 512), inputName: "features")
        let captions = b.addInput(name: "captions", shape: tokens(16), vocabulary: vocabulary)
        let initialState = b.input.fc(512, name: "projection")
        let words = captions.embedding(vocabulary: vocabulary, dimension: 256, name: "embedding")
        let states = words.lstm(512, initialState: initialState)
        return try b.build(output: states.conv(vocabulary, kernel: 1, name: "decoder").softmax())
    }

    /// A small sequence classifier: token ids `1 x 8 x 1` (vocabulary 64) embedded to 16, a
    /// bidirectional LSTM of 16 returning every step (`1 x 8 x 32`), a bidirectional GRU of 8
    /// returning its final states (`1 x 1 x 16`), a fully connected layer to 10 classes and softmax.
    static func bilstmTiny() throws(CompilerError) -> Graph {
        let b = GraphBuilder(name: "bilstm-tiny", input: tokens(8), inputName: "tokens", vocabulary: 64)
        let sequence = b.input.embedding(vocabulary: 64, dimension: 16, name: "embedding").lstm(16, bidirectional: true)
        let summary = sequence.gru(8, bidirectional: true, returnSequences: false)
        return try b.build(output: summary.fc(10, name: "classifier").softmax())
    }
}
