import ISA

/// The event-driven schedule of the fetch unit, the three engines and the shared DRAM channel.
///
/// Actions, each taken at the earliest cycle at which it is possible:
/// - **fetch**: the fetch unit requests the next group of instructions from DRAM (see
///   `ExecutionPlan.fetchGroupSize`) as soon as its prefetch buffer (`prefetchBufferBytes`) has
///   room for it; requests are issued in order and pipeline through the channel.
/// - **dispatch**: the next instruction in program order moves from the prefetch buffer to its
///   engine's queue once its group has arrived and the queue has a free slot (a slot frees when
///   the instruction `queueDepth` places earlier in that queue starts). Dispatch is in order, so
///   a full queue stalls every later instruction; it takes no cycles. `layer` and `halt` are
///   consumed here.
/// - **start**: an engine starts its queue's head once it is dispatched, the engine has
///   completed its previous instruction (the compute engine: see below; the load and store
///   engines with `dram.dma_requests` N > 1: has started its previous one and completed the one
///   N places back, completions staying in order), and the tokens it pops are available (VTA semantics:
///   `pop_prev` / `pop_next` consume a token from the FIFO of the previous / next engine;
///   `push_prev` / `push_next` push one that is available at completion). Its completion time is
///   computed at once (compute: fixed cost; DMA: `DRAMTiming` channel reservation or the bank
///   model's bursts, then the buffer port), and in functional mode its data effect happens here.
///
/// The compute engine issues in order to two functional units (`ComputeUnit`) that run side by
/// side, as DianNao's NFU stages and TPU v1's matrix unit and activation pipeline do. Its
/// control is a scoreboard after the CDC 6600's (Thornton, 1964): issue in order, units that
/// complete out of order, and an instruction held at issue while a conflicting one runs (simpler
/// than the 6600, which issues and then waits for its operands); tokens retire in order, as
/// results do through a reorder buffer (Smith and Pleszkun, ISCA 1985). Instead of "completed
/// its previous instruction", the head starts at the earliest cycle at which all of these hold
/// (besides dispatch and tokens):
/// - **in-order issue**: the previous compute instruction has started;
/// - **unit occupancy**: the previous instruction on the same unit has completed (a unit is not
///   pipelined across instructions; its cost already covers its internal pipeline);
/// - **hazards**: every earlier instruction on the other unit whose buffer accesses conflict
///   with this one's (`BufferAccesses`: one writes bytes the other reads or writes) has
///   completed. Only the other unit's latest instruction can still be running at the issue
///   point (its earlier ones completed before it started, which is no later than the previous
///   issue), so the check is one comparison of spans;
/// - **barrier**: a compute `nop` starts when every earlier compute instruction has completed
///   and occupies both units, so the next instruction starts after it.
/// Data effects still happen at start, in program order; since conflicting instructions never
/// overlap, every instruction sees the buffers as a sequential compute engine would leave them.
/// **In-order retirement**: the tokens a compute instruction pushes become available when it
/// retires, at `max(completion, retirement of the previous compute instruction)`, so a program
/// written for a sequential compute engine stays safe: a vector op that finishes before an
/// earlier matmul cannot release a buffer that the matmul still reads. Pops happen at start.
///
/// **DRAM**: with the simple model (`dram.model` "simple") a request reserves the one channel
/// (`reserveChannel`); with a bank model every request, DMA or fetch, goes through the shared
/// `DRAMDevice`, which times each burst against its bank's row buffer and its channel's bus.
/// The instruction stream then sits at `instructionBase`, the top of DRAM.
///
/// Actions are taken in order of their cycle (ties: engine starts in engine order, then
/// dispatch, then fetch), so DRAM requests reach the channel in the order they are issued. An
/// action only ever waits for events already scheduled, and every new event lies at or after the
/// current cycle, so the order is consistent and the schedule is deterministic. If no action
/// is possible while work remains, the program is deadlocked.
struct Scheduler {
    /// The fetch unit's prefetch buffer: 16 instructions (VTA's fetch module streams
    /// instructions into its queues through a small buffer; the size is our choice).
    static let prefetchBufferBytes = 512

    private let plan: ExecutionPlan
    private let queueDepth: Int
    private let dramLatency: Int
    private let count: Int

    // Fetch unit.
    private let groupSize: Int
    private let groupsInBuffer: Int
    private var nextGroup = 0
    private var lastFetchIssue = 0
    private var groupArrival: [Int]
    private var nextDispatch = 0
    private var lastDispatch = 0

    // Engines: each queue lists its instructions in program order.
    private var queues: [[Int32]] = [[], [], []]
    private var queuePosition: [Int32]
    private var started = [0, 0, 0]
    private var dispatched = [0, 0, 0]
    /// When each engine completed its latest instruction (compute: the latest completion on either unit).
    private var engineFree = [0, 0, 0]
    /// The load and store engines: requests in flight (`dram.dma_requests`), each instruction's
    /// completion in queue order, and the latest start.
    private let dmaRequests: Int
    private var completions: [[Int]] = [[], [], []]
    private var lastStart = [0, 0, 0]

    // The compute engine's units, indexed by `ComputeUnit.rawValue`.
    private static let computeEngine = Engine.compute.rawValue
    private let computeAccesses: [BufferAccesses]
    /// Completion of each unit's latest instruction.
    private var unitFree = [0, 0]
    /// Compute-queue position of each unit's latest instruction (-1: none, or a `nop` since).
    private var unitLatest = [-1, -1]
    private var lastComputeStart = 0
    private var lastComputeRetirement = 0
    /// `hazardBound(of:)` the compute queue's head, updated when a compute instruction starts
    /// (nothing else changes it), so the scheduler's repeated queries cost no span comparisons.
    private var headHazard = 0

    /// Token FIFOs, indexed by `tokenFIFO(from:to:)`: availability cycles, consumed from `tokenHead`.
    private var tokens: [[Int]] = [[], [], [], []]
    private var tokenHead = [0, 0, 0, 0]

    // DRAM: the simple model's channel, or the bank model.
    private var channelFree = 0
    private var device: DRAMDevice?
    /// Where the bank model finds the instruction stream: the highest address at which it fits
    /// that is a multiple of the device's full interleave (row x banks x channels), so that it
    /// starts a row of its own.
    private let instructionBase: Int
    /// Channel reservations in order of issue (simple model: disjoint and sorted; bank model:
    /// one per request, possibly overlapping).
    private(set) var reservations: [ChannelReservation] = []

    // Results.
    /// Total cycles: the last completion (0 for an empty program).
    private(set) var cycles = 0
    private(set) var timeline = Timeline()
    private(set) var engineStatistics = Engine.allCases.map { EngineStatistics(engine: $0) }
    private(set) var unitStatistics = ComputeUnit.allCases.map { FunctionalUnitStatistics(unit: $0) }
    /// Per layer: first start, last end, busy cycles per engine and per compute unit.
    private(set) var layerFirstStart: [Int]
    private(set) var layerLastEnd: [Int]
    private(set) var layerBusy: [[Int]]
    private(set) var layerUnitBusy: [[Int]]
    /// Per layer: the stalls of each engine before (and, for DMAs, inside) the layer's instructions.
    private(set) var layerStalls: [[StallCycles]]
    /// Per layer: dispatch cycle of its first marker (or `halt`).
    private var layerMarkerTime: [Int?]

    init(plan: ExecutionPlan, config: HardwareConfig) {
        self.plan = plan
        count = plan.steps.count
        let streamBytes = count * InstructionEncoding.instructionBytes
        if let standard = config.dram.standard {
            let device = DRAMDevice(standard: standard, channels: config.dram.channels, clockGHz: config.clockGHz)
            let interleave = standard.rowBytes * standard.banks * device.channels
            instructionBase = max(0, (config.dram.capacityBytes - streamBytes) / interleave * interleave)
            self.device = device
        } else {
            instructionBase = 0
        }
        queueDepth = config.queueDepth
        dmaRequests = config.dram.dmaRequests
        dramLatency = config.dram.latencyCycles
        groupSize = plan.fetchGroupSize
        groupsInBuffer = max(1, Self.prefetchBufferBytes / (groupSize * InstructionEncoding.instructionBytes))
        groupArrival = Array(repeating: 0, count: plan.fetchGroupBytes.count)
        computeAccesses = plan.computeAccesses
        queuePosition = Array(repeating: -1, count: count)
        for (index, step) in plan.steps.enumerated() where step.engine != Timeline.noEngine {
            queuePosition[index] = Int32(queues[Int(step.engine)].count)
            queues[Int(step.engine)].append(Int32(index))
        }
        timeline.engines = plan.steps.map(\.engine)
        timeline.units = plan.steps.map(\.unit)
        timeline.layerIndices = plan.steps.map(\.layer)
        timeline.layerIDs = plan.layerIDs
        timeline.dispatches = Array(repeating: 0, count: count)
        timeline.starts = Array(repeating: 0, count: count)
        timeline.ends = Array(repeating: 0, count: count)
        layerFirstStart = Array(repeating: Int.max, count: plan.layerIDs.count)
        layerLastEnd = Array(repeating: Int.min, count: plan.layerIDs.count)
        layerBusy = Array(repeating: [0, 0, 0], count: plan.layerIDs.count)
        layerUnitBusy = Array(repeating: [0, 0], count: plan.layerIDs.count)
        layerStalls = Array(repeating: Array(repeating: StallCycles(), count: 3), count: plan.layerIDs.count)
        layerMarkerTime = Array(repeating: nil, count: plan.layerIDs.count)
    }

    private enum Action { case start(Int), dispatch, fetch }

    /// Runs the schedule to completion; `execute` performs an instruction's data effect when it starts.
    mutating func run(instructions: [Instruction],
                      execute: (Int) throws(SimulationError) -> Void) throws(SimulationError) {
        while true {
            var best: (time: Int, action: Action)?
            for engine in 0..<3 {
                if let time = startTime(engine), time < best?.time ?? .max { best = (time, .start(engine)) }
            }
            if let time = dispatchTime(), time < best?.time ?? .max { best = (time, .dispatch) }
            if let time = fetchTime(), time < best?.time ?? .max { best = (time, .fetch) }
            guard let (time, action) = best else {
                if nextDispatch == count && (0..<3).allSatisfy({ started[$0] == queues[$0].count }) { break }
                throw deadlock(instructions)
            }
            switch action {
            case .fetch: issueFetch(at: time)
            case .dispatch: dispatch(at: time)
            case .start(let engine):
                let index = Int(queues[engine][started[engine]])
                try execute(index)
                start(engine, at: time)
            }
        }
        finish()
    }

    // MARK: - Fetch and dispatch

    /// When the next fetch group can be requested: after the previous request, once the group
    /// `groupsInBuffer` earlier has been dispatched entirely (its buffer space is free).
    private func fetchTime() -> Int? {
        guard nextGroup < groupArrival.count else { return nil }
        let freed = nextGroup - groupsInBuffer
        guard freed >= 0 else { return lastFetchIssue }
        let lastOfFreed = min((freed + 1) * groupSize, count) - 1
        guard nextDispatch > lastOfFreed else { return nil }
        return max(lastFetchIssue, timeline.dispatches[lastOfFreed])
    }

    private mutating func issueFetch(at time: Int) {
        let bytes = plan.fetchGroupBytes[nextGroup], cycles = plan.fetchGroupCycles[nextGroup]
        let first = nextGroup * groupSize
        if device != nil {
            let instructionBytes = InstructionEncoding.instructionBytes
            let runs = DRAMRuns(base: instructionBase + first * instructionBytes, bytes: min(groupSize, count - first) * instructionBytes)
            groupArrival[nextGroup] = serveOnDevice(runs, at: time, bytes: bytes, for: first, fetch: true).end
        } else {
            groupArrival[nextGroup] = reserveChannel(at: time, cycles: cycles, bytes: bytes, for: first, fetch: true) + cycles
        }
        lastFetchIssue = time
        nextGroup += 1
    }

    /// When the next instruction can be dispatched: its group has arrived, the previous one is
    /// dispatched, and its queue has a free slot.
    private func dispatchTime() -> Int? {
        guard nextDispatch < count else { return nil }
        let group = nextDispatch / groupSize
        guard group < nextGroup else { return nil }
        var time = max(groupArrival[group], lastDispatch)
        let engine = Int(plan.steps[nextDispatch].engine)
        if engine != Int(Timeline.noEngine) {
            let slotOwner = Int(queuePosition[nextDispatch]) - queueDepth
            if slotOwner >= 0 {
                guard started[engine] > slotOwner else { return nil }
                time = max(time, timeline.starts[Int(queues[engine][slotOwner])])
            }
        }
        return time
    }

    private mutating func dispatch(at time: Int) {
        let index = nextDispatch
        timeline.dispatches[index] = time
        timeline.starts[index] = time
        timeline.ends[index] = time
        let step = plan.steps[index]
        if step.engine != Timeline.noEngine {
            dispatched[Int(step.engine)] += 1
        } else if layerMarkerTime[Int(step.layer)] == nil {
            layerMarkerTime[Int(step.layer)] = time
        }
        lastDispatch = time
        nextDispatch += 1
    }

    // MARK: - Engines

    private static func tokenFIFO(from source: Int, to destination: Int) -> Int {
        switch (source, destination) {
        case (0, 1): 0  // load -> compute
        case (1, 0): 1  // compute -> load
        case (1, 2): 2  // compute -> store
        default: 3  // store -> compute
        }
    }

    private static let popFlags: [DependencyFlags] = [.popPrevious, .popNext]

    private func flags(_ index: Int) -> DependencyFlags { DependencyFlags(rawValue: Int(plan.steps[index].dependencies)) }

    /// The FIFO instruction `index` on `engine` pops from for `flag` (`.popPrevious` or
    /// `.popNext`), if it carries the flag. `InstructionCheck` guarantees that the neighbour exists.
    private func poppedFIFO(_ flag: DependencyFlags, _ engine: Int, _ index: Int) -> Int? {
        guard flags(index).contains(flag) else { return nil }
        return Self.tokenFIFO(from: flag == .popPrevious ? engine - 1 : engine + 1, to: engine)
    }

    /// When `engine` can start its head: `readyTime`, and for the compute engine its hazard bound.
    private func startTime(_ engine: Int) -> Int? {
        guard let ready = readyTime(engine) else { return nil }
        return engine == Self.computeEngine ? max(ready, headHazard) : ready
    }

    /// When `engine`'s head is dispatched, its tokens are available, and the engine (compute:
    /// the issue stage and the instruction's unit, or both units for a `nop`) can take it.
    private func readyTime(_ engine: Int) -> Int? {
        let position = started[engine]
        guard position < dispatched[engine] else { return nil }
        let index = Int(queues[engine][position])
        var time = timeline.dispatches[index]
        if engine == Self.computeEngine {
            let unit = plan.steps[index].unit
            time = max(time, lastComputeStart, unit == ExecutionPlan.Step.barrier ? engineFree[engine] : unitFree[Int(unit)])
        } else {
            // In order, and at most `dmaRequests` in flight (1: after the previous one completes).
            let position = started[engine]
            time = max(time, lastStart[engine], position >= dmaRequests ? completions[engine][position - dmaRequests] : 0)
        }
        for flag in Self.popFlags {
            guard let fifo = poppedFIFO(flag, engine, index) else { continue }
            guard tokenHead[fifo] < tokens[fifo].count else { return nil }
            time = max(time, tokens[fifo][tokenHead[fifo]])
        }
        return time
    }

    /// The hazard bound of the compute instruction at `position` in the queue, once every earlier
    /// one has started: the completion of the other unit's latest instruction if their accesses
    /// conflict, else 0. (The other unit's earlier ones have completed; see the type's documentation.)
    private func hazardBound(of position: Int) -> Int {
        guard position < queues[Self.computeEngine].count else { return 0 }
        let unit = Int(plan.steps[Int(queues[Self.computeEngine][position])].unit)
        guard unit != Int(ExecutionPlan.Step.barrier) else { return 0 }
        let other = 1 - unit, latest = unitLatest[other]
        guard latest >= 0, computeAccesses[position].conflicts(with: computeAccesses[latest]) else { return 0 }
        return unitFree[other]
    }

    private mutating func start(_ engine: Int, at time: Int) {
        let index = Int(queues[engine][started[engine]])
        let step = plan.steps[index]
        if engine == Self.computeEngine {
            startCompute(index, step, at: time)
            return
        }

        // Every cycle up to the engine's latest completion is accounted for; a gap before this
        // start is a stall (none when the instruction starts while earlier DMAs are in flight).
        let accounted = engineFree[engine], dispatchedAt = timeline.dispatches[index]
        var statistics = engineStatistics[engine], stalls = StallCycles()
        stalls.dispatch = max(0, dispatchedAt - accounted)
        addTokenStall(time - max(accounted, dispatchedAt), engine, index, to: &stalls)
        for flag in Self.popFlags {
            if let fifo = poppedFIFO(flag, engine, index) { tokenHead[fifo] += 1 }
        }

        // Completions are in order (tokens and data follow the queue), so the instruction's new
        // cycles are `from ..< end`: its phases, DRAM latency, then DRAM bandwidth, then busy,
        // are counted where they fall in that span.
        var end = time + step.cycles
        var latency = 0, bandwidth = 0
        if step.isDMA {
            let transfer = transferTiming(step, index, at: time)
            (end, latency, bandwidth) = (transfer.end, transfer.latency, transfer.bandwidth)
        }
        end = max(end, accounted)
        let from = max(time, accounted)
        func newCycles(_ low: Int, _ high: Int) -> Int { max(0, min(high, end) - max(low, from)) }
        let latencyStall = newCycles(time, time + latency)
        let bandwidthStall = newCycles(time + latency, time + latency + bandwidth)
        let busy = end - from - latencyStall - bandwidthStall
        stalls.dramLatency = latencyStall
        stalls.dramBandwidth = bandwidthStall
        statistics.stalls += stalls
        statistics.busyCycles += busy
        statistics.instructions += 1
        engineStatistics[engine] = statistics

        let flags = flags(index)
        if flags.contains(.pushPrevious) { tokens[Self.tokenFIFO(from: engine, to: engine - 1)].append(end) }
        if flags.contains(.pushNext) { tokens[Self.tokenFIFO(from: engine, to: engine + 1)].append(end) }

        timeline.starts[index] = time
        timeline.ends[index] = end
        engineFree[engine] = end
        completions[engine].append(end)
        lastStart[engine] = time
        started[engine] += 1
        let layer = Int(step.layer)
        noteLayer(layer, start: time, end: end)
        layerBusy[layer][engine] += busy
        layerStalls[layer][engine] += stalls
    }

    /// Starts the compute engine's head at `time` (see the type's documentation for the rules).
    private mutating func startCompute(_ index: Int, _ step: ExecutionPlan.Step, at time: Int) {
        let engine = Self.computeEngine
        let hazardWait = time - readyTime(engine)!
        let end = time + step.cycles

        // The engine is busy while either unit is; it stalls only in a gap during which both are
        // idle, which only dispatch and tokens can cause (see `StallCycles`).
        let busyUntil = engineFree[engine], dispatchedAt = timeline.dispatches[index]
        var statistics = engineStatistics[engine], stalls = StallCycles()
        if time > busyUntil {
            stalls.dispatch = max(0, dispatchedAt - busyUntil)
            addTokenStall(time - max(busyUntil, dispatchedAt), engine, index, to: &stalls)
        }
        statistics.stalls += stalls
        for flag in Self.popFlags {
            if let fifo = poppedFIFO(flag, engine, index) { tokenHead[fifo] += 1 }
        }
        let newlyBusy = max(0, end - max(time, busyUntil))
        statistics.busyCycles += newlyBusy
        statistics.instructions += 1
        engineStatistics[engine] = statistics

        let layer = Int(step.layer)
        let position = started[engine]
        for unit in 0..<2 where step.unit == ExecutionPlan.Step.barrier || unit == Int(step.unit) {
            unitFree[unit] = end
            unitLatest[unit] = step.unit == ExecutionPlan.Step.barrier ? -1 : position
            unitStatistics[unit].busyCycles += end - time
            layerUnitBusy[layer][unit] += end - time
        }
        if step.unit != ExecutionPlan.Step.barrier {
            unitStatistics[Int(step.unit)].instructions += 1
            unitStatistics[Int(step.unit)].hazardCycles += hazardWait
        }

        // In-order retirement: pushed tokens wait for every earlier compute instruction.
        let retirement = max(end, lastComputeRetirement)
        let flags = flags(index)
        if flags.contains(.pushPrevious) { tokens[Self.tokenFIFO(from: engine, to: engine - 1)].append(retirement) }
        if flags.contains(.pushNext) { tokens[Self.tokenFIFO(from: engine, to: engine + 1)].append(retirement) }
        lastComputeRetirement = retirement
        lastComputeStart = time

        timeline.starts[index] = time
        timeline.ends[index] = end
        engineFree[engine] = max(busyUntil, end)
        started[engine] += 1
        headHazard = hazardBound(of: started[engine])
        noteLayer(layer, start: time, end: end)
        layerBusy[layer][engine] += newlyBusy
        layerStalls[layer][engine] += stalls
    }

    private mutating func noteLayer(_ layer: Int, start: Int, end: Int) {
        layerFirstStart[layer] = min(layerFirstStart[layer], start)
        layerLastEnd[layer] = max(layerLastEnd[layer], end)
    }

    /// Adds a wait of `cycles` for the tokens instruction `index` on `engine` pops, before they
    /// are consumed: to `bufferFull` if the binding token (the one available last) comes from the
    /// next engine (`pop_next`: a buffer slot freed), else to `dependency` (`pop_prev`: data ready).
    private func addTokenStall(_ cycles: Int, _ engine: Int, _ index: Int, to stalls: inout StallCycles) {
        guard cycles > 0 else { return }
        var latest = Int.min, fromNext = false
        for flag in Self.popFlags {
            guard let fifo = poppedFIFO(flag, engine, index) else { continue }
            let available = tokens[fifo][tokenHead[fifo]]
            if available >= latest { (latest, fromNext) = (available, flag == .popNext) }
        }
        if fromNext { stalls.bufferFull += cycles } else { stalls.dependency += cycles }
    }

    /// When a DMA started at `time` completes, and its DRAM stalls (see `StallCycles`).
    private struct TransferTiming {
        var end: Int
        var latency: Int
        var bandwidth: Int
    }

    /// The DMA `index`'s request is issued at its start; data flows from its first burst on, and
    /// the buffer port needs `step.cycles` cycles from the same point.
    ///
    /// Simple model: data starts at `max(time + latency, channelFree)` and flows for the channel
    /// occupancy; the latency stall is `latency_cycles`. Bank model: the latency stall runs to
    /// the first burst's data being ready (`DRAMDevice.Service.firstReady`). Either way the DMA
    /// is busy for its buffer-port cycles (what it would take with an unlimited DRAM), and the
    /// rest is the bandwidth stall: waiting for the channel behind other requests, and moving
    /// the bytes at the DRAM's rate where that is slower than the port (a bank model: also row
    /// switches inside the request).
    private mutating func transferTiming(_ step: ExecutionPlan.Step, _ index: Int, at time: Int) -> TransferTiming {
        guard device != nil else {
            let dataStart = reserveChannel(at: time, cycles: step.channelCycles, bytes: step.trafficBytes, for: index)
            let end = dataStart + max(step.channelCycles, step.cycles)
            return TransferTiming(end: end, latency: dramLatency, bandwidth: end - time - dramLatency - step.cycles)
        }
        let service = serveOnDevice(plan.dramRuns[Int(step.runs)], at: time, bytes: step.trafficBytes, for: index)
        let end = max(service.end, service.firstData + step.cycles)
        return TransferTiming(end: end, latency: service.firstReady - time, bandwidth: end - service.firstReady - step.cycles)
    }

    /// A bank-model request's times, rounded up to whole cycles.
    private struct DeviceService {
        var firstReady: Int
        var firstData: Int
        var end: Int
    }

    /// Serves `runs` on the bank model for a request issued at `time` (by DMA `instruction`, or
    /// with `fetch` for the fetch group starting there), recording its span on the DRAM, first
    /// data to last, as a reservation of `bytes`.
    private mutating func serveOnDevice(_ runs: DRAMRuns, at time: Int, bytes: Int, for instruction: Int, fetch: Bool = false) -> DeviceService {
        let service = device!.serve(runs, at: time)
        func cycle(_ value: Double) -> Int { Int((value - 1e-9).rounded(.up)) }
        let result = DeviceService(firstReady: cycle(service.firstReady), firstData: cycle(service.firstData), end: cycle(service.end))
        reservations.append(ChannelReservation(start: result.firstData, cycles: result.end - result.firstData, bytes: bytes,
                                               instruction: instruction, isFetch: fetch))
        return result
    }

    /// Row-buffer outcomes of the bank model's bursts (zero with the simple model).
    var dramRows: DRAMRowStatistics { device?.rows ?? DRAMRowStatistics() }

    /// Reserves the channel for a request issued at `time` by DMA `instruction` (or, with `fetch`,
    /// for the fetch group starting at `instruction`); returns the cycle its data starts:
    /// `max(time + latency, channelFreeAt)`.
    private mutating func reserveChannel(at time: Int, cycles: Int, bytes: Int, for instruction: Int, fetch: Bool = false) -> Int {
        let dataStart = max(time + dramLatency, channelFree)
        channelFree = dataStart + cycles
        reservations.append(ChannelReservation(start: dataStart, cycles: cycles, bytes: bytes, instruction: instruction, isFetch: fetch))
        return dataStart
    }

    // MARK: - End of run

    private mutating func finish() {
        cycles = max(timeline.ends.max() ?? 0, engineFree.max() ?? 0)
        for engine in 0..<3 {
            engineStatistics[engine].stalls.idle = cycles - engineFree[engine]
        }
        // A layer without engine instructions spans no time, at the dispatch of its first marker.
        for layer in layerFirstStart.indices where layerFirstStart[layer] == Int.max {
            layerFirstStart[layer] = layerMarkerTime[layer] ?? 0
            layerLastEnd[layer] = layerFirstStart[layer]
        }
    }

    private func deadlock(_ instructions: [Instruction]) -> SimulationError {
        var blocked: [SimulationError.BlockedInstruction] = []
        for engine in 0..<3 where started[engine] < dispatched[engine] {
            let index = Int(queues[engine][started[engine]])
            let sources = Self.popFlags.compactMap { flag -> String? in
                guard let fifo = poppedFIFO(flag, engine, index), tokenHead[fifo] >= tokens[fifo].count else { return nil }
                return Engine(rawValue: flag == .popPrevious ? engine - 1 : engine + 1)!.description
            }.joined(separator: " and ")
            blocked.append(.init(index: index, text: Disassembler.text(of: instructions[index]),
                                 reason: "on the \(Engine(rawValue: engine)!) engine waits for a token from \(sources)"))
        }
        if nextDispatch < count && plan.steps[nextDispatch].engine != Timeline.noEngine {
            let engine = Engine(rawValue: Int(plan.steps[nextDispatch].engine))!
            blocked.append(.init(index: nextDispatch, text: Disassembler.text(of: instructions[nextDispatch]),
                                 reason: "cannot be dispatched: the \(engine) queue is full (depth \(queueDepth))"))
        }
        return .deadlock(blocked)
    }
}

/// A span of cycles during which the DRAM moves one request's bytes (with a bank model, from its
/// first burst to its last; spans of different requests may then overlap).
struct ChannelReservation: Equatable {
    var start: Int
    var cycles: Int
    var bytes: Int
    /// The DMA instruction's index, or an instruction fetch's first instruction (for traces).
    var instruction = 0
    var isFetch = false
}
