/// A function the host CPU computes in fp32, given by a front end for an operation no device
/// unit or other graph operation covers (an ONNX `Transpose` that moves elements, a `HardSwish`):
/// `NetworkCompiler` makes its node a `HostOperation`, and the fp32 graph reference and the
/// host runtime call `compute`.
///
/// Its inputs and output are graph tensors in graph (HWC) element order; the function does any
/// reordering its own semantics need (an ONNX function converts to NCHW and back). Two functions
/// are equal when their name, detail and shapes are: `detail` must name everything `compute`
/// depends on beyond its inputs (attributes, constants), so that equal functions compute the same.
public struct HostFunction: Hashable, Sendable, CustomStringConvertible {
    /// What it computes, e.g. the ONNX operator type `Transpose`.
    public var name: String
    /// Its parameters for reports and equality, e.g. `perm [0, 2, 3, 1] of [1, 3, 4, 5]`.
    public var detail: String
    /// The shapes of the inputs `compute` takes, in order.
    public var inputShapes: [FeatureShape]
    /// The shape of the tensor `compute` returns.
    public var outputShape: FeatureShape
    /// The output's values (graph order, `outputShape.elementCount` of them) from the inputs'
    /// values (graph order, one array per input of its shape's element count). It must not fail
    /// on such inputs: whoever builds the function checks every shape and parameter beforehand.
    public var compute: @Sendable ([[Float]]) -> [Float]

    public init(name: String, detail: String, inputShapes: [FeatureShape], outputShape: FeatureShape,
                compute: @escaping @Sendable ([[Float]]) -> [Float]) {
        self.name = name
        self.detail = detail
        self.inputShapes = inputShapes
        self.outputShape = outputShape
        self.compute = compute
    }

    /// `name (detail)`.
    public var description: String { detail.isEmpty ? name : "\(name) (\(detail))" }

    /// The output shape for `inputs`, which must be `inputShapes`; errors name `node`.
    public func outputShape(inputs: [FeatureShape], node: String) throws(CompilerError) -> FeatureShape {
        guard inputs == inputShapes else {
            throw .invalidLayer(layer: node, "host function \(name) takes inputs "
                                + inputShapes.map(\.description).joined(separator: ", ") + ", got "
                                + inputs.map(\.description).joined(separator: ", "))
        }
        return outputShape
    }

    public static func == (a: HostFunction, b: HostFunction) -> Bool {
        a.name == b.name && a.detail == b.detail && a.inputShapes == b.inputShapes && a.outputShape == b.outputShape
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(detail)
        hasher.combine(inputShapes)
        hasher.combine(outputShape)
    }
}
