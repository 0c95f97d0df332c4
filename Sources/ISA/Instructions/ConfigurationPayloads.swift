/// `cfg.dtype`: sets the arithmetic mode of the matrix unit for the following `matmul`s.
public struct DataTypeSetting: Equatable, Sendable {
    public var dataType: DataType = .int8
    public init(_ dataType: DataType = .int8) { self.dataType = dataType }
}

/// `cfg.requant`: sets the per-tensor requantization registers used by `vrequant`
/// (multiplier, shift, zero point, and the clamp bounds; see `Arithmetic.requantize`).
public struct RequantizationParameters: Equatable, Sendable {
    public var multiplier = 1, shift = 0, zeroPoint = 0
    public var low = Int(Int32.min), high = Int(Int32.max)
    public init() {}
}

/// `pwl.load`: copies a piecewise-linear function table from a buffer into table slot `table`
/// of the vector unit. The table is `segments` entries of three 32-bit words (start, slope,
/// intercept); see `PWLTable` for the format and its evaluation.
public struct PWLLoad: Equatable, Sendable {
    public var table = 0
    public var buffer: BufferID = .sb
    public var address = 0
    public var segments = 1
    /// Fraction bits of the slopes (integer tables).
    public var shift = 0
    public init() {}
}

/// `layer`: marks that the following instructions belong to layer `id` (for statistics).
/// It is consumed by the fetch unit and costs no cycles.
public struct LayerMarker: Equatable, Sendable {
    public var id = 0
    public init(id: Int = 0) { self.id = id }
}

/// `nop`: an empty instruction on one engine, used to move dependency tokens.
public struct NoOperation: Equatable, Sendable {
    public var engine: Engine = .compute
    public init(engine: Engine = .compute) { self.engine = engine }
}
