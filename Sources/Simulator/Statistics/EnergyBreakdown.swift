import ISA

/// An energy estimate in picojoules, by component. Per-operation energies come from the
/// configuration (defaults: Horowitz, ISSCC 2014, 45 nm; see `EnergyDefaults`):
///
///     mac    = sum over matmuls of MACs * macEnergy.perMAC(dtype in force)
///     buffer = (bytes read + bytes written) * buffer.energyPerBytePJ, per buffer
///     dram   = DRAM traffic bytes (bursts, instructions included) * dram.energyPerBytePJ
///     vector = vector element operations * vector.energyPerOpPJ
///
/// Vector element operations: one per element of a vector instruction, one per window element
/// read by a pooling instruction.
public struct EnergyBreakdown: Codable, Equatable, Sendable {
    public var macPJ = 0.0
    public var nbinPJ = 0.0
    public var sbPJ = 0.0
    public var nboutPJ = 0.0
    public var dramPJ = 0.0
    public var vectorPJ = 0.0

    public init() {}

    public var sramPJ: Double { nbinPJ + sbPJ + nboutPJ }
    public var totalPJ: Double { macPJ + sramPJ + dramPJ + vectorPJ }
}

extension EnergyBreakdown {
    /// Adds each component.
    static func += (lhs: inout EnergyBreakdown, rhs: EnergyBreakdown) {
        lhs.macPJ += rhs.macPJ
        lhs.nbinPJ += rhs.nbinPJ
        lhs.sbPJ += rhs.sbPJ
        lhs.nboutPJ += rhs.nboutPJ
        lhs.dramPJ += rhs.dramPJ
        lhs.vectorPJ += rhs.vectorPJ
    }
}
