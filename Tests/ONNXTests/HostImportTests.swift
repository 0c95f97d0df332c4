import Compiler
import Foundation
import HostRuntime
import Testing
@testable import ONNX

/// What the importer makes of host operations (`ImportOptions.allowHostOps`): host functions
/// that convert between our layouts and ONNX order, equal exactly when they compute the same,
/// and one-line import errors for shapes the host or the graph cannot take.
struct HostImportTests {
    typealias M = ImportTestModels

    static func imported(_ nodes: [ONNXNode], initializers: [ONNXTensor] = [], input dims: [Int64],
                         opset: Int64 = 17) throws -> ImportedModel {
        let model = try M.model(nodes: nodes, initializers: initializers, inputs: [M.value("x", dims)], outputs: [M.output("y")], opset: opset)
        return try ONNXImporter.importModel(model, name: "test", options: ImportOptions(allowHostOps: true))
    }

    static func error(_ nodes: [ONNXNode], initializers: [ONNXTensor] = [], input dims: [Int64]) throws -> String? {
        do {
            _ = try imported(nodes, initializers: initializers, input: dims)
            return nil
        } catch let error as ImportError {
            return error.description
        }
    }

    /// The output of `model` in ONNX order for `onnxInput` (ONNX order), by the fp32 graph reference.
    static func output(_ model: ImportedModel, _ onnxInput: [Float]) throws -> [Float] {
        try ImportFeatureTests.reference(model, onnxInput)
    }

    /// A map flattened by ONNX (C, H, W order) is held HWC-flattened in the graph: a host function
    /// reading it sees ONNX's order, and its output is natural again.
    @Test func hostFunctionReadsAFlattenedMapInONNXOrder() throws {
        let model = try Self.imported([M.node("Flatten", ["x"], ["f"], name: "flat"), M.node("Exp", ["f"], ["y"], name: "exp")],
                                      input: [1, 4, 3, 3])
        #expect(model.graph.nodes.map(\.op.kind) == ["flatten", "exp"])
        let input = M.input(for: model.inputs[0])
        let computed = try Self.output(model, input)
        #expect(zip(computed, input.map(exp)).allSatisfy { abs($0 - $1) <= 1e-6 * $1 })
    }

    /// NCHW to NHWC on the host: the output `[1, H, W, C]` is the graph map `W x C x H`, and in ONNX
    /// order it is the input's elements transposed.
    @Test func transposeOfAMapConvertsBothWays() throws {
        let model = try Self.imported([M.node("Transpose", ["x"], ["y"], name: "t", ["perm": .ints([0, 2, 3, 1])])], input: [1, 2, 3, 4])
        #expect(model.outputs[0].onnxShape == [1, 3, 4, 2])
        #expect(model.outputs[0].shape == FeatureShape(height: 4, width: 2, channels: 3))
        let input = M.input(for: model.inputs[0])
        var expected: [Float] = []
        for y in 0..<3 { for x in 0..<4 { for c in 0..<2 { expected.append(input[(c * 3 + y) * 4 + x]) } } }
        #expect(try Self.output(model, input) == expected)
    }

    /// Host functions are equal when they compute the same: the same model twice imports to equal
    /// graphs; another constant operand makes another function.
    @Test func hostFunctionsAreEqualByWhatTheyCompute() throws {
        func model(_ constant: [Float]) throws -> ImportedModel {
            try Self.imported([M.node("Pow", ["x", "p"], ["y"], name: "pow")], initializers: [M.floats("p", [3], constant)], input: [1, 3])
        }
        #expect(try model([1, 2, 3]).graph == model([1, 2, 3]).graph)
        #expect(try model([1, 2, 3]).graph != model([1, 2, 4]).graph)
        guard case .hostFunction(let function) = try model([1, 2, 3]).graph.nodes[0].op else { Issue.record("no host function"); return }
        #expect(function.name == "Pow")
        #expect(function.detail.hasPrefix("[1, 3], constant [3] #"))
    }

    /// Shapes that do not fit are one-line import errors, found when the function is built.
    @Test func badShapesAreImportErrors() throws {
        #expect(try Self.error([M.node("Mul", ["x", "c"], ["y"], name: "mul")], initializers: [M.floats("c", [1, 3, 3, 3])], input: [1, 4, 3, 3])
            == "node 'mul' (Mul): inputs of shapes [1, 4, 3, 3], [1, 3, 3, 3] do not broadcast")
        let branches = [M.node("MaxPool", ["x"], ["p"], name: "pool", ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
                        M.node("Mul", ["x", "p"], ["y"], name: "mul")]
        #expect(try Self.error(branches, input: [1, 4, 4, 4]) == "node 'mul' (Mul): inputs of shapes [1, 4, 4, 4], [1, 4, 2, 2] do not broadcast")
        #expect(try Self.error([M.node("Unsqueeze", ["x", "axes"], ["y"], name: "u")], initializers: [M.ints("axes", [0])], input: [1, 4, 3, 3])
            == "node 'u' (Unsqueeze): shape [1, 1, 4, 3, 3] has rank 5; supported: [N], [1, N], [1, T, N], [T, 1, N] and [1, C, H, W]")
        #expect(try Self.error([M.node("Transpose", ["x"], ["y"], name: "t", ["perm": .ints([1, 0, 2, 3])])], input: [1, 4, 3, 3])
            == "node 't' (Transpose): shape [4, 1, 3, 3] has batch 4; only batch 1 is supported")
        #expect(try Self.error([M.node("Exp", ["c"], ["y"], name: "e")], initializers: [M.floats("c", [3])], input: [1, 3])
            == "node 'e' (Exp): every input is a constant; the host computes operators of computed tensors only")
        #expect(try Self.error([M.node("Einsum", ["x"], ["y"], name: "e")], input: [1, 3])?
            .hasPrefix("node 'e' (Einsum): unsupported operator; supported: Add,") == true, "no host kernel: rejected as before")
    }
}
