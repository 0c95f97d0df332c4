import ISA
import Simulator

/// A device run as a Chrome trace (`ChromeTrace`): one program, or a network's device segments
/// one after another with the host operations between them.
///
/// One process, "NPU (config)", with a track (thread) per engine and unit: `load`,
/// `compute: array` (the matrix unit), `compute: vector` (the vector unit; a compute `nop`
/// occupies both units and appears on both), `store`, `DRAM` (the channel's requests: DMA
/// transfers and instruction fetches, each over the cycles its data moves) and `host` (host
/// operations, as moments between segments: device time stops while the host computes, so they
/// take no trace time; their wall time is in their args). Segments follow each other on one time
/// axis, as `Statistics.sequence` counts them. With `TraceDetail.instructions` a slice is one
/// instruction, named by its mnemonic, with args `index` (in its program), `layer`, and for
/// DMAs `buffer` and `dram_bytes`; with `.layers` a slice is a run of one layer's instructions
/// (`TraceDetail`). Where a track does several things at once, its overlapping slices go to
/// extra tracks (`lanes`). Counters (`TraceCounters`): DRAM bandwidth and the buffers' occupancy.
public struct DeviceTrace: Sendable {
    /// One program's run.
    public struct Segment: Sendable {
        public var program: Program
        public var timeline: Timeline
        /// Where the run starts on the trace's time axis, in cycles.
        public var startCycle: Int
        /// Layer names by the program's layer id (an id without one shows as `layer N`).
        public var layerNames: [Int: String]

        /// `layerNames` `nil`: the program's own (`Program.layerNames`, its `.layer` directives).
        public init(program: Program, timeline: Timeline, startCycle: Int = 0, layerNames: [Int: String]? = nil) {
            self.program = program
            self.timeline = timeline
            self.startCycle = startCycle
            self.layerNames = layerNames ?? Dictionary(uniqueKeysWithValues: program.layerNames.enumerated().map { ($0.offset, $0.element) })
        }
    }

    /// A host operation, at the cycle where it runs between segments.
    public struct HostOperation: Sendable {
        public var name: String
        public var op: String
        public var cycle: Int
        /// Its wall time, if it ran (timing-only runs skip host operations).
        public var seconds: Double?

        public init(name: String, op: String, cycle: Int, seconds: Double?) {
            self.name = name
            self.op = op
            self.cycle = cycle
            self.seconds = seconds
        }
    }

    /// The trace's tracks, as thread ids of its one process.
    public enum Track: Int, CaseIterable, Sendable {
        case load = 1, array, vector, store, dram, host

        public var name: String {
            switch self {
            case .load: "load"
            case .array: "compute: array"
            case .vector: "compute: vector"
            case .store: "store"
            case .dram: "DRAM"
            case .host: "host"
            }
        }
    }

    /// The process id of every event.
    public static let process = 1

    public var config: HardwareConfig
    public var segments: [Segment]
    public var hostOperations: [HostOperation]

    public init(config: HardwareConfig, segments: [Segment], hostOperations: [HostOperation] = []) {
        self.config = config
        self.segments = segments
        self.hostOperations = hostOperations
    }

    /// A track's extra lanes are threads `laneThreads * track + lane` (see `lanes`).
    static let laneThreads = 100

    /// A track's events split into lanes so that no lane's slices overlap: the first lane free
    /// at a slice's start takes it. Slices overlap only when a track does several things at
    /// once: DMAs in flight together (`dram.dma_requests` above 1) or a bank model's channels
    /// moving data in parallel; lanes after the first appear as tracks `load (2)`, `DRAM (2)`, ...
    /// A track without slices keeps its one (empty) lane, so every track is named.
    static func lanes(_ events: [TraceEvent]) -> [[TraceEvent]] {
        var lanes: [[TraceEvent]] = [[]], laneEnds = [Int.min]
        for event in events.sorted(by: { $0.start < $1.start }) {
            let end = event.start + event.cycles
            if let lane = laneEnds.firstIndex(where: { $0 <= event.start }) {
                lanes[lane].append(event)
                laneEnds[lane] = end
            } else {
                lanes.append([event])
                laneEnds.append(end)
            }
        }
        return lanes
    }

    /// Fetched instructions of all segments (what `TraceDetail.automatic` decides on).
    public var instructionCount: Int { segments.reduce(0) { $0 + $1.timeline.count } }

    /// The trace at `detail` (default: `TraceDetail.automatic`); `metadata` goes to `otherData`
    /// after the trace's own entries (config, clock, cycles, instructions, detail, counter interval).
    public func trace(detail: TraceDetail? = nil, metadata: [(key: String, value: TraceEvent.Value)] = []) -> ChromeTrace {
        let detail = detail ?? TraceDetail.automatic(instructionCount: instructionCount)
        let totalCycles = segments.map { $0.startCycle + $0.timeline.cycles }.max() ?? 0
        var counters = TraceCounters(totalCycles: totalCycles, clockGHz: config.clockGHz)
        var tracks = Dictionary(uniqueKeysWithValues: Track.allCases.map { ($0, [TraceEvent]()) })
        let numbered = segments.count > 1
        for (number, segment) in segments.enumerated() {
            var builder = SegmentSlices(segment: segment, detail: detail, segmentNumber: numbered ? number + 1 : nil)
            builder.build()
            for (track, events) in builder.tracks { tracks[track, default: []] += events }
            counters.add(segment, config: config)
        }
        tracks[.host] = hostOperations.map { operation in
            TraceEvent(.instant, name: operation.name, process: Self.process, thread: Track.host.rawValue, start: operation.cycle,
                       args: [("op", .string(operation.op)),
                              ("wall_ms", operation.seconds.map { .double($0 * 1e3) } ?? .string("not run (timing-only)"))])
        }
        var events = [TraceEvent(.metadata, name: "process_name", process: Self.process,
                                 args: [("name", .string("NPU (\(config.name))"))])]
        var slices: [TraceEvent] = []
        for track in Track.allCases {
            for (lane, laneSlices) in Self.lanes(tracks[track] ?? []).enumerated() {
                let thread = lane == 0 ? track.rawValue : track.rawValue * Self.laneThreads + lane
                let name = lane == 0 ? track.name : "\(track.name) (\(lane + 1))"
                events.append(TraceEvent(.metadata, name: "thread_name", process: Self.process, thread: thread, args: [("name", .string(name))]))
                events.append(TraceEvent(.metadata, name: "thread_sort_index", process: Self.process, thread: thread,
                                         args: [("sort_index", .int(track.rawValue * Self.laneThreads + lane))]))
                slices += laneSlices.map { slice in
                    var slice = slice
                    slice.thread = thread
                    return slice
                }
            }
        }
        events += slices
        events += counters.events()
        let own: [(key: String, value: TraceEvent.Value)] = [
            ("config", .string(config.name)), ("clock_ghz", .double(config.clockGHz)), ("cycles", .int(totalCycles)),
            ("instructions", .int(instructionCount)),
            ("detail", .string(detail.rawValue)), ("counter_interval_cycles", .int(counters.interval)),
        ]
        return ChromeTrace(events: events, clockGHz: config.clockGHz, metadata: own + metadata)
    }
}
