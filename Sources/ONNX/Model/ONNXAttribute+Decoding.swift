import Foundation

extension ONNXAttribute {
    /// The `onnx.proto` names of the value fields, numbered 2...11; the field of `AttributeType`
    /// t (FLOAT = 1 ... GRAPHS = 10) is number t + 1.
    private static let valueFieldNames = ["f", "i", "s", "t", "g", "floats", "ints", "strings", "tensors", "graphs"]

    /// Decodes an AttributeProto. Its `type` field (required since IR version 3) selects the
    /// value; a value field of another type makes the attribute invalid rather than ambiguous.
    init(reading reader: inout ProtobufReader, baseDirectory: URL?) throws {
        var name = "", refAttrName = "", docString = ""
        var type: Int32 = 0
        var float: Float = 0, int: Int64 = 0, string = ""
        var tensor: ONNXTensor?, graph: ONNXGraph?
        var floats: [Float] = [], ints: [Int64] = [], strings: [String] = []
        var tensors: [ONNXTensor] = [], graphs: [ONNXGraph] = []
        var valueFields: Set<Int> = []
        while let field = try reader.nextField() {
            switch field.number {
            case 1: name = try reader.string(field)
            case 13: docString = try reader.string(field)
            case 20: type = try reader.int32(field)
            case 21: refAttrName = try reader.string(field)
            case 2: float = try reader.float(field)
            case 3: int = try reader.int64(field)
            case 4: string = try reader.string(field)
            case 5:
                var message = try reader.message(field)
                tensor = try ONNXError.locating("t") { try ONNXTensor(reading: &message, baseDirectory: baseDirectory) }
            case 6:
                var message = try reader.message(field)
                graph = try ONNXError.locating("g") { try ONNXGraph(reading: &message, baseDirectory: baseDirectory) }
            case 7: try reader.appendFixed32s(field, to: &floats, Float.init(bitPattern:))
            case 8: try reader.appendVarints(field, to: &ints) { Int64(bitPattern: $0) }
            case 9: strings.append(try reader.string(field))
            case 10:
                var message = try reader.message(field)
                tensors.append(try ONNXError.locating("tensors[\(tensors.count)]") {
                    try ONNXTensor(reading: &message, baseDirectory: baseDirectory)
                })
            case 11:
                var message = try reader.message(field)
                graphs.append(try ONNXError.locating("graphs[\(graphs.count)]") {
                    try ONNXGraph(reading: &message, baseDirectory: baseDirectory)
                })
            default: try reader.skip(field)
            }
            if (2...11).contains(field.number) { valueFields.insert(field.number) }
        }
        let subject = "attribute \(ONNXError.quoted(name))"
        let value: Value = switch type {
        case 1: .float(float)
        case 2: .int(int)
        case 3: .string(string)
        case 4: .tensor(try tensor ?? Self.missingValue(subject, "TENSOR"))
        case 5: .graph(try graph ?? Self.missingValue(subject, "GRAPH"))
        case 6: .floats(floats)
        case 7: .ints(ints)
        case 8: .strings(strings)
        case 9: .tensors(tensors)
        case 10: .graphs(graphs)
        case 0: throw ONNXError(.invalid, "\(subject) has no type")
        default: .unsupported(type)
        }
        if (1...10).contains(type), let stray = valueFields.subtracting([Int(type) + 1]).min() {
            throw ONNXError(.invalid, "\(subject) of type \(value.typeName) also sets field \(stray) "
                                + "(\(Self.valueFieldNames[stray - 2]))")
        }
        self.init(name: name, value: value, refAttrName: refAttrName, docString: docString)
    }

    private static func missingValue<T>(_ subject: String, _ typeName: String) throws -> T {
        throw ONNXError(.invalid, "\(subject) of type \(typeName) has no value")
    }
}
