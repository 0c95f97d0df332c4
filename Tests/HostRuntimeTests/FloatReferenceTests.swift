import Compiler
import Foundation
import Testing
@testable import HostRuntime

struct FloatReferenceTests {
    /// The 3x3 map 1...9, one channel.
    let nine = FeatureShape(height: 3, width: 3, channels: 1)
    let nineValues: [Float] = (1...9).map(Float.init)

    func convolution(_ input: FeatureShape, _ convolution: Convolution, hasBias: Bool = false, activation: Activation = .none,
                     pooling: Pooling? = nil) -> Layer {
        Layer(name: "conv", operation: .convolution(convolution), input: input, hasBias: hasBias, activation: activation, pooling: pooling)
    }

    @Test func convolutionWithAsymmetricPadding() throws {
        let layer = convolution(nine, Convolution(outputChannels: 1, kernelHeight: 3, kernelWidth: 3,
                                                  padding: Padding(top: 0, bottom: 1, left: 0, right: 1)))
        let output = try FloatReference.run(layer, parameters: LayerParameters(weights: Array(repeating: 1, count: 9)), input: nineValues)
        #expect(output == [45, 33, 39, 28])
        // Top and left only, stride 2: one window, at (-1, -1).
        let topLeft = convolution(nine, Convolution(outputChannels: 1, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                    padding: Padding(top: 1, bottom: 0, left: 1, right: 0)))
        #expect(try FloatReference.run(topLeft, parameters: LayerParameters(weights: Array(repeating: 1, count: 9)), input: nineValues)
            == [12])
    }

    @Test func convolutionWithDilationAndARectangularKernel() throws {
        let input = FeatureShape(height: 5, width: 5, channels: 1)
        let values = (0..<25).map(Float.init)
        let dilated = convolution(input, Convolution(outputChannels: 1, kernelHeight: 3, kernelWidth: 3, dilationY: 2, dilationX: 2))
        #expect(try FloatReference.run(dilated, parameters: LayerParameters(weights: Array(repeating: 1, count: 9)), input: values) == [108])
        // A 1x2 kernel (weights 1, 10), stride 2 across columns: 10 * x[y][2j+1] + x[y][2j].
        let wide = convolution(input, Convolution(outputChannels: 1, kernelHeight: 1, kernelWidth: 2, strideY: 4, strideX: 2))
        let output = try FloatReference.run(wide, parameters: LayerParameters(weights: [1, 10]), input: values)
        #expect(output == [10, 32, 230, 252])
    }

    @Test func convolutionWithTwoOutputChannelsAndBias() throws {
        // 2 input channels, 1x1: k0 = c0 + 2 c1 + 0.5, k1 = -c0 + 0.25
        let input = FeatureShape(height: 1, width: 2, channels: 2)
        let layer = convolution(input, Convolution(outputChannels: 2, kernelHeight: 1, kernelWidth: 1), hasBias: true)
        let parameters = LayerParameters(weights: [1, -1, 2, 0], bias: [0.5, 0.25])
        #expect(try FloatReference.run(layer, parameters: parameters, input: [1, 2, 3, 4]) == [5.5, -0.75, 11.5, -2.75])
    }

    @Test func fullyConnectedBatch() throws {
        // Batch 2 of 3 features -> 2 outputs: weights [N][M].
        let layer = Layer(name: "fc", operation: .fullyConnected(outputFeatures: 2), input: FeatureShape(height: 1, width: 2, channels: 3))
        let parameters = LayerParameters(weights: [1, 0, 2, 1, 3, -1], bias: [10, 20])
        let output = try FloatReference.run(layer, parameters: parameters, input: [1, 2, 3, -1, 0, 1])
        // Row 1: 1 + 4 + 9 + 10, 2 - 3 + 20; row 2: -1 + 3 + 10, -1 + 20.
        #expect(output == [24, 19, 12, 19])
        #expect(try layer.outputShape() == FeatureShape(height: 1, width: 2, channels: 2))
    }

    @Test func batchNormAfterBias() throws {
        var layer = convolution(FeatureShape(height: 1, width: 2, channels: 1), Convolution(outputChannels: 2, kernelHeight: 1, kernelWidth: 1),
                                hasBias: true)
        layer.hasBatchNorm = true
        let statistics = BatchNormParameters(gamma: [2, 0.5], beta: [1, -1], mean: [3, 0], variance: [4, 1], epsilon: 0)
        let parameters = LayerParameters(weights: [1, 1], bias: [1, 0], batchNorm: statistics)
        let output = try FloatReference.run(layer, parameters: parameters, input: [5, 9])
        // Channel 0: 2 * (x + 1 - 3) / 2 + 1 = x - 1; channel 1: 0.5 * x - 1.
        #expect(output == [4, 1.5, 8, 3.5])
    }

    @Test(arguments: [Activation.none, .relu, .relu6, .sigmoid, .tanh, .leakyRelu(alpha: 0.1)])
    func everyActivation(_ activation: Activation) throws {
        let values: [Float] = [-3, -0.5, 0, 0.5, 7]
        let layer = convolution(FeatureShape(height: 1, width: 5, channels: 1), Convolution(outputChannels: 1, kernelHeight: 1, kernelWidth: 1),
                                activation: activation)
        let output = try FloatReference.run(layer, parameters: LayerParameters(weights: [1]), input: values)
        let expected: [Float] = switch activation {
        case .none: values
        case .relu: [0, 0, 0, 0.5, 7]
        case .relu6: [0, 0, 0, 0.5, 6]
        case .sigmoid: values.map { 1 / (1 + exp(-$0)) }
        case .tanh: values.map { Foundation.tanh($0) }
        case .leakyRelu: [-0.3, -0.05, 0, 0.5, 7]
        }
        for (actual, wanted) in zip(output, expected) { #expect(abs(actual - wanted) <= 1e-6) }
    }

    func poolingLayer(_ input: FeatureShape, _ pooling: Pooling) -> Layer {
        Layer(name: "pool", operation: .pooling(pooling), input: input, hasBias: false)
    }

    @Test func maxPoolingIgnoresPaddingAndHonoursCeilMode() throws {
        let negative = nineValues.map { -$0 }
        let padded = poolingLayer(nine, Pooling(kind: .max, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, padding: Padding(1)))
        // Padding is -infinity, not 0: each window's largest input element wins.
        #expect(try FloatReference.run(padded, parameters: LayerParameters(weights: []), input: negative) == [-1, -2, -4, -5])
        let ceil = poolingLayer(nine, Pooling(kind: .max, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, ceilMode: true))
        #expect(try FloatReference.run(ceil, parameters: LayerParameters(weights: []), input: nineValues) == [5, 6, 8, 9])
        let floor = poolingLayer(nine, Pooling.square(.max, 2))
        #expect(try FloatReference.run(floor, parameters: LayerParameters(weights: []), input: nineValues) == [5])
    }

    @Test func averagePoolingCountsPaddingOrNot() throws {
        let including = Pooling(kind: .average, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, padding: Padding(1))
        var excluding = including
        excluding.countIncludePadding = false
        // Windows {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}.
        #expect(try FloatReference.run(poolingLayer(nine, including), parameters: LayerParameters(weights: []), input: nineValues)
            == [0.25, 1.25, 2.75, 7])
        #expect(try FloatReference.run(poolingLayer(nine, excluding), parameters: LayerParameters(weights: []), input: nineValues)
            == [1, 2.5, 5.5, 7])
        // Ceil mode: the extra windows are clipped to the input (no padding), so they divide by what they cover.
        let ceil = Pooling(kind: .average, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, ceilMode: true)
        #expect(try FloatReference.run(poolingLayer(nine, ceil), parameters: LayerParameters(weights: []), input: nineValues)
            == [3, 4.5, 7.5, 9])
    }

    @Test func globalAveragePool() throws {
        let layer = Layer(name: "gap", operation: .globalAveragePool, input: FeatureShape(height: 2, width: 2, channels: 2), hasBias: false)
        let output = try FloatReference.run(layer, parameters: LayerParameters(weights: []), input: [1, 10, 2, 20, 3, 30, 4, 40])
        #expect(output == [2.5, 25])
        #expect(try layer.outputShape() == FeatureShape(height: 1, width: 1, channels: 2))
    }

    @Test func fusedPoolingFollowsTheActivation() throws {
        // Identity 1x1 conv, bias -5, ReLU, then 2x2 average pooling with stride 1.
        let layer = convolution(nine, Convolution(outputChannels: 1, kernelHeight: 1, kernelWidth: 1), hasBias: true, activation: .relu,
                                pooling: Pooling(kind: .average, windowHeight: 2, windowWidth: 2, strideY: 1, strideX: 1))
        let output = try FloatReference.run(layer, parameters: LayerParameters(weights: [1], bias: [-5]), input: nineValues)
        // After ReLU: 0 0 0 / 0 0 1 / 2 3 4.
        #expect(output == [0, 0.25, 1.25, 2])
    }

    @Test(arguments: FloatReferenceCase.all)
    func convolutionMatchesANaiveLoop(_ c: FloatReferenceCase) throws {
        let layer = convolution(c.input, c.convolution)
        let parameters = LayerParameters.random(for: Layer(name: "c", operation: .convolution(c.convolution), input: c.input, hasBias: false),
                                                seed: 31)
        let input = FloatData.random(count: c.input.elementCount, seed: 32)
        let output = try FloatReference.run(layer, parameters: parameters, input: input)
        let shape = try layer.outputShape()
        #expect(output.count == shape.elementCount)
        let expected = naiveFloatConvolution(input, c.input, parameters.weights, c.convolution, shape)
        let worst = zip(output, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5)
    }

    @Test func resultsDoNotDependOnTheWorkSplit() throws {
        // Above the parallel threshold (about 4.7 M MACs): the same bits on every run, and the
        // same as a naive loop to rounding.
        let input = FeatureShape(height: 20, width: 20, channels: 32)
        let conv = Convolution(outputChannels: 64, kernelHeight: 3, kernelWidth: 3, padding: Padding(1))
        let layer = convolution(input, conv, hasBias: true, activation: .relu)
        let parameters = LayerParameters.random(for: layer, seed: 41)
        let values = FloatData.random(count: input.elementCount, seed: 42)
        let first = try FloatReference.run(layer, parameters: parameters, input: values)
        #expect(try FloatReference.run(layer, parameters: parameters, input: values) == first)
        var unbiased = layer
        unbiased.hasBias = false
        unbiased.activation = .none
        let raw = try FloatReference.run(unbiased, parameters: LayerParameters(weights: parameters.weights), input: values)
        let expected = naiveFloatConvolution(values, input, parameters.weights, conv, try layer.outputShape())
        #expect(zip(raw, expected).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    @Test func rejectsMismatchedParameters() {
        let layer = convolution(nine, Convolution(outputChannels: 2, kernelHeight: 3, kernelWidth: 3), hasBias: true)
        #expect(throws: ReferenceError("layer 'conv'", "weights have 9 values, expected 18 ([3][3][1][2])")) {
            try FloatReference.run(layer, parameters: LayerParameters(weights: Array(repeating: 1, count: 9), bias: [0, 0]), input: nineValues)
        }
        #expect(throws: ReferenceError("layer 'conv'", "the layer has a bias but the parameters give none")) {
            try FloatReference.run(layer, parameters: LayerParameters(weights: Array(repeating: 1, count: 18)), input: nineValues)
        }
        #expect(throws: ReferenceError("layer 'conv'", "input has 8 values, expected 9 (3x3x1)")) {
            try FloatReference.run(layer, parameters: LayerParameters(weights: Array(repeating: 1, count: 18), bias: [0, 0]),
                                   input: Array(nineValues.prefix(8)))
        }
        let grouped = convolution(nine, Convolution(outputChannels: 2, kernelHeight: 1, kernelWidth: 1, groups: 2))
        #expect(throws: ReferenceError("layer 'conv'", "input channels 1 are not divisible by groups 2")) {
            try FloatReference.run(grouped, parameters: LayerParameters(weights: []), input: nineValues)
        }
    }
}

struct FloatReferenceCase: Sendable, CustomTestStringConvertible {
    var input: FeatureShape
    var convolution: Convolution
    var testDescription: String {
        let c = convolution
        return "\(input) K\(c.outputChannels) \(c.kernelHeight)x\(c.kernelWidth) s\(c.strideY),\(c.strideX) p\(c.padding) d\(c.dilationY),\(c.dilationX) g\(c.groups)"
    }

    static let all: [FloatReferenceCase] = [
        FloatReferenceCase(input: FeatureShape(height: 7, width: 9, channels: 3),
                           convolution: Convolution(outputChannels: 5, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 1,
                                                    padding: Padding(top: 1, bottom: 0, left: 2, right: 1))),
        FloatReferenceCase(input: FeatureShape(height: 8, width: 8, channels: 4),
                           convolution: Convolution(outputChannels: 4, kernelHeight: 3, kernelWidth: 3, padding: Padding(2),
                                                    dilationY: 2, dilationX: 2, groups: 4)),
        FloatReferenceCase(input: FeatureShape(height: 6, width: 11, channels: 6),
                           convolution: Convolution(outputChannels: 9, kernelHeight: 1, kernelWidth: 5, strideX: 2,
                                                    padding: Padding(top: 0, bottom: 0, left: 2, right: 2), groups: 3)),
        FloatReferenceCase(input: FeatureShape(height: 9, width: 6, channels: 2),
                           convolution: Convolution(outputChannels: 6, kernelHeight: 7, kernelWidth: 1, padding: Padding(top: 3, bottom: 3, left: 0, right: 0),
                                                    groups: 2)),
        FloatReferenceCase(input: FeatureShape(height: 10, width: 10, channels: 8),
                           convolution: Convolution(outputChannels: 16, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                    padding: Padding(1), groups: 8)),
    ]
}

/// The convolution formula with bounds checks instead of a padded copy, summing r, s, c ascending.
func naiveFloatConvolution(_ input: [Float], _ shape: FeatureShape, _ weights: [Float], _ c: Convolution,
                           _ output: FeatureShape) -> [Float] {
    let groupChannels = shape.channels / c.groups, groupOutputs = c.outputChannels / c.groups
    var result = [Float](repeating: 0, count: output.elementCount)
    for oy in 0..<output.height {
        for ox in 0..<output.width {
            for k in 0..<c.outputChannels {
                let group = k / groupOutputs
                var sum: Float = 0
                for r in 0..<c.kernelHeight {
                    for s in 0..<c.kernelWidth {
                        let y = oy * c.strideY + r * c.dilationY - c.padding.top
                        let x = ox * c.strideX + s * c.dilationX - c.padding.left
                        guard (0..<shape.height).contains(y), (0..<shape.width).contains(x) else { continue }
                        for channel in 0..<groupChannels {
                            sum += input[(y * shape.width + x) * shape.channels + group * groupChannels + channel]
                                * weights[((r * c.kernelWidth + s) * groupChannels + channel) * c.outputChannels + k]
                        }
                    }
                }
                result[(oy * output.width + ox) * output.channels + k] = sum
            }
        }
    }
    return result
}
