/// A tensor of the model (`TensorProto`): an initializer (weights), or a constant held by an
/// attribute. Decoding checks its shape and reads its elements, wherever the file keeps them
/// (`raw_data`, the typed fields or an external file), into `values`.
public struct ONNXTensor: Equatable, Sendable {
    /// The tensor's name, by which nodes refer to an initializer.
    public var name: String
    /// The element type.
    public var dataType: ONNXDataType
    /// The shape, outermost dimension first; empty for a scalar.
    public var dims: [Int]
    /// The elements in row-major order.
    public var values: TensorValues
    /// Documentation from the model.
    public var docString: String

    /// A tensor with the given parts, as decoding produces them.
    public init(name: String, dataType: ONNXDataType, dims: [Int], values: TensorValues, docString: String = "") {
        self.name = name
        self.dataType = dataType
        self.dims = dims
        self.values = values
        self.docString = docString
    }

    /// The number of elements the shape holds (1 for a scalar); decoding has checked that it
    /// does not exceed 2^31.
    public var elementCount: Int { dims.reduce(1, *) }

    /// The elements as `Float`, whatever the numeric type (float16 converted exactly, wider
    /// types rounded to nearest), for an importer that computes in floating point.
    public func floatValues() throws -> [Float] {
        guard let floats = values.floats else { throw unsupportedValues("floating-point") }
        return floats
    }

    /// The elements as `Int64`, for tensors of an integer or boolean type (shapes, axes,
    /// indices); floating-point tensors are refused rather than truncated.
    public func integerValues() throws -> [Int64] {
        guard let integers = values.integers else { throw unsupportedValues("integer") }
        return integers
    }

    private func unsupportedValues(_ kind: String) -> ONNXError {
        ONNXError(.unsupported, "tensor \(ONNXError.quoted(name)) of type \(dataType) has no \(kind) values")
    }
}
