import ISA

/// Everything a run measured. All cycle counts are in clock cycles of the simulated machine;
/// bytes are bytes; energies are picojoules.
public struct Statistics: Codable, Equatable, Sendable {
    /// The window over which `peakDRAMBandwidthGBps` is measured, in cycles (1 µs at 1 GHz):
    /// long enough to average over bursts, short enough to show a layer's load phase.
    public static let peakBandwidthWindowCycles = 1000

    /// Total cycles: completion of the last instruction.
    public var cycles = 0
    public var clockGHz = 1.0
    /// Array size, for utilization.
    public var arrayRows = 1
    public var arrayCols = 1
    /// Instructions fetched (through `halt`, including `layer` markers and `halt`).
    public var instructionCount = 0
    /// Useful multiply-accumulates: the sum of `MatrixTile.macs`.
    public var macs = 0
    /// MAC-weighted average of the matmuls' `SystolicTiming.mappingEfficiency` (0 without matmuls).
    public var mappingEfficiency = 0.0
    /// Per engine, in `Engine` order (load, compute, store).
    public var engines: [EngineStatistics] = Engine.allCases.map { EngineStatistics(engine: $0) }
    /// Per functional unit of the compute engine, in `ComputeUnit` order (matrix, vector).
    public var computeUnits: [FunctionalUnitStatistics] = ComputeUnit.allCases.map { FunctionalUnitStatistics(unit: $0) }
    /// DRAM traffic by class.
    public var dramTraffic = DRAMTraffic()
    /// Bytes the DMAs asked for (before rounding to bursts), loads and stores.
    public var dramPayloadBytes = 0
    /// On-chip buffer accesses.
    public var sram = SRAMTraffic()
    /// Vector-unit element operations (vector instructions and pooling).
    public var vectorOperations = 0
    /// DRAM traffic / run time: `bytes * clockGHz / cycles` (bytes per ns = GB/s).
    public var averageDRAMBandwidthGBps = 0.0
    /// The most DRAM traffic moved in any window of `peakBandwidthWindowCycles` cycles (or of the
    /// whole run, if shorter), in GB/s. Each request's bytes are spread evenly over the cycles it
    /// occupies the channel, so this is at most the channel's bandwidth.
    public var peakDRAMBandwidthGBps = 0.0
    public var energy = EnergyBreakdown()
    /// Row-buffer hits, misses and conflicts of every DRAM burst (bank models only).
    public var dramRows = DRAMRowStatistics()
    /// The most bytes of NBin, SB and NBout (`BufferID` order) holding live data at once: double
    /// buffering's occupancy, from the run's timeline (`BufferOccupancy`, a working-set estimate).
    public var bufferPeakBytes = [0, 0, 0]
    /// Per layer, in order of first appearance; instructions before any `layer` marker form layer -1.
    public var layers: [LayerStatistics] = []

    public init() {}

    /// Useful MACs / (cycles * rows * cols); 0 for an empty run.
    public var utilization: Double {
        cycles == 0 ? 0 : Double(macs) / (Double(cycles) * Double(arrayRows) * Double(arrayCols))
    }
    public var dramBytesRead: Int { dramTraffic.bytesRead }
    public var dramBytesWritten: Int { dramTraffic.bytesWritten }
    /// Run time in microseconds at `clockGHz`.
    public var microseconds: Double { Double(cycles) / clockGHz / 1000 }

    /// Every engine's stalls added up, by cause.
    public var stalls: StallCycles { engines.reduce(into: StallCycles()) { $0 += $1.stalls } }

    public subscript(_ engine: Engine) -> EngineStatistics { engines[engine.rawValue] }
    public subscript(_ unit: ComputeUnit) -> FunctionalUnitStatistics { computeUnits[unit.rawValue] }
}

/// Cycles an engine spent busy and stalled. For each engine,
/// `busy + stalls.total == Statistics.cycles`.
public struct EngineStatistics: Codable, Equatable, Sendable {
    public var engine: Engine
    /// Instructions it executed.
    public var instructions = 0
    /// Cycles executing instructions (a DMA: its buffer-port cycles; its DRAM latency and
    /// bandwidth waits are stalls, see `StallCycles`). For the compute engine: cycles in which at least one of its units is busy (the
    /// union of its instructions' [start, end) spans, which overlap when both units work).
    public var busyCycles = 0
    public var stalls = StallCycles()

    public init(engine: Engine) { self.engine = engine }
}

/// Cycles one functional unit of the compute engine spent busy, and how long its instructions
/// waited for the other unit.
public struct FunctionalUnitStatistics: Codable, Equatable, Sendable {
    public var unit: ComputeUnit
    /// Instructions it executed (a compute `nop` occupies both units and counts for neither).
    public var instructions = 0
    /// Cycles executing instructions, plus the cycle of every compute `nop` (a barrier occupying
    /// both units). The engine's `busyCycles` is at least the larger of the two units' and at most
    /// their sum; it equals the sum when the units never overlap.
    public var busyCycles = 0
    /// Cycles its instructions started later than every other condition allowed because a
    /// conflicting earlier instruction on the other unit had not completed (scoreboard hazards:
    /// read-after-write, write-after-read, write-after-write on a buffer's bytes). The other
    /// unit is busy during these cycles.
    public var hazardCycles = 0

    public init(unit: ComputeUnit) { self.unit = unit }
}

/// Why an engine was not busy, by cause.
///
/// Between two of its instructions an engine waits first for the next one to be dispatched
/// (`dispatch`: the fetch unit has not delivered it yet, because of instruction fetch from DRAM,
/// a full queue of another engine ahead of it in program order, or because the program has no
/// work for this engine yet), then for its dependency tokens. A token from the engine before it
/// (`pop_prev`: load -> compute, compute -> store) says its input data is ready: `dependency`.
/// A token from the engine after it (`pop_next`: compute -> load, store -> compute) says the
/// buffer slot it is about to fill is free again, the consumer having finished with it (double
/// buffering in NBin / SB / NBout): `bufferFull`. When an instruction pops both, the wait goes
/// to the token that arrived last.
///
/// Inside a DMA, from its request to its completion: `dramLatency` is the time until the first
/// burst's data is ready in the DRAM (the fixed `latency_cycles` of the simple model; with a
/// bank model, CAS latency plus any activation, precharge or busy bank ahead of it). The DMA is
/// busy for its buffer-port cycles, what it would take with an unlimited DRAM; `dramBandwidth`
/// is the rest: waiting for the channel behind other requests, and moving the bytes at the
/// DRAM's rate where that is slower than the port (with a bank model also row switches inside
/// the request). So a slower DRAM shows up as DRAM bandwidth stalls of the DMA engines (and as
/// dependency stalls of the engines waiting for their data). `idle` is the time after its last instruction until the run ends.
///
/// The compute engine is stalled only while both of its units are idle. Every earlier compute
/// instruction has then completed, so neither unit occupancy, in-order issue nor a hazard can
/// be what holds the next instruction: such a gap is `dispatch` up to the instruction's
/// dispatch, and tokens after it, as for the other engines. Waits on the other unit (hazards,
/// `FunctionalUnitStatistics.hazardCycles`) always overlap that unit's busy cycles, so they are
/// busy cycles of the engine, not stalls.
public struct StallCycles: Codable, Equatable, Sendable {
    public var dependency = 0
    public var bufferFull = 0
    public var dramLatency = 0
    public var dramBandwidth = 0
    public var dispatch = 0
    public var idle = 0

    public init() {}

    /// Waits on dependency tokens of either kind: `dependency + bufferFull`.
    public var token: Int { dependency + bufferFull }
    public var total: Int { dependency + bufferFull + dramLatency + dramBandwidth + dispatch + idle }

    public static func += (lhs: inout StallCycles, rhs: StallCycles) {
        lhs.dependency += rhs.dependency
        lhs.bufferFull += rhs.bufferFull
        lhs.dramLatency += rhs.dramLatency
        lhs.dramBandwidth += rhs.dramBandwidth
        lhs.dispatch += rhs.dispatch
        lhs.idle += rhs.idle
    }
}

/// Statistics of the instructions attributed to one layer (a `layer id` marker attributes every
/// following instruction, in program order, to `id`).
public struct LayerStatistics: Codable, Equatable, Sendable {
    /// The marker's id; -1 for instructions before any marker.
    public var id: Int
    /// Instructions attributed to it (engine instructions and markers).
    public var instructions = 0
    /// First start and last completion of its engine instructions, in cycles.
    public var firstStart = 0
    public var lastEnd = 0
    public var macs = 0
    public var mappingEfficiency = 0.0
    /// DRAM traffic of its DMAs, plus the fetch of the instructions attributed to it (each
    /// fetch group is attributed to the layer of its first instruction).
    public var dramTraffic = DRAMTraffic()
    public var sram = SRAMTraffic()
    public var vectorOperations = 0
    /// Busy cycles per engine, in `Engine` order (compute: cycles in which at least one of its units
    /// is busy, each attributed to the layer of the instruction that first made the engine busy in it).
    public var busyCycles = [0, 0, 0]
    /// Busy cycles per unit of the compute engine, in `ComputeUnit` order (see `FunctionalUnitStatistics`).
    public var computeUnitBusyCycles = [0, 0]
    /// Stall cycles per engine, in `Engine` order, attributed to the layer of the instruction
    /// that waited (`StallCycles`; `idle`, the time after an engine's last instruction, belongs
    /// to no layer and stays 0).
    public var stalls = [StallCycles(), StallCycles(), StallCycles()]
    public var energy = EnergyBreakdown()

    public init(id: Int) { self.id = id }

    /// The layer's span: `lastEnd - firstStart`.
    public var cycles: Int { lastEnd - firstStart }
    public var dramBytesRead: Int { dramTraffic.bytesRead }
    public var dramBytesWritten: Int { dramTraffic.bytesWritten }
}
