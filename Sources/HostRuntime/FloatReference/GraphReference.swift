import Compiler

/// The fp32 reference of a whole network: every tensor a run of the graph materializes, computed
/// the way the device schedule computes it, against which a quantized device run is measured
/// and from which activations are calibrated (`NetworkCalibration`).
///
/// The graph runs as `Graph.fusedSteps()` (default fusion, as `NetworkCompiler` uses) schedules it:
/// - a fused layer (a convolution or fully connected node with its folded batch norm, activation
///   and pooling, or a lone pooling or global-average-pooling node) through `FloatReference.run`,
///   with `parameters[layer.name]` (the layer is named after its first node; pooling layers take none);
/// - every other node directly in fp32 (`node(_:inputs:parameters:)`): residual add, channel
///   concatenation, LRN, softmax, nearest upsampling, a lone batch norm or activation, transposed
///   convolution, and dropout, flatten and reshape as the identity on the HWC values.
///
/// A lone batch norm (DenseNet's pre-activation) or transposed convolution needs parameters the
/// device schedule does not draw: `parameters[node.name]` when given, otherwise seeded from the
/// node's name (`hostParameters(for:inputShape:)`), so that the host runtime can draw the same.
///
/// The result holds the graph inputs and every materialized tensor, by tensor name: the output of
/// each fused layer (its last node) and of each other node. The outputs of nodes inside a fused
/// layer (a convolution before its batch norm, ...) are never materialized, on the device or
/// here, and are absent. Every run with the same arguments gives the same bits.
public enum FloatGraphReference {
    /// Runs a graph of one input on `input` (HWC, the input shape's element count).
    public static func run(_ graph: Graph, parameters: [String: LayerParameters], input: [Float]) throws(ReferenceError) -> [String: [Float]] {
        guard graph.inputs.count == 1 else {
            throw ReferenceError("graph '\(graph.name)'", "has \(graph.inputs.count) inputs; give them by name (run(_:parameters:inputs:))")
        }
        return try run(graph, parameters: parameters, inputs: [graph.inputs[0].name: input])
    }

    /// Runs `graph` on `inputs` (one HWC array per graph input, by input name) and returns every
    /// materialized tensor by name.
    ///
    /// Throws a `ReferenceError` if the graph is invalid, an input is missing or of the wrong
    /// size, a convolution or fully connected layer has no parameters, or parameters do not fit
    /// their layer or node.
    public static func run(_ graph: Graph, parameters: [String: LayerParameters],
                           inputs: [String: [Float]]) throws(ReferenceError) -> [String: [Float]] {
        let steps: [Graph.Step]
        do {
            steps = try graph.fusedSteps()
        } catch {
            throw ReferenceError("graph '\(graph.name)'", error.description)
        }
        var values: [String: [Float]] = [:]
        for input in graph.inputs {
            guard let data = inputs[input.name] else { throw ReferenceError("graph '\(graph.name)'", "no values for input '\(input.name)'") }
            guard data.count == input.shape.elementCount else {
                throw ReferenceError("graph '\(graph.name)'",
                                     "input '\(input.name)' has \(data.count) values, expected \(input.shape.elementCount) (\(input.shape))")
            }
            values[input.name] = data
        }
        for step in steps {
            switch step {
            case .layer(let fused):
                let layer = fused.layer
                var layerParameters = LayerParameters(weights: [])
                if layer.convolution != nil {
                    guard let given = parameters[layer.name] else {
                        throw ReferenceError("layer '\(layer.name)'", "no parameters given for this layer")
                    }
                    layerParameters = given
                }
                values[fused.output] = try FloatReference.run(layer, parameters: layerParameters, input: values[fused.input]!)
            case .node(let info):
                let operands = info.node.inputs.map { values[$0]! }
                values[info.node.name] = try node(info, inputs: operands, parameters: parameters[info.node.name])
            }
        }
        return values
    }
}
