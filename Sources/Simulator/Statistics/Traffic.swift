import ISA

/// What a DRAM transfer carries, by where it goes (SCALE-Sim's report classes plus instructions).
public enum TrafficClass: String, CaseIterable, Codable, Sendable {
    /// Instruction fetch (reads).
    case instructions
    /// Loads into NBin: input feature maps (reads).
    case ifmap
    /// Loads into SB: weights, PWL tables, per-channel parameters (reads).
    case weights
    /// Loads into NBout: biases and partial sums (reads).
    case psum
    /// Stores from any buffer: output feature maps (writes).
    case ofmap

    /// The class of a load into `buffer`.
    init(loadInto buffer: BufferID) {
        switch buffer {
        case .nbin: self = .ifmap
        case .sb: self = .weights
        case .nbout: self = .psum
        }
    }
}

/// DRAM bytes moved, by class. Counts are channel traffic: whole bursts, as the channel moves them.
public struct DRAMTraffic: Codable, Equatable, Sendable {
    public var instructions = 0
    public var ifmap = 0
    public var weights = 0
    public var psum = 0
    public var ofmap = 0

    public init() {}

    public subscript(_ trafficClass: TrafficClass) -> Int {
        get {
            switch trafficClass {
            case .instructions: instructions
            case .ifmap: ifmap
            case .weights: weights
            case .psum: psum
            case .ofmap: ofmap
            }
        }
        set {
            switch trafficClass {
            case .instructions: instructions = newValue
            case .ifmap: ifmap = newValue
            case .weights: weights = newValue
            case .psum: psum = newValue
            case .ofmap: ofmap = newValue
            }
        }
    }

    /// Bytes read from DRAM: instructions, ifmaps, weights and partial sums.
    public var bytesRead: Int { instructions + ifmap + weights + psum }
    /// Bytes written to DRAM: output feature maps.
    public var bytesWritten: Int { ofmap }
    public var total: Int { bytesRead + bytesWritten }

    static func += (lhs: inout DRAMTraffic, rhs: DRAMTraffic) {
        for trafficClass in TrafficClass.allCases { lhs[trafficClass] += rhs[trafficClass] }
    }
}

/// Bytes read from and written to one on-chip buffer.
public struct BufferTraffic: Codable, Equatable, Sendable {
    public var bytesRead = 0
    public var bytesWritten = 0
    public init() {}
    public var total: Int { bytesRead + bytesWritten }
}

/// On-chip buffer accesses, per buffer.
///
/// Counting (what each instruction reads and writes, in bytes):
/// - `load`: writes the padded box (`Transfer.bufferBytes`); `store`: reads the payload.
/// - `matmul`, from SCALE-Sim's operand matrices (ifmap `P x W`, filter `W x K`, ofmap `P x K`):
///   each fold streams its slice of the moving operands through the array, so
///   ws reads the filter once, the ifmap `ceil(K / cols)` times and writes the ofmap
///   `ceil(W / rows)` times; os reads the ifmap `ceil(K / cols)` times and the filter
///   `ceil(P / rows)` times and writes the ofmap once; is reads the ifmap once, the filter
///   `ceil(P / cols)` times and writes the ofmap `ceil(W / rows)` times. Every ofmap write but
///   the first of each element also reads the partial sum (and the first too with `acc=1`).
/// - vector operations: A (and B; a broadcast B row is read once) and the destination, per element;
///   `vrequantc` reads 8 bytes of parameters per column (per element without broadcast).
/// - pooling: every window element read, every output written.
/// - `pwl.load`: reads the table, 12 bytes per segment.
public struct SRAMTraffic: Codable, Equatable, Sendable {
    public var nbin = BufferTraffic()
    public var sb = BufferTraffic()
    public var nbout = BufferTraffic()

    public init() {}

    public subscript(_ buffer: BufferID) -> BufferTraffic {
        get {
            switch buffer {
            case .nbin: nbin
            case .sb: sb
            case .nbout: nbout
            }
        }
        set {
            switch buffer {
            case .nbin: nbin = newValue
            case .sb: sb = newValue
            case .nbout: nbout = newValue
            }
        }
    }

    mutating func read(_ bytes: Int, from buffer: BufferID) { self[buffer].bytesRead += bytes }
    mutating func write(_ bytes: Int, to buffer: BufferID) { self[buffer].bytesWritten += bytes }

    static func += (lhs: inout SRAMTraffic, rhs: SRAMTraffic) {
        for buffer in BufferID.allCases {
            lhs[buffer].bytesRead += rhs[buffer].bytesRead
            lhs[buffer].bytesWritten += rhs[buffer].bytesWritten
        }
    }
}
