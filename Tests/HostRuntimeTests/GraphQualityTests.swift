import Compiler
import ISA
import Testing
@testable import HostRuntime

/// Network-level calibration and agreement on fp32 graph runs.
struct GraphQualityTests {
    let values: [String: [Float]] = ["input": [-1, 0.5, 2], "relu": [0, 0.25, 3], "empty": []]

    @Test func int8CalibratesEveryTensorOnItsOwnRange() {
        let table = NetworkCalibration.int8(values: values)
        #expect(table == ["input": Calibration.int8(min: -1, max: 2), "relu": Calibration.int8(min: 0, max: 3),
                          "empty": Quantization(scale: 1, zeroPoint: 0)])
    }

    @Test func fixedPointCalibratesEveryTensorOnItsLargestMagnitude() {
        #expect(NetworkCalibration.fixedPoint(values: values)
            == ["input": Calibration.fixedPoint(maxAbs: 2), "relu": Calibration.fixedPoint(maxAbs: 3), "empty": Calibration.fixedPoint(maxAbs: 0)])
    }

    @Test func samplesCalibrateOnTheUnionOfTheirRanges() {
        let other: [String: [Float]] = ["input": [-4, 1], "relu": [0, 1]]
        #expect(NetworkCalibration.int8(samples: [values, other])
            == ["input": Calibration.int8(min: -4, max: 2), "relu": Calibration.int8(min: 0, max: 3)])
        #expect(NetworkCalibration.fixedPoint(samples: [values, other])
            == ["input": Calibration.fixedPoint(maxAbs: 4), "relu": Calibration.fixedPoint(maxAbs: 3), "empty": Calibration.fixedPoint(maxAbs: 0)])
        #expect(NetworkCalibration.int8(samples: [values]) == NetworkCalibration.int8(values: values).filter { $0.key != "empty" })
    }

    @Test func agreementOfAQuantizedRoundTrip() throws {
        let graph = try ModelZoo.model(named: "resnet-tiny")!.graph()
        let analysis = try graph.analyze()
        let reference = try FloatGraphReference.run(graph, parameters: try networkParameters(graph),
                                                    input: FloatData.random(count: 32 * 32 * 3, seed: 4))
        let quantization = NetworkCalibration.int8(values: reference)
        let output = analysis.outputs[0], shape = analysis.shapes[output]!
        let device = Quantizer.quantize(reference[output]!, shape: [shape.elementCount], type: .int8, quantization[output]!)
        let agreement = NetworkAgreement(output: output, shape: shape, reference: reference[output]!, device: device,
                                         quantization: quantization[output]!)
        #expect(agreement.error.maxAbsError <= quantization[output]!.scale / 2 + 1e-6)
        #expect(agreement.error.cosineSimilarity > 0.999)
        #expect(agreement.topOne.rows == shape.height * shape.width)

        let all = try #require(NetworkAgreement.outputs(of: analysis, reference: reference, device: reference))
        #expect(all.map(\.output) == analysis.outputs)
        #expect(all.allSatisfy { $0.error.maxAbsError == 0 && $0.topOne.rate == 1 })
        #expect(NetworkAgreement.outputs(of: analysis, reference: reference, device: [:]) == nil)
    }

    @Test func topOneReadsEachPixelAsARow() {
        let shape = FeatureShape(height: 1, width: 2, channels: 3)
        let agreement = NetworkAgreement(output: "y", shape: shape, reference: [0, 1, 0, 5, 1, 2], device: [0, 2, 1, 1, 5, 2])
        #expect(agreement.topOne == TopOneAgreement(reference: [0, 1, 0, 5, 1, 2], device: [0, 2, 1, 1, 5, 2], classes: 3))
        #expect(agreement.topOne.matching == 1 && agreement.topOne.rows == 2)
    }
}
