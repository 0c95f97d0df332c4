import Compiler
import Foundation

/// The fp32 reference of a whole `Layer`: what a framework computes for it with real-valued
/// parameters, against which a quantized device run is measured (`QuantizationError`).
///
/// Order of operations (the order of `Layer`'s documentation, and PyTorch's
/// `Conv2d -> BatchNorm2d -> activation -> pooling`):
/// 1. the main operation: convolution (stride, asymmetric zero padding, dilation, groups,
///    rectangular kernels; weights `[R][S][C/G][K]`), fully connected (the 1x1 convolution over
///    `1 x batch x N`, weights `[1][1][N][M]`), a pooling layer, or global average pooling;
/// 2. plus the bias, if the layer has one;
/// 3. batch normalization `gamma * (x - mean) / sqrt(variance + epsilon) + beta`, per channel;
/// 4. the activation (`Activation.apply`);
/// 5. the fused pooling (`layer.pooling`), if any.
///
/// Pooling follows PyTorch: max pooling ignores padding (it pads with -infinity); average
/// pooling divides by the window clipped to the padded input (`count_include_pad`) or, when
/// `countIncludePadding` is false, by the number of input elements it covers; ceil mode's extra
/// windows are clipped the same way. Sums run in fp32 in a fixed order (r, s, c ascending for
/// convolutions), and the work split across cores never changes a result, so every run gives
/// the same bits.
public enum FloatReference {
    /// Work (multiply-accumulates) above which the convolution spreads over all cores.
    static let parallelWorkThreshold = 1 << 20

    /// Runs `layer` on `input` (HWC, `layer.input.elementCount` values) and returns its output
    /// (HWC, `layer.outputShape().elementCount` values).
    ///
    /// Throws a `ReferenceError` naming the layer if the layer is invalid, or if the input or the
    /// parameters do not match it: weights of `R*S*(C/G)*K` values, a bias of K values exactly
    /// when `hasBias`, batch-norm statistics of K values each exactly when `hasBatchNorm`, and no
    /// parameters for a pooling layer.
    public static func run(_ layer: Layer, parameters: LayerParameters, input: [Float]) throws(ReferenceError) -> [Float] {
        func fail(_ message: String) -> ReferenceError { ReferenceError("layer '\(layer.name)'", message) }
        let outputShape: FeatureShape, mainShape: FeatureShape
        do {
            outputShape = try layer.outputShape()
            mainShape = try layer.mainOutputShape()
        } catch {
            if case let .invalidLayer(_, message) = error { throw fail(message) }
            throw fail(error.description)
        }
        guard input.count == layer.input.elementCount else {
            throw fail("input has \(input.count) values, expected \(layer.input.elementCount) (\(layer.input))")
        }
        for shape in [layer.input, mainShape, outputShape] where shape.elementCount > Reference.maximumElements {
            throw fail("feature map \(shape) exceeds the limit of \(Reference.maximumElements) elements")
        }

        guard let convolution = layer.convolution else {
            guard parameters.weights.isEmpty, parameters.bias == nil, parameters.batchNorm == nil else {
                throw fail("a pooling layer takes no weights, bias or batch norm")
            }
            return pool(input, layer.input, layer.mainPooling!, outputShape: mainShape)
        }
        let epilogue = try Epilogue(layer: layer, parameters: parameters, channels: convolution.outputChannels, fail)
        let expectedWeights = convolution.kernelHeight * convolution.kernelWidth * (layer.input.channels / convolution.groups)
            * convolution.outputChannels
        guard parameters.weights.count == expectedWeights else {
            throw fail("weights have \(parameters.weights.count) values, expected \(expectedWeights) "
                + "([\(convolution.kernelHeight)][\(convolution.kernelWidth)][\(layer.input.channels / convolution.groups)][\(convolution.outputChannels)])")
        }
        var output = convolve(input, layer.input, weights: parameters.weights, convolution, outputShape: mainShape)
        epilogue.apply(to: &output)
        guard let pooling = layer.pooling else { return output }
        return pool(output, mainShape, pooling, outputShape: outputShape)
    }

    /// Bias, batch normalization and activation, applied per element of an HWC map.
    struct Epilogue {
        var bias: [Float]?
        var batchNorm: BatchNormParameters?
        var activation: Activation

        init(layer: Layer, parameters: LayerParameters, channels: Int, _ fail: (String) -> ReferenceError) throws(ReferenceError) {
            switch (layer.hasBias, parameters.bias) {
            case (true, nil): throw fail("the layer has a bias but the parameters give none")
            case (false, .some): throw fail("the layer has no bias but the parameters give one")
            case (true, .some(let bias)) where bias.count != channels:
                throw fail("bias has \(bias.count) values, expected \(channels)")
            default: break
            }
            switch (layer.hasBatchNorm, parameters.batchNorm) {
            case (true, nil): throw fail("the layer has batch norm but the parameters give no statistics")
            case (false, .some): throw fail("the layer has no batch norm but the parameters give statistics")
            case (true, .some(let statistics)):
                let counts = [statistics.gamma.count, statistics.beta.count, statistics.mean.count, statistics.variance.count]
                guard counts.allSatisfy({ $0 == channels }) else {
                    throw fail("batch norm gamma, beta, mean and variance have \(counts.map(String.init).joined(separator: ", ")) values, expected \(channels) each")
                }
                guard statistics.variance.allSatisfy({ $0 + statistics.epsilon > 0 }) else {
                    throw fail("batch norm variance + epsilon must be positive")
                }
            default: break
            }
            bias = parameters.bias
            batchNorm = parameters.batchNorm
            activation = layer.activation
        }

        /// Applies the epilogue to `values`, channels innermost.
        func apply(to values: inout [Float]) {
            guard bias != nil || batchNorm != nil || activation != .none else { return }
            let channels = bias?.count ?? batchNorm?.gamma.count ?? 1
            let bias = self.bias ?? [Float](repeating: 0, count: channels)
            let denominators = batchNorm.map { statistics in statistics.variance.map { ($0 + statistics.epsilon).squareRoot() } }
            let activation = self.activation
            values.withUnsafeMutableBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    for channel in 0..<channels {
                        var value = buffer[index + channel] + bias[channel]
                        if let batchNorm, let denominators {
                            value = batchNorm.gamma[channel] * (value - batchNorm.mean[channel]) / denominators[channel] + batchNorm.beta[channel]
                        }
                        buffer[index + channel] = activation.apply(value)
                    }
                    index += channels
                }
            }
        }
    }
}
