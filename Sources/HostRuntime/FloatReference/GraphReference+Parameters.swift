import ISA
import Compiler

extension FloatGraphReference {
    /// Seeded parameters of a node that carries parameters but is no device layer, drawn from
    /// `nodeSeed(info.node.name)` so that any runtime can draw the same:
    /// - a lone batch norm: statistics drawn as `LayerParameters.random` draws a layer's (gamma in
    ///   0.5...1.5, beta and mean in -0.1...0.1, variance in 0.5...1.5, each from its own stream),
    ///   with the node's epsilon;
    /// - a transposed convolution: weights `[R][S][C][K/G]` uniform in `±sqrt(6 / fanIn)` with
    ///   `fanIn = (C/G) * R * S / (strideY * strideX)` (at least 1; the products each output
    ///   receives on average), and a bias (if `hasBias`) uniform in ±`LayerParameters.biasBound`;
    /// - a recurrent layer: every weight, peephole and bias (`Recurrent`'s layout, both
    ///   directions) uniform in `±1 / sqrt(H)`, PyTorch's initialization of `nn.RNN`, `nn.LSTM`
    ///   and `nn.GRU`; the weights and the bias each from their own stream;
    /// - an embedding: the table `[vocabulary][dimension]` uniform in ±1 (unit-scale vectors);
    /// - empty parameters for any other node.
    public static func hostParameters(for info: Graph.NodeInfo) -> LayerParameters {
        var seeds = SplitMix64(seed: nodeSeed(info.node.name))
        let channels = info.inputShapes[0].channels
        switch info.node.op {
        case .batchNorm(let batchNorm):
            return LayerParameters(weights: [], batchNorm: BatchNormParameters(
                gamma: FloatData.random(count: channels, range: 0.5...1.5, seed: seeds.next()),
                beta: FloatData.random(count: channels, range: -0.1...0.1, seed: seeds.next()),
                mean: FloatData.random(count: channels, range: -0.1...0.1, seed: seeds.next()),
                variance: FloatData.random(count: channels, range: 0.5...1.5, seed: seeds.next()),
                epsilon: Float(batchNorm.epsilon)))
        case .transposedConvolution(let t):
            let (weightSeed, biasSeed) = (seeds.next(), seeds.next())
            let groupChannels = channels / max(t.groups, 1), groupOutputs = t.outputChannels / max(t.groups, 1)
            let fanIn = max(groupChannels * t.kernelHeight * t.kernelWidth / max(t.strideY * t.strideX, 1), 1)
            let bound = Float((6 / Double(fanIn)).squareRoot())
            let weights = FloatData.random(count: t.kernelHeight * t.kernelWidth * channels * groupOutputs, range: -bound...bound,
                                           seed: weightSeed)
            let bias = t.hasBias ? FloatData.random(count: t.outputChannels, range: -LayerParameters.biasBound...LayerParameters.biasBound,
                                                    seed: biasSeed) : nil
            return LayerParameters(weights: weights, bias: bias)
        case .recurrent(let recurrent):
            let (weightSeed, biasSeed) = (seeds.next(), seeds.next())
            let bound = Float((1 / Double(recurrent.hiddenSize)).squareRoot())
            let weights = FloatData.random(count: recurrent.directions * recurrent.weightCount(inputFeatures: channels), range: -bound...bound,
                                           seed: weightSeed)
            let bias = recurrent.hasBias ? FloatData.random(count: recurrent.directions * recurrent.biasCount, range: -bound...bound,
                                                            seed: biasSeed) : nil
            return LayerParameters(weights: weights, bias: bias)
        case .embedding(let embedding):
            return LayerParameters(weights: FloatData.random(count: embedding.vocabulary * embedding.dimension, range: -1...1,
                                                             seed: seeds.next()))
        default:
            return LayerParameters(weights: [])
        }
    }

    /// The seed of a node's parameters: the 64-bit FNV-1a hash of its name's UTF-8 bytes (Fowler,
    /// Noll and Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3), the same on every
    /// platform and run (unlike `Hasher`).
    public static func nodeSeed(_ name: String) -> UInt64 {
        name.utf8.reduce(fnvOffsetBasis) { ($0 ^ UInt64($1)) &* fnvPrime }
    }

    static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3
}
