import ISA

/// Turns a `TileSchedule` into an instruction stream with VTA's dependency-token protocol.
///
/// - load -> compute: the last DMA of each step's loads pushes a token; the step's first compute
///   instruction pops it (the load engine runs DMAs one at a time, so all of them are in).
/// - compute -> load: the last reader (matmul / pool, or the output stage for a K tile's records)
///   of a step whose content (an NBin band, an SB weight tile or record slot) is later overwritten
///   pushes a token (`ScheduledStep.releasePosition`); before overwriting a slot, the load engine
///   pops tokens until it has seen the one of that content's last reader.
/// - compute -> store: the tile's last epilogue instruction pushes; the tile's store pops.
/// - store -> compute: each store pushes when its NBout slot is free again; the first compute
///   instruction of a tile that reuses a slot pops.
///
/// Program order is software-pipelined: the loads of step i+1 precede the compute of step i, so
/// with two slots the next band and weights load while the current tile computes.
enum CodeGenerator {
    static func instructions(_ schedule: TileSchedule) -> [Instruction] {
        let steps = schedule.steps
        // Which steps release a content that is later overwritten, and their token numbers.
        var releases = Array(repeating: false, count: steps.count)
        for step in steps { for content in step.evicted { releases[schedule.lastUse[content]] = true } }
        var tokenNumber = Array(repeating: 0, count: steps.count)
        var count = 0
        for index in steps.indices {
            if releases[index] { count += 1 }
            tokenNumber[index] = count
        }

        var program: [Instruction] = [Instruction(.layer(LayerMarker(id: 0)))]
        program += schedule.prologueCompute.map { Instruction($0) }
        var popped = 0
        func emitLoads(_ index: Int) {
            var loads = steps[index].loads
            if index == 0 { loads = schedule.prologueLoads + loads }
            guard !loads.isEmpty else { return }
            let needed = steps[index].evicted.map { tokenNumber[schedule.lastUse[$0]] }.max() ?? 0
            var firstPops = false
            if needed > popped {
                for _ in 0..<(needed - popped - 1) {
                    program.append(Instruction(.nop(NoOperation(engine: .load)), dependencies: .popNext))
                }
                firstPops = true
                popped = needed
            }
            for (position, transfer) in loads.enumerated() {
                var flags: DependencyFlags = []
                if position == 0 && firstPops { flags.insert(.popNext) }
                if position == loads.count - 1 { flags.insert(.pushNext) }
                program.append(Instruction(.load(transfer), dependencies: flags))
            }
        }

        emitLoads(0)
        for (index, step) in steps.enumerated() {
            if index + 1 < steps.count { emitLoads(index + 1) }
            let loadsArrived = !step.loads.isEmpty || index == 0
            for (position, operation) in step.compute.enumerated() {
                var flags: DependencyFlags = []
                if position == 0 {
                    if loadsArrived { flags.insert(.popPrevious) }
                    if step.firstOfTile && step.tile >= schedule.outputBuffers { flags.insert(.popNext) }
                }
                if position == step.releasePosition && releases[index] { flags.insert(.pushPrevious) }
                if position == step.compute.count - 1 && step.lastOfTile { flags.insert(.pushNext) }
                program.append(Instruction(operation, dependencies: flags))
            }
            if step.lastOfTile {
                program.append(Instruction(.store(schedule.stores[step.tile]), dependencies: [.popPrevious, .pushPrevious]))
            }
        }
        program.append(Instruction(.halt))
        return program
    }
}

/// The analytic pipeline model that scores a plan: the schedule's loads, compute and stores on
/// three in-order engines with the token dependencies above and one shared DRAM channel, each
/// instruction costed by the ISA's cost functions (`DRAMTiming` with latency and burst rounding,
/// `SystolicTiming`, `InstructionCost`).
///
/// The compute engine is modelled as the simulator's two units (its `Scheduler`): the matrix
/// unit (`matmul`, `cfg.dtype`) and the vector unit (the epilogue, `cfg.requant`, `pwl.load`)
/// issue in order, each runs one instruction at a time, an instruction waits for the other
/// unit's latest instruction when their buffer accesses conflict, and pushed tokens retire in
/// order. In a tile schedule every compute instruction that touches NBout touches only its
/// tile's output slot, and none writes NBin or SB, so two instructions conflict exactly when
/// they belong to tiles in the same output slot: with double-buffered accumulators the next
/// tile's matmuls overlap this tile's epilogue, and the steady state per tile is bounded by
/// max(matmul, epilogue, DRAM traffic / bandwidth).
enum PipelineModel {
    struct Estimate {
        var cycles: Int
        var dramBytes: Int
    }

    enum Unit: Int { case matrix = 0, vector }

    static func unit(_ operation: Operation) -> Unit {
        switch operation {
        case .matmul, .setDataType: .matrix
        default: .vector
        }
    }

    /// Whether the operation reads or writes NBout (the only buffer whose accesses can conflict).
    static func touchesOutputSlot(_ operation: Operation) -> Bool {
        switch operation {
        case .matmul, .vector, .pool: true
        default: false
        }
    }

    static func estimate(_ schedule: TileSchedule, config: HardwareConfig) -> Estimate {
        let latency = config.dram.latencyCycles, bytesPerCycle = config.dramBytesPerCycle
        var channelFree = 0, channelBusy = 0, dramBytes = 0
        func dma(_ transfer: Transfer, at start: Int, isLoad: Bool) -> Int {
            let traffic = DRAMTiming.trafficBytes(transfer, burst: config.dram.burstBytes)
            let occupancy = DRAMTiming.occupancy(bytes: traffic, bytesPerCycle: bytesPerCycle)
            let bufferBytes = isLoad ? transfer.bufferBytes : transfer.payloadBytes
            let port = InstructionCost.portCycles(bytes: bufferBytes, bytesPerCycle: config.buffer(transfer.buffer).portBytesPerCycle)
            let dataStart = max(start + latency, channelFree)
            channelFree = dataStart + occupancy
            channelBusy += occupancy
            dramBytes += traffic
            return dataStart + max(occupancy, port)
        }
        func cycles(_ operation: Operation) -> Int {
            switch operation {
            case .matmul(let tile): SystolicTiming(tile: tile, array: config.array).cycles
            case .vector(let v): InstructionCost.vectorCycles(elements: v.elementCount, unit: config.vector)
            case .pool(let p): InstructionCost.vectorCycles(elements: p.elementReads, unit: config.vector)
            case .loadPWL(let table): InstructionCost.pwlLoadCycles(segments: table.segments)
            case .setDataType, .setRequantization: InstructionCost.configurationCycles
            case .nop: InstructionCost.nopCycles
            default: 0
            }
        }

        // The compute engine's state: per unit, when it is free and the output slot its latest
        // instruction touches (nil: none); the latest issue; the latest retirement.
        var unitFree = [0, 0], unitSlot: [Int?] = [nil, nil], lastIssue = 0, lastRetirement = 0
        /// Runs `operation` no earlier than `ready`; returns its retirement.
        func execute(_ operation: Operation, slot: Int?, ready: Int) -> Int {
            let u = unit(operation).rawValue
            var start = max(ready, lastIssue, unitFree[u])
            let touched = touchesOutputSlot(operation) ? slot : nil
            if let touched, unitSlot[1 - u] == touched { start = max(start, unitFree[1 - u]) }
            let end = start + cycles(operation)
            unitFree[u] = end
            unitSlot[u] = touched
            lastIssue = start
            lastRetirement = max(lastRetirement, end)
            return lastRetirement
        }

        let steps = schedule.steps
        var loadFree = 0, storeFree = 0
        var loadEnd = Array(repeating: 0, count: steps.count), released = Array(repeating: 0, count: steps.count)
        var storeEnd: [Int] = []
        var instructionCount = 2 + schedule.prologueCompute.count + schedule.stores.count
        for operation in schedule.prologueCompute { _ = execute(operation, slot: nil, ready: 0) }

        // DMAs reach the channel in the order they are issued: after each step, the next loads
        // whose slots are released and the finished tiles' stores are placed earliest issue first
        // (ties: loads, the simulator's engine order).
        var nextLoad = 0, pendingStores: [(tile: Int, ready: Int)] = []
        func loadIssue(through computed: Int) -> Int? {
            guard nextLoad < steps.count else { return nil }
            var start = loadFree
            for content in steps[nextLoad].evicted {
                let reader = schedule.lastUse[content]
                guard reader <= computed else { return nil }
                start = max(start, released[reader])
            }
            return start
        }
        func placeDMAs(through computed: Int) {
            while true {
                let load = loadIssue(through: computed)
                let store = pendingStores.first.map { max(storeFree, $0.ready) }
                if let load, store.map({ load <= $0 }) ?? true {
                    var list = steps[nextLoad].loads
                    if nextLoad == 0 { list = schedule.prologueLoads + list }
                    instructionCount += list.count
                    var start = load
                    for transfer in list { start = dma(transfer, at: start, isLoad: true) }
                    loadFree = start
                    loadEnd[nextLoad] = start
                    nextLoad += 1
                } else if let store {
                    storeFree = dma(schedule.stores[pendingStores.removeFirst().tile], at: store, isLoad: false)
                    storeEnd.append(storeFree)
                } else {
                    return
                }
            }
        }
        placeDMAs(through: -1)
        for (index, step) in steps.enumerated() {
            precondition(nextLoad > index, "a step's loads evict only contents of earlier steps")
            var ready = !step.loads.isEmpty || index == 0 ? loadEnd[index] : 0
            if step.firstOfTile && step.tile >= schedule.outputBuffers { ready = max(ready, storeEnd[step.tile - schedule.outputBuffers]) }
            instructionCount += step.compute.count
            let slot = step.tile % schedule.outputBuffers
            var retired = 0
            for (position, operation) in step.compute.enumerated() {
                retired = execute(operation, slot: slot, ready: position == 0 ? ready : 0)
                if position == step.releasePosition { released[index] = retired }
            }
            if step.lastOfTile { pendingStores.append((step.tile, retired)) }
            placeDMAs(through: index)
        }
        let fetchBytes = instructionCount * InstructionEncoding.instructionBytes
        let channelBound = channelBusy + DRAMTiming.occupancy(bytes: fetchBytes, bytesPerCycle: bytesPerCycle)
        return Estimate(cycles: max(loadFree, unitFree.max()!, storeFree, channelBound), dramBytes: dramBytes + fetchBytes)
    }
}
