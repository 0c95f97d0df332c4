import ISA
import Compiler

extension LayerParameters {
    /// Seeded fp32 parameters for `layer`, shaped as `FloatReference.run` expects: the same seed
    /// gives the same values on every platform (`SplitMix64`).
    ///
    /// - weights `[R][S][C/G][K]` uniform in `±sqrt(6 / fanIn)` with `fanIn = R * S * C / G`
    ///   (He et al., "Delving Deep into Rectifiers", 2015, in its uniform form: the variance
    ///   2 / fanIn keeps activations at scale through ReLU layers);
    /// - a bias (if `hasBias`) uniform in ±`biasBound`;
    /// - batch-norm statistics (if `hasBatchNorm`): gamma in 0.5...1.5, beta and mean in
    ///   -0.1...0.1, variance in 0.5...1.5, epsilon 1e-5;
    /// - nothing for pooling layers (empty weights).
    ///
    /// Weights, bias and statistics draw from separate streams derived from `seed`, so adding a
    /// bias does not change the weights. A layer whose groups do not divide its channels gets the
    /// weights of `C / G` rounded down (`FloatReference.run` then reports the layer as invalid).
    public static func random(for layer: Layer, seed: UInt64) -> LayerParameters {
        guard let convolution = layer.convolution else { return LayerParameters(weights: []) }
        var seeds = SplitMix64(seed: seed)
        let (weightSeed, biasSeed, batchNormSeed) = (seeds.next(), seeds.next(), seeds.next())
        let groupChannels = layer.input.channels / max(convolution.groups, 1)
        let fanIn = convolution.kernelHeight * convolution.kernelWidth * groupChannels
        let bound = fanIn > 0 ? Float((6 / Double(fanIn)).squareRoot()) : 1
        let channels = convolution.outputChannels
        let weights = FloatData.random(count: max(fanIn * channels, 0), range: -bound...bound, seed: weightSeed)
        let bias = layer.hasBias ? FloatData.random(count: channels, range: -biasBound...biasBound, seed: biasSeed) : nil
        var batchNorm: BatchNormParameters?
        if layer.hasBatchNorm {
            var streams = SplitMix64(seed: batchNormSeed)
            batchNorm = BatchNormParameters(
                gamma: FloatData.random(count: channels, range: 0.5...1.5, seed: streams.next()),
                beta: FloatData.random(count: channels, range: -0.1...0.1, seed: streams.next()),
                mean: FloatData.random(count: channels, range: -0.1...0.1, seed: streams.next()),
                variance: FloatData.random(count: channels, range: 0.5...1.5, seed: streams.next()))
        }
        return LayerParameters(weights: weights, bias: bias, batchNorm: batchNorm)
    }

    /// The bound of random biases: small next to a unit-scale pre-activation.
    public static let biasBound: Float = 0.1
}
