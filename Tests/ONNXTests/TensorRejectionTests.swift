import Testing
@testable import ONNX

/// TensorProtos whose shape or data is invalid or unsupported are rejected with a one-line
/// error naming the tensor, before anything is allocated from their declared sizes.
struct TensorRejectionTests {
    /// The error decoding the TensorProto `build` writes, or nil when it decodes.
    static func error(_ build: (inout ProtobufWriter) -> Void) -> String? {
        var reader = ProtobufReader(ProtobufWriter.message(build))
        do {
            _ = try ONNXTensor(reading: &reader, baseDirectory: nil)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A tensor named "w" of `type` with `dims`.
    static func header(_ writer: inout ProtobufWriter, _ type: ONNXDataType, _ dims: [Int64]) {
        writer.string(8, "w")
        writer.int(2, Int64(type.rawValue))
        writer.packedVarints(1, dims)
    }

    @Test func rawDataMustMatchTheShape() {
        #expect(Self.error {
            Self.header(&$0, .float, [2, 3])
            $0.bytes(9, [UInt8](repeating: 0, count: 20))
        } == "tensor \"w\": raw_data has 20 bytes, expected 24 (6 FLOAT elements)")
        #expect(Self.error {
            Self.header(&$0, .int64, [])
            $0.bytes(9, [UInt8](repeating: 0, count: 9))
        } == "tensor \"w\": raw_data has 9 bytes, expected 8 (1 INT64 elements)")
        #expect(Self.error {
            Self.header(&$0, .float16, [4])
            $0.bytes(9, [])
        } == "tensor \"w\": raw_data has 0 bytes, expected 8 (4 FLOAT16 elements)")
    }

    @Test func elementCountsAreCheckedBeforeAllocating() {
        #expect(Self.error { Self.header(&$0, .float, [3, -1]) } == "tensor \"w\": dims[1] is -1, negative")
        #expect(Self.error { Self.header(&$0, .float, [1 << 40, 1 << 40]) }
            == "tensor \"w\": the shape holds more than 2^31 elements (at dims[0] = 1099511627776)")
        #expect(Self.error { Self.header(&$0, .float, [2, .max]) }
            == "tensor \"w\": the shape holds more than 2^31 elements (at dims[1] = 9223372036854775807)")
        #expect(Self.error { Self.header(&$0, .int8, [1 << 16, 1 << 15, 2]) }
            == "tensor \"w\": the shape holds more than 2^31 elements (at dims[2] = 2)")
        // 2^31 elements pass the shape check, then fail for want of data, without allocating.
        #expect(Self.error { Self.header(&$0, .double, [1 << 31]) }
            == "tensor \"w\": DOUBLE tensor has 0 values in double_data, expected 2147483648 (and no raw_data)")
        #expect(Self.error {
            Self.header(&$0, .uint8, [1 << 31])
            $0.bytes(9, [1, 2, 3])
        } == "tensor \"w\": raw_data has 3 bytes, expected 2147483648 (2147483648 UINT8 elements)")
        // A zero dimension makes the tensor empty whatever the others.
        #expect(Self.error { Self.header(&$0, .float, [1 << 40, 0]) } == nil)
    }

    @Test func typedDataMustBeInTheTypesFieldInTheRightNumber() {
        #expect(Self.error {
            Self.header(&$0, .float, [3])
            $0.packedFloats(4, [1, 2])
        } == "tensor \"w\": FLOAT tensor has 2 values in float_data, expected 3 (and no raw_data)")
        #expect(Self.error {
            Self.header(&$0, .float, [1])
            $0.packedFloats(4, [1])
            $0.packedVarints(7, [1])
        } == "tensor \"w\": FLOAT tensor has values in int64_data, expected them in float_data")
        #expect(Self.error {
            Self.header(&$0, .int8, [1])
            $0.string(6, "text")
        } == "tensor \"w\": INT8 tensor has values in string_data, expected them in int32_data")
        #expect(Self.error {
            Self.header(&$0, .int64, [1])
            $0.packedVarints(7, [1])
            $0.bytes(9, [UInt8](repeating: 0, count: 8))
        } == "tensor \"w\": has both raw_data and int64_data")
    }

    @Test func narrowTypesInInt32DataMustFit() {
        let cases: [(ONNXDataType, Int64, String)] = [
            (.int8, 128, "INT8 element 1 is 128, outside -128...127"),
            (.int8, -129, "INT8 element 1 is -129, outside -128...127"),
            (.uint8, -1, "UINT8 element 1 is -1, outside 0...255"),
            (.uint8, 256, "UINT8 element 1 is 256, outside 0...255"),
            (.float16, 65536, "FLOAT16 element 1 is 65536, outside 0...65535"),
            (.float16, -1, "FLOAT16 element 1 is -1, outside 0...65535"),
            (.bool, 2, "BOOL element 1 is 2, expected 0 or 1"),
        ]
        for (type, value, message) in cases {
            #expect(Self.error {
                Self.header(&$0, type, [2])
                $0.packedVarints(5, [0, value])
            } == "tensor \"w\": \(message)")
        }
        #expect(Self.error {
            Self.header(&$0, .bool, [2])
            $0.bytes(9, [1, 7])
        } == "tensor \"w\": BOOL element 1 is 7, expected 0 or 1")
    }

    @Test func unsupportedLayoutsAreRejected() {
        #expect(Self.error {
            Self.header(&$0, .float, [0])
            $0.message(3) { $0.int(1, 0) }
        } == "segmented tensors (field 3, segment) are not supported (byte 8)")
        #expect(Self.error { $0.string(8, "w"); $0.packedVarints(1, [1]) }
            == "tensor \"w\": data_type is missing (UNDEFINED)")
        #expect(Self.error {
            Self.header(&$0, .float, [0])
            $0.int(14, 2)
        } == "tensor \"w\": data_location 2 is neither DEFAULT (0) nor EXTERNAL (1)")
    }

    @Test func unsupportedElementTypesLoadUndecoded() throws {
        for type in [ONNXDataType.string, .uint16, .int16, .uint32, .uint64, ONNXDataType(rawValue: 16), ONNXDataType(rawValue: 99)] {
            var reader = ProtobufReader(ProtobufWriter.message {
                Self.header(&$0, type, [2])
                $0.string(6, "a")
                $0.packedVarints(11, [1, 2])
            })
            let tensor = try ONNXTensor(reading: &reader, baseDirectory: nil)
            #expect(tensor.values == .unsupported(type))
        }
        #expect(ONNXDataType(rawValue: 16).description == "BFLOAT16")
        #expect(ONNXDataType(rawValue: 99).description == "data type 99")
    }

    @Test func longNamesAreQuotedOnOneLine() {
        let name = "line\nbreak" + String(repeating: "x", count: 200)
        let message = Self.error {
            $0.string(8, name)
            $0.int(2, 1)
            $0.int(1, -4)
        }
        #expect(message == "tensor \"line\\nbreak\(String(repeating: "x", count: 70))…\": dims[0] is -4, negative")
    }
}
