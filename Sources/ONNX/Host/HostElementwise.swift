import Foundation

/// Element-wise host kernels: functions of one input, and the broadcasting operators of two
/// (or, for Max and Min, one or more) inputs, as the ONNX operators define them.
extension HostKernels {
    /// The attribute defaults of ONNX's Selu (the SELU paper's constants, as float32).
    static let seluAlpha: Float = 1.67326319217681884765625, seluGamma: Float = 1.05070102214813232421875

    /// Exp, Log, Sqrt, Abs, Neg, Reciprocal, Erf, Floor, Ceil, Relu, Sigmoid, Tanh, Softsign,
    /// Softplus (`log(1 + exp(x))`, computed without overflow), HardSwish (`x * clamp(x / 6 + 1/2,
    /// 0, 1)`), HardSigmoid (`clamp(alpha * x + beta, 0, 1)`, alpha 0.2 and beta 0.5 by default),
    /// Elu (`alpha * (exp(x) - 1)` below 0, alpha 1), Selu (`gamma * x` above 0, else
    /// `gamma * alpha * (exp(x) - 1)`), LeakyRelu (alpha 0.01) and Clip (bounds as constant inputs
    /// from opset 11, attributes before; each absent one unbounded).
    static func unary(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        let function: @Sendable (Float) -> Float
        var detail = ""
        switch context.opType {
        case "Exp": function = { exp($0) }
        case "Log": function = { log($0) }
        case "Sqrt": function = { $0.squareRoot() }
        case "Abs": function = { abs($0) }
        case "Neg": function = { -$0 }
        case "Reciprocal": function = { 1 / $0 }
        case "Erf": function = { erf($0) }
        case "Floor": function = { $0.rounded(.down) }
        case "Ceil": function = { $0.rounded(.up) }
        case "Relu": function = { max($0, 0) }
        case "Sigmoid": function = { 1 / (1 + exp(-$0)) }
        case "Tanh": function = { tanh($0) }
        case "Softsign": function = { $0 / (1 + abs($0)) }
        case "Softplus": function = { max($0, 0) + log1p(exp(-abs($0))) }
        case "HardSwish": function = { $0 * min(max($0 / 6 + 0.5, 0), 1) }
        case "HardSigmoid":
            let alpha = try context.float("alpha", default: 0.2), beta = try context.float("beta", default: 0.5)
            detail = "alpha \(alpha), beta \(beta)"
            function = { min(max(alpha * $0 + beta, 0), 1) }
        case "Elu":
            let alpha = try context.float("alpha", default: 1)
            detail = "alpha \(alpha)"
            function = { $0 < 0 ? alpha * (exp($0) - 1) : $0 }
        case "Selu":
            let alpha = try context.float("alpha", default: seluAlpha), gamma = try context.float("gamma", default: seluGamma)
            detail = "alpha \(alpha), gamma \(gamma)"
            function = { gamma * ($0 > 0 ? $0 : alpha * (exp($0) - 1)) }
        case "LeakyRelu":
            let alpha = try context.float("alpha", default: 0.01)
            detail = "alpha \(alpha)"
            function = { $0 < 0 ? alpha * $0 : $0 }
        default:
            let (low, high) = try clipBounds(context, operands)
            detail = "min \(low), max \(high)"
            function = { min(max($0, low), high) }
        }
        return HostKernel(outputDims: dims, detail: detail) { values in values[0].map(function) }
    }

    /// Clip's bounds: inputs 1 and 2 (opset 11 on) or the attributes `min` and `max` (before);
    /// an absent bound is infinite.
    private static func clipBounds(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> (Float, Float) {
        let low: Float, high: Float
        if context.opset >= 11 {
            low = try operands.scalar(1, role: "min") ?? -.infinity
            high = try operands.scalar(2, role: "max") ?? .infinity
        } else {
            low = try context.float("min", default: -.infinity)
            high = try context.float("max", default: .infinity)
        }
        guard low <= high else { throw context.invalid("min \(low) is above max \(high)") }
        return (low, high)
    }

    /// Add, Sub, Mul, Div and Pow of two inputs, and Max and Min of one or more, broadcast by
    /// NumPy's rules (`RowMajor.broadcast`), folded from the first input to the last.
    static func broadcasting(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let variadic = context.opType == "Max" || context.opType == "Min"
        guard variadic ? operands.count >= 1 : operands.count == 2 else {
            throw context.invalid("takes \(variadic ? "one or more inputs" : "two inputs"), got \(operands.count)")
        }
        var shapes: [[Int]] = []
        for index in 0..<operands.count { shapes.append(try operands.dims(index)) }
        guard let output = RowMajor.broadcast(shapes) else {
            throw context.invalid("inputs of shapes " + shapes.map(ShapeMapping.text).joined(separator: ", ") + " do not broadcast")
        }
        let combine: @Sendable (Float, Float) -> Float = switch context.opType {
        case "Add": { $0 + $1 }
        case "Sub": { $0 - $1 }
        case "Mul": { $0 * $1 }
        case "Div": { $0 / $1 }
        case "Pow": { pow($0, $1) }
        case "Max": { max($0, $1) }
        default: { min($0, $1) }
        }
        return HostKernel(outputDims: output, detail: "") { [shapes] values in
            let first = RowMajor.broadcastIndices(shapes[0], to: output)
            var result = first.map { values[0][$0] }
            for (operand, shape) in zip(values.dropFirst(), shapes.dropFirst()) {
                for (position, index) in RowMajor.broadcastIndices(shape, to: output).enumerated() {
                    result[position] = combine(result[position], operand[index])
                }
            }
            return result
        }
    }
}
