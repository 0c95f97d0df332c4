import Compiler
import Foundation
@testable import ONNX

/// Small ONNX models built from Swift values for the importer's tests: encoded with the test
/// encoder and decoded again, so they pass through the same path as a file.
enum ImportTestModels {
    /// A FLOAT initializer `name` of `dims` with `values` (default: a ramp of small values).
    static func floats(_ name: String, _ dims: [Int], _ values: [Float]? = nil) -> ONNXTensor {
        let count = dims.reduce(1, *)
        return ONNXTensor(name: name, dataType: .float, dims: dims,
                          values: .float32(values ?? (0..<count).map { Float(($0 * 7) % 13) / 13 - 0.45 }))
    }

    /// An INT64 initializer `name` of shape `[values.count]`.
    static func ints(_ name: String, _ values: [Int64]) -> ONNXTensor {
        ONNXTensor(name: name, dataType: .int64, dims: [values.count], values: .int64(values))
    }

    /// A FLOAT value of static shape `dims` (a graph input or output).
    static func value(_ name: String, _ dims: [Int64]) -> ONNXValueInfo {
        ONNXValueInfo(name: name, type: .tensor(elementType: .float, shape: dims.map { ONNXDimension(.known($0)) }))
    }

    /// A graph output of unknown shape.
    static func output(_ name: String) -> ONNXValueInfo { ONNXValueInfo(name: name, type: .tensor(elementType: .float, shape: nil)) }

    static func node(_ opType: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     _ attributes: [String: ONNXAttribute.Value] = [:]) -> ONNXNode {
        ONNXNode(opType: opType, inputs: inputs, outputs: outputs, name: name,
                 attributes: attributes.sorted { $0.key < $1.key }.map { ONNXAttribute(name: $0.key, value: $0.value) })
    }

    /// The decoded model of a graph.
    static func model(nodes: [ONNXNode], initializers: [ONNXTensor] = [], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
                      opset: Int64 = 17) throws -> ONNXModel {
        let graph = ONNXGraph(name: "test", nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs)
        return try ONNXModel(bytes: ONNXEncoder.model(graph, opset: opset), baseDirectory: nil)
    }

    /// The imported model of a graph.
    static func imported(nodes: [ONNXNode], initializers: [ONNXTensor] = [], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
                         opset: Int64 = 17) throws -> ImportedModel {
        try ONNXImporter.importModel(model(nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs, opset: opset),
                                     name: "test")
    }

    /// The host functions (`HostFunction.name`) of a graph that imports, in order: the forms of
    /// supported operators the device cannot run.
    static func hostFunctions(nodes: [ONNXNode], initializers: [ONNXTensor] = [], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
                              opset: Int64 = 17) throws -> [String] {
        try imported(nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs, opset: opset).graph.nodes.compactMap {
            if case .hostFunction(let function) = $0.op { function.name } else { nil }
        }
    }

    /// The import error of a graph, or nil when it imports.
    static func error(nodes: [ONNXNode], initializers: [ONNXTensor] = [], inputs: [ONNXValueInfo], outputs: [ONNXValueInfo],
                      opset: Int64 = 17) throws -> ImportError? {
        let model = try model(nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs, opset: opset)
        do {
            _ = try ONNXImporter.importModel(model, name: "test")
            return nil
        } catch let error as ImportError {
            return error
        }
    }

    /// Seeded input values in ONNX order for `tensor`.
    static func input(for tensor: ImportedTensor, seed: Int = 1) -> [Float] {
        (0..<tensor.shape.elementCount).map { Float((($0 + seed) * 37) % 101) / 50 - 1 }
    }
}
