import ISA

extension Reference {
    /// Parameters of a pooling window reduction (`pool.max` / `pool.sum` plus the load DMA's padding).
    public struct Pooling: Equatable, Sendable {
        public var function: PoolWindow.Function
        public var windowHeight: Int, windowWidth: Int
        public var strideY: Int, strideX: Int
        public var padding: Padding
        /// The value the load DMA writes into padding, converted to the input type by the
        /// arithmetic contract (for max pooling, usually the type's minimum).
        public var padValue: Int64

        public init(function: PoolWindow.Function, windowHeight: Int, windowWidth: Int, strideY: Int, strideX: Int,
                    padding: Padding = Padding(), padValue: Int64 = 0) {
            self.function = function
            self.windowHeight = windowHeight
            self.windowWidth = windowWidth
            self.strideY = strideY
            self.strideX = strideX
            self.padding = padding
            self.padValue = padValue
        }
    }

    /// Pooling of `input [H, W, C]` to `[OH, OW, C]` with `OH = floor((H + top + bottom - windowHeight) / strideY) + 1`
    /// (likewise OW), as `PoolWindow` documents:
    /// - max: the largest element of the window (`ElementwiseOperation.maximum`);
    /// - sum: integer types sum exactly (in Int64); float types sum in fp32 starting from the window's
    ///   first element, then r, s ascending (so a window of -0.0 sums to -0.0, as on the device).
    /// The result is narrowed to `outputType` (default: the input type) by the arithmetic contract:
    /// integers saturate, floats round to nearest even.
    ///
    /// A batch `input [N, H, W, C]` is pooled image by image, giving `[N, OH, OW, C]`.
    public static func pool(_ input: Tensor, _ parameters: Pooling, outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        try forEachImage(input, parameters.function == .maximum ? "maxpool" : "sumpool") { image throws(ReferenceError) in
            try poolImage(image, parameters, outputType: outputType)
        }
    }

    /// `pool` of one `[H, W, C]` map.
    private static func poolImage(_ input: Tensor, _ parameters: Pooling, outputType: ElementType?) throws(ReferenceError) -> Tensor {
        let operation = parameters.function == .maximum ? "maxpool" : "sumpool"
        let p = parameters
        let (height, width, channels) = (input.shape[0], input.shape[1], input.shape[2])
        let outputHeight = try slidingExtent(height, before: p.padding.top, after: p.padding.bottom, window: p.windowHeight,
                                             stride: p.strideY, axis: "row", operation)
        let outputWidth = try slidingExtent(width, before: p.padding.left, after: p.padding.right, window: p.windowWidth,
                                            stride: p.strideX, axis: "column", operation)
        let paddedWidth = width + p.padding.left + p.padding.right
        _ = try checkedElementCount([height + p.padding.top + p.padding.bottom, paddedWidth, channels], operation)
        let outputShape = [outputHeight, outputWidth, channels]
        _ = try checkedElementCount(outputShape, operation)
        let type = outputType ?? input.type

        /// Reduces each window of the padded, decoded input.
        func reduce<Scalar: DecodedElement>(_ padded: [Scalar], initial: Scalar?, _ combine: (Scalar, Scalar) -> Scalar) -> [Scalar] {
            var result = [Scalar](repeating: .zero, count: outputHeight * outputWidth * channels)
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    for c in 0..<channels {
                        var value = initial
                        for r in 0..<p.windowHeight {
                            for s in 0..<p.windowWidth {
                                let element = padded[((oy * p.strideY + r) * paddedWidth + ox * p.strideX + s) * channels + c]
                                value = value.map { combine($0, element) } ?? element
                            }
                        }
                        result[(oy * outputWidth + ox) * channels + c] = value ?? .zero
                    }
                }
            }
            return result
        }

        if input.type.isFloatingPoint {
            let padded: [Float] = paddedElements(input, p.padding, padValue: p.padValue)
            let result = p.function == .maximum
                ? reduce(padded, initial: nil) { ElementwiseOperation.maximum.apply($0, $1) }
                : reduce(padded, initial: nil) { ElementwiseOperation.add.apply($0, $1) }
            return tensor(result, shape: outputShape, type: type)
        }
        let padded: [Int64] = paddedElements(input, p.padding, padValue: p.padValue)
        let result = p.function == .maximum
            ? reduce(padded, initial: nil) { ElementwiseOperation.maximum.apply($0, $1, shift: 0) }
            : reduce(padded, initial: 0) { ElementwiseOperation.add.apply($0, $1, shift: 0) }
        return tensor(result, shape: outputShape, type: type)
    }
}
