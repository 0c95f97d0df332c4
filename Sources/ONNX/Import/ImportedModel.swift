import ISA
import Compiler

/// An ONNX model translated into our graph IR (`ONNXImporter`): the graph (batch 1, HWC
/// tensors), the real parameters of its layers, and how the ONNX graph's inputs and outputs map
/// onto graph tensors, so that a caller can feed ONNX-ordered data in and read results back.
public struct ImportedModel: Sendable {
    /// Our IR of the model, batch 1.
    public var graph: Graph
    /// The layers' parameters, keyed as `NetworkRun`, `NetworkCompiler.compile` and
    /// `FloatGraphReference.run` expect (see `ONNXImporter` for the keys).
    public var parameters: [String: LayerParameters]
    /// The ONNX graph inputs that are not initializers, in order.
    public var inputs: [ImportedTensor]
    /// The ONNX graph outputs, in order.
    public var outputs: [ImportedTensor]
    /// The int8 quantization a QDQ model fixes for graph tensors (graph input and node names),
    /// from its `QuantizeLinear` nodes: `NetworkRun.Options.quantization`. Empty for a float model.
    public var quantization: [String: Quantization]

    public init(graph: Graph, parameters: [String: LayerParameters], inputs: [ImportedTensor], outputs: [ImportedTensor],
                quantization: [String: Quantization] = [:]) {
        self.graph = graph
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
        self.quantization = quantization
    }
}

/// One ONNX graph input or output and the graph tensor that holds it.
///
/// ONNX tensors are row-major over their ONNX shape; graph tensors are HWC. A 4-D value
/// `[1, C, H, W]` is the graph tensor `H x W x C`, so its elements are reordered (NCHW <-> HWC);
/// a value of rank 1 to 3 (`[N]`, `[1, N]`, `[1, T, N]`, `[T, 1, N]`) is `1 x 1 x N` or
/// `1 x T x N` with its elements in the same order, and so is a recurrent layer's output
/// (`Y [T, D, 1, H]` as `1 x T x (D*H)`, `isRowMajor`). A map `[1, C, H, W]` flattened to
/// `[1, C*H*W]` is held as the flatten of the `H x W x C` map (`flattenedMap`), its elements
/// reordered like the map's (C, H, W <-> H, W, C).
public struct ImportedTensor: Equatable, Sendable {
    /// The value's name in the ONNX graph.
    public var onnxName: String
    /// Its ONNX shape, e.g. `[1, 3, 224, 224]`.
    public var onnxShape: [Int]
    /// The graph tensor holding it: a graph input's name, or the name of the node writing it.
    public var graphName: String
    /// Its HWC shape in the graph.
    public var shape: FeatureShape
    /// Whether the graph tensor holds the elements in ONNX row-major order: every value of a
    /// rank other than 4, and a 4-D one a recurrent layer computes (`[T, D, 1, H]`); not a map
    /// `[1, C, H, W]`, held as `H x W x C`.
    public var isRowMajor: Bool
    /// Set for an output that is `QuantizeLinear`'s int8 or uint8 result (a QDQ model's): the
    /// graph tensor holds the real values, and `codes.quantize` gives the model's integers.
    public var codes: IntegerCodes?
    /// Set for a vector ONNX flattened from a map `[1, C, H, W]`: that map (`H x W x C`), whose
    /// HWC flatten the graph tensor holds while ONNX orders the elements C, H, W.
    public var flattenedMap: FeatureShape?

    /// `isRowMajor` defaults to `onnxShape.count != 4` (false for a flattened map).
    public init(onnxName: String, onnxShape: [Int], graphName: String, shape: FeatureShape, isRowMajor: Bool? = nil,
                codes: IntegerCodes? = nil, flattenedMap: FeatureShape? = nil) {
        self.onnxName = onnxName
        self.onnxShape = onnxShape
        self.graphName = graphName
        self.shape = shape
        self.isRowMajor = isRowMajor ?? (flattenedMap == nil && onnxShape.count != 4)
        self.codes = codes
        self.flattenedMap = flattenedMap
    }

    /// `values` in ONNX row-major order (NCHW for a 4-D value) in graph HWC order. `values` must
    /// hold the shape's element count.
    public func toGraphOrder(_ values: [Float]) -> [Float] { reordered(values, toGraph: true) }

    /// `values` in graph HWC order in ONNX row-major order: the inverse of `toGraphOrder`.
    public func toONNXOrder(_ values: [Float]) -> [Float] { reordered(values, toGraph: false) }

    /// Element (c, y, x) of a map lies at `(c * H + y) * W + x` in NCHW (and in ONNX's flatten of
    /// it) and `(y * W + x) * C + c` in HWC; a row-major value is the same order in both.
    private func reordered(_ values: [Float], toGraph: Bool) -> [Float] {
        precondition(values.count == shape.elementCount,
                     "'\(onnxName)' holds \(shape.elementCount) values, got \(values.count)")
        let (channels, height, width): (Int, Int, Int)
        if let flattenedMap {
            (channels, height, width) = (flattenedMap.channels, flattenedMap.height, flattenedMap.width)
        } else if !isRowMajor, onnxShape.count == 4 {
            (channels, height, width) = (onnxShape[1], onnxShape[2], onnxShape[3])
        } else {
            return values
        }
        var result = [Float](repeating: 0, count: values.count)
        for channel in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let (nchw, hwc) = ((channel * height + y) * width + x, (y * width + x) * channels + channel)
                    if toGraph { result[hwc] = values[nchw] } else { result[nchw] = values[hwc] }
                }
            }
        }
        return result
    }
}
