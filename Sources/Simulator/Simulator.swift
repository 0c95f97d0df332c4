import ISA

/// Whether a run computes values.
public enum SimulationMode: Sendable {
    /// Functional + timing: every instruction's data effect is computed; DRAM holds the results.
    case functional
    /// Timing only: no data is touched (for sweeps and models without weights). Cycles and
    /// statistics are identical to a functional run's, because timing never depends on data.
    case timingOnly
}

/// What a run returns.
public struct SimulationResult: Sendable {
    /// DRAM after the run (unchanged in timing-only mode).
    public var dram: DRAMImage
    public var statistics: Statistics
    /// When each fetched instruction was dispatched, started and completed.
    public var timeline: Timeline
}

/// The NPU: a configuration, and `run`, a pure function of the program and the DRAM image.
///
/// A run first checks every instruction against the configuration (`PlanBuilder`: buffer and
/// DRAM ranges, alignment, field ranges, PWL tables loaded before use), then schedules the fetch
/// unit, the engines and the DRAM channel (`Scheduler`), performing each instruction's data
/// effect when it starts in functional mode (`FunctionalMachine`).
public struct Simulator: Sendable {
    public let config: HardwareConfig

    /// Limits beyond which the analytic formulas could overflow `Int`; far above any real machine.
    static let maximumArrayDimension = 1 << 16
    static let maximumLatencyCycles = 1 << 32
    static let maximumBurstBytes = 1 << 16

    public init(config: HardwareConfig) { self.config = config }

    /// Runs `program`'s instructions (its segments are not applied here: the caller builds the
    /// DRAM image) on this simulator's configuration, which may differ from `program.config`.
    /// DRAM accesses are checked against the smaller of `config.dram.capacityBytes` and
    /// `dram.capacityBytes`.
    public func run(_ program: Program, dram: DRAMImage, mode: SimulationMode) throws(SimulationError) -> SimulationResult {
        try checkConfiguration()
        let plan = try PlanBuilder.plan(program.instructions, config: config,
                                        dramCapacity: min(config.dram.capacityBytes, dram.capacityBytes))
        var scheduler = Scheduler(plan: plan, config: config)
        let instructions = program.instructions
        var finalDRAM = dram
        switch mode {
        case .timingOnly:
            try scheduler.run(instructions: instructions) { (_: Int) throws(SimulationError) in }
        case .functional:
            let machine = FunctionalMachine(config: config, dram: dram, dramExtent: plan.dramExtent)
            try scheduler.run(instructions: instructions) { (index: Int) throws(SimulationError) in
                try machine.execute(instructions[index], index: index)
            }
            finalDRAM = machine.dram
        }
        var timeline = scheduler.timeline
        timeline.cycles = scheduler.cycles
        timeline.channel = scheduler.reservations
        var statistics = statistics(plan, scheduler)
        statistics.bufferPeakBytes = BufferOccupancy(program: program, timeline: timeline, config: config).peakBytes
        return SimulationResult(dram: finalDRAM, statistics: statistics, timeline: timeline)
    }

    private func checkConfiguration() throws(SimulationError) {
        do {
            try config.validate()
        } catch {
            throw .invalidConfiguration(error.description)
        }
        let limits: [(String, Int, Int)] = [
            ("array.rows", config.array.rows, Self.maximumArrayDimension),
            ("array.cols", config.array.cols, Self.maximumArrayDimension),
            ("vector.latency_cycles", config.vector.latencyCycles, Self.maximumLatencyCycles),
            ("dram.latency_cycles", config.dram.latencyCycles, Self.maximumLatencyCycles),
            ("dram.burst_bytes", config.dram.burstBytes, Self.maximumBurstBytes),
        ]
        for (name, value, limit) in limits where value > limit {
            throw .invalidConfiguration("invalid configuration: \(name) = \(value) exceeds the simulator's limit of \(limit)")
        }
    }

    /// The most DRAM traffic in any `window` cycles, in GB/s. A bank model's requests can
    /// overlap in time (channels work in parallel), which `PeakBandwidth` does not model exactly:
    /// their spans are taken in order of start and the result capped at the device's peak.
    private func peakBandwidth(_ reservations: [ChannelReservation], window: Int) -> Double {
        guard let standard = config.dram.standard else {
            return PeakBandwidth.maximumBytes(reservations, window: window) * config.clockGHz / Double(window)
        }
        let sorted = reservations.sorted { $0.start < $1.start }
        return min(PeakBandwidth.maximumBytes(sorted, window: window) * config.clockGHz / Double(window),
                   standard.peakGBps(channels: config.dram.channels ?? standard.channels))
    }

    private func statistics(_ plan: ExecutionPlan, _ scheduler: Scheduler) -> Statistics {
        var statistics = Statistics()
        let totals = plan.totals
        statistics.cycles = scheduler.cycles
        statistics.clockGHz = config.clockGHz
        statistics.arrayRows = config.array.rows
        statistics.arrayCols = config.array.cols
        statistics.instructionCount = plan.steps.count
        statistics.macs = totals.macs
        statistics.mappingEfficiency = totals.mappingEfficiency
        statistics.engines = scheduler.engineStatistics
        statistics.computeUnits = scheduler.unitStatistics
        statistics.dramTraffic = totals.dramTraffic
        statistics.dramPayloadBytes = totals.dramPayloadBytes
        statistics.sram = totals.sram
        statistics.vectorOperations = totals.vectorOperations
        statistics.energy = totals.energy(config)
        statistics.dramRows = scheduler.dramRows
        if scheduler.cycles > 0 {
            statistics.averageDRAMBandwidthGBps = Double(totals.dramTraffic.total) * config.clockGHz / Double(scheduler.cycles)
            let window = min(Statistics.peakBandwidthWindowCycles, scheduler.cycles)
            statistics.peakDRAMBandwidthGBps = peakBandwidth(scheduler.reservations, window: window)
        }
        statistics.layers = plan.layerIDs.indices.map { index in
            let counters = plan.layerCounters[index]
            var layer = LayerStatistics(id: plan.layerIDs[index])
            layer.instructions = counters.instructions
            layer.firstStart = scheduler.layerFirstStart[index]
            layer.lastEnd = scheduler.layerLastEnd[index]
            layer.macs = counters.macs
            layer.mappingEfficiency = counters.mappingEfficiency
            layer.dramTraffic = counters.dramTraffic
            layer.sram = counters.sram
            layer.vectorOperations = counters.vectorOperations
            layer.busyCycles = scheduler.layerBusy[index]
            layer.computeUnitBusyCycles = scheduler.layerUnitBusy[index]
            layer.stalls = scheduler.layerStalls[index]
            layer.energy = counters.energy(config)
            return layer
        }
        return statistics
    }
}
