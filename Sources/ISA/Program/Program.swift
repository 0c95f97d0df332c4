/// A program for the NPU: what a `.npub` file holds.
///
/// The instruction stream, the configuration it was written for, the initial DRAM image
/// (weights, constants, PWL tables) as segments, the symbol table of the tensors a host exchanges
/// with it, the reference computations that check its outputs, and the names of its layers.
public struct Program: Equatable, Sendable {
    public var config: HardwareConfig
    public var instructions: [Instruction]
    public var segments: [DataSegment]
    public var symbols: [TensorSymbol]
    /// Reference computations, one per output, e.g. `Y = conv2d(X, W, pad=1)` (see `npu exec`).
    public var checks: [String]
    /// Layer names; `layer id` markers index this table.
    public var layerNames: [String]

    public init(config: HardwareConfig, instructions: [Instruction] = [], segments: [DataSegment] = [],
                symbols: [TensorSymbol] = [], checks: [String] = [], layerNames: [String] = []) {
        self.config = config
        self.instructions = instructions
        self.segments = segments
        self.symbols = symbols
        self.checks = checks
        self.layerNames = layerNames
    }

    public var inputs: [TensorSymbol] { symbols.filter { $0.role == .input } }

    /// Whether `byteCount` bytes at `address` lie inside the configured DRAM (no overflow).
    public func fitsInDRAM(address: Int, byteCount: Int) -> Bool {
        let capacity = config.dram.capacityBytes
        return address >= 0 && byteCount >= 0 && address <= capacity && byteCount <= capacity - address
    }

    /// Whether the whole tensor lies inside the configured DRAM; its size is computed without
    /// overflow, so any shape can be asked about.
    public func fitsInDRAM(_ symbol: TensorSymbol) -> Bool {
        var byteCount = symbol.type.byteSize
        for dimension in symbol.shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, dimension > 0 else { return false }
            byteCount = product
        }
        return fitsInDRAM(address: symbol.address, byteCount: byteCount)
    }
    public var outputs: [TensorSymbol] { symbols.filter { $0.role == .output } }
    public var constants: [TensorSymbol] { symbols.filter { $0.role == .constant } }
}

/// Bytes placed in DRAM at `address` before the program runs.
public struct DataSegment: Equatable, Sendable {
    public var address: Int
    public var bytes: [UInt8]
    public init(address: Int, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }
}

/// Affine quantization of a tensor: real = scale * (q - zeroPoint).
public struct Quantization: Equatable, Sendable {
    public var scale: Double
    public var zeroPoint: Int
    public init(scale: Double, zeroPoint: Int) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }
}

/// A tensor the host writes into or reads out of DRAM.
public struct TensorSymbol: Equatable, Sendable {
    /// `input`: the host writes it before the run; `output`: the host reads it after the run;
    /// `constant`: it is part of the program's DRAM image (weights, biases, requantization
    /// parameters) and `.check` computations may read it.
    public enum Role: Int, Sendable { case input = 0, output, constant }

    public var name: String
    public var role: Role
    /// DRAM byte address of the first element; elements are dense, row-major.
    public var address: Int
    public var shape: [Int]
    public var type: ElementType
    public var quantization: Quantization?
    /// Inclusive range that random test inputs are drawn from (default: the type's full range;
    /// floats: -1...1).
    public var fillRange: ClosedRange<Double>?

    public init(name: String, role: Role, address: Int, shape: [Int], type: ElementType,
                quantization: Quantization? = nil, fillRange: ClosedRange<Double>? = nil) {
        self.name = name
        self.role = role
        self.address = address
        self.shape = shape
        self.type = type
        self.quantization = quantization
        self.fillRange = fillRange
    }

    public var elementCount: Int { shape.reduce(1, *) }
    public var byteCount: Int { elementCount * type.byteSize }
}
