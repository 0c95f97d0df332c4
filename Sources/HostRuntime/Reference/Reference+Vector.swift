import ISA

/// The vector unit's elementwise operations (`VectorOperation`): integer sources are computed
/// exactly in Int64 and saturated to the output type, float sources are computed in fp32 and
/// rounded to the output type. The output type defaults to the source type.
extension Reference {
    /// Requantization parameters (`cfg.requant` registers, or per-channel pairs for `vrequantc`).
    public struct Requantization: Equatable, Sendable {
        /// A fixed-point scale: `roundShift(sat32(value + bias) * multiplier, shift)` (the bias of
        /// `vrequantc bias=1` records; 0 otherwise).
        public struct Scale: Equatable, Sendable {
            public var multiplier: Int64
            public var shift: Int
            public var bias: Int64
            public init(multiplier: Int64, shift: Int, bias: Int64 = 0) {
                self.multiplier = multiplier
                self.shift = shift
                self.bias = bias
            }
        }

        /// One scale for the whole tensor, or one per index of its last axis (per channel).
        public var scales: [Scale]
        public var zeroPoint: Int64
        /// Clamp bounds applied after the zero point (the registers default to the int32 range).
        public var low: Int64, high: Int64

        public init(scales: [Scale], zeroPoint: Int64 = 0, low: Int64 = Int64(Int32.min), high: Int64 = Int64(Int32.max)) {
            self.scales = scales
            self.zeroPoint = zeroPoint
            self.low = low
            self.high = high
        }

        /// Per-tensor requantization.
        public init(multiplier: Int64, shift: Int, zeroPoint: Int64 = 0, low: Int64 = Int64(Int32.min), high: Int64 = Int64(Int32.max)) {
            self.init(scales: [Scale(multiplier: multiplier, shift: shift)], zeroPoint: zeroPoint, low: low, high: high)
        }
    }

    /// `a op b` elementwise (`vadd`, `vsub`, `vmul`, `vmax`, `vmin`); `multiply` drops `shift`
    /// fraction bits with rounding (integer types only). B has A's shape, or is one row of
    /// `A.shape.last` elements (shape `[N]` or `[1, ..., 1, N]`) reused for every row, as
    /// `broadcastB` does. Both operands have the same type.
    public static func elementwise(_ operation: ElementwiseOperation, _ a: Tensor, _ b: Tensor, shift: Int = 0,
                                   outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        let name = operationName(operation)
        guard a.type == b.type else {
            throw ReferenceError(name, "operands are \(a.type) and \(b.type); convert one with copy first")
        }
        try checkShift(operation, shift, a.type, name)
        let period: Int
        if b.shape == a.shape {
            period = max(a.elementCount, 1)
        } else if let columns = a.shape.last, b.shape.last == columns, b.shape.dropLast().allSatisfy({ $0 == 1 }) {
            period = max(columns, 1)
        } else {
            throw ReferenceError(name, "shapes \(a.description) and \(b.description) do not match "
                + "(B must have A's shape or be one row of A's last axis)")
        }
        let type = outputType ?? a.type
        if a.type.isFloatingPoint {
            let row = b.floats
            return map(a, to: type, integer: { value, _ in value }, float: { operation.apply($0, row[$1 % period]) })
        }
        let row = b.integers
        return map(a, to: type, integer: { operation.apply($0, row[$1 % period], shift: shift) }, float: { value, _ in value })
    }

    /// `a op immediate` elementwise (`vaddi`, ..., `vmini`); the immediate is a 32-bit integer
    /// (converted to fp32 for float sources).
    public static func elementwise(_ operation: ElementwiseOperation, _ a: Tensor, scalar: Int64, shift: Int = 0,
                                   outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        let name = operationName(operation)
        try requireInt32(scalar, "immediate", name)
        try checkShift(operation, shift, a.type, name)
        return map(a, to: outputType ?? a.type,
                   integer: { value, _ in operation.apply(value, scalar, shift: shift) },
                   float: { value, _ in operation.apply(value, Float(scalar)) })
    }

    /// `clamp(zeroPoint + roundShift(a * multiplier, shift), low, high)` by `Arithmetic.requantize`
    /// (`vrequant`, or `vrequantc` when there is one scale per index of the last axis); integer
    /// sources only. The result is then saturated to `outputType`.
    public static func requantize(_ a: Tensor, _ parameters: Requantization, outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        let name = "requant"
        guard !a.type.isFloatingPoint else { throw ReferenceError(name, "requantization takes an integer source, got \(a.type)") }
        let channels = a.shape.last ?? 1
        guard parameters.scales.count == 1 || parameters.scales.count == channels else {
            throw ReferenceError(name, "\(parameters.scales.count) scales for \(channels) channels")
        }
        for scale in parameters.scales {
            try requireInt32(scale.multiplier, "multiplier", name)
            try requireShift(scale.shift, name)
            try requireInt32(scale.bias, "bias", name)
        }
        try requireInt32(parameters.zeroPoint, "zero point", name)
        try requireInt32(parameters.low, "lower bound", name)
        try requireInt32(parameters.high, "upper bound", name)
        let scales = parameters.scales, period = scales.count
        return map(a, to: outputType ?? a.type, integer: { value, index in
            let scale = scales[index % period]
            let biased = scale.bias == 0 ? value : Arithmetic.saturate(value + scale.bias, to: .int32)
            return Arithmetic.requantize(biased, multiplier: scale.multiplier, shift: scale.shift, zeroPoint: parameters.zeroPoint,
                                         low: parameters.low, high: parameters.high)
        }, float: { value, _ in value })
    }

    /// `min(max(a, low), high)` (`vclamp`); bounds are 32-bit integers (converted to fp32 for float sources).
    public static func clamp(_ a: Tensor, low: Int64, high: Int64, outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        try requireInt32(low, "lower bound", "clamp")
        try requireInt32(high, "upper bound", "clamp")
        return map(a, to: outputType ?? a.type,
                   integer: { value, _ in ElementwiseOperation.minimum.apply(ElementwiseOperation.maximum.apply(value, low, shift: 0), high, shift: 0) },
                   float: { value, _ in ElementwiseOperation.minimum.apply(ElementwiseOperation.maximum.apply(value, Float(low)), Float(high)) })
    }

    /// `max(a, 0)` (`vrelu`).
    public static func relu(_ a: Tensor, outputType: ElementType? = nil) -> Tensor {
        map(a, to: outputType ?? a.type,
            integer: { value, _ in ElementwiseOperation.maximum.apply(value, 0, shift: 0) },
            float: { value, _ in ElementwiseOperation.maximum.apply(value, 0) })
    }

    /// `a` converted to `type` (`vcopy`): integers saturate, floats round to nearest even.
    public static func convert(_ a: Tensor, to type: ElementType) -> Tensor {
        map(a, to: type, integer: { value, _ in value }, float: { value, _ in value })
    }

    /// The PWL table evaluated at each element (`vpwl`): `PWLTable.evaluate(Int64)` for integer
    /// sources (a fixed-point table), `PWLTable.evaluate(Float)` for float sources (a table of
    /// fp32 words, e.g. from `floatPWLTable`).
    public static func piecewiseLinear(_ a: Tensor, table: PWLTable, outputType: ElementType? = nil) throws(ReferenceError) -> Tensor {
        guard (1...PWLTable.maximumSegments).contains(table.segments.count) else {
            throw ReferenceError("pwl", "a table has 1...\(PWLTable.maximumSegments) segments, got \(table.segments.count)")
        }
        try requireShift(table.shift, "pwl")
        return map(a, to: outputType ?? a.type,
                   integer: { value, _ in table.evaluate(value) },
                   float: { value, _ in table.evaluate(value) })
    }

    /// The table `vpwl` evaluates for elements of `type`: the fixed-point fit (`PWLTable.fit`)
    /// for integer types, its float form (`floatPWLTable`) for float types.
    public static func pwlTable(_ parameters: PWLTable.FitParameters, for type: ElementType) throws(ReferenceError) -> PWLTable {
        if type.isFloatingPoint { return try floatPWLTable(parameters) }
        do throws(ISAError) {
            return try PWLTable.fit(parameters)
        } catch {
            if case let .invalidOperands(_, message) = error { throw ReferenceError("pwl", message) }
            throw ReferenceError("pwl", error.description)
        }
    }

    /// The float table of a fit: `PWLTable.fit(parameters)` with every word converted to real
    /// units as an fp32 bit pattern (start / 2^inputFractionBits, slope * 2^(in - out - slopeShift),
    /// intercept / 2^outputFractionBits). The first segment's start becomes the lower bound
    /// (it is never compared, only subtracted, and its slope is 0). Shift 0.
    public static func floatPWLTable(_ parameters: PWLTable.FitParameters) throws(ReferenceError) -> PWLTable {
        let fixed = try pwlTable(parameters, for: .int32)
        let inputScale = Double(sign: .plus, exponent: parameters.inputFractionBits, significand: 1)
        let outputScale = Double(sign: .plus, exponent: parameters.outputFractionBits, significand: 1)
        let slopeScale = inputScale / outputScale / Double(sign: .plus, exponent: fixed.shift, significand: 1)
        func word(_ value: Double) -> Int32 { Int32(bitPattern: Float(value).bitPattern) }
        let segments = fixed.segments.enumerated().map { index, segment in
            let start = index == 0 && fixed.segments.count > 1 ? fixed.segments[1].start : segment.start
            return PWLTable.Segment(start: word(Double(start) / inputScale), slope: word(Double(segment.slope) * slopeScale),
                                    intercept: word(Double(segment.intercept) / outputScale))
        }
        return PWLTable(segments: segments, shift: 0)
    }

    /// Applies a per-element function to `a`: integer sources through `integer` (exact, then
    /// saturated to `type`), float sources through `float` (fp32, then rounded to `type`). The
    /// closures receive the element and its flat index.
    static func map(_ a: Tensor, to type: ElementType, integer: (Int64, Int) -> Int64, float: (Float, Int) -> Float) -> Tensor {
        var result = Tensor(shape: a.shape, type: type)
        let sourceType = a.type, sourceSize = sourceType.byteSize, size = type.byteSize, count = a.elementCount
        a.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { destination in
                guard let from = source.baseAddress, let to = destination.baseAddress else { return }
                if sourceType.isFloatingPoint {
                    for index in 0..<count {
                        let value = float(ElementCodec.loadFloat(from + index * sourceSize, sourceType), index)
                        ElementCodec.store(float: value, to: to + index * size, type)
                    }
                } else {
                    for index in 0..<count {
                        let value = integer(ElementCodec.loadInteger(from + index * sourceSize, sourceType), index)
                        ElementCodec.store(integer: value, to: to + index * size, type)
                    }
                }
            }
        }
        return result
    }

    private static func checkShift(_ operation: ElementwiseOperation, _ shift: Int, _ type: ElementType, _ name: String) throws(ReferenceError) {
        guard shift == 0 || operation == .multiply else { throw ReferenceError(name, "only mul takes a shift") }
        guard shift == 0 || !type.isFloatingPoint else { throw ReferenceError(name, "shift applies to integer types only") }
        try requireShift(shift, name)
    }

    /// The check language's name of an elementwise operation.
    static func operationName(_ operation: ElementwiseOperation) -> String {
        switch operation {
        case .add: "add"
        case .subtract: "sub"
        case .multiply: "mul"
        case .maximum: "max"
        case .minimum: "min"
        }
    }
}
