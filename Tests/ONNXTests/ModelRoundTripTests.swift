import Foundation
import Testing
@testable import ONNX

/// Models built with the test encoder decode back to the values they were built from, however
/// the encoder lays out tensors and repeated fields, and whatever unknown fields it adds.
struct ModelRoundTripTests {
    @Test(arguments: TensorStorage.allCases, [false, true])
    func sampleModelRoundTrips(storage: TensorStorage, unknownFields: Bool) throws {
        let options = EncodingOptions(storage: storage, unknownFields: unknownFields)
        let model = try ONNXModel(bytes: SampleModel.bytes(options: options), baseDirectory: nil)
        #expect(model.graph == SampleModel.graph)
        #expect(model.irVersion == 8)
        #expect(model.opsetVersion == 17)
        #expect(model.opsetImports == [ONNXOperatorSetID(domain: "", version: 17),
                                       ONNXOperatorSetID(domain: "com.example", version: 1)])
        #expect(model.producerName == "pytorch")
        #expect(model.producerVersion == "2.3.0")
        #expect(model.domain == "org.example")
        #expect(model.modelVersion == 7)
        #expect(model.docString == "a test model")
        #expect(model.metadata == SampleModel.metadata)
    }

    @Test func convNodeReadsAsAnImporterNeedsIt() throws {
        let model = try ONNXModel(bytes: SampleModel.bytes(), baseDirectory: nil)
        let conv = model.graph.nodes[0]
        #expect(conv.opType == "Conv")
        #expect(conv.inputs == ["x", "conv.weight", "conv.bias"])
        #expect(conv.attribute("kernel_shape")?.value == .ints([3, 3]))
        #expect(conv.attribute("group")?.value == .int(1))
        #expect(conv.attribute("missing") == nil)
        let weight = try #require(model.graph.initializers.first { $0.name == "conv.weight" })
        #expect(weight.dims == [2, 1, 3, 3])
        #expect(weight.elementCount == 18)
        #expect(try weight.floatValues() == (0..<18).map { Float($0) * 0.25 - 2 })
        let input = model.graph.inputs[0]
        #expect(input.type == .tensor(elementType: .float, shape: [ONNXDimension(.symbolic("batch")), ONNXDimension(.known(1)),
                                                                    ONNXDimension(.known(5)), ONNXDimension(.known(5))]))
        #expect(model.graph.inputs[1].type == .unsupported("sequence_type"))
    }

    @Test func everyDecodedTypeConvertsToFloatsAndIntegers() throws {
        let model = try ONNXModel(bytes: SampleModel.bytes(options: EncodingOptions(storage: .packed)), baseDirectory: nil)
        let tensors = Dictionary(uniqueKeysWithValues: model.graph.initializers.map { ($0.name, $0) })
        #expect(try tensors["half"]?.floatValues() == [1.5, -0.25, 65504])
        #expect(try tensors["double"]?.floatValues() == [Float(1e-300), -2.5])
        #expect(try tensors["int8"]?.floatValues() == [-128, -1, 0, 127])
        #expect(try tensors["int8"]?.integerValues() == [-128, -1, 0, 127])
        #expect(try tensors["uint8"]?.integerValues() == [0, 128, 255])
        #expect(try tensors["int32"]?.integerValues() == [Int64(Int32.min), Int64(Int32.max)])
        #expect(try tensors["int64"]?.integerValues() == [.min, .max])
        #expect(try tensors["int64"]?.floatValues() == [-0x1p63, 0x1p63])
        #expect(try tensors["bool"]?.integerValues() == [1, 0, 1])
        #expect(try tensors["bool"]?.floatValues() == [1, 0, 1])
        #expect(try tensors["scalar"]?.integerValues() == [42])
        #expect(tensors["scalar"]?.elementCount == 1)
        #expect(try tensors["empty"]?.floatValues() == [])
        #expect(tensors["empty"]?.values.count == 0)
        #expect(tensors["u16"]?.values.count == nil)
        #expect(throws: ONNXError(.unsupported, "tensor \"conv.weight\" of type FLOAT has no integer values")) {
            try tensors["conv.weight"]?.integerValues()
        }
        #expect(throws: ONNXError(.unsupported, "tensor \"u16\" of type UINT16 has no floating-point values")) {
            try tensors["u16"]?.floatValues()
        }
    }

    /// float16 bit patterns and their values, computed independently of `Float16`.
    static let halves: [(bits: UInt16, value: Float)] = [
        (0x0000, 0), (0x8000, -0.0), (0x0001, 0x1p-24), (0x8001, -0x1p-24), (0x03FF, 1023 * 0x1p-24),
        (0x0400, 0x1p-14), (0x3C00, 1), (0x3C01, 1 + 0x1p-10), (0xC000, -2), (0x3555, 0x1.554p-2), (0x7BFF, 65504),
        (0x7C00, .infinity), (0xFC00, -.infinity),
    ]

    @Test(arguments: [TensorStorage.raw, .packed])
    func float16ConvertsExactlyIncludingSubnormalsAndSpecials(storage: TensorStorage) throws {
        let nans: [UInt16] = [0x7E00, 0x7C01, 0xFFFF]
        let bits = Self.halves.map(\.bits) + nans
        let tensor = ONNXTensor(name: "h", dataType: .float16, dims: [bits.count],
                                values: .float16(bits.map(Float16.init(bitPattern:))))
        var reader = ProtobufReader(ProtobufWriter.message {
            ONNXEncoder.tensorMessage(tensor, EncodingOptions(storage: storage), &$0)
        })
        let decoded = try ONNXTensor(reading: &reader, baseDirectory: nil)
        guard case .float16(let values) = decoded.values else { Issue.record("not float16: \(decoded.values)"); return }
        #expect(values.map(\.bitPattern) == bits)
        let floats = try decoded.floatValues()
        for (float, expected) in zip(floats, Self.halves.map(\.value)) {
            #expect(float.bitPattern == expected.bitPattern)
        }
        #expect(floats.suffix(nans.count).allSatisfy { $0.isNaN })
    }
}
