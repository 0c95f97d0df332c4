/// The parameters of a `QuantizeLinear` or `DequantizeLinear` node on a tensor of ONNX shape
/// `dims`: one scale and zero point for the tensor, or one per index of `axis` (the attribute,
/// default 1), and the integer type. Constant folding and the host kernel compute with it.
struct LinearQuantization {
    var scales: [Float]
    var zeros: [Int64]
    /// nil: per tensor.
    var axis: Int?
    /// INT8 or UINT8 (a DequantizeLinear of INT32 biases: INT32).
    var type: ONNXDataType
    /// Elements per index of `axis` in each run (the product of the later extents).
    private var inner = 1
    private var extent = 1

    /// Reads scale (input 1) and zero point (input 2, default 0) from the node's constants
    /// `scale` and `zero`. The type is the zero point's, else (QuantizeLinear at opset 21)
    /// `output_dtype`, else UINT8; `integerType` is a DequantizeLinear input's type.
    init(_ context: NodeContext, dims: [Int], scale: ConstantTensor, zero: ConstantTensor?,
         integerType: ONNXDataType? = nil) throws(ImportError) {
        if try context.int("block_size", default: 0) != 0 { throw context.unsupported("blocked quantization is not supported") }
        scales = scale.floats
        if let zero {
            guard let given = zero.integers else { throw context.invalid("zero point must be integers") }
            zeros = given
        } else {
            zeros = Array(repeating: 0, count: scales.count)
        }
        guard zeros.count == scales.count, !scales.isEmpty else { throw context.invalid("scale and zero point differ in size") }
        type = zero?.dataType ?? integerType ?? .uint8
        if zero == nil, integerType == nil, let output = try context.int("output_dtype"), output != 0 {
            type = ONNXDataType(rawValue: Int32(output))
        }
        guard [.int8, .uint8].contains(type) || (integerType == .int32 && type == .int32) else {
            throw context.unsupported("quantizes to \(type); only INT8 and UINT8 are supported")
        }
        for (scale, zero) in zip(scales, zeros) {
            guard scale > 0, scale.isFinite, type == .int32 || IntegerCodes(type: type).range.contains(Int(zero)) else {
                throw context.invalid("scale \(scale) or zero point \(zero) is out of range for \(type)")
            }
        }
        guard scales.count > 1 || scale.dims.count > 1 else { return }
        let axis = try ShapeArithmetic.normalize(axis: try context.int("axis", default: 1), rank: dims.count, context)
        guard dims[axis] == scales.count else { throw context.invalid("has \(scales.count) scales for axis \(axis) of size \(dims[axis])") }
        self.axis = axis
        extent = dims[axis]
        inner = dims[(axis + 1)...].reduce(1, *)
    }

    /// The index into `scales` of element `index` (row-major).
    private func channel(_ index: Int) -> Int { axis == nil ? 0 : (index / inner) % extent }

    /// `QuantizeLinear` of `values`: the codes, as Floats (exact integers).
    func quantize(_ values: [Float]) -> [Float] {
        let codes = scales.indices.map { IntegerCodes(type: type, scale: scales[$0], zeroPoint: Int(zeros[$0])) }
        return values.indices.map { codes[channel($0)].code(values[$0]) }
    }

    /// `DequantizeLinear` of `integers`: `(q - z) * s` in Float.
    func dequantize(_ integers: [Int64]) -> [Float] {
        integers.indices.map { index in
            let c = channel(index)
            return Float(integers[index] - zeros[c]) * scales[c]
        }
    }
}
