import ISA
import Simulator

/// The slices of one segment's engine and DRAM tracks (`DeviceTrace`), at one detail.
struct SegmentSlices {
    typealias Track = DeviceTrace.Track

    let segment: DeviceTrace.Segment
    let detail: TraceDetail
    /// The segment's number (from 1) when the trace has several, shown in every slice's args.
    let segmentNumber: Int?
    private(set) var tracks: [Track: [TraceEvent]] = [:]

    /// `.layers`: the run of one layer's slices being gathered on each track.
    private var runs: [Track: Run] = [:]
    private var layerNameCache: [Int: String] = [:]

    private struct Run {
        var layer: Int
        var start: Int
        var end: Int
        var count = 0
        var busy = 0
        var dramBytes = 0
    }

    init(segment: DeviceTrace.Segment, detail: TraceDetail, segmentNumber: Int?) {
        self.segment = segment
        self.detail = detail
        self.segmentNumber = segmentNumber
    }

    mutating func build() {
        let timeline = segment.timeline, instructions = segment.program.instructions
        let uses = timeline.channelUses
        var dramBytes = [Int](repeating: 0, count: timeline.count)
        for use in uses { if case .dma(let index) = use.requester { dramBytes[index] += use.bytes } }
        for entry in timeline {
            guard let engine = entry.engine else { continue }
            let onTracks: [Track] = switch engine {
            case .load: [.load]
            case .store: [.store]
            case .compute: entry.unit.map { $0 == .matrix ? [.array] : [.vector] } ?? [.array, .vector]
            }
            var args: [(key: String, value: TraceEvent.Value)] = []
            if detail == .instructions {
                switch instructions[entry.index].operation {
                case .load(let transfer), .store(let transfer):
                    args = [("buffer", .string(transfer.buffer.description)), ("dram_bytes", .int(dramBytes[entry.index]))]
                default:
                    break
                }
            }
            for track in onTracks {
                add(track, name: instructions[entry.index].spec.mnemonic, index: entry.index, layer: entry.layer,
                    start: entry.start, end: entry.end, dramBytes: dramBytes[entry.index], args: args)
            }
        }
        for use in uses {
            let name: String, index: Int
            switch use.requester {
            case .fetch(let first):
                (name, index) = ("fetch", first)
            case .dma(let instruction):
                index = instruction
                switch instructions[instruction].operation {
                case .load(let transfer): name = "load \(transfer.buffer)"
                case .store(let transfer): name = "store \(transfer.buffer)"
                default: name = instructions[instruction].spec.mnemonic
                }
            }
            add(.dram, name: name, index: index, layer: timeline[index].layer, start: use.start, end: use.start + use.cycles,
                dramBytes: use.bytes, args: [("bytes", .int(use.bytes))])
        }
        for track in Track.allCases { flush(track) }
    }

    /// One instruction (or channel request) on `track`: its slice, or part of its layer's run.
    private mutating func add(_ track: Track, name: String, index: Int, layer: Int, start: Int, end: Int, dramBytes: Int,
                              args: [(key: String, value: TraceEvent.Value)]) {
        guard detail == .layers else {
            slice(track, name: name, start: start, end: end,
                  args: [("index", .int(index)), ("layer", .string(layerName(layer)))] + args)
            return
        }
        if let run = runs[track], run.layer != layer { flush(track) }
        var run = runs[track] ?? Run(layer: layer, start: start, end: end)
        run.end = max(run.end, end)
        run.count += 1
        run.busy += end - start
        run.dramBytes += dramBytes
        runs[track] = run
    }

    private mutating func flush(_ track: Track) {
        guard let run = runs.removeValue(forKey: track) else { return }
        var args: [(key: String, value: TraceEvent.Value)] = [
            (track == .dram ? "requests" : "instructions", .int(run.count)), ("busy_cycles", .int(run.busy)),
        ]
        if [.load, .store, .dram].contains(track) { args.append(("dram_bytes", .int(run.dramBytes))) }
        slice(track, name: layerName(run.layer), start: run.start, end: run.end, args: args)
    }

    private mutating func slice(_ track: Track, name: String, start: Int, end: Int, args: [(key: String, value: TraceEvent.Value)]) {
        var args = args
        if let segmentNumber { args.append(("segment", .int(segmentNumber))) }
        tracks[track, default: []].append(TraceEvent(.complete, name: name, process: DeviceTrace.process, thread: track.rawValue,
                                                     start: segment.startCycle + start, cycles: end - start, args: args))
    }

    private mutating func layerName(_ id: Int) -> String {
        if let name = layerNameCache[id] { return name }
        let name = segment.layerNames[id] ?? (id < 0 ? "(before any layer)" : "layer \(id)")
        layerNameCache[id] = name
        return name
    }
}
