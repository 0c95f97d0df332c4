import Testing
@testable import ONNX

/// Whole models that are truncated, malformed, invalid or unsupported: each is rejected with
/// one line naming the field path, never a crash.
struct ModelRejectionTests {
    /// The error decoding `bytes` throws, or nil when they decode.
    static func error(_ bytes: [UInt8]) -> ONNXError? {
        do {
            _ = try ONNXModel(bytes: bytes, baseDirectory: nil)
            return nil
        } catch {
            return error as? ONNXError ?? ONNXError(.file, "not an ONNXError: \(error)")
        }
    }

    /// A model of the graph `build` writes, importing the default domain at opset 17.
    static func model(_ build: @escaping (inout ProtobufWriter) -> Void) -> [UInt8] {
        ProtobufWriter.message {
            $0.message(7, build)
            $0.message(8) { $0.int(2, 17) }
        }
    }

    /// The offset of the first occurrence of `pattern` in `bytes`.
    static func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }

    @Test func everyTruncationIsRejected() {
        let bytes = SampleModel.small
        #expect(Self.error(bytes) == nil)
        #expect((200...600).contains(bytes.count))
        for length in 0..<bytes.count {
            let error = Self.error(Array(bytes.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes decoded")
            #expect(error?.description.contains("\n") == false)
        }
    }

    @Test func everyTruncationOfTheFullSampleEndsCleanly() {
        let bytes = SampleModel.bytes()
        var rejected = 0
        for length in 0..<bytes.count where Self.error(Array(bytes.prefix(length))) != nil { rejected += 1 }
        // The only complete models among the prefixes end after the default opset import, the
        // second opset import, or the first metadata entry.
        #expect(rejected == bytes.count - 3)
    }

    @Test func wrongWireTypesNameTheFieldPath() throws {
        let bytes = Self.model {
            $0.message(1) { $0.string(4, "Relu") }
            $0.message(1) { node in
                node.string(4, "Conv")
                node.message(5) { attribute in
                    attribute.string(1, "group")
                    attribute.bytes(20, [2])
                }
            }
        }
        let tag = try #require(Self.offset(of: [0xA2, 0x01, 0x01, 0x02], in: bytes))
        #expect(Self.error(bytes)?.description
            == "graph.node[1].attribute[0]: field 20 has wire type 2, expected varint (byte \(tag))")
    }

    @Test func malformedContentDeepInsideNamesItsPath() throws {
        let badName = Self.model {
            $0.message(11) { _ in }
            $0.message(11) { $0.bytes(1, [0x61, 0xFF]) }
        }
        let at = try #require(Self.offset(of: [0x0A, 0x02, 0x61, 0xFF], in: badName))
        #expect(Self.error(badName)?.description == "graph.input[1]: field 1 is not valid UTF-8 (byte \(at + 1))")
        let shape = Self.model {
            $0.message(12) { info in
                info.message(2) { type in
                    type.message(1) { tensor in
                        tensor.message(2) { shape in
                            shape.message(1) { $0.int(1, 4) }
                            shape.message(1) { $0.float(1, 4) }
                        }
                    }
                }
            }
        }
        #expect(Self.error(shape)?.message == "field 1 has wire type 5, expected varint")
        #expect(Self.error(shape)?.path == "graph.output[0].type.tensor_type.shape.dim[1]")
        let initializer = Self.model {
            $0.message(1) { $0.message(5) { $0.string(1, "value"); $0.int(20, 4); $0.message(5) { $0.int(1, -2) } } }
        }
        #expect(Self.error(initializer)?.description
            == "graph.node[0].attribute[0].t: tensor \"\": dims[0] is -2, negative")
    }

    @Test func hugeDeclaredLengthsAreRejected() {
        let bytes = [0x3A] + ProtobufWriter.varint(1 << 60) + [0x08, 0x01]
        #expect(Self.error(bytes)?.description == "declared length 1152921504606846976 exceeds the 2 bytes that remain (byte 1)")
    }

    @Test func opsetsOutsideElevenToTwentyOneAreRejected() throws {
        for opset: Int64 in [1, 10, 22, 23] {
            #expect(Self.error(SampleModel.bytes(opset: opset))?.description
                == "opset_import: default-domain opset \(opset) is not supported (supported: 11...21)")
            #expect(Self.error(SampleModel.bytes(opset: opset))?.kind == .unsupported)
        }
        for opset: Int64 in [11, 13, 17, 21] {
            #expect(try ONNXModel(bytes: SampleModel.bytes(opset: opset), baseDirectory: nil).opsetVersion == opset)
        }
        let named = ProtobufWriter.message {
            $0.message(7) { _ in }
            $0.message(8) { $0.string(1, "ai.onnx"); $0.int(2, 18) }
        }
        #expect(try ONNXModel(bytes: named, baseDirectory: nil).opsetVersion == 18)
    }

    @Test func theDefaultOpsetMustBeImportedOnce() {
        let none = ProtobufWriter.message {
            $0.message(7) { _ in }
            $0.message(8) { $0.string(1, "com.microsoft"); $0.int(2, 1) }
        }
        #expect(Self.error(none)?.description
            == "opset_import: no opset of the default domain (\"\" or \"ai.onnx\") is imported")
        let twice = ProtobufWriter.message {
            $0.message(7) { _ in }
            $0.message(8) { $0.int(2, 13) }
            $0.message(8) { $0.string(1, "ai.onnx"); $0.int(2, 17) }
        }
        #expect(Self.error(twice)?.description == "opset_import: the default domain is imported at several versions [13, 17]")
        #expect(Self.error(ProtobufWriter.message { $0.message(8) { $0.int(2, 17) } })?.description
            == "the model has no graph (field 7)")
    }

    @Test func attributesMustBeTypedConsistently() {
        func attributeError(_ build: @escaping (inout ProtobufWriter) -> Void) -> String? {
            Self.error(Self.model { $0.message(1) { $0.message(5, build) } })?.description
        }
        #expect(attributeError { $0.string(1, "a"); $0.int(20, 2); $0.int(3, 1); $0.packedFloats(7, [1]) }
            == "graph.node[0].attribute[0]: attribute \"a\" of type INT also sets field 7 (floats)")
        #expect(attributeError { $0.string(1, "a"); $0.int(3, 1) }
            == "graph.node[0].attribute[0]: attribute \"a\" has no type")
        #expect(attributeError { $0.string(1, "t"); $0.int(20, 4) }
            == "graph.node[0].attribute[0]: attribute \"t\" of type TENSOR has no value")
        #expect(attributeError { $0.string(1, "g"); $0.int(20, 5) }
            == "graph.node[0].attribute[0]: attribute \"g\" of type GRAPH has no value")
        #expect(attributeError { $0.string(1, "s"); $0.int(20, 11); $0.message(22) { _ in } } == nil)
    }

    @Test func usedSparseInitializersAreRejected() throws {
        func graph(readBy input: String) -> [UInt8] {
            Self.model { graph in
                graph.message(1) { $0.string(1, input); $0.string(2, "out"); $0.string(4, "Relu") }
                graph.message(15) { sparse in
                    sparse.message(1) { $0.string(8, "sparse_w"); $0.int(2, 1) }
                    sparse.message(2) { $0.int(2, 7) }
                    sparse.packedVarints(3, [4])
                }
            }
        }
        #expect(Self.error(graph(readBy: "sparse_w"))?.description
            == "graph: sparse_initializer \"sparse_w\" is used, and sparse tensors are not supported")
        #expect(try ONNXModel(bytes: graph(readBy: "x"), baseDirectory: nil).graph.nodes.count == 1)
        // A node of a subgraph may read the enclosing graph's sparse initializer.
        let nested = Self.model { graph in
            graph.message(1) { node in
                node.string(4, "If")
                node.message(5) { attribute in
                    attribute.string(1, "then_branch")
                    attribute.int(20, 5)
                    attribute.message(6) { $0.message(1) { $0.string(1, "outer_sparse") } }
                }
            }
            graph.message(15) { $0.message(1) { $0.string(8, "outer_sparse") } }
        }
        #expect(Self.error(nested)?.message == "sparse_initializer \"outer_sparse\" is used, and sparse tensors are not supported")
    }

    @Test func deeplyNestedSubgraphsAreRejectedNotOverflowed() {
        /// A graph whose only node holds `levels` more graphs nested through GRAPH attributes.
        func graph(_ levels: Int) -> (inout ProtobufWriter) -> Void {
            { writer in
                guard levels > 0 else { return }
                writer.message(1) { node in
                    node.message(5) { attribute in
                        attribute.int(20, 5)
                        attribute.message(6, graph(levels - 1))
                    }
                }
            }
        }
        #expect(Self.error(Self.model(graph(20))) == nil)
        #expect(Self.error(Self.model(graph(40)))?.message == "messages nest deeper than 100 levels")
        #expect(Self.error(Self.model(graph(2000)))?.message == "messages nest deeper than 100 levels")
    }
}
