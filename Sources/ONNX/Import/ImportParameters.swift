import Compiler

/// Keys an imported graph's parameters as `NetworkRun` keys the seeded ones it draws, so that
/// `NetworkCompiler.compile` and `FloatGraphReference.run` take them as they are:
/// - a device layer with a convolution or fully connected operation (`NetworkCompiler.deviceLayers`)
///   under its name (its first node's): that node's weights and bias, plus the statistics of the
///   batch norm fused into it (`Layer.hasBatchNorm`);
/// - a lone batch norm (one that is no convolution's sole reader): a depthwise 1x1 layer of its
///   own, under its node's name, with unit weights `[1][1][1][C]` and its statistics (which the
///   fp32 reference reads under the same name);
/// - a transposed convolution under its node's name, weights `[R][S][C][K]`;
/// - a recurrent layer under its node's name, in `Recurrent`'s layout;
/// - nothing for a lone activation (the compiler supplies unit weights).
enum ImportParameters {
    static func keyed(_ graph: Graph, weights: [String: LayerParameters],
                      statistics: [String: BatchNormParameters]) throws(ImportError) -> [String: LayerParameters] {
        let layers: [FusedLayer]
        do {
            layers = try NetworkCompiler.deviceLayers(graph)
        } catch {
            throw ImportError(.unsupported, "graph \(ImportError.quoted(graph.name))", error.description)
        }
        let operations = Dictionary(graph.nodes.map { ($0.name, $0.op) }, uniquingKeysWith: { first, _ in first })
        var table: [String: LayerParameters] = [:]
        for fused in layers where fused.layer.convolution != nil {
            let first = fused.nodes[0]
            switch operations[first] {
            case .batchNorm?:
                guard let batchNorm = statistics[first] else { continue }
                table[fused.layer.name] = LayerParameters(weights: [Float](repeating: 1, count: fused.layer.input.channels),
                                                          batchNorm: batchNorm)
            case .activation?:
                continue
            default:
                guard var parameters = weights[first] else { continue }
                if fused.layer.hasBatchNorm, let batchNorm = fused.nodes.dropFirst().lazy.compactMap({ statistics[$0] }).first {
                    parameters.batchNorm = batchNorm
                }
                table[fused.layer.name] = parameters
            }
        }
        for node in graph.nodes {
            if case .recurrent = node.op, let parameters = weights[node.name] { table[node.name] = parameters }
        }
        return table
    }
}
