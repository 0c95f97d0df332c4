import ISA

/// A function of the check language: its name, signature, and how it evaluates with the
/// reference kernels. The table `CheckFunction.all` is the language's one list of functions;
/// the parser, the error messages and the documentation read it.
struct CheckFunction: Sendable {
    let name: String
    /// How it is called, with defaults, e.g. `gemm(A, B, type=i32|f32)`.
    let signature: String
    /// How many positional arguments it takes.
    let arity: ClosedRange<Int>
    let keywords: [String]
    let evaluate: @Sendable (CheckArguments) throws(CheckError) -> Tensor

    static let byName: [String: CheckFunction] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    static var names: String { all.map(\.name).sorted().joined(separator: ", ") }

    /// Strides, dilations and windows fit a 16-bit instruction field.
    private static let extentRange: ClosedRange<Int64> = 1...Int64(UInt16.max)

    static let all: [CheckFunction] = [
        CheckFunction(name: "gemm", signature: "gemm(A, B, type=<accumulator type>)", arity: 2...2, keywords: ["type"]) { a throws(CheckError) in
            let (left, right) = (try a.tensor(0), try a.tensor(1))
            return try converted(a.run { () throws(ReferenceError) in try Reference.gemm(left, right) }, a)
        },
        CheckFunction(name: "conv2d", signature: "conv2d(X, W, stride=1, pad=0, dilation=1, groups=1, pad_value=0, type=<accumulator type>)",
                      arity: 2...2, keywords: ["stride", "pad", "dilation", "groups", "pad_value", "type"]) { a throws(CheckError) in
            let stride = try a.pair("stride", default: 1, range: extentRange)
            let dilation = try a.pair("dilation", default: 1, range: extentRange)
            let parameters = Reference.Convolution(
                strideY: stride.y, strideX: stride.x, dilationY: dilation.y, dilationX: dilation.x,
                padding: try a.padding(), padValue: try a.integer("pad_value", default: 0, range: CheckArguments.int32Range),
                groups: Int(try a.integer("groups", default: 1, range: extentRange)))
            let (input, weights) = (try a.tensor(0), try a.tensor(1))
            return try converted(a.run { () throws(ReferenceError) in try Reference.conv2d(input, weights, parameters) }, a)
        },
        poolFunction(.maximum, "maxpool", padDefault: "<type minimum>"),
        poolFunction(.sum, "sumpool", padDefault: "0"),
        elementwiseFunction(.add),
        elementwiseFunction(.subtract),
        elementwiseFunction(.multiply),
        elementwiseFunction(.maximum),
        elementwiseFunction(.minimum),
        CheckFunction(name: "requant", signature: "requant(X [, P [K,2|3]], mult=1, shift=0, zp=0, lo=-2^31, hi=2^31-1, type=<X's type>)",
                      arity: 1...2, keywords: ["mult", "shift", "zp", "lo", "hi", "type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            let scales: [Reference.Requantization.Scale]
            if a.values.count == 2 {
                guard !a.has("mult"), !a.has("shift") else {
                    throw a.position.evaluationError("requant takes per-channel pairs P or mult= and shift=, not both")
                }
                scales = try perChannelScales(try a.tensor(1), channels: input.shape.last ?? 1, a)
            } else {
                scales = [Reference.Requantization.Scale(multiplier: try a.integer("mult", default: 1, range: CheckArguments.int32Range),
                                                         shift: Int(try a.integer("shift", default: 0, range: 0...62)))]
            }
            let parameters = Reference.Requantization(
                scales: scales, zeroPoint: try a.integer("zp", default: 0, range: CheckArguments.int32Range),
                low: try a.integer("lo", default: Int64(Int32.min), range: CheckArguments.int32Range),
                high: try a.integer("hi", default: Int64(Int32.max), range: CheckArguments.int32Range))
            let type = try a.type(default: input.type)
            return try a.run { () throws(ReferenceError) in try Reference.requantize(input, parameters, outputType: type) }
        },
        CheckFunction(name: "clamp", signature: "clamp(X, lo=, hi=, type=<X's type>)", arity: 1...1, keywords: ["lo", "hi", "type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            let low = try a.integer("lo", default: nil, range: CheckArguments.int32Range)
            let high = try a.integer("hi", default: nil, range: CheckArguments.int32Range)
            let type = try a.type(default: input.type)
            return try a.run { () throws(ReferenceError) in try Reference.clamp(input, low: low, high: high, outputType: type) }
        },
        CheckFunction(name: "relu", signature: "relu(X, type=<X's type>)", arity: 1...1, keywords: ["type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            return Reference.relu(input, outputType: try a.type(default: input.type))
        },
        CheckFunction(name: "copy", signature: "copy(X, type=<X's type>)", arity: 1...1, keywords: ["type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            return Reference.convert(input, to: try a.type(default: input.type))
        },
        CheckFunction(name: "pwl", signature: "pwl(X, fn=sigmoid|tanh|exp, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=<X's type>)",
                      arity: 1...1, keywords: ["fn", "segments", "min", "max", "in_frac", "out_frac", "shift", "type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            guard let functionName = try a.word("fn") else { throw a.position.evaluationError("pwl needs fn=") }
            guard let function = PWLFunction(rawValue: functionName.text) else {
                throw functionName.position.evaluationError("unknown function '\(functionName.text)' (known: \(PWLFunction.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let parameters = PWLTable.FitParameters(
                function: function, segments: Int(try a.integer("segments", default: 16, range: 1...Int64(PWLTable.maximumSegments - 2))),
                minimum: try a.real("min", default: -8), maximum: try a.real("max", default: 8),
                inputFractionBits: Int(try a.integer("in_frac", default: 12, range: 0...30)),
                outputFractionBits: Int(try a.integer("out_frac", default: 15, range: 0...30)),
                slopeShift: Int(try a.integer("shift", default: 16, range: 0...62)))
            let type = try a.type(default: input.type)
            return try a.run { () throws(ReferenceError) in
                try Reference.piecewiseLinear(input, table: Reference.pwlTable(parameters, for: input.type), outputType: type)
            }
        },
        CheckFunction(name: "slice", signature: "slice(X, axis=, start=0, len=<to the end>)", arity: 1...1, keywords: ["axis", "start", "len"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            let axis = Int(try a.integer("axis", default: nil, range: CheckArguments.int32Range))
            let start = Int(try a.integer("start", default: 0, range: 0...Int64(Int32.max)))
            let resolved = axis < 0 ? axis + input.shape.count : axis
            let extent = input.shape.indices.contains(resolved) ? input.shape[resolved] : 0
            let length = Int(try a.integer("len", default: Int64(max(extent - start, 0)), range: 0...Int64(Int32.max)))
            return try a.run { () throws(ReferenceError) in try Reference.slice(input, axis: axis, start: start, length: length) }
        },
        CheckFunction(name: "concat", signature: "concat(A, B, ..., axis=)", arity: 1...Int.max, keywords: ["axis"]) { a throws(CheckError) in
            let tensors = try a.tensors(from: 0)
            let axis = Int(try a.integer("axis", default: nil, range: CheckArguments.int32Range))
            return try a.run { () throws(ReferenceError) in try Reference.concat(tensors, axis: axis) }
        },
        CheckFunction(name: "fill", signature: "fill(shape=4x16, value=0, type=i32)", arity: 0...0, keywords: ["shape", "value", "type"]) { a throws(CheckError) in
            let shape = try a.shape("shape")
            let value = try a.integer("value", default: 0, range: CheckArguments.int32Range)
            let type = try a.type(default: .int32)
            return try a.run { () throws(ReferenceError) in try Reference.filled(shape: shape, value: value, type: type) }
        },
        CheckFunction(name: "reshape", signature: "reshape(X, shape=4x16)", arity: 1...1, keywords: ["shape"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            let shape = try a.shape("shape")
            return try a.run { () throws(ReferenceError) in try Reference.reshape(input, to: shape) }
        },
    ]

    /// `maxpool` / `sumpool`: window `k=K` or `k=KH,KW`, stride defaulting to the window.
    private static func poolFunction(_ function: PoolWindow.Function, _ name: String, padDefault: String) -> CheckFunction {
        CheckFunction(name: name, signature: "\(name)(X, k=, stride=<k>, pad=0, pad_value=\(padDefault), type=<X's type>)",
                      arity: 1...1, keywords: ["k", "stride", "pad", "pad_value", "type"]) { a throws(CheckError) in
            let input = try a.tensor(0)
            let window = try a.pair("k", default: nil, range: extentRange)
            let stride = a.has("stride") ? try a.pair("stride", default: nil, range: extentRange) : window
            let padDefault = function == .maximum ? input.type.integerRange.lowerBound : 0
            let parameters = Reference.Pooling(
                function: function, windowHeight: window.y, windowWidth: window.x, strideY: stride.y, strideX: stride.x,
                padding: try a.padding(), padValue: try a.integer("pad_value", default: padDefault, range: CheckArguments.int32Range))
            let type = try a.type(default: input.type)
            return try a.run { () throws(ReferenceError) in try Reference.pool(input, parameters, outputType: type) }
        }
    }

    /// `add`, `sub`, `mul`, `max`, `min`: tensor-tensor (B broadcast along the last axis when it
    /// is one row) or tensor-immediate.
    private static func elementwiseFunction(_ operation: ElementwiseOperation) -> CheckFunction {
        let name = Reference.operationName(operation)
        let multiplies = operation == .multiply
        return CheckFunction(name: name, signature: "\(name)(A, B or an integer\(multiplies ? ", shift=0" : ""), type=<A's type>)",
                             arity: 2...2, keywords: multiplies ? ["shift", "type"] : ["type"]) { a throws(CheckError) in
            let left = try a.tensor(0)
            let shift = Int(try a.integer("shift", default: 0, range: 0...62))
            let type = try a.type(default: left.type)
            switch a.values[1] {
            case .tensor(let right):
                return try a.run { () throws(ReferenceError) in try Reference.elementwise(operation, left, right, shift: shift, outputType: type) }
            case .integer(let immediate):
                return try a.run { () throws(ReferenceError) in try Reference.elementwise(operation, left, scalar: immediate, shift: shift, outputType: type) }
            case .real:
                throw a.call.arguments[1].position.evaluationError("\(name) takes an integer immediate (the device's imm field)")
            }
        }
    }

    /// Per-channel (multiplier, shift) pairs as `vrequantc` reads them: int32 words, two per channel.
    private static func perChannelScales(_ records: Tensor, channels: Int, _ a: CheckArguments) throws(CheckError) -> [Reference.Requantization.Scale] {
        let width = records.elementCount / max(channels, 1)
        guard records.type == .int32, width == 2 || width == 3, records.elementCount == width * channels else {
            throw a.call.arguments[1].position.evaluationError(
                "per-channel parameters must be \(channels) (multiplier, shift[, bias]) records of i32, got \(records.description)")
        }
        let words = records.integers
        var scales: [Reference.Requantization.Scale] = []
        for channel in 0..<channels {
            let shift = words[width * channel + 1]
            guard (0...62).contains(shift) else {
                throw a.call.arguments[1].position.evaluationError("the shift of channel \(channel) is \(shift), outside 0...62")
            }
            scales.append(Reference.Requantization.Scale(multiplier: words[width * channel], shift: Int(shift),
                                                         bias: width == 3 ? words[width * channel + 2] : 0))
        }
        return scales
    }

    /// A matrix result converted to `type=` when one is given (as `copy` converts).
    private static func converted(_ result: Tensor, _ a: CheckArguments) throws(CheckError) -> Tensor {
        let type = try a.type(default: result.type)
        return type == result.type ? result : Reference.convert(result, to: type)
    }
}
