import ISA

/// The two functional units of the compute engine, which execute side by side.
///
/// The compute engine issues its queue in order to two units: the **matrix unit** (the systolic
/// array) and the **vector unit** (requantization, activation, pooling, elementwise passes).
/// They overlap as in DianNao, whose NFU-1 (multipliers), NFU-2 (adder trees / pooling) and
/// NFU-3 (nonlinear functions) are pipeline stages working on different data at once (Chen et
/// al., ASPLOS 2014), and as in TPU v1, whose activation pipeline processes accumulators while
/// the matrix unit computes further tiles (Jouppi et al., ISCA 2017). `Scheduler` documents the
/// issue, hazard and retirement rules.
public enum ComputeUnit: Int, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// `matmul` and `cfg.dtype` (the matrix unit's mode register).
    case matrix = 0
    /// `pool.*`, every `v*` operation, `cfg.requant` and `pwl.load` (the vector unit's registers
    /// and table slots).
    case vector

    public var description: String {
        switch self {
        case .matrix: "matrix"
        case .vector: "vector"
        }
    }

    /// The other unit.
    var other: ComputeUnit { self == .matrix ? .vector : .matrix }
}

extension Operation {
    /// The unit of the compute engine that executes it; `nil` for a compute `nop` (a barrier that
    /// occupies both units) and for instructions of other engines.
    var computeUnit: ComputeUnit? {
        switch self {
        case .matmul, .setDataType: .matrix
        case .pool, .vector, .setRequantization, .loadPWL: .vector
        case .halt, .layer, .nop, .load, .store: nil
        }
    }
}
