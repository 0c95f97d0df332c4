import Compiler

/// What an ONNX value is while importing: a constant the importer folds (initializers, `Constant`
/// nodes and shape arithmetic), a graph tensor, or a zero padding waiting to fold into the
/// convolution or pooling that reads it.
enum ImportedValue {
    case constant(ConstantTensor)
    case tensor(TensorValue)
    case pad(PendingPad)

    /// The value's ONNX shape.
    var onnxShape: [Int] {
        switch self {
        case .constant(let constant): constant.dims
        case .tensor(let tensor): tensor.onnxShape
        case .pad(let pad): pad.onnxShape
        }
    }
}

/// A constant tensor: its ONNX shape and row-major values, integer (shapes, axes, indices) or
/// floating-point (weights).
struct ConstantTensor {
    enum Values {
        case floats([Float])
        case integers([Int64])
    }

    var dims: [Int]
    var values: Values
    /// The ONNX element type, when the constant comes from an initializer or attribute tensor
    /// (QuantizeLinear's output type follows its zero point's).
    var dataType: ONNXDataType?
    /// Set when the constant is `DequantizeLinear` of integers with zero point 0 (a QDQ model's
    /// weights): the scales, along `axis` or one for the whole tensor, so a layer reading it
    /// quantizes with exactly them (`LayerParameters.weightScales`).
    var dequantized: DequantizedScales?

    var count: Int {
        switch values {
        case .floats(let floats): floats.count
        case .integers(let integers): integers.count
        }
    }

    /// The values as floats (integers converted).
    var floats: [Float] {
        switch values {
        case .floats(let floats): floats
        case .integers(let integers): integers.map(Float.init)
        }
    }

    /// The values as integers, or nil for a floating-point tensor.
    var integers: [Int64]? {
        if case .integers(let integers) = values { integers } else { nil }
    }

    /// The same kind of values, chosen by index from this tensor's.
    func picking(_ indices: [Int], dims: [Int]) -> ConstantTensor {
        switch values {
        case .floats(let floats): ConstantTensor(dims: dims, values: .floats(indices.map { floats[$0] }))
        case .integers(let integers): ConstantTensor(dims: dims, values: .integers(indices.map { integers[$0] }))
        }
    }

    /// The constant of an initializer or attribute tensor; nil when its element type has no
    /// numeric values here (strings, complex).
    init?(_ tensor: ONNXTensor) {
        dims = tensor.dims
        dataType = tensor.dataType
        if let integers = tensor.values.integers {
            values = .integers(integers)
        } else if let floats = tensor.values.floats {
            values = .floats(floats)
        } else {
            return nil
        }
        guard let expected = ShapeMapping.elementCount(dims), count == expected else { return nil }
    }

    init(dims: [Int], values: Values, dataType: ONNXDataType? = nil) {
        self.dims = dims
        self.values = values
        self.dataType = dataType
    }

    /// The per-output-channel scales of a dequantized weight tensor whose output channels lie
    /// along `axis` (`count` of them): its own scales when quantized along that axis or per
    /// tensor; nil otherwise.
    func outputChannelScales(axis: Int, count: Int) -> [Float]? {
        guard let dequantized else { return nil }
        if dequantized.scales.count == 1 { return Array(repeating: dequantized.scales[0], count: count) }
        return dequantized.axis == axis && dequantized.scales.count == count ? dequantized.scales : nil
    }
}

/// The scales of a constant dequantized from integers with zero point 0 (`ConstantTensor.dequantized`).
struct DequantizedScales {
    /// One scale, or one per index of `axis`.
    var scales: [Float]
    var axis: Int
}

/// How a graph tensor's elements are ordered relative to the ONNX value it holds.
enum TensorLayout: Equatable {
    /// The value's natural mapping (`ImportedTensor`): a 4-D value `[1, C, H, W]` as `H x W x C`,
    /// a lower-rank one in its own order.
    case natural
    /// A vector `[1, C*H*W]` flattened by ONNX from `[1, C, H, W]` (C, H, W order) held as the
    /// graph's flatten of the `H x W x C` map (H, W, C order): only a fully connected layer (its
    /// weight rows permuted), a host function and a graph output (`ImportedTensor.flattenedMap`),
    /// which reorder it, may read it.
    case flattened(FeatureShape)
    /// A value whose graph tensor holds its elements in ONNX row-major order although its
    /// natural mapping would not: a recurrent layer's `Y [T, D, 1, H]` as `1 x T x (D*H)` and
    /// `Y_h [D, 1, H]` as `1 x 1 x (D*H)` (batch 1: the orders agree), and what reshapes and
    /// transposes moving only size-1 axes make of them. Only those and graph outputs read it;
    /// a reshape to a value whose natural mapping is row-major makes it natural again.
    case rowMajor
}

/// An ONNX value held in a graph tensor.
struct TensorValue {
    /// The graph tensor (a graph input or a node's name).
    var graphName: String
    var onnxShape: [Int]
    var shape: FeatureShape
    var layout: TensorLayout = .natural
    /// Set when the value is `QuantizeLinear`'s integer output: the codes of the graph tensor
    /// (which holds the real values) under the quantization fixed for it. Only
    /// `DequantizeLinear` and graph outputs read such a value.
    var codes: IntegerCodes?
}

/// A `Pad` with zeros on H and W only, not yet a graph node: a convolution or average pooling
/// that is its sole reader takes the padding into its own; any other use makes it a node (a
/// depthwise identity convolution that pads, `ImportSession.materialize`).
struct PendingPad {
    /// The padded tensor.
    var source: TensorValue
    var padding: Padding
    /// The padded ONNX shape.
    var onnxShape: [Int]
    /// The `Pad` node; the materialized convolution takes its name.
    var context: NodeContext
}

/// The correspondence of ONNX shapes and graph shapes.
enum ShapeMapping {
    /// The graph shape of a tensor of ONNX shape `dims`: `[N]` and `[1, N]` as `1 x 1 x N`,
    /// `[1, T, N]` and `[T, 1, N]` as `1 x T x N` (a sequence batch-first or, as ONNX's recurrent
    /// operators take it, time-major; with batch 1 both are the same row-major order),
    /// `[1, C, H, W]` as `H x W x C`; nil for another rank. The batch of 1 is checked by the caller.
    static func graphShape(_ dims: [Int]) -> FeatureShape? {
        switch dims.count {
        case 1: FeatureShape(height: 1, width: 1, channels: dims[0])
        case 2: FeatureShape(height: 1, width: 1, channels: dims[1])
        case 3: FeatureShape(height: 1, width: dims[0] * dims[1], channels: dims[2])
        case 4: FeatureShape(height: dims[2], width: dims[3], channels: dims[1])
        default: nil
        }
    }

    /// The axis of `rank` our channels are: 1 for `[1, C, H, W]`, the last for lower ranks.
    static func channelAxis(rank: Int) -> Int { rank == 4 ? 1 : rank - 1 }

    /// Whether a natural tensor of ONNX shape `dims` holds its elements in ONNX row-major order
    /// (every rank but 4; a 4-D value whose channels or spatial size is 1).
    static func isRowMajor(_ dims: [Int]) -> Bool {
        dims.count != 4 || dims[1] == 1 || dims[2] * dims[3] == 1
    }

    /// The product of `dims`, or nil on overflow.
    static func elementCount(_ dims: [Int]) -> Int? {
        var product = 1
        for dim in dims {
            let (next, overflow) = product.multipliedReportingOverflow(by: dim)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// `[1, 2, 3]`, for messages.
    static func text(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
