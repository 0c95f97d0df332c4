import Compiler
import ISA
import Testing
@testable import HostRuntime

struct QualityTests {
    @Test func int8CalibrationIncludesZero() {
        let mixed = Calibration.int8(min: -1, max: 3)
        #expect(mixed.scale == 4.0 / 255)
        #expect(mixed.zeroPoint == -64)  // -128 - round(-63.75)
        let positive = Calibration.int8(min: 0.5, max: 2)
        #expect(positive == Quantization(scale: 2.0 / 255, zeroPoint: -128))
        let negative = Calibration.int8(min: -2, max: -1)
        #expect(negative == Quantization(scale: 2.0 / 255, zeroPoint: 127))
        #expect(Calibration.int8(min: 0, max: 0) == Quantization(scale: 1, zeroPoint: 0))
        #expect(Calibration.int8(of: [0.5, -1, 3, 2]) == mixed)
    }

    @Test func int8CalibrationRepresentsZeroExactlyAndTheRange() {
        let quantization = Calibration.int8(min: -0.37, max: 5.1)
        let q = Quantizer.quantize([-0.37, 0, 5.1], shape: [3], type: .int8, quantization)
        #expect(q.integers[0] == -128)
        #expect(q.integers[2] == 127)
        #expect(Quantizer.dequantize(q, quantization)[1] == 0)
    }

    @Test(arguments: [(Float(0), 15), (0.5, 15), (0.99, 15), (1, 14), (3, 13), (255.9, 7), (256, 6), (32767, 0), (40000, 0)])
    func fixedPointCalibration(_ maxAbs: Float, _ fractionBits: Int) {
        #expect(Calibration.fixedPoint(maxAbs: maxAbs) == Quantization(scale: Double(sign: .plus, exponent: -fractionBits, significand: 1), zeroPoint: 0))
    }

    @Test func fixedPointOfValuesUsesTheLargestMagnitude() {
        #expect(Calibration.fixedPoint(of: [0.5, -3, 2]) == Calibration.fixedPoint(maxAbs: 3))
    }

    @Test func quantizeRoundsHalfToEvenAndSaturates() {
        let quantization = Quantization(scale: 0.5, zeroPoint: 10)
        let q = Quantizer.quantize([0, 1, -1, 100, -100, 0.25, 0.75, .nan], shape: [2, 4], type: .int8, quantization)
        #expect(q == Tensor(shape: [2, 4], type: .int8, integers: [10, 12, 8, 127, -128, 10, 12, 10]))
        #expect(Quantizer.dequantize(q, quantization) == [0, 1, -1, 58.5, -69, 0, 1, 0])
        let fixed = Quantizer.quantize([1.5, -2, 4], shape: [3], type: .int16, Calibration.fixedPoint(maxAbs: 4))
        #expect(fixed.integers == [6144, -8192, 16384])  // 12 fraction bits
    }

    @Test func roundTripErrorIsAtMostHalfAStep() {
        let values = FloatData.random(count: 1000, range: -2...5, seed: 51)
        let quantization = Calibration.int8(of: values)
        let restored = Quantizer.dequantize(Quantizer.quantize(values, shape: [1000], type: .int8, quantization), quantization)
        let error = QuantizationError(reference: values, device: restored)
        #expect(error.maxAbsError <= quantization.scale / 2 + 1e-6)
        #expect(error.cosineSimilarity > 0.9999)
    }

    @Test func errorMetrics() {
        let error = QuantizationError(reference: [1, 2, 3], device: [1, 2, 4])
        #expect(error.maxAbsError == 1)
        #expect(abs(error.meanAbsError - 1.0 / 3) < 1e-12)
        #expect(abs(error.cosineSimilarity - 17 / (14.0 * 21).squareRoot()) < 1e-12)
        #expect(QuantizationError(reference: [0, 0], device: [0, 0]).cosineSimilarity == 1)
        #expect(QuantizationError(reference: [1, 0], device: [0, 0]).cosineSimilarity == 0)
        #expect(QuantizationError(reference: [1, 2], device: [-1, -2]).cosineSimilarity == -1)
        #expect(QuantizationError(reference: [], device: []) == QuantizationError(maxAbsError: 0, meanAbsError: 0, cosineSimilarity: 1))
    }

    @Test func topOneAgreement() {
        let agreement = TopOneAgreement(reference: [0.1, 0.9, 0.5, 0.2, 3, 3], device: [0.2, 0.8, 0.1, 0.3, 1, 1], classes: 2)
        #expect(agreement.rows == 3)
        #expect(agreement.matching == 2)  // rows 0 and 2 (ties pick the first class)
        #expect(abs(agreement.rate - 2.0 / 3) < 1e-12)
        #expect(TopOneAgreement.argmax([1, 5, 5, 2][...]) == 1)
        #expect(TopOneAgreement.argmax([.nan, 1, 0][...]) == 1)
    }

    @Test func seededGenerationIsDeterministic() throws {
        let layer = Layer(name: "c", operation: .convolution(Convolution(outputChannels: 8, kernelHeight: 3, kernelWidth: 3, groups: 2)),
                          input: FeatureShape(height: 5, width: 5, channels: 4), hasBatchNorm: true)
        let parameters = LayerParameters.random(for: layer, seed: 7)
        #expect(parameters == LayerParameters.random(for: layer, seed: 7))
        #expect(parameters != LayerParameters.random(for: layer, seed: 8))
        #expect(parameters.weights.count == 3 * 3 * 2 * 8)
        let bound = Float((6.0 / 18).squareRoot())
        #expect(parameters.weights.allSatisfy { abs($0) <= bound })
        #expect(parameters.weights.contains { abs($0) > bound / 2 })
        #expect(parameters.bias?.count == 8)
        #expect(parameters.bias!.allSatisfy { abs($0) <= LayerParameters.biasBound })
        let statistics = try #require(parameters.batchNorm)
        #expect(statistics.gamma.allSatisfy { (0.5...1.5).contains($0) })
        #expect(statistics.beta.allSatisfy { (-0.1...0.1).contains($0) })
        #expect(statistics.mean.allSatisfy { (-0.1...0.1).contains($0) })
        #expect(statistics.variance.allSatisfy { (0.5...1.5).contains($0) })
        // The weights do not depend on whether the layer has a bias or batch norm.
        var bare = layer
        bare.hasBias = false
        bare.hasBatchNorm = false
        #expect(LayerParameters.random(for: bare, seed: 7) == LayerParameters(weights: parameters.weights))
        #expect(FloatData.random(count: 5, seed: 3) == FloatData.random(count: 5, seed: 3))
        #expect(FloatData.random(count: 100, seed: 3).allSatisfy { (-1...1).contains($0) })
        let pooling = Layer(name: "p", operation: .globalAveragePool, input: FeatureShape(height: 2, width: 2, channels: 3), hasBias: false)
        #expect(LayerParameters.random(for: pooling, seed: 1) == LayerParameters(weights: []))
    }

    @Test func seededParametersRunThroughTheReference() throws {
        let layers = [
            Layer(name: "fc", operation: .fullyConnected(outputFeatures: 10), input: FeatureShape(height: 1, width: 4, channels: 32)),
            Layer(name: "dw", operation: .convolution(Convolution(outputChannels: 16, kernelHeight: 3, kernelWidth: 3, padding: Padding(1), groups: 16)),
                  input: FeatureShape(height: 12, width: 12, channels: 16), hasBatchNorm: true, activation: .relu6,
                  pooling: Pooling(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2, padding: Padding(1), ceilMode: true)),
            Layer(name: "pool", operation: .pooling(Pooling(kind: .average, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2, ceilMode: true,
                                                            countIncludePadding: false)),
                  input: FeatureShape(height: 10, width: 10, channels: 3), hasBias: false),
        ]
        for layer in layers {
            let output = try FloatReference.run(layer, parameters: LayerParameters.random(for: layer, seed: 1),
                                                input: FloatData.random(count: layer.input.elementCount, seed: 2))
            #expect(output.count == (try layer.outputShape()).elementCount)
            #expect(output.allSatisfy { $0.isFinite })
        }
    }
}
