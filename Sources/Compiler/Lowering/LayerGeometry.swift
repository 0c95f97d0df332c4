import ISA

/// A layer seen by the mapper: one sliding-window operation on a batch of `H x W x C` inputs (a
/// convolution, or a pooling as a channel-wise window reduction), the region of each image's
/// output the device computes, and what follows in the epilogue. Every shape here is one image's;
/// the tile loop repeats the spatial tiles for each of the `batch` images.
///
/// A fully connected layer is the 1x1 convolution on `1 x batch x N`. A pooling layer is a
/// "depthwise" window operation: `groups = K = C`, no weights. A fused pooling needs whole,
/// non-overlapping windows (stride == window, no padding); the device then computes only the
/// `computedHeight x computedWidth` conv outputs that some window reads (floor mode drops the rest).
struct LayerGeometry: Equatable, Sendable {
    var name: String
    var isPooling: Bool
    var poolKind: Pooling.Kind
    var dataType: DataType
    var input: FeatureShape
    /// Images in the batch (`Layer.batch`).
    var batch: Int
    var kernelHeight: Int, kernelWidth: Int
    var strideY: Int, strideX: Int
    var dilationY: Int, dilationX: Int
    /// Padding the load DMA generates (pooling in ceil mode: grown so the last window fits).
    var padding: Padding
    var groups: Int
    var outputChannels: Int
    /// Output of the main operation (conv or pooling).
    var outputHeight: Int, outputWidth: Int
    /// The main-operation outputs the device computes.
    var computedHeight: Int, computedWidth: Int
    /// A pooling fused into the conv epilogue.
    var fusedPooling: Pooling?
    var finalOutput: FeatureShape
    var activation: Activation
    var hasBias: Bool
    var hasBatchNorm: Bool

    var elementType: ElementType { dataType.operandType }
    var elementBytes: Int { elementType.byteSize }
    var channelsPerGroup: Int { input.channels / groups }
    var filtersPerGroup: Int { outputChannels / groups }
    var reachY: Int { (kernelHeight - 1) * dilationY + 1 }
    var reachX: Int { (kernelWidth - 1) * dilationX + 1 }
    /// Whether the reduction over input channels can be split into passes (plain convolutions).
    var canSplitReduction: Bool { !isPooling && groups == 1 }
    var poolWindowHeight: Int { fusedPooling?.windowHeight ?? 1 }
    var poolWindowWidth: Int { fusedPooling?.windowWidth ?? 1 }
    var weightElements: Int { isPooling ? 0 : kernelHeight * kernelWidth * channelsPerGroup * outputChannels }

    init(_ layer: Layer, dataType: DataType) throws(CompilerError) {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: layer.name, message) }
        guard dataType == .int8 || dataType == .int16 else { throw fail("the layer compiler supports int8 and int16, not \(dataType)") }
        guard LayerGeometry.isIdentifier(layer.name) else {
            throw fail("the layer name must be an identifier (letters, digits, _, not starting with a digit)")
        }
        let final = try layer.outputShape()
        let main = try layer.mainOutputShape()
        name = layer.name
        self.dataType = dataType
        input = layer.input
        batch = layer.batch
        finalOutput = final
        activation = layer.activation
        hasBias = layer.hasBias
        hasBatchNorm = layer.hasBatchNorm
        outputHeight = main.height
        outputWidth = main.width
        outputChannels = main.channels
        fusedPooling = nil
        if let convolution = layer.convolution {
            isPooling = false
            poolKind = .max
            kernelHeight = convolution.kernelHeight
            kernelWidth = convolution.kernelWidth
            strideY = convolution.strideY
            strideX = convolution.strideX
            dilationY = convolution.dilationY
            dilationX = convolution.dilationX
            padding = convolution.padding
            groups = convolution.groups
            computedHeight = main.height
            computedWidth = main.width
            if let pooling = layer.pooling {
                guard pooling.isFusable else {
                    throw fail("a fused pooling must have stride == window and no padding (non-overlapping whole windows "
                        + "in one output tile); compile it as a separate pooling layer")
                }
                if pooling.kind == .average { try LayerGeometry.checkAverage(pooling, layer.name) }
                fusedPooling = pooling
                computedHeight = final.height * pooling.windowHeight
                computedWidth = final.width * pooling.windowWidth
            }
        } else {
            let pooling = layer.mainPooling!
            isPooling = true
            poolKind = pooling.kind
            kernelHeight = pooling.windowHeight
            kernelWidth = pooling.windowWidth
            strideY = pooling.strideY
            strideX = pooling.strideX
            dilationY = 1
            dilationX = 1
            groups = layer.input.channels
            computedHeight = main.height
            computedWidth = main.width
            var padding = pooling.padding
            let extraBottom = (main.height - 1) * pooling.strideY + pooling.windowHeight - (input.height + padding.top + padding.bottom)
            let extraRight = (main.width - 1) * pooling.strideX + pooling.windowWidth - (input.width + padding.left + padding.right)
            if pooling.kind == .average {
                try LayerGeometry.checkAverage(pooling, layer.name)
                guard extraBottom <= 0, extraRight <= 0 else {
                    throw fail("average pooling in ceil mode with a partial last window divides by a smaller count; not supported")
                }
            }
            padding.bottom += max(0, extraBottom)
            padding.right += max(0, extraRight)
            guard padding.bottom <= 63, padding.right <= 63 else { throw fail("pooling padding exceeds the DMA's 63") }
            self.padding = padding
            guard pooling.windowHeight <= 255, pooling.windowWidth <= 255 else {
                throw fail("pooling window \(pooling.windowHeight)x\(pooling.windowWidth) exceeds the pool instruction's 255")
            }
        }
        guard padding.top < reachY, padding.bottom < reachY, padding.left < reachX, padding.right < reachX else {
            throw fail("padding \(padding) must be smaller than the window's reach \(reachY)x\(reachX) "
                + "(an output whose window lies entirely in the padding is not supported)")
        }
    }

    private static func checkAverage(_ pooling: Pooling, _ name: String) throws(CompilerError) {
        if !pooling.countIncludePadding && pooling.padding != .zero {
            throw .invalidLayer(layer: name, "average pooling with count_include_pad=false and padding is not supported "
                + "(the device divides every window by its full size)")
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "_", first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// Input rows (padded coordinates) that output rows `first ..< first + count` read.
    func bandRows(outputRows count: Int) -> Int { (count - 1) * strideY + reachY }
    func bandColumns(outputColumns count: Int) -> Int { (count - 1) * strideX + reachX }

    /// The input channels an input band holds for output-channel tile `k0 ..< k0 + kCount` and
    /// reduction chunk `c0 ..< c0 + cCount`.
    func bandChannels(k0: Int, kCount: Int, c0: Int, cCount: Int) -> (start: Int, count: Int) {
        if isPooling { return (k0, kCount) }
        if groups > 1 { return (k0 / filtersPerGroup * channelsPerGroup, kCount / filtersPerGroup * channelsPerGroup) }
        return (c0, cCount)
    }
}
