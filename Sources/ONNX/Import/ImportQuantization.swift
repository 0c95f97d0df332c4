import Compiler
import ISA

/// QDQ models: `QuantizeLinear` and `DequantizeLinear` (opsets 10 to 21; int8 and uint8, per
/// tensor for activations, per tensor or per axis for constants).
///
/// The pair `DequantizeLinear(QuantizeLinear(x, s, z), s, z)` on a computed tensor `x` is what
/// the device does anyway: it stores `x` quantized. So the pair adds no node; it fixes the graph
/// tensor's quantization to `(s, z)` (`ImportedModel.quantization`, which `NetworkRun` uses in
/// place of calibration), a uint8 `z` held as the int8 zero point `z - 128`. The device's
/// requantization of the layer writing `x` is then `saturate(round(acc * M) + z)`, the
/// saturation of `QuantizeLinear`, and the host quantizes a graph input as `QuantizeLinear`
/// does (`Quantizer`). Constants fold: a `DequantizeLinear` of int8 weights with zero point 0
/// (the usual QDQ weight) keeps its scales (`ConstantTensor.dequantized`), and the layer reading
/// it quantizes with them (`LayerParameters.weightScales`), so the device multiplies the model's
/// own integers; an int32 bias in `s_x * s_w` units rounds back to its integers.
///
/// What differs from onnxruntime: it accumulates a quantized layer in float on dequantized
/// values, the device in int32 with a fixed-point multiplier, so a code may differ by one at a
/// rounding tie; and a fused convolution and activation (`Conv -> Q -> DQ -> Relu`) is
/// requantized once, after the activation. The fp32 reference (`--save-reference`) is the float
/// model without the Q/DQ rounding.
extension ImportSession {
    /// `QuantizeLinear` of a computed tensor: fixes its quantization and defines the output as
    /// its integer codes. A tensor whose quantization an earlier `QuantizeLinear` fixed
    /// differently is first copied through a depthwise 1x1 identity layer, which requantizes.
    ///
    /// A zero point at the type's minimum saturates every negative value to 0: that is the Relu
    /// onnxruntime's quantizer drops after a convolution (`Conv -> Q(z = -128)`). It becomes a
    /// Relu node, so that the fp32 reference computes the model's values too; on the device it
    /// fuses into the convolution, whose codes it does not change (the clamp is the same).
    mutating func importQuantizeLinear(_ context: NodeContext) throws(ImportError) {
        var input = try tensor(try context.requiredInput(0), context)
        let codes = try integerCodes(context, dims: input.onnxShape, inputType: nil)
        if codes.zeroPoint == codes.range.lowerBound, input.layout == .natural, !isRectified(input.graphName) {
            let name = names.unique("\(context.name)/relu")
            let shape = try emit(.activation(.relu), inputs: [input.graphName], name: name, context)
            input = TensorValue(graphName: name, onnxShape: input.onnxShape, shape: shape)
        }
        var target = input
        if let fixed = fixedQuantization[input.graphName], fixed != codes.quantization {
            guard input.layout == .natural else {
                throw context.unsupported("quantizes \(ImportError.quoted(input.graphName)) a second time with other parameters")
            }
            let shape = try emitChannelAffine(input, scale: Array(repeating: 1, count: input.shape.channels), bias: nil,
                                              name: context.name, context)
            target = TensorValue(graphName: context.name, onnxShape: input.onnxShape, shape: shape)
        }
        fixedQuantization[target.graphName] = codes.quantization
        target.codes = codes
        try alias(context, to: target)
    }

    /// Whether graph tensor `name` is a Relu's or ReLU6's output (never negative).
    private func isRectified(_ name: String) -> Bool {
        guard let node = nodes.last(where: { $0.name == name }) else { return false }
        return node.op == .activation(.relu) || node.op == .activation(.relu6)
    }

    /// `DequantizeLinear` of `QuantizeLinear`'s output with the same scale and zero point: the
    /// real tensor again. (Of a constant it folds, `dequantize`.)
    mutating func importDequantizeLinear(_ context: NodeContext) throws(ImportError) {
        let name = try context.requiredInput(0)
        guard case .tensor(var input) = try value(name, context), let codes = input.codes else {
            throw context.unsupported("dequantizes \(ImportError.quoted(name)), which no QuantizeLinear computes; only DequantizeLinear "
                                        + "of constants or of a QuantizeLinear's output is supported")
        }
        let own = try integerCodes(context, dims: input.onnxShape, inputType: codes.type)
        guard own == codes else {
            throw context.unsupported("dequantizes with scale \(own.scale) and zero point \(own.zeroPoint), but \(ImportError.quoted(name)) "
                                        + "was quantized with scale \(codes.scale) and zero point \(codes.zeroPoint); only matching pairs "
                                        + "are supported")
        }
        input.codes = nil
        try alias(context, to: input)
    }

    /// The per-tensor codes of a `QuantizeLinear` (`inputType` nil) or of a `DequantizeLinear` of
    /// an `inputType` tensor of ONNX shape `dims` (`LinearQuantization` reads scale and zero
    /// point); a quantization per axis is unsupported here (the host runs it).
    private func integerCodes(_ context: NodeContext, dims: [Int], inputType: ONNXDataType?) throws(ImportError) -> IntegerCodes {
        let scale = try constant(try context.requiredInput(1), context, role: "scale")
        let zero = try context.input(2).map { name throws(ImportError) in try constant(name, context, role: "zero point") }
        let parameters = try LinearQuantization(context, dims: dims, scale: scale, zero: zero, integerType: inputType)
        guard parameters.axis == nil else {
            throw context.unsupported("quantizes per axis (\(parameters.scales.count) scales); activations are quantized per tensor on the device")
        }
        if let inputType, parameters.type != inputType { throw context.invalid("zero point is \(parameters.type) but the input is \(inputType)") }
        return IntegerCodes(type: parameters.type, scale: parameters.scales[0], zeroPoint: Int(parameters.zeros[0]))
    }

    /// `QuantizeLinear` of a float constant: its codes as an int8 or uint8 constant (per tensor or
    /// per `axis`, default 1), computed as ONNX specifies (`IntegerCodes.quantize`).
    func quantize(_ data: ConstantTensor, _ inputs: [ConstantTensor], _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        guard inputs.count >= 2 else { throw context.invalid("needs a scale") }
        let parameters = try LinearQuantization(context, dims: data.dims, scale: inputs[1], zero: inputs.count > 2 ? inputs[2] : nil)
        return ConstantTensor(dims: data.dims, values: .integers(parameters.quantize(data.floats).map { Int64($0) }),
                              dataType: parameters.type)
    }

    /// `DequantizeLinear` of an integer constant: `(q - z) * s` in Float (per tensor or per
    /// `axis`, default 1), remembering the scales when every zero point is 0.
    func dequantize(_ data: ConstantTensor, _ inputs: [ConstantTensor], _ context: NodeContext) throws(ImportError) -> ConstantTensor {
        guard let integers = data.integers else { throw context.invalid("dequantizes a float tensor") }
        guard inputs.count >= 2 else { throw context.invalid("needs a scale") }
        let parameters = try LinearQuantization(context, dims: data.dims, scale: inputs[1], zero: inputs.count > 2 ? inputs[2] : nil,
                                                integerType: data.dataType ?? .int8)
        var result = ConstantTensor(dims: data.dims, values: .floats(parameters.dequantize(integers)))
        if parameters.zeros.allSatisfy({ $0 == 0 }) {
            result.dequantized = DequantizedScales(scales: parameters.scales, axis: parameters.axis ?? 0)
        }
        return result
    }
}
