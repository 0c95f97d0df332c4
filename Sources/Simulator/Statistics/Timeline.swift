import ISA

/// When every fetched instruction ran: a compact record (30 bytes per instruction) for traces,
/// with the DRAM channel's uses (`channelUses`).
///
/// Entries are in program order, one per fetched instruction (through `halt`). `layer` markers
/// and `halt` have no engine; their start and end are their dispatch cycle.
public struct Timeline: RandomAccessCollection, Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// Index of the instruction in the program.
        public var index: Int
        /// The engine that executed it; `nil` for `layer` and `halt`.
        public var engine: Engine?
        /// The compute engine's unit that executed it; `nil` for a compute `nop` (it occupies both
        /// units) and for other engines. Slices of the two units may overlap in time.
        public var unit: ComputeUnit?
        /// Id of the layer it is attributed to (-1: before any marker).
        public var layer: Int
        /// Cycle at which the fetch unit placed it in its engine's queue.
        public var dispatch: Int
        /// Cycle at which it started and the cycle at which it completed. (The tokens a compute
        /// instruction pushes may become available later, when it retires; see `Scheduler`.)
        public var start: Int
        public var end: Int
    }

    /// One request's use of the DRAM: it moves `bytes` evenly over cycles `start ..< start +
    /// cycles` (after its latency; see `DRAMTiming`).
    public struct ChannelUse: Equatable, Sendable {
        public enum Requester: Equatable, Sendable {
            /// The `load` or `store` at this instruction index.
            case dma(instruction: Int)
            /// The fetch unit reading a group of instructions, starting at this index.
            case fetch(firstInstruction: Int)
        }
        public var requester: Requester
        public var start: Int
        public var cycles: Int
        public var bytes: Int
    }

    /// Total cycles of the run (`Statistics.cycles`).
    public internal(set) var cycles = 0

    /// The DRAM's uses in order of issue: with the simple model, the one channel's, disjoint and
    /// in order of start; with a bank model, one per request, possibly overlapping (channels
    /// and banks work in parallel).
    public var channelUses: [ChannelUse] {
        channel.map { ChannelUse(requester: $0.isFetch ? .fetch(firstInstruction: $0.instruction) : .dma(instruction: $0.instruction),
                                 start: $0.start, cycles: $0.cycles, bytes: $0.bytes) }
    }

    var channel: [ChannelReservation] = []
    var engines: [UInt8] = []
    /// `ComputeUnit.rawValue`, or `ExecutionPlan.Step.barrier` (no unit).
    var units: [UInt8] = []
    var layerIndices: [Int32] = []
    var layerIDs: [Int] = []
    var dispatches: [Int] = []
    var starts: [Int] = []
    var ends: [Int] = []

    static let noEngine = UInt8.max

    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count }

    public subscript(position: Int) -> Entry {
        let engine = engines[position]
        let unit = engine == UInt8(Engine.compute.rawValue) ? ComputeUnit(rawValue: Int(units[position])) : nil
        return Entry(index: position, engine: engine == Self.noEngine ? nil : Engine(rawValue: Int(engine)), unit: unit,
                     layer: layerIDs[Int(layerIndices[position])], dispatch: dispatches[position],
                     start: starts[position], end: ends[position])
    }
}
