extension HostKernels {
    /// QuantizeLinear per tensor or per axis (`LinearQuantization`): the codes
    /// `saturate(round(x / scale) + zero_point)` of the zero point's type, as the output's
    /// integers. (The device quantizes activations per tensor; a per-channel QuantizeLinear of an
    /// activation runs here.)
    static func quantizeLinear(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        guard let scale = try operands.constant(1, role: "scale") else { throw context.invalid("needs a scale") }
        let parameters = try LinearQuantization(context, dims: dims, scale: scale, zero: try operands.constant(2, role: "zero point"))
        let detail = (parameters.axis.map { "axis \($0), \(parameters.scales.count) scales" } ?? "per tensor") + ", \(parameters.type)"
        return HostKernel(outputDims: dims, detail: detail, outputType: parameters.type) { values in parameters.quantize(values[0]) }
    }
}
