import Testing
@testable import ONNX

/// Models the importer rejects: each with one line naming the node (or graph input) and what
/// is wrong, never a crash.
struct ImportErrorTests {
    typealias M = ImportTestModels

    /// A Conv of input `x` `[1, 3, 8, 8]` with weights `w` `[4, 3, 3, 3]` and pads 1, writing `y`.
    static let conv = M.node("Conv", ["x", "w"], ["y"], name: "conv", ["pads": .ints([1, 1, 1, 1])])
    static let weights = M.floats("w", [4, 3, 3, 3])

    @Test func unsupportedOperatorNamesOpNodeAndSupportedSet() throws {
        let error = try #require(try M.error(nodes: [Self.conv, M.node("Erf", ["y"], ["z"], name: "erf1")], initializers: [Self.weights],
                                             inputs: [M.value("x", [1, 3, 8, 8])], outputs: [M.output("z")]))
        #expect(error.kind == .unsupportedOperator)
        let supported = ONNXImporter.supportedOperators.joined(separator: ", ")
        // Erf has a host kernel: the message says how to run it.
        #expect(error.description == "node 'erf1' (Erf): unsupported operator; supported: \(supported)" + ImportSession.hostHint)
        #expect(supported.hasPrefix("Add, AveragePool, BatchNormalization, Clip, Concat, Constant, Conv, ConvTranspose"))
        #expect(ONNXImporter.supportedOperators == ONNXImporter.supportedOperators.sorted())
        #expect(!error.description.contains("\n"))
    }

    @Test func unsupportedOperatorIsReportedBeforeOtherFaults() throws {
        // The Conv reads a missing weight, but the unnamed Einsum after it is what the model needs.
        let error = try #require(try M.error(nodes: [Self.conv, M.node("Einsum", ["y"], ["z"])],
                                             inputs: [M.value("x", [1, 3, 8, 8])], outputs: [M.output("z")]))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.description.hasPrefix("node 'Einsum_1' (Einsum): unsupported operator; supported: Add, "))
        #expect(error.description.hasSuffix("Unsqueeze, Upsample"), "no host kernel computes Einsum: no hint")
    }

    @Test func operatorOfAnotherDomainIsUnsupported() throws {
        var node = M.node("Relu", ["x"], ["y"], name: "fused")
        node.domain = "com.microsoft"
        let error = try #require(try M.error(nodes: [node], inputs: [M.value("x", [1, 4])], outputs: [M.output("y")]))
        #expect(error.kind == .unsupportedOperator)
        #expect(error.description.hasPrefix("node 'fused' (Relu): unsupported operator (domain 'com.microsoft'); supported: Add"))
    }

    @Test func missingInitializer() throws {
        let error = try #require(try M.error(nodes: [Self.conv], inputs: [M.value("x", [1, 3, 8, 8])], outputs: [M.output("y")]))
        #expect(error.kind == .invalid)
        #expect(error.description == "node 'conv' (Conv): input 'w' is missing: no initializer, graph input or earlier node defines it")
    }

    @Test func gemmWithTransposedA() throws {
        // A [1, 16] transposed is [16, 1], times B [1, 8].
        let gemm = M.node("Gemm", ["x", "b"], ["y"], name: "fc", ["transA": .int(1)])
        let error = try #require(try M.error(nodes: [gemm], initializers: [M.floats("b", [1, 8])], inputs: [M.value("x", [1, 16])],
                                             outputs: [M.output("y")]))
        #expect(error.kind == .unsupported)
        #expect(error.description == "node 'fc' (Gemm): transA 1 is not supported (A must be the input vector [1, K])")
    }

    @Test func batchOfTwo() throws {
        let error = try #require(try M.error(nodes: [Self.conv], initializers: [Self.weights], inputs: [M.value("x", [2, 3, 8, 8])],
                                             outputs: [M.output("y")]))
        #expect(error.kind == .unsupported)
        #expect(error.description == "graph input 'x': shape [2, 3, 8, 8] has batch 2; only batch 1 is supported")
    }

    /// Forms of supported operators the device cannot run go to the host by themselves: a Pad in
    /// reflect mode or of the channels, a Clip to other bounds, a Softmax over H, an element-wise
    /// operator on a map flattened in ONNX's order, a Mul by a constant that is not per channel,
    /// an Expand of a computed tensor.
    @Test func formsTheDeviceCannotRunGoToTheHost() throws {
        let x = [M.value("x", [1, 4, 3, 3])], y = [M.output("y")]
        let reflect = M.node("Pad", ["x", "pads"], ["p"], name: "pad", ["mode": .string("reflect")])
        #expect(try M.hostFunctions(nodes: [reflect, M.node("Conv", ["p", "w"], ["y"], name: "conv")],
                                    initializers: [Self.weights, M.ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])],
                                    inputs: [M.value("x", [1, 3, 8, 8])], outputs: y) == ["Pad"])
        #expect(try M.hostFunctions(nodes: [M.node("Pad", ["x", "pads"], ["y"], name: "pad")],
                                    initializers: [M.ints("pads", [0, 1, 0, 0, 0, 0, 0, 0])], inputs: x, outputs: y) == ["Pad"])
        #expect(try M.hostFunctions(nodes: [M.node("Clip", ["x", "low", "high"], ["y"], name: "clip")],
                                    initializers: [M.floats("low", [], [-1]), M.floats("high", [], [1])], inputs: x, outputs: y) == ["Clip"])
        #expect(try M.hostFunctions(nodes: [M.node("Softmax", ["x"], ["y"], name: "sm", ["axis": .int(2)])], inputs: x, outputs: y)
            == ["Softmax"])
        #expect(try M.hostFunctions(nodes: [M.node("Flatten", ["x"], ["f"], name: "flat"), M.node("Relu", ["f"], ["y"], name: "relu")],
                                    inputs: x, outputs: y) == ["Relu"])
        #expect(try M.hostFunctions(nodes: [M.node("Mul", ["x", "k"], ["y"], name: "scale")], initializers: [M.floats("k", [1, 1, 3, 3])],
                                    inputs: x, outputs: y) == ["Mul"])
        #expect(try M.hostFunctions(nodes: [M.node("Expand", ["x", "shape"], ["y"], name: "expand")],
                                    initializers: [M.ints("shape", [1, 4, 3, 3])], inputs: [M.value("x", [1, 4, 1, 1])], outputs: y)
            == ["Expand"])
    }

    @Test func shapeMismatchNamesTheNode() throws {
        // 3-channel weights on a 5-channel input.
        let error = try #require(try M.error(nodes: [Self.conv], initializers: [Self.weights], inputs: [M.value("x", [1, 5, 8, 8])],
                                             outputs: [M.output("y")]))
        #expect(error.kind == .invalid)
        #expect(error.description == "node 'conv' (Conv): weights [4, 3, 3, 3] with group 1 do not fit 5 input channels")
    }

    @Test func declaredOutputShapeMustMatch() throws {
        let error = try #require(try M.error(nodes: [Self.conv], initializers: [Self.weights], inputs: [M.value("x", [1, 3, 8, 8])],
                                             outputs: [M.value("y", [1, 4, 6, 6])]))
        #expect(error.description == "graph output 'y': is declared [1, 4, 6, 6] but computes [1, 4, 8, 8]")
    }

    @Test func dynamicDimensionOtherThanTheBatch() throws {
        let input = ONNXValueInfo(name: "x", type: .tensor(elementType: .float, shape: [
            ONNXDimension(.symbolic("batch")), ONNXDimension(.known(3)), ONNXDimension(.symbolic("height")), ONNXDimension(.known(8)),
        ]))
        let error = try #require(try M.error(nodes: [Self.conv], initializers: [Self.weights], inputs: [input], outputs: [M.output("y")]))
        #expect(error.description == "graph input 'x': dimension 2 is the symbol 'height'; only the batch (dimension 0) may be dynamic")
    }

    @Test func unsupportedAttributeValues() throws {
        let x = [M.value("x", [1, 4, 3, 3])], y = [M.output("y")]
        let lrn = M.node("LRN", ["x"], ["y"], name: "lrn", ["size": .int(4)])
        #expect(try M.error(nodes: [lrn], inputs: x, outputs: y)?.description == "node 'lrn' (LRN): size 4; only odd sizes are supported")

        let resize = M.node("Resize", ["x", "", "scales"], ["y"], name: "up",
                            ["mode": .string("nearest"), "coordinate_transformation_mode": .string("asymmetric"),
                             "nearest_mode": .string("ceil")])
        let resizeError = try M.error(nodes: [resize], initializers: [M.floats("scales", [4], [1, 1, 2, 2])], inputs: x, outputs: y)
        #expect(resizeError?.description == "node 'up' (Resize): coordinate_transformation_mode 'asymmetric' with nearest_mode 'ceil' "
            + "does not pick pixel x / 2 (output 1 reads 1); not supported")

        let transpose = M.node("ConvTranspose", ["x", "w"], ["y"], name: "deconv", ["group": .int(2)])
        let transposeError = try M.error(nodes: [transpose], initializers: [M.floats("w", [4, 1, 2, 2])], inputs: x, outputs: y)
        #expect(transposeError?.description == "node 'deconv' (ConvTranspose): group 2; only group 1 is supported")
    }

}
