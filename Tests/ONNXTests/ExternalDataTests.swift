import Foundation
import Testing
@testable import ONNX

/// Tensors whose bytes lie in a file next to the model (`data_location: EXTERNAL`): read at
/// their offset and length, and rejected when the file is missing, short, or outside the
/// model's directory.
struct ExternalDataTests {
    /// A fresh directory for one test, removed by `cleanUp`.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-external-\(UUID().uuidString)")

    static let weight: [Float] = (0..<6).map { Float($0) - 2.5 }
    static let ids: [Int64] = [3, -4, 1 << 40]

    /// An initializer `name` of `type` and `dims` whose data is external, with `entries`.
    static func externalTensor(_ name: String, _ type: ONNXDataType, _ dims: [Int64],
                               _ entries: [(String, String)]) -> (inout ProtobufWriter) -> Void {
        { writer in
            writer.string(8, name)
            writer.int(2, Int64(type.rawValue))
            writer.packedVarints(1, dims)
            for (key, value) in entries { writer.message(13) { $0.string(1, key); $0.string(2, value) } }
            writer.int(14, 1)
        }
    }

    /// A model whose initializers are `tensors`.
    static func model(_ tensors: [(inout ProtobufWriter) -> Void]) -> [UInt8] {
        ProtobufWriter.message { writer in
            writer.message(7) { graph in for tensor in tensors { graph.message(5, tensor) } }
            writer.message(8) { $0.int(2, 17) }
        }
    }

    /// Writes `bytes` as `name` in the test directory.
    func write(_ bytes: [UInt8], _ name: String) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Writes a model of one FLOAT [2, 3] tensor with `entries` and loads it, returning its error.
    func loadError(_ entries: [(String, String)]) throws -> String? {
        try write(Self.model([Self.externalTensor("w", .float, [2, 3], entries)]), "model.onnx")
        do {
            _ = try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
            return nil
        } catch {
            return "\(error)"
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    @Test func offsetAndLengthAreHonoured() throws {
        defer { cleanUp() }
        let floats = ONNXEncoder.rawData(.float32(Self.weight))
        let integers = ONNXEncoder.rawData(.int64(Self.ids))
        try write([UInt8](repeating: 0xEE, count: 16) + floats + [0xEE, 0xEE] + integers, "weights.bin")
        try write(ONNXEncoder.rawData(.float16([1, -2])), "data/half.bin")
        try write(Self.model([
            Self.externalTensor("w", .float, [2, 3], [("location", "weights.bin"), ("offset", "16"), ("length", "24")]),
            Self.externalTensor("ids", .int64, [3], [("location", "weights.bin"), ("offset", "42"), ("checksum", "x")]),
            Self.externalTensor("half", .float16, [2], [("location", "./data/../data/half.bin")]),
            Self.externalTensor("none", .float, [0], [("location", "weights.bin"), ("offset", "58")]),
        ]), "model.onnx")
        let model = try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
        let tensors = model.graph.initializers
        #expect(tensors.map(\.name) == ["w", "ids", "half", "none"])
        #expect(tensors[0].values == .float32(Self.weight))
        #expect(tensors[0].dims == [2, 3])
        #expect(tensors[1].values == .int64(Self.ids))
        #expect(try tensors[2].floatValues() == [1, -2])
        #expect(tensors[3].values == .float32([]))
    }

    @Test func decodingBytesWithoutALocationCannotReadExternalData() {
        let bytes = Self.model([Self.externalTensor("w", .float, [1], [("location", "w.bin")])])
        #expect(throws: ONNXError.self) { try ONNXModel(bytes: bytes, baseDirectory: nil) }
        #expect(ModelRejectionTests.error(bytes)?.description == "graph.initializer[0]: tensor \"w\": the tensor's data "
            + "is in the external file \"w.bin\", which needs the model's location: load the model with "
            + "ONNXModel.load(contentsOf:)")
        #expect(ModelRejectionTests.error(bytes)?.kind == .externalData)
    }

    @Test func missingAndShortFilesAreRejected() throws {
        defer { cleanUp() }
        let prefix = "graph.initializer[0]: tensor \"w\": "
        #expect(try loadError([("location", "nope.bin")]) == prefix + "external data file \"nope.bin\" does not exist next to the model")
        try write([UInt8](repeating: 0, count: 30), "short.bin")
        #expect(try loadError([("location", "short.bin"), ("offset", "8")])
            == prefix + "external data file \"short.bin\" is too short for 24 bytes at offset 8")
        #expect(try loadError([("location", "short.bin"), ("offset", "\(Int.max)")])
            == prefix + "external data file \"short.bin\" is too short for 24 bytes at offset \(Int.max)")
        #expect(try loadError([("location", "short.bin"), ("offset", "6")]) == nil)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder"), withIntermediateDirectories: true)
        #expect(try loadError([("location", "folder")]) == prefix + "external data file \"folder\" is a directory")
    }

    @Test func locationsOutsideTheModelsDirectoryAreRejected() throws {
        defer { cleanUp() }
        try write([UInt8](repeating: 0, count: 24), "inside.bin")
        let prefix = "graph.initializer[0]: tensor \"w\": external data location "
        for path in ["../x", "..", "a/../../x", "./../inside.bin", "data/../../inside.bin"] {
            #expect(try loadError([("location", path)]) == prefix + "\"\(path)\" leaves the model's directory")
        }
        for path in ["/etc/passwd", "/tmp/x"] {
            #expect(try loadError([("location", path)]) == prefix + "\"\(path)\" is absolute; it must be relative to the model")
        }
        #expect(try loadError([("location", "")]) == prefix + "\"\" is not a file name")
        #expect(try loadError([("location", "a/../inside.bin")]) == nil)
    }

    @Test func badEntriesAreRejected() throws {
        defer { cleanUp() }
        try write([UInt8](repeating: 0, count: 24), "w.bin")
        let prefix = "graph.initializer[0]: tensor \"w\": "
        #expect(try loadError([("offset", "0")]) == prefix + "external_data has no location")
        #expect(try loadError([("location", "w.bin"), ("offset", "-1")])
            == prefix + "external_data offset \"-1\" is not a non-negative integer")
        #expect(try loadError([("location", "w.bin"), ("length", "2k")])
            == prefix + "external_data length \"2k\" is not a non-negative integer")
        #expect(try loadError([("location", "w.bin"), ("length", "20")])
            == prefix + "external_data length 20 does not match the tensor's 24 bytes")
        try write(Self.model([{ writer in
            Self.externalTensor("w", .float, [1], [("location", "w.bin")])(&writer)
            writer.bytes(9, [0, 0, 0, 0])
        }]), "model.onnx")
        #expect(throws: ONNXError(.invalid, "data_location is EXTERNAL but the tensor also has data in the model")
            .about("tensor \"w\"").within("initializer[0]").within("graph")) {
            try ONNXModel.load(contentsOf: directory.appendingPathComponent("model.onnx"))
        }
    }

    @Test func missingModelFilesAreRejected() {
        let url = directory.appendingPathComponent("absent.onnx")
        #expect(throws: ONNXError(.file, "model file \(ONNXError.quoted(url.path)) does not exist")) {
            try ONNXModel.load(contentsOf: url)
        }
    }
}
