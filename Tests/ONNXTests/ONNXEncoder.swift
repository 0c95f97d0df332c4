@testable import ONNX

/// How the test encoder writes a tensor's elements and the repeated scalars of attributes and
/// dims: as `raw_data` (scalars packed), or in the typed fields, packed or one tag per value.
enum TensorStorage: CaseIterable {
    case raw, packed, unpacked
}

/// Choices of the test encoder that a decoder must not be affected by.
struct EncodingOptions {
    var storage = TensorStorage.raw
    /// Whether each message starts with fields of unknown numbers, one of each wire type.
    var unknownFields = false

    /// Writes the unknown fields, if chosen.
    func begin(_ writer: inout ProtobufWriter) {
        guard unknownFields else { return }
        writer.int(900, -5)
        writer.fixed64(901, 0xDEAD_BEEF_0123_4567)
        writer.bytes(902, [0xFF, 0x00, 0x80, 0x07])
        writer.fixed32(903, 0xCAFE_F00D)
    }
}

/// Encodes the decoder's Swift structs back into ONNX protobuf messages (field numbers of
/// `onnx.proto`), so that tests can build models from values and check the decoder returns them.
enum ONNXEncoder {
    /// A ModelProto holding `graph`, importing the default domain at `opset` and the `extraOpsets`.
    static func model(_ graph: ONNXGraph, opset: Int64 = 17, extraOpsets: [ONNXOperatorSetID] = [],
                      metadata: [ONNXStringEntry] = [], options: EncodingOptions = EncodingOptions()) -> [UInt8] {
        ProtobufWriter.message { writer in
            options.begin(&writer)
            writer.int(1, 8)
            writer.string(2, "pytorch")
            writer.string(3, "2.3.0")
            writer.string(4, "org.example")
            writer.int(5, 7)
            writer.string(6, "a test model")
            writer.message(7) { graphMessage(graph, options, &$0) }
            for opsetID in [ONNXOperatorSetID(domain: "", version: opset)] + extraOpsets {
                writer.message(8) {
                    options.begin(&$0)
                    $0.string(1, opsetID.domain)
                    $0.int(2, opsetID.version)
                }
            }
            for entry in metadata { writer.message(14) { stringEntry(entry, options, &$0) } }
        }
    }

    static func graphMessage(_ graph: ONNXGraph, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        for node in graph.nodes { writer.message(1) { nodeMessage(node, options, &$0) } }
        writer.string(2, graph.name)
        for tensor in graph.initializers { writer.message(5) { tensorMessage(tensor, options, &$0) } }
        if !graph.docString.isEmpty { writer.string(10, graph.docString) }
        for (field, infos) in [(11, graph.inputs), (12, graph.outputs), (13, graph.valueInfo)] {
            for info in infos { writer.message(field) { valueInfoMessage(info, options, &$0) } }
        }
    }

    static func nodeMessage(_ node: ONNXNode, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        for input in node.inputs { writer.string(1, input) }
        for output in node.outputs { writer.string(2, output) }
        writer.string(3, node.name)
        writer.string(4, node.opType)
        for attribute in node.attributes { writer.message(5) { attributeMessage(attribute, options, &$0) } }
        if !node.docString.isEmpty { writer.string(6, node.docString) }
        if !node.domain.isEmpty { writer.string(7, node.domain) }
    }

    /// The `AttributeType` number of a value.
    static func typeNumber(_ value: ONNXAttribute.Value) -> Int64 {
        switch value {
        case .float: 1
        case .int: 2
        case .string: 3
        case .tensor: 4
        case .graph: 5
        case .floats: 6
        case .ints: 7
        case .strings: 8
        case .tensors: 9
        case .graphs: 10
        case .unsupported(let type): Int64(type)
        }
    }

    static func attributeMessage(_ attribute: ONNXAttribute, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        writer.string(1, attribute.name)
        writer.int(20, typeNumber(attribute.value))
        if !attribute.docString.isEmpty { writer.string(13, attribute.docString) }
        if !attribute.refAttrName.isEmpty { writer.string(21, attribute.refAttrName) }
        switch attribute.value {
        case .float(let value): writer.float(2, value)
        case .int(let value): writer.int(3, value)
        case .string(let value): writer.string(4, value)
        case .tensor(let tensor): writer.message(5) { tensorMessage(tensor, options, &$0) }
        case .graph(let graph): writer.message(6) { graphMessage(graph, options, &$0) }
        case .floats(let values): floats(7, values, options, &writer)
        case .ints(let values): varints(8, values, options, &writer)
        case .strings(let values): for value in values { writer.string(9, value) }
        case .tensors(let tensors): for tensor in tensors { writer.message(10) { tensorMessage(tensor, options, &$0) } }
        case .graphs(let graphs): for graph in graphs { writer.message(11) { graphMessage(graph, options, &$0) } }
        case .unsupported: break
        }
    }

    static func tensorMessage(_ tensor: ONNXTensor, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        varints(1, tensor.dims.map(Int64.init), options, &writer)
        writer.int(2, Int64(tensor.dataType.rawValue))
        writer.string(8, tensor.name)
        if !tensor.docString.isEmpty { writer.string(12, tensor.docString) }
        if options.storage == .raw {
            writer.bytes(9, rawData(tensor.values))
            return
        }
        switch tensor.values {
        case .float32(let values): floats(4, values, options, &writer)
        case .double(let values):
            if options.storage == .packed { writer.packedDoubles(10, values) } else { for value in values { writer.fixed64(10, value.bitPattern) } }
        case .int64(let values): varints(7, values, options, &writer)
        case .int32(let values): varints(5, values.map(Int64.init), options, &writer)
        case .int8(let values): varints(5, values.map(Int64.init), options, &writer)
        case .uint8(let values): varints(5, values.map(Int64.init), options, &writer)
        case .bool(let values): varints(5, values.map { $0 ? 1 : 0 }, options, &writer)
        case .float16(let values): varints(5, values.map { Int64($0.bitPattern) }, options, &writer)
        case .unsupported: break
        }
    }

    /// The little-endian bytes of `values`, as `raw_data` and external files hold them.
    static func rawData(_ values: TensorValues) -> [UInt8] {
        let le = ProtobufWriter.littleEndian
        return switch values {
        case .float32(let values): values.flatMap { le(UInt64($0.bitPattern), 4) }
        case .float16(let values): values.flatMap { le(UInt64($0.bitPattern), 2) }
        case .double(let values): values.flatMap { le($0.bitPattern, 8) }
        case .int8(let values): values.map { UInt8(bitPattern: $0) }
        case .uint8(let values): values
        case .int32(let values): values.flatMap { le(UInt64(UInt32(bitPattern: $0)), 4) }
        case .int64(let values): values.flatMap { le(UInt64(bitPattern: $0), 8) }
        case .bool(let values): values.map { $0 ? 1 : 0 }
        case .unsupported: []
        }
    }

    static func valueInfoMessage(_ info: ONNXValueInfo, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        writer.string(1, info.name)
        if let type = info.type { writer.message(2) { typeMessage(type, options, &$0) } }
        if !info.docString.isEmpty { writer.string(3, info.docString) }
    }

    static let otherTypeFields = ["sequence_type": 4, "map_type": 5, "opaque_type": 7, "sparse_tensor_type": 8,
                                  "optional_type": 9]

    static func typeMessage(_ type: ONNXType, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        switch type {
        case let .tensor(elementType, shape):
            writer.message(1) { tensorType in
                options.begin(&tensorType)
                tensorType.int(1, Int64(elementType.rawValue))
                guard let shape else { return }
                tensorType.message(2) { shapeMessage in
                    options.begin(&shapeMessage)
                    for dim in shape { shapeMessage.message(1) { dimensionMessage(dim, options, &$0) } }
                }
            }
        case .unsupported(let kind):
            if let field = otherTypeFields[kind] { writer.message(field) { _ in } }
        }
    }

    static func dimensionMessage(_ dimension: ONNXDimension, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        switch dimension.value {
        case .known(let size): writer.int(1, size)
        case .symbolic(let name): writer.string(2, name)
        case .unknown: break
        }
        if !dimension.denotation.isEmpty { writer.string(3, dimension.denotation) }
    }

    static func stringEntry(_ entry: ONNXStringEntry, _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        options.begin(&writer)
        writer.string(1, entry.key)
        writer.string(2, entry.value)
    }

    private static func varints(_ field: Int, _ values: [Int64], _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        if options.storage == .unpacked {
            for value in values { writer.int(field, value) }
        } else if !values.isEmpty {
            writer.packedVarints(field, values)
        }
    }

    private static func floats(_ field: Int, _ values: [Float], _ options: EncodingOptions, _ writer: inout ProtobufWriter) {
        if options.storage == .unpacked {
            for value in values { writer.float(field, value) }
        } else if !values.isEmpty {
            writer.packedFloats(field, values)
        }
    }
}
