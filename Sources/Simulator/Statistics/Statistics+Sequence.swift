import ISA

extension Statistics {
    /// The statistics of programs run one after another on the same machine, as if they were one
    /// run: a network whose device segments are separated by host operations (the device idles
    /// while the host computes; that host time is not counted in device cycles).
    ///
    /// Cycles, instruction counts, MACs, traffic, energy, DRAM row outcomes and busy cycles add up; each engine's
    /// stalls add up too, so `busy + stalls.total == cycles` still holds per engine. Part `i`'s
    /// layers are renumbered by `layerOffsets[i]` (its layer ids count from 0 in its own program)
    /// and their cycle spans shifted by the cycles of the parts before it. The MAC-weighted
    /// mapping efficiency and the average bandwidth are recomputed over the whole; the peak
    /// bandwidth is the largest part's peak (a window spanning two parts moves no more than the
    /// larger of their peaks).
    public static func sequence(_ parts: [Statistics], layerOffsets: [Int]) -> Statistics {
        precondition(parts.count == layerOffsets.count, "one layer offset per part")
        guard var total = parts.first else { return Statistics() }
        total.cycles = 0
        total.instructionCount = 0
        total.macs = 0
        total.engines = Engine.allCases.map { EngineStatistics(engine: $0) }
        total.computeUnits = ComputeUnit.allCases.map { FunctionalUnitStatistics(unit: $0) }
        total.dramTraffic = DRAMTraffic()
        total.dramPayloadBytes = 0
        total.sram = SRAMTraffic()
        total.vectorOperations = 0
        total.peakDRAMBandwidthGBps = 0
        total.energy = EnergyBreakdown()
        total.dramRows = DRAMRowStatistics()
        total.bufferPeakBytes = [0, 0, 0]
        total.layers = []
        var weightedEfficiency = 0.0
        for (part, offset) in zip(parts, layerOffsets) {
            for var layer in part.layers {
                if layer.id >= 0 { layer.id += offset }
                layer.firstStart += total.cycles
                layer.lastEnd += total.cycles
                total.layers.append(layer)
            }
            total.cycles += part.cycles
            total.instructionCount += part.instructionCount
            total.macs += part.macs
            weightedEfficiency += part.mappingEfficiency * Double(part.macs)
            for index in total.engines.indices {
                let engine = part.engines[index]
                total.engines[index].instructions += engine.instructions
                total.engines[index].busyCycles += engine.busyCycles
                total.engines[index].stalls += engine.stalls
            }
            for index in total.computeUnits.indices {
                let unit = part.computeUnits[index]
                total.computeUnits[index].instructions += unit.instructions
                total.computeUnits[index].busyCycles += unit.busyCycles
                total.computeUnits[index].hazardCycles += unit.hazardCycles
            }
            total.dramTraffic += part.dramTraffic
            total.dramPayloadBytes += part.dramPayloadBytes
            total.sram += part.sram
            total.vectorOperations += part.vectorOperations
            total.peakDRAMBandwidthGBps = max(total.peakDRAMBandwidthGBps, part.peakDRAMBandwidthGBps)
            total.bufferPeakBytes = zip(total.bufferPeakBytes, part.bufferPeakBytes).map { max($0, $1) }
            total.energy += part.energy
            total.dramRows += part.dramRows
        }
        total.mappingEfficiency = total.macs == 0 ? 0 : weightedEfficiency / Double(total.macs)
        total.averageDRAMBandwidthGBps = total.cycles == 0 ? 0 : Double(total.dramTraffic.total) * total.clockGHz / Double(total.cycles)
        return total
    }
}

extension LayerStatistics {
    /// Several layers' statistics as one layer `id` (a recurrent layer's projection and time
    /// steps): counts, traffic, energy and busy cycles add up, the span runs from the first start
    /// to the last end, the mapping efficiency is MAC-weighted.
    public static func merged(_ parts: [LayerStatistics], id: Int) -> LayerStatistics {
        var total = LayerStatistics(id: id)
        guard let first = parts.first else { return total }
        total.firstStart = first.firstStart
        total.lastEnd = first.lastEnd
        var weightedEfficiency = 0.0
        for part in parts {
            total.instructions += part.instructions
            total.firstStart = min(total.firstStart, part.firstStart)
            total.lastEnd = max(total.lastEnd, part.lastEnd)
            total.macs += part.macs
            weightedEfficiency += part.mappingEfficiency * Double(part.macs)
            total.dramTraffic += part.dramTraffic
            total.sram += part.sram
            total.vectorOperations += part.vectorOperations
            for engine in total.busyCycles.indices { total.busyCycles[engine] += part.busyCycles[engine] }
            for unit in total.computeUnitBusyCycles.indices { total.computeUnitBusyCycles[unit] += part.computeUnitBusyCycles[unit] }
            for engine in total.stalls.indices { total.stalls[engine] += part.stalls[engine] }
            total.energy += part.energy
        }
        total.mappingEfficiency = total.macs == 0 ? 0 : weightedEfficiency / Double(total.macs)
        return total
    }
}
