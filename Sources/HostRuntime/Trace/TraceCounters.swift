import ISA
import Simulator

/// The counter tracks of a `DeviceTrace`, sampled over fixed intervals of the run:
/// - `DRAM bandwidth (GB/s)`: series `read` (loads and instruction fetches) and `write`
///   (stores), each request's bytes spread evenly over the cycles it occupies the channel (as
///   `Statistics.peakDRAMBandwidthGBps` counts them), summed per interval and divided by its time;
/// - `NBin bytes`, `SB bytes`, `NBout bytes`: the most bytes live in the buffer at any moment of
///   the interval, by `BufferOccupancy`'s estimate.
/// The interval is `totalCycles / samples` rounded up (at least one cycle), so a trace holds
/// about `samples` values per series whatever the run's length; each series ends with a sample
/// of 0 at the run's end.
struct TraceCounters {
    /// Samples per series.
    static let samples = 2000

    let totalCycles: Int
    let clockGHz: Double
    /// Cycles per sample.
    let interval: Int
    private var readBytes: [Double]
    private var writeBytes: [Double]
    /// Per buffer (`BufferID.rawValue`): (cycle, change in live bytes).
    private var occupancyChanges: [[(cycle: Int, bytes: Int)]] = [[], [], []]

    init(totalCycles: Int, clockGHz: Double) {
        self.totalCycles = totalCycles
        self.clockGHz = clockGHz
        interval = max(1, (totalCycles + Self.samples - 1) / Self.samples)
        let count = (totalCycles + interval - 1) / interval
        readBytes = Array(repeating: 0, count: count)
        writeBytes = Array(repeating: 0, count: count)
    }

    /// Adds a segment's channel requests and buffer occupancy.
    mutating func add(_ segment: DeviceTrace.Segment, config: HardwareConfig) {
        let instructions = segment.program.instructions
        for use in segment.timeline.channelUses where use.cycles > 0 {
            let start = segment.startCycle + use.start
            if case .dma(let index) = use.requester, case .store = instructions[index].operation {
                Self.spread(use.bytes, from: start, cycles: use.cycles, interval: interval, into: &writeBytes)
            } else {
                Self.spread(use.bytes, from: start, cycles: use.cycles, interval: interval, into: &readBytes)
            }
        }
        for block in BufferOccupancy(program: segment.program, timeline: segment.timeline, config: config).blocks
        where block.end > block.start {
            occupancyChanges[block.buffer.rawValue].append((segment.startCycle + block.start, block.bytes))
            occupancyChanges[block.buffer.rawValue].append((segment.startCycle + block.end, -block.bytes))
        }
    }

    /// Adds `bytes` moved evenly over `cycles` cycles from `start` to the intervals (of `interval`
    /// cycles) they overlap.
    private static func spread(_ bytes: Int, from start: Int, cycles: Int, interval: Int, into sums: inout [Double]) {
        let perCycle = Double(bytes) / Double(cycles), end = start + cycles
        var bucket = start / interval
        while bucket < sums.count && bucket * interval < end {
            let overlap = min(end, (bucket + 1) * interval) - max(start, bucket * interval)
            sums[bucket] += perCycle * Double(overlap)
            bucket += 1
        }
    }

    /// The counter events, series by series in time order; a sample equal to the one before it
    /// is left out (a counter holds its value until the next sample).
    func events() -> [TraceEvent] {
        var events: [TraceEvent] = []
        let gigabytesPerSecond = clockGHz / Double(interval)   // bytes per interval -> GB/s
        func append(_ name: String, _ samples: [[(key: String, value: TraceEvent.Value)]], end: [(key: String, value: TraceEvent.Value)]) {
            var previous: [TraceEvent.Value]?
            for (bucket, series) in samples.enumerated() where series.map(\.value) != previous {
                events.append(TraceEvent(.counter, name: name, process: DeviceTrace.process, start: bucket * interval, args: series))
                previous = series.map(\.value)
            }
            events.append(TraceEvent(.counter, name: name, process: DeviceTrace.process, start: totalCycles, args: end))
        }
        append("DRAM bandwidth (GB/s)", readBytes.indices.map { bucket in
            [("read", .double(readBytes[bucket] * gigabytesPerSecond)), ("write", .double(writeBytes[bucket] * gigabytesPerSecond))]
        }, end: [("read", .double(0)), ("write", .double(0))])
        for buffer in BufferID.allCases {
            append("\(buffer.displayName) bytes", peaks(occupancyChanges[buffer.rawValue]).map { [("live", .int($0))] },
                   end: [("live", .int(0))])
        }
        return events
    }

    /// The highest level in each interval of the step function the changes describe (changes at
    /// one cycle apply together: a block ending where another starts does not add to it).
    private func peaks(_ changes: [(cycle: Int, bytes: Int)]) -> [Int] {
        let sorted = changes.sorted { $0.cycle < $1.cycle }
        var peaks = [Int](repeating: 0, count: readBytes.count)
        var level = 0, next = 0
        for bucket in peaks.indices {
            // The level carried in counts unless it changes at the interval's first cycle.
            var peak = next < sorted.count && sorted[next].cycle == bucket * interval ? 0 : level
            let end = (bucket + 1) * interval
            while next < sorted.count && sorted[next].cycle < end {
                level += sorted[next].bytes
                next += 1
                // Changes at one cycle apply together: only the level after the last counts.
                if next == sorted.count || sorted[next].cycle != sorted[next - 1].cycle { peak = max(peak, level) }
            }
            peaks[bucket] = peak
        }
        return peaks
    }

    private func counter(_ name: String, at cycle: Int, _ series: [(key: String, value: TraceEvent.Value)]) -> TraceEvent {
        TraceEvent(.counter, name: name, process: DeviceTrace.process, start: cycle, args: series)
    }
}
