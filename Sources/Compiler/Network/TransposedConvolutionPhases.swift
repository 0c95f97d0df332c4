/// One sub-pixel phase of a transposed convolution: an ordinary stride-1 convolution over the
/// transposed convolution's input whose output is exactly the output pixels
/// `(y * s + phaseY, x * s + phaseX)` (`TensorPlacement.pixelStep` s).
///
/// Output row `oy = y * s + py` receives input row `iy` through kernel row `r` when
/// `iy * s - top + r = oy` (`TransposedConvolution`, dilation 1), so only the taps
/// `r = r0 + j * s` with `r0 = (py + top) mod s` reach it, from `iy = y + q - j` with
/// `q = (py + top - r0) / s`. Flipped (`t = n - 1 - j` for `n` taps) they form a correlation
/// with top padding `n - 1 - q`; the bottom padding makes the output `OH / s` rows. Columns alike.
struct TransposedPhase: Sendable {
    var phaseY: Int, phaseX: Int
    /// The phase's convolution (named `<node>_p<py><px>`).
    var layer: Layer
    /// The transposed kernel's row (column) for each row (column) of the sub-kernel.
    var rowTaps: [Int], columnTaps: [Int]

    /// The phase's parameters from the transposed convolution's: weights `[R][S][C][K]` (groups 1)
    /// gathered into `[rowTaps.count][columnTaps.count][C][K]`; the bias unchanged.
    func parameters(_ given: LayerParameters, kernelWidth: Int) throws(CompilerError) -> LayerParameters {
        let c = layer.input.channels, k = layer.convolution!.outputChannels
        let expected = (rowTaps.max()! + 1) * kernelWidth * c * k
        guard given.weights.count >= expected, given.batchNorm == nil else {
            throw .invalidLayer(layer: layer.name, "transposed convolution parameters need weights [R][\(kernelWidth)][\(c)][\(k)] and no batch norm")
        }
        var weights: [Float] = []
        weights.reserveCapacity(rowTaps.count * columnTaps.count * c * k)
        for r in rowTaps {
            for s in columnTaps {
                let base = (r * kernelWidth + s) * c * k
                weights += given.weights[base..<(base + c * k)]
            }
        }
        return LayerParameters(weights: weights, bias: given.bias, weightScales: given.weightScales)
    }

    /// `phase` followed by a depthwise 1x1 layer (a batch norm or activation after the transposed
    /// convolution, `NetworkCompiler.deviceLayers`) of per-channel weights `scale` and statistics
    /// `batchNorm`, as one layer: output channel k's weights and bias times `scale[k]`, then the
    /// batch norm (exact: the 1x1 layer is linear before its batch norm).
    static func folding(_ phase: LayerParameters, scale: [Float], batchNorm: BatchNormParameters?) -> LayerParameters {
        let k = scale.count
        var weights = phase.weights
        for index in weights.indices { weights[index] *= scale[index % k] }
        return LayerParameters(weights: weights, bias: phase.bias.map { zip($0, scale).map { $0 * $1 } }, batchNorm: batchNorm,
                               weightScales: phase.weightScales.map { zip($0, scale).map { $0 * abs($1) } })
    }

    /// The `s * s` phases of `t` (row-major in (py, px)) for a node `name` with the given input and
    /// output shapes. Throws for what the decomposition does not cover: unequal strides, dilation,
    /// groups, an output size not a multiple of the stride, or a phase with no taps or negative padding.
    static func phases(_ t: TransposedConvolution, name: String, input: FeatureShape,
                       output: FeatureShape) throws(CompilerError) -> [TransposedPhase] {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: name, "transposed convolution on the device: " + message) }
        let s = t.strideY
        guard t.strideX == s, t.dilationY == 1, t.dilationX == 1, t.groups == 1 else {
            throw fail("needs equal strides, dilation 1 and groups 1")
        }
        guard output.height % s == 0, output.width % s == 0 else {
            throw fail("the output \(output.height)x\(output.width) is not a multiple of the stride \(s)")
        }
        struct Axis { var taps: [Int]; var before: Int; var after: Int }
        func axis(phase p: Int, padding: Int, kernel: Int, inputSize: Int, outputSize: Int) throws(CompilerError) -> Axis {
            let r0 = (p + padding) % s
            let count = kernel > r0 ? (kernel - r0 + s - 1) / s : 0
            guard count > 0 else { throw fail("phase \(p) receives no kernel taps (kernel \(kernel) < stride \(s))") }
            let q = (p + padding - r0) / s
            let before = count - 1 - q
            let after = outputSize / s - 1 + count - inputSize - before
            guard before >= 0, after >= 0 else { throw fail("phase \(p) would need negative padding (\(before), \(after))") }
            return Axis(taps: (0..<count).map { r0 + (count - 1 - $0) * s }, before: before, after: after)
        }
        var result: [TransposedPhase] = []
        for py in 0..<s {
            let rows = try axis(phase: py, padding: t.padding.top, kernel: t.kernelHeight, inputSize: input.height, outputSize: output.height)
            for px in 0..<s {
                let columns = try axis(phase: px, padding: t.padding.left, kernel: t.kernelWidth, inputSize: input.width,
                                       outputSize: output.width)
                let convolution = Convolution(outputChannels: t.outputChannels, kernelHeight: rows.taps.count, kernelWidth: columns.taps.count,
                                              padding: Padding(top: rows.before, bottom: rows.after, left: columns.before, right: columns.after))
                let layer = Layer(name: "\(name)_p\(py)\(px)", operation: .convolution(convolution), input: input, hasBias: t.hasBias)
                result.append(TransposedPhase(phaseY: py, phaseX: px, layer: layer, rowTaps: rows.taps, columnTaps: columns.taps))
            }
        }
        return result
    }
}
