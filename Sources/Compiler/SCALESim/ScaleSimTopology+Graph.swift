extension ScaleSimTopology {
    /// The topology as a timing-only graph for the default mapper: each row one convolution
    /// reading its own graph input (SCALE-Sim's layers are independent; nothing connects them),
    /// every convolution a graph output.
    ///
    /// - Conv rows: a `filters`-output convolution of `filterHeight x filterWidth`, the row's
    ///   stride, on the row's (already padded) IFMAP. SCALE-Sim's output size,
    ///   `ceil((ifmap - filter + stride) / stride)`, can be one more than an unpadded
    ///   convolution's `floor((ifmap - filter) / stride) + 1` (AlexNet's conv1: 55 against 54), so
    ///   the bottom and right get `(stride - (ifmap - filter) % stride) % stride` zero rows and
    ///   columns: the same output pixels, the same MACs. Unless that extra window would lie
    ///   wholly in the padding (a 1x1 stride-2 layer on an even size: ResNet-50's CB3a_1 has
    ///   SCALE-Sim's 29x29 outputs from 56x56, 28x28 in truth): such outputs read no input, so
    ///   the graph keeps the true size and SCALE-Sim counts one row and column more.
    /// - `DP` rows: one depthwise convolution (`groups = Channels`, `Num Filter` outputs per
    ///   channel), which is what SCALE-Sim's per-channel layers add up to.
    /// - GEMM rows: `C[M, N] = A[M, K] * B[K, N]` as a 1x1 convolution of N filters over an
    ///   `M x 1` map of K channels (the reduction over channels, as the mapper expects it).
    public func graph(name: String) throws(CompilerError) -> Graph {
        var rows: [Layer] = []
        var index = 0
        while index < layers.count {
            if let depthwise = depthwiseRows.first(where: { $0.layers.lowerBound == index }) {
                rows.append(depthwise.row)
                index = depthwise.layers.upperBound
            } else {
                rows.append(layers[index])
                index += 1
            }
        }
        let shapes = rows.map { row in
            form == .gemm ? FeatureShape(height: row.ifmapHeight, width: 1, channels: row.ifmapWidth)
                          : FeatureShape(height: row.ifmapHeight, width: row.ifmapWidth, channels: row.channels)
        }
        let builder = GraphBuilder(name: name, input: shapes[0], inputName: rows[0].name + ".ifmap")
        var outputs: [FeatureMap] = []
        for (position, row) in rows.enumerated() {
            let input = position == 0 ? builder.input : builder.addInput(name: row.name + ".ifmap", shape: shapes[position])
            let convolution: Convolution
            if form == .gemm {
                convolution = Convolution(outputChannels: row.filters, kernelHeight: 1, kernelWidth: 1)
            } else {
                let isDepthwise = depthwiseRows.contains { $0.row == row }
                func extra(_ size: Int, _ filter: Int, _ stride: Int) -> Int {
                    let pad = (stride - (size - filter) % stride) % stride
                    return pad < filter ? pad : 0
                }
                convolution = Convolution(
                    outputChannels: isDepthwise ? row.channels * row.filters : row.filters,
                    kernelHeight: row.filterHeight, kernelWidth: row.filterWidth,
                    strideY: row.strideHeight, strideX: row.strideWidth,
                    padding: Padding(top: 0, bottom: extra(row.ifmapHeight, row.filterHeight, row.strideHeight),
                                     left: 0, right: extra(row.ifmapWidth, row.filterWidth, row.strideWidth)),
                    groups: isDepthwise ? row.channels : 1)
            }
            outputs.append(input.conv(convolution, bias: false, name: row.name))
        }
        return try builder.build(outputs: outputs)
    }
}
