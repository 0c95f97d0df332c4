/// The element types a tensor region can hold in DRAM or in an on-chip buffer.
///
/// Every instruction that reads or writes elements names their type; conversions between types
/// follow the arithmetic contract in `Arithmetic.swift` (saturation, round to nearest even).
public enum ElementType: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case int8 = 0, uint8, int16, int32, fp16, fp32

    /// Bytes one element occupies.
    public var byteSize: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16, .fp16: 2
        case .int32, .fp32: 4
        }
    }

    public var isFloatingPoint: Bool { self == .fp16 || self == .fp32 }

    /// The smallest and largest representable integer value (integer types only).
    public var integerRange: ClosedRange<Int64> {
        switch self {
        case .int8: Int64(Int8.min)...Int64(Int8.max)
        case .uint8: 0...Int64(UInt8.max)
        case .int16: Int64(Int16.min)...Int64(Int16.max)
        case .int32: Int64(Int32.min)...Int64(Int32.max)
        case .fp16: -65504...65504
        case .fp32: Int64(Int32.min)...Int64(Int32.max)
        }
    }

    /// Assembly spelling: `i8`, `u8`, `i16`, `i32`, `f16`, `f32`.
    public var description: String {
        switch self {
        case .int8: "i8"
        case .uint8: "u8"
        case .int16: "i16"
        case .int32: "i32"
        case .fp16: "f16"
        case .fp32: "f32"
        }
    }

    public init?(name: String) {
        let aliases: [String: ElementType] = [
            "i8": .int8, "int8": .int8, "u8": .uint8, "uint8": .uint8,
            "i16": .int16, "int16": .int16, "i32": .int32, "int32": .int32,
            "f16": .fp16, "fp16": .fp16, "float16": .fp16, "f32": .fp32, "fp32": .fp32, "float32": .fp32,
        ]
        guard let type = aliases[name.lowercased()] else { return nil }
        self = type
    }
}

/// The arithmetic mode of the matrix unit, set by `cfg.dtype`.
///
/// - `int8`: int8 x int8 products accumulated in int32 (TPU v1, VTA, Gemmini).
/// - `int16`: 16-bit fixed point x 16-bit fixed point accumulated in int32 (DianNao's format;
///   the accumulator wraps modulo 2^32, so the compiler picks fraction bits that keep sums in range).
/// - `fp16`: fp16 x fp16 products (exact in fp32) accumulated in fp32, in a fixed order.
public enum DataType: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case int8 = 0, int16, fp16

    /// Type of the matrix unit's input operands (NBin activations and SB weights).
    public var operandType: ElementType {
        switch self {
        case .int8: .int8
        case .int16: .int16
        case .fp16: .fp16
        }
    }

    /// Type of the accumulators the matrix unit writes to NBout.
    public var accumulatorType: ElementType { self == .fp16 ? .fp32 : .int32 }

    public var description: String {
        switch self {
        case .int8: "int8"
        case .int16: "int16"
        case .fp16: "fp16"
        }
    }

    public init?(name: String) {
        guard let type = DataType.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = type
    }
}

/// The three on-chip buffers of DianNao (Chen et al., ASPLOS 2014): input neurons, synapses
/// (weights) and output neurons / partial sums. Each is a byte-addressed scratchpad.
public enum BufferID: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case nbin = 0, sb, nbout

    public var description: String {
        switch self {
        case .nbin: "nbin"
        case .sb: "sb"
        case .nbout: "nbout"
        }
    }

    /// The buffer's name in reports: DianNao's `NBin`, `SB`, `NBout`.
    public var displayName: String {
        switch self {
        case .nbin: "NBin"
        case .sb: "SB"
        case .nbout: "NBout"
        }
    }
}

/// The decoupled engines that execute instructions, each from its own in-order queue (VTA).
/// Tokens flow between neighbours: load <-> compute <-> store.
public enum Engine: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case load = 0, compute, store

    public var description: String {
        switch self {
        case .load: "load"
        case .compute: "compute"
        case .store: "store"
        }
    }

    /// The engine whose tokens `pop_prev` / `push_prev` refer to, if any.
    public var previous: Engine? { Engine(rawValue: rawValue - 1) }
    /// The engine whose tokens `pop_next` / `push_next` refer to, if any.
    public var next: Engine? { Engine(rawValue: rawValue + 1) }
}

/// How the systolic array keeps operands in its processing elements.
public enum Dataflow: String, CaseIterable, Codable, Sendable {
    /// Weight-stationary: weights are preloaded into the PEs, inputs stream through (TPU v1).
    case weightStationary = "ws"
    /// Output-stationary: each PE accumulates one output; inputs and weights stream (ShiDianNao).
    case outputStationary = "os"
    /// Input-stationary: inputs are preloaded, weights stream.
    case inputStationary = "is"
}

/// The dataflow a `matmul` asks for (its `df` field).
///
/// A fixed-dataflow array (`HardwareConfig.SystolicArray.flexibleDataflow` false) runs every
/// matmul in its configured dataflow: `df` must be `array` or name that same dataflow. A flexible
/// array (configuration `"dataflow": "any"`; reconfigurable arrays such as Eyeriss v2 or MAERI
/// switch per layer) runs each matmul in the dataflow it names, so the compiler picks one per
/// layer; `array` then means the configured default, weight-stationary.
public enum MatmulDataflow: Int, CaseIterable, Sendable, CustomStringConvertible {
    case array = 0, weightStationary, outputStationary, inputStationary

    /// An explicit request for `dataflow`.
    public init(_ dataflow: Dataflow) {
        self = switch dataflow {
        case .weightStationary: .weightStationary
        case .outputStationary: .outputStationary
        case .inputStationary: .inputStationary
        }
    }

    /// The dataflow named, or nil for `array`.
    public var explicit: Dataflow? {
        switch self {
        case .array: nil
        case .weightStationary: .weightStationary
        case .outputStationary: .outputStationary
        case .inputStationary: .inputStationary
        }
    }

    /// The dataflow the matmul runs in on an array configured with `configured`.
    public func resolved(_ configured: Dataflow) -> Dataflow { explicit ?? configured }

    public var description: String { explicit?.rawValue ?? "array" }
}
