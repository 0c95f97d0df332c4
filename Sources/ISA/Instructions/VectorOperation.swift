/// An elementwise operation of the vector unit (DianNao's NFU-2/NFU-3) over a 2-D region:
/// `rows` rows of `columns` elements, each operand with its own row pitch in elements
/// (0 = packed, i.e. `columns`). Operands are (buffer, byte address) pairs.
///
/// Integer sources are computed exactly in `Int64` and narrowed with saturation to the
/// destination type; float sources are computed in fp32 and rounded to the destination type.
/// `broadcastB` reuses the first row of B for every row (per-channel bias, per-channel
/// requantization parameters).
public struct VectorOperation: Equatable, Sendable {
    public enum Function: Int, CaseIterable, Sendable {
        /// dst = a op b
        case add = 0, subtract, multiply, maximum, minimum
        /// dst = a op imm
        case addImmediate, subtractImmediate, multiplyImmediate, maximumImmediate, minimumImmediate
        /// dst = clamp(zp + roundShift(a * mult, shift), lo, hi) with the `cfg.requant` registers.
        case requantize
        /// Same, with (mult, shift) per column read from B: one record of int32 words per column,
        /// column j's record at `b + perChannelRecordBytes * j`; rows of records are `b_pitch`
        /// records apart, or row 0 serves every row with `b_bcast` (the usual case: per-output-
        /// channel scales). With `bias`, a record is (mult, shift, bias) and the bias is added to
        /// a first, saturating to int32: `clamp(zp + roundShift(sat32(a + bias) * mult, shift), lo, hi)`,
        /// the bias add, scale and clamp of one output stage (DianNao's NFU-3, TFLite's output stage).
        case requantizePerChannel
        /// dst = min(max(a, lo), hi)
        case clamp
        /// dst = max(a, 0)
        case relu
        /// dst = a, converted to the destination type
        case copy
        /// dst = PWL table `table` evaluated at a
        case piecewiseLinear

        /// The elementwise operation for the binary functions, if this is one.
        public var elementwise: ElementwiseOperation? {
            switch self {
            case .add, .addImmediate: .add
            case .subtract, .subtractImmediate: .subtract
            case .multiply, .multiplyImmediate: .multiply
            case .maximum, .maximumImmediate: .maximum
            case .minimum, .minimumImmediate: .minimum
            default: nil
            }
        }

        /// Whether B is a tensor operand read from a buffer.
        public var readsB: Bool { (0...4).contains(rawValue) || self == .requantizePerChannel }
    }

    public var function: Function = .copy
    public var destinationBuffer: BufferID = .nbout, destinationAddress = 0
    public var aBuffer: BufferID = .nbout, aAddress = 0
    public var bBuffer: BufferID = .nbout, bAddress = 0
    /// Type of A (and of B, except per-channel parameters which are int32 pairs).
    public var sourceType: ElementType = .int32
    public var destinationType: ElementType = .int32
    public var columns = 1, rows = 1
    public var destinationPitch = 0, aPitch = 0, bPitch = 0
    public var broadcastB = false
    /// The immediate operand (binary immediate forms) or the lower clamp bound.
    public var immediate = 0
    /// The upper clamp bound.
    public var immediate2 = 0
    /// Fraction bits dropped (with rounding) after a fixed-point multiply.
    public var shift = 0
    /// PWL table index for `piecewiseLinear`.
    public var table = 0
    /// `vrequantc` only: its records carry a per-column bias (see `requantizePerChannel`).
    public var withBias = false

    public init() {}

    public var effectiveDestinationPitch: Int { destinationPitch == 0 ? columns : destinationPitch }
    public var effectiveAPitch: Int { aPitch == 0 ? columns : aPitch }
    public var effectiveBPitch: Int { bPitch == 0 ? columns : bPitch }
    public var elementCount: Int { columns * rows }
    /// Bytes of one per-column record of `vrequantc`: (mult, shift) or (mult, shift, bias) int32 words.
    public var perChannelRecordBytes: Int { withBias ? 12 : 8 }
}
