import Compiler
import Foundation

extension FloatGraphReference {
    /// Computes one graph node that is not part of a fused layer, in fp32, on its operands (HWC,
    /// in the node's input order; shapes as `info` gives them). `parameters` overrides the seeded
    /// parameters (`hostParameters(for:)`) of a lone batch norm (its `batchNorm`), a transposed
    /// convolution, a recurrent layer or an embedding.
    ///
    /// - add: `a + b` per element; concat: each pixel's channels of the inputs, in order;
    /// - LRN (`LocalResponseNorm`, PyTorch's window: `size / 2` channels before, `(size - 1) / 2`
    ///   after, zeros beyond the edges): `b = a / (k + alpha / size * sum a^2)^beta`;
    /// - softmax over each pixel's channels: `exp(a - max) / sum exp(a - max)`, summed in channel order;
    /// - nearest upsampling: `out[y][x] = in[y / f][x / f]`;
    /// - batch norm `gamma * (x - mean) / sqrt(variance + epsilon) + beta` (the epilogue's formula);
    /// - activation: `Activation.apply`; dropout, flatten, reshape: the values unchanged;
    /// - transposed convolution: see `transposedConvolution`;
    /// - recurrent (RNN, LSTM, GRU): see `recurrent`; embedding: the table rows of the token ids;
    /// - host function: its `compute` on the operands.
    public static func node(_ info: Graph.NodeInfo, inputs: [[Float]],
                            parameters: LayerParameters? = nil) throws(ReferenceError) -> [Float] {
        let node = info.node, shape = info.inputShapes[0]
        func fail(_ message: String) -> ReferenceError { ReferenceError("node '\(node.name)'", message) }
        guard inputs.count == info.inputShapes.count else { throw fail("\(inputs.count) operands for \(info.inputShapes.count) inputs") }
        for (operand, operandShape) in zip(inputs, info.inputShapes) where operand.count != operandShape.elementCount {
            throw fail("an operand has \(operand.count) values, expected \(operandShape.elementCount) (\(operandShape))")
        }
        switch node.op {
        case .add:
            return zip(inputs[0], inputs[1]).map { $0 + $1 }
        case .concat:
            return concatenate(inputs, shapes: info.inputShapes)
        case .localResponseNorm(let lrn):
            return localResponseNorm(inputs[0], channels: shape.channels, lrn)
        case .softmax:
            return softmax(inputs[0], channels: shape.channels)
        case .upsample(let upsample):
            return self.upsample(inputs[0], shape, factor: upsample.factor)
        case .dropout, .flatten, .reshape:
            return inputs[0]
        case .activation(let activation):
            return inputs[0].map(activation.apply)
        case .batchNorm:
            let statistics = (parameters ?? hostParameters(for: info)).batchNorm
            guard let statistics, [statistics.gamma, statistics.beta, statistics.mean, statistics.variance].allSatisfy({ $0.count == shape.channels }) else {
                throw fail("batch norm needs gamma, beta, mean and variance of \(shape.channels) values each")
            }
            return batchNorm(inputs[0], statistics)
        case .transposedConvolution(let transposed):
            let given = parameters ?? hostParameters(for: info)
            let expected = transposed.kernelHeight * transposed.kernelWidth * shape.channels * (transposed.outputChannels / transposed.groups)
            guard given.weights.count == expected else {
                throw fail("weights have \(given.weights.count) values, expected \(expected) ([\(transposed.kernelHeight)][\(transposed.kernelWidth)]"
                    + "[\(shape.channels)][\(transposed.outputChannels / transposed.groups)])")
            }
            guard (given.bias?.count ?? 0) == (transposed.hasBias ? transposed.outputChannels : 0), given.batchNorm == nil else {
                throw fail(transposed.hasBias ? "needs a bias of \(transposed.outputChannels) values and no batch norm" : "takes no bias or batch norm")
            }
            return transposedConvolution(inputs[0], shape, transposed, parameters: given, outputShape: info.outputShape)
        case .recurrent(let recurrent):
            return try self.recurrent(recurrent, info, inputs: inputs, parameters: parameters ?? hostParameters(for: info))
        case .embedding(let embedding):
            return try self.embedding(embedding, info, ids: inputs[0], parameters: parameters ?? hostParameters(for: info))
        case .hostFunction(let function):
            let output = function.compute(inputs)
            guard output.count == info.outputShape.elementCount else {
                throw fail("host function \(function.name) returned \(output.count) values, expected \(info.outputShape.elementCount)")
            }
            return output
        case .convolution, .fullyConnected, .pooling, .globalAveragePool:
            throw fail("a \(node.op.kind) node runs as a fused layer (FloatReference.run), not as a lone node")
        }
    }

    static func concatenate(_ inputs: [[Float]], shapes: [FeatureShape]) -> [Float] {
        let pixels = shapes[0].height * shapes[0].width
        var output: [Float] = []
        output.reserveCapacity(pixels * shapes.reduce(0) { $0 + $1.channels })
        for pixel in 0..<pixels {
            for (values, shape) in zip(inputs, shapes) {
                output.append(contentsOf: values[(pixel * shape.channels)..<((pixel + 1) * shape.channels)])
            }
        }
        return output
    }

    static func localResponseNorm(_ input: [Float], channels: Int, _ lrn: LocalResponseNorm) -> [Float] {
        let before = lrn.size / 2, after = (lrn.size - 1) / 2
        let k = Float(lrn.k), alphaOverSize = Float(lrn.alpha / Double(lrn.size)), beta = Float(lrn.beta)
        var output = [Float](repeating: 0, count: input.count)
        for base in stride(from: 0, to: input.count, by: channels) {
            for channel in 0..<channels {
                var sum: Float = 0
                for neighbour in max(channel - before, 0)...min(channel + after, channels - 1) {
                    sum += input[base + neighbour] * input[base + neighbour]
                }
                output[base + channel] = input[base + channel] / pow(k + alphaOverSize * sum, beta)
            }
        }
        return output
    }

    static func softmax(_ input: [Float], channels: Int) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        for base in stride(from: 0, to: input.count, by: channels) {
            let pixel = input[base..<(base + channels)]
            let largest = pixel.max()!
            var sum: Float = 0
            for channel in 0..<channels {
                let e = exp(input[base + channel] - largest)
                output[base + channel] = e
                sum += e
            }
            for channel in 0..<channels { output[base + channel] /= sum }
        }
        return output
    }

    static func upsample(_ input: [Float], _ shape: FeatureShape, factor: Int) -> [Float] {
        let channels = shape.channels
        var output: [Float] = []
        output.reserveCapacity(input.count * factor * factor)
        for y in 0..<(shape.height * factor) {
            for x in 0..<(shape.width * factor) {
                let source = ((y / factor) * shape.width + x / factor) * channels
                output.append(contentsOf: input[source..<(source + channels)])
            }
        }
        return output
    }

    static func batchNorm(_ input: [Float], _ statistics: BatchNormParameters) -> [Float] {
        let channels = statistics.gamma.count
        let denominators = statistics.variance.map { ($0 + statistics.epsilon).squareRoot() }
        var output = input
        for base in stride(from: 0, to: input.count, by: channels) {
            for channel in 0..<channels {
                output[base + channel] = statistics.gamma[channel] * (input[base + channel] - statistics.mean[channel])
                    / denominators[channel] + statistics.beta[channel]
            }
        }
        return output
    }

    /// Transposed convolution (PyTorch `ConvTranspose2d`) with weights `[R][S][C][K/G]`: input
    /// pixel (iy, ix) of channel c (group g) adds `in * w[r][s][c][k']` to output
    /// `(iy * strideY - top + r * dilationY, ix * strideX - left + s * dilationX)`, channel
    /// `g * K/G + k'`, when that lies inside the output (`TransposedConvolution`'s shape formula).
    /// Sums run from 0 in iy, r, ix, s, c order; the bias is added last.
    static func transposedConvolution(_ input: [Float], _ shape: FeatureShape, _ t: TransposedConvolution,
                                      parameters: LayerParameters, outputShape: FeatureShape) -> [Float] {
        let channels = shape.channels, groupChannels = channels / t.groups, groupOutputs = t.outputChannels / t.groups
        let outputs = t.outputChannels
        var output = [Float](repeating: 0, count: outputShape.elementCount)
        input.withUnsafeBufferPointer { source in
            parameters.weights.withUnsafeBufferPointer { weights in
                output.withUnsafeMutableBufferPointer { destination in
                    for iy in 0..<shape.height {
                        for r in 0..<t.kernelHeight {
                            let oy = iy * t.strideY - t.padding.top + r * t.dilationY
                            guard oy >= 0, oy < outputShape.height else { continue }
                            for ix in 0..<shape.width {
                                let pixel = (iy * shape.width + ix) * channels
                                for s in 0..<t.kernelWidth {
                                    let ox = ix * t.strideX - t.padding.left + s * t.dilationX
                                    guard ox >= 0, ox < outputShape.width else { continue }
                                    let result = (oy * outputShape.width + ox) * outputs
                                    let tap = (r * t.kernelWidth + s) * channels * groupOutputs
                                    for channel in 0..<channels {
                                        let a = source[pixel + channel]
                                        let row = tap + channel * groupOutputs
                                        let first = result + (channel / groupChannels) * groupOutputs
                                        for k in 0..<groupOutputs { destination[first + k] += a * weights[row + k] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias = parameters.bias {
            for base in stride(from: 0, to: output.count, by: outputs) {
                for k in 0..<outputs { output[base + k] += bias[k] }
            }
        }
        return output
    }
}
