import Compiler
import Foundation
import HostRuntime
import ONNX

/// The network `npu run` runs: a zoo model by name, or an ONNX file (`*.onnx`) imported with its
/// weights (`ONNXImporter`), whose inputs and outputs `--input`, `--save-output` and
/// `--save-reference` exchange as `.npy` arrays in ONNX's own order and shape (NCHW), a batch of
/// N being N arrays of the model's batch-1 shape stacked on the first axis.
struct RunModel {
    var graph: Graph
    /// The model's own parameters (ONNX); `nil`: seeded random ones (zoo models).
    var parameters: [String: LayerParameters]?
    var imported: ImportedModel?

    /// `allowHostOps`: import the ONNX model's operators the device cannot run as host
    /// operations (`ImportOptions.allowHostOps`); a zoo model takes no such option.
    static func load(_ name: String, allowHostOps: Bool = false) throws -> RunModel {
        if name.hasSuffix(".onnx") {
            guard FileManager.default.isReadableFile(atPath: name) else { throw UsageError("cannot read '\(name)'") }
            let imported: ImportedModel
            do {
                imported = try ONNXImporter.load(contentsOf: URL(fileURLWithPath: name),
                                                 options: ImportOptions(allowHostOps: allowHostOps))
            } catch {
                throw UsageError("\(name): \(error)")
            }
            return RunModel(graph: imported.graph, parameters: imported.parameters, imported: imported)
        }
        guard !allowHostOps else { throw UsageError("--allow-host-ops applies to ONNX models; a zoo model runs its host operations as it is") }
        guard let model = ModelZoo.model(named: name) else {
            throw UsageError("unknown model '\(name)'; available: \(ModelZoo.names.joined(separator: ", ")) or a .onnx file")
        }
        return RunModel(graph: try model.graph(), parameters: nil, imported: nil)
    }

    /// The images of `--input FILE.npy` for the ONNX model's single input, in graph order, and
    /// their count: one when the array has the input's shape (a time-major sequence `[T, 1, N]`
    /// among them), else the array's first axis, the model's batch-1 shape after it.
    /// `option` names the flag in messages (`--input`, `--calibrate`).
    func inputs(_ path: String, option: String = "--input") throws -> (values: [String: [[Float]]], batch: Int) {
        guard let imported else { throw UsageError("\(option) takes the .npy of an ONNX model's input; zoo models draw seeded inputs") }
        guard imported.inputs.count == 1, let input = imported.inputs.first else {
            throw UsageError("\(option): the model has \(imported.inputs.count) inputs; only single-input models take \(option)")
        }
        let array: NumpyArray
        do { array = try NumpyArray(contentsOf: URL(fileURLWithPath: path)) } catch { throw UsageError("\(error)") }
        if array.shape == input.onnxShape { return ([input.graphName: [input.toGraphOrder(array.floats)]], 1) }
        let image = Array(input.onnxShape.dropFirst())
        guard array.shape.count == input.onnxShape.count, Array(array.shape.dropFirst()) == image, array.shape[0] >= 1 else {
            throw UsageError("\(option) \(path): shape \(array.shape) does not match the input '\(input.onnxName)' \(input.onnxShape) (N images stack on the first axis)")
        }
        let values = array.floats, count = values.count / array.shape[0]
        let images = (0..<array.shape[0]).map { input.toGraphOrder(Array(values[($0 * count)..<(($0 + 1) * count)])) }
        return ([input.graphName: images], array.shape[0])
    }

    /// Writes the first ONNX output's values (`values`: the batch's images back to back, graph
    /// order) as a float32 `.npy` in ONNX order: the output's shape for one image, else `[N, ...]`.
    /// A QDQ model's integer output (`ImportedTensor.codes`) is written as its int8 or uint8
    /// codes: `QuantizeLinear` of the values.
    func save(_ values: [Float], batch: Int, to path: String) throws {
        guard let output = imported?.outputs.first else { throw UsageError("--save-output and --save-reference need an ONNX model") }
        guard batch >= 1, values.count % batch == 0 else { throw UsageError("internal: \(values.count) output values for \(batch) images") }
        let count = values.count / batch
        var onnx: [Float] = []
        onnx.reserveCapacity(values.count)
        for image in 0..<batch { onnx += output.toONNXOrder(Array(values[(image * count)..<((image + 1) * count)])) }
        let shape = batch == 1 ? output.onnxShape : [batch] + output.onnxShape.dropFirst()
        do {
            let array = try output.codes.map { codes in
                try NumpyArray(shape: shape, dtype: codes.type == .uint8 ? .uint8 : codes.type == .bool ? .bool : .int8,
                               integers: codes.quantize(onnx).map { Int64($0) })
            } ?? NumpyArray(shape: shape, dtype: .float32, floats: onnx)
            try array.write(to: URL(fileURLWithPath: path))
        } catch {
            throw UsageError("cannot write '\(path)': \(error)")
        }
    }
}
