import ISA

/// Data-independent event counts of a group of instructions (a layer, or the whole run).
struct Counters {
    var instructions = 0
    var macs = 0
    /// Sum over matmuls of MACs * mapping efficiency.
    var weightedEfficiency = 0.0
    var dramTraffic = DRAMTraffic()
    var dramPayloadBytes = 0
    var sram = SRAMTraffic()
    var vectorOperations = 0
    var macEnergyPJ = 0.0

    static func += (lhs: inout Counters, rhs: Counters) {
        lhs.instructions += rhs.instructions
        lhs.macs += rhs.macs
        lhs.weightedEfficiency += rhs.weightedEfficiency
        lhs.dramTraffic += rhs.dramTraffic
        lhs.dramPayloadBytes += rhs.dramPayloadBytes
        lhs.sram += rhs.sram
        lhs.vectorOperations += rhs.vectorOperations
        lhs.macEnergyPJ += rhs.macEnergyPJ
    }

    var mappingEfficiency: Double { macs == 0 ? 0 : weightedEfficiency / Double(macs) }

    /// The energy estimate of these counts on `config` (formulas in `EnergyBreakdown`).
    func energy(_ config: HardwareConfig) -> EnergyBreakdown {
        var energy = EnergyBreakdown()
        energy.macPJ = macEnergyPJ
        energy.nbinPJ = Double(sram.nbin.total) * config.nbin.energyPerBytePJ
        energy.sbPJ = Double(sram.sb.total) * config.sb.energyPerBytePJ
        energy.nboutPJ = Double(sram.nbout.total) * config.nbout.energyPerBytePJ
        energy.dramPJ = Double(dramTraffic.total) * config.dram.energyPerBytePJ
        energy.vectorPJ = Double(vectorOperations) * config.vector.energyPerOpPJ
        return energy
    }
}
