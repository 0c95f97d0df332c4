import Compiler
import Dispatch

extension FloatReference {
    /// Output pixels of one row computed together, so that each weight row read from memory
    /// serves this many pixels (the weights of a large layer do not fit the cache; the block's
    /// accumulators, `pixelBlock * K` floats, do).
    static let pixelBlock = 8

    /// Convolution of an HWC map with `[R][S][C/G][K]` weights on the zero-padded input. Each
    /// output starts at 0 and adds its products in r, s, c order; large layers split blocks of
    /// output pixels over all cores, which does not change any result.
    static func convolve(_ input: [Float], _ shape: FeatureShape, weights: [Float], _ convolution: Convolution,
                         outputShape: FeatureShape) -> [Float] {
        let padding = convolution.padding
        let paddedWidth = shape.width + padding.left + padding.right
        let channels = shape.channels
        var padded = [Float](repeating: 0, count: (shape.height + padding.top + padding.bottom) * paddedWidth * channels)
        let rowLength = shape.width * channels
        for y in 0..<shape.height {
            let destination = ((y + padding.top) * paddedWidth + padding.left) * channels
            padded.replaceSubrange(destination..<(destination + rowLength), with: input[(y * rowLength)..<((y + 1) * rowLength)])
        }
        let geometry = Reference.Geometry(
            paddedWidth: paddedWidth, channels: channels, groups: convolution.groups,
            kernelHeight: convolution.kernelHeight, kernelWidth: convolution.kernelWidth, outputChannels: convolution.outputChannels,
            outputHeight: outputShape.height, outputWidth: outputShape.width,
            strideY: convolution.strideY, strideX: convolution.strideX, dilationY: convolution.dilationY, dilationX: convolution.dilationX)
        var output = [Float](repeating: 0, count: outputShape.elementCount)
        let blocksPerRow = (geometry.outputWidth + pixelBlock - 1) / pixelBlock
        let blocks = geometry.outputHeight * blocksPerRow
        padded.withUnsafeBufferPointer { inputBuffer in
            weights.withUnsafeBufferPointer { weightBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    let pointers = KernelPointers(input: inputBuffer.baseAddress, weights: weightBuffer.baseAddress,
                                                  output: outputBuffer.baseAddress)
                    guard blocks > 0 else { return }
                    let chunks = geometry.macs > parallelWorkThreshold ? min(blocks, 64) : 1
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for block in (chunk * blocks / chunks)..<((chunk + 1) * blocks / chunks) {
                            let (row, column) = block.quotientAndRemainder(dividingBy: blocksPerRow)
                            let first = column * pixelBlock
                            convolveBlock(row: row, firstColumn: first, count: min(pixelBlock, geometry.outputWidth - first), pointers, geometry)
                        }
                    }
                }
            }
        }
        return output
    }

    /// `count` adjacent output pixels of one row. Depthwise (one input and one output channel per
    /// group) runs over all channels at once; otherwise each weight row (a group's outputs, contiguous)
    /// is reused across the block's pixels.
    @inline(__always)
    private static func convolveBlock(row: Int, firstColumn: Int, count: Int, _ pointers: KernelPointers<Float>, _ g: Reference.Geometry) {
        guard let input = pointers.input, let weights = pointers.weights, let output = pointers.output else { return }
        let k = g.outputChannels, c = g.channels, groupChannels = g.groupChannels, groupOutputs = g.groupOutputs
        let accumulators = output + (row * g.outputWidth + firstColumn) * k
        let pixelStride = g.strideX * c
        let depthwise = groupChannels == 1 && groupOutputs == 1
        for r in 0..<g.kernelHeight {
            let inputRow = input + ((row * g.strideY + r * g.dilationY) * g.paddedWidth + firstColumn * g.strideX) * c
            for s in 0..<g.kernelWidth {
                let tapInput = inputRow + s * g.dilationX * c
                let tapWeights = weights + (r * g.kernelWidth + s) * groupChannels * k
                if depthwise {
                    for pixel in 0..<count {
                        let pixelInput = tapInput + pixel * pixelStride, pixelAccumulators = accumulators + pixel * k
                        for channel in 0..<k { pixelAccumulators[channel] += pixelInput[channel] * tapWeights[channel] }
                    }
                    continue
                }
                for group in 0..<g.groups {
                    for channel in 0..<groupChannels {
                        let weightRow = tapWeights + channel * k + group * groupOutputs
                        let pixelInput = tapInput + group * groupChannels + channel
                        for pixel in 0..<count {
                            let a = pixelInput[pixel * pixelStride]
                            let pixelAccumulators = accumulators + pixel * k + group * groupOutputs
                            for outputChannel in 0..<groupOutputs { pixelAccumulators[outputChannel] += a * weightRow[outputChannel] }
                        }
                    }
                }
            }
        }
    }

    /// Max or average pooling of an HWC map, PyTorch's way: a window covers rows
    /// `oy*strideY - top ..< min(that + windowHeight, H + bottom)` (likewise columns); max reads
    /// the input elements inside it (padding is -infinity); average sums them (r, s ascending)
    /// and divides by the clipped window's size (`countIncludePadding`) or by their number.
    static func pool(_ input: [Float], _ shape: FeatureShape, _ pooling: Pooling, outputShape: FeatureShape) -> [Float] {
        let channels = shape.channels
        var output = [Float](repeating: 0, count: outputShape.elementCount)
        let isMax = pooling.kind == .max
        func span(_ index: Int, stride: Int, before: Int, after: Int, window: Int, extent: Int) -> (padded: Int, inside: Range<Int>) {
            let start = index * stride - before
            let end = min(start + window, extent + after)
            return (end - start, max(start, 0)..<min(end, extent))
        }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for oy in 0..<outputShape.height {
                    let rows = span(oy, stride: pooling.strideY, before: pooling.padding.top, after: pooling.padding.bottom,
                                    window: pooling.windowHeight, extent: shape.height)
                    for ox in 0..<outputShape.width {
                        let columns = span(ox, stride: pooling.strideX, before: pooling.padding.left, after: pooling.padding.right,
                                           window: pooling.windowWidth, extent: shape.width)
                        let result = destination.baseAddress! + (oy * outputShape.width + ox) * channels
                        for channel in 0..<channels { result[channel] = isMax ? -.infinity : 0 }
                        for y in rows.inside {
                            for x in columns.inside {
                                let element = source.baseAddress! + (y * shape.width + x) * channels
                                if isMax {
                                    for channel in 0..<channels { result[channel] = max(result[channel], element[channel]) }
                                } else {
                                    for channel in 0..<channels { result[channel] += element[channel] }
                                }
                            }
                        }
                        guard !isMax else { continue }
                        let divisor = pooling.countIncludePadding ? rows.padded * columns.padded : rows.inside.count * columns.inside.count
                        let scale = Float(max(divisor, 1))
                        for channel in 0..<channels { result[channel] /= scale }
                    }
                }
            }
        }
        return output
    }
}
