import ISA

/// What is known about a program before it runs: every fetched instruction checked against the
/// configuration, its engine, its fixed cost, its layer, and the data-independent counts
/// (MACs, DRAM and SRAM traffic) of every layer. Timing-only and functional runs share it, so
/// both reject the same programs and report the same statistics.
struct ExecutionPlan {
    /// One fetched instruction, compactly.
    struct Step {
        /// `Engine.rawValue`, or `Timeline.noEngine` for `layer` and `halt`.
        var engine: UInt8
        /// `DependencyFlags.rawValue`.
        var dependencies: UInt8
        var isDMA: Bool
        /// Compute instructions: `ComputeUnit.rawValue`, or `Step.barrier` for a compute `nop` (and for other engines).
        var unit: UInt8
        /// Index into `layerIDs`.
        var layer: Int32
        /// Compute instructions: cycles from start to completion. DMAs: buffer-port cycles.
        var cycles: Int
        /// DMAs: channel occupancy in cycles, and DRAM traffic in bytes.
        var channelCycles: Int
        var trafficBytes: Int
        /// DMAs: index of the transfer's byte runs in `ExecutionPlan.dramRuns` (-1 for others).
        var runs: Int32 = -1

        /// The `unit` of a compute `nop`, which waits for and occupies both units.
        static let barrier = UInt8.max
    }

    var steps: [Step] = []
    /// The buffer accesses of the compute instructions, in compute-queue order (for the hazard scoreboard).
    var computeAccesses: [BufferAccesses] = []
    /// The DRAM byte runs of every DMA, in program order (for a bank model, `DRAMDevice`).
    var dramRuns: [DRAMRuns] = []
    /// Layer ids in order of first appearance (-1 for instructions before any marker).
    var layerIDs: [Int] = []
    var layerCounters: [Counters] = []
    /// Instructions per fetch group, and each group's DRAM traffic in bytes and channel cycles.
    var fetchGroupSize = 1
    var fetchGroupBytes: [Int] = []
    var fetchGroupCycles: [Int] = []
    /// One past the highest DRAM byte any DMA touches.
    var dramExtent = 0

    var totals: Counters { layerCounters.reduce(into: Counters()) { $0 += $1 } }
}

/// Validates a program against a configuration and builds its `ExecutionPlan`.
struct PlanBuilder {
    let config: HardwareConfig
    let dramCapacity: Int
    private var plan = ExecutionPlan()
    private var layerIndex: [Int: Int32] = [:]
    private var currentLayer: Int32 = -1
    /// The dtype in force in the compute stream (set by `cfg.dtype`, in program order).
    private var dataType: DataType
    /// Which PWL table slots a `pwl.load` has filled so far.
    private var loadedTables = Set<Int>()

    /// Sum of every cost counted so far (see `charge`).
    private var budget = 0

    /// Table slots of the vector unit (the `table` field is 2 bits).
    static let tableSlots = 4
    static let maximumBudget = 1 << 62

    init(config: HardwareConfig, dramCapacity: Int) {
        self.config = config
        self.dramCapacity = dramCapacity
        dataType = config.dataType
    }

    /// Checks every instruction up to the first `halt` (the fetch unit stops there) and plans it.
    static func plan(_ instructions: [Instruction], config: HardwareConfig, dramCapacity: Int) throws(SimulationError) -> ExecutionPlan {
        var builder = PlanBuilder(config: config, dramCapacity: dramCapacity)
        builder.plan.steps.reserveCapacity(instructions.count)
        for (index, instruction) in instructions.enumerated() {
            do {
                try builder.add(instruction)
            } catch let problem {
                throw .invalidInstruction(index: index, text: Disassembler.text(of: instruction), problem: problem.message)
            }
            if case .halt = instruction.operation { break }
        }
        do {
            try builder.planFetch()
        } catch {
            throw .invalidInstruction(index: builder.plan.steps.count - 1, text: Disassembler.text(of: instructions[builder.plan.steps.count - 1]),
                                      problem: error.message)
        }
        return builder.plan
    }

    // MARK: - Per instruction

    private mutating func add(_ instruction: Instruction) throws(Problem) {
        do {
            try InstructionCheck.check(instruction)
        } catch let problem {
            // Say it as the ISA says it, when the ISA's rules object too.
            do {
                try InstructionRules.check(instruction)
            } catch {
                throw Problem(error.description)
            }
            throw problem
        }
        let operation = instruction.operation
        if case .layer(let marker) = operation { enterLayer(marker.id) }
        if currentLayer < 0 { enterLayer(-1) }
        var step = ExecutionPlan.Step(engine: operation.engine.map { UInt8($0.rawValue) } ?? Timeline.noEngine,
                                      dependencies: UInt8(instruction.dependencies.rawValue),
                                      isDMA: false, unit: ExecutionPlan.Step.barrier, layer: currentLayer, cycles: 0, channelCycles: 0, trafficBytes: 0)
        var counters = Counters()
        counters.instructions = 1
        switch operation {
        case .halt, .layer:
            break
        case .nop:
            step.cycles = InstructionCost.nopCycles
        case .load(let transfer), .store(let transfer):
            let isLoad = if case .load = operation { true } else { false }
            step.isDMA = true
            try planTransfer(transfer, isLoad: isLoad, &step, &counters)
        case .matmul(let tile):
            try planMatmul(tile, &step, &counters)
        case .pool(let pool):
            try planPool(pool, &step, &counters)
        case .vector(let vector):
            try planVector(vector, &step, &counters)
        case .setDataType(let setting):
            step.cycles = InstructionCost.configurationCycles
            dataType = setting.dataType
        case .setRequantization:
            step.cycles = InstructionCost.configurationCycles
        case .loadPWL(let load):
            let bytes = load.segments * PWLTable.bytesPerSegment
            try checkBuffer(load.buffer, load.address, bytes: bytes, alignment: 4, operand: "table")
            counters.sram.read(bytes, from: load.buffer)
            loadedTables.insert(load.table)
            step.cycles = InstructionCost.pwlLoadCycles(segments: load.segments)
        }
        try charge(step.cycles, step.channelCycles, step.isDMA ? config.dram.latencyCycles : 0,
                   counters.macs, counters.dramTraffic.total, counters.sram.nbin.total, counters.sram.sb.total, counters.sram.nbout.total)
        if operation.engine == .compute {
            step.unit = operation.computeUnit.map { UInt8($0.rawValue) } ?? ExecutionPlan.Step.barrier
            plan.computeAccesses.append(BufferAccesses(operation, dataType: dataType))
        }
        plan.steps.append(step)
        plan.layerCounters[Int(step.layer)] += counters
    }

    /// Adds `amounts` to a running total that bounds every cycle count, byte count and MAC count
    /// of the run (each is a sum of some of these amounts), so none of them can overflow.
    private mutating func charge(_ amounts: Int...) throws(Problem) {
        for amount in amounts { budget = budget.plus(amount) }
        if budget > Self.maximumBudget {
            throw Problem("the program is too large to simulate: its cycle, byte and MAC counts exceed 2^62")
        }
    }

    private mutating func enterLayer(_ id: Int) {
        if let index = layerIndex[id] {
            currentLayer = index
            return
        }
        currentLayer = Int32(plan.layerIDs.count)
        layerIndex[id] = currentLayer
        plan.layerIDs.append(id)
        plan.layerCounters.append(Counters())
    }

    private mutating func planTransfer(_ transfer: Transfer, isLoad: Bool, _ step: inout ExecutionPlan.Step,
                                       _ counters: inout Counters) throws(Problem) {
        let size = transfer.type.byteSize
        let (x, y, z) = (transfer.xSize, transfer.ySize, transfer.zSize)
        if !isLoad && [transfer.xPadBefore, transfer.xPadAfter, transfer.yPadBefore, transfer.yPadAfter,
                       transfer.zPadBefore, transfer.zPadAfter].contains(where: { $0 != 0 }) {
            throw Problem("a store takes no padding")
        }
        let bufferBytes = isLoad
            ? transfer.xPadBefore.plus(x).plus(transfer.xPadAfter).times(transfer.yPadBefore.plus(y).plus(transfer.yPadAfter))
                .times(transfer.zPadBefore.plus(z).plus(transfer.zPadAfter)).times(size)
            : x.times(y).times(z).times(size)
        try checkBuffer(transfer.buffer, transfer.bufferAddress, bytes: bufferBytes, alignment: size, operand: "buffer")
        let rowStride = transfer.yStride == 0 ? x : transfer.yStride
        let planeStride = transfer.zStride == 0 ? y.times(rowStride) : transfer.zStride
        let dramBytes = (z - 1).times(planeStride).plus((y - 1).times(rowStride)).plus(x).times(size)
        let dramEnd = transfer.dramAddress.plus(dramBytes)
        guard dramEnd <= dramCapacity else {
            throw Problem("DRAM access \(hex(transfer.dramAddress))..\(dramEnd == .max ? "beyond" : hex(dramEnd - 1)) exceeds the DRAM capacity of \(dramCapacity) bytes")
        }
        plan.dramExtent = max(plan.dramExtent, dramEnd)
        let traffic = DRAMTiming.trafficBytes(transfer, burst: config.dram.burstBytes)
        step.channelCycles = DRAMTiming.occupancy(bytes: traffic, bytesPerCycle: config.dramBytesPerCycle)
        step.trafficBytes = traffic
        step.runs = Int32(plan.dramRuns.count)
        plan.dramRuns.append(DRAMRuns(transfer))
        step.cycles = InstructionCost.portCycles(bytes: bufferBytes, bytesPerCycle: config.buffer(transfer.buffer).portBytesPerCycle)
        counters.dramTraffic[isLoad ? TrafficClass(loadInto: transfer.buffer) : .ofmap] += traffic
        counters.dramPayloadBytes += transfer.payloadBytes
        if isLoad {
            counters.sram.write(bufferBytes, to: transfer.buffer)
        } else {
            counters.sram.read(bufferBytes, from: transfer.buffer)
        }
    }

    private mutating func planMatmul(_ tile: MatrixTile, _ step: inout ExecutionPlan.Step, _ counters: inout Counters) throws(Problem) {
        let operand = dataType.operandType.byteSize, accumulator = dataType.accumulatorType.byteSize
        let inputPitch = tile.inputPitch == 0 ? tile.channels : tile.inputPitch
        let inputRows = (tile.outputHeight - 1).times(tile.strideY).plus((tile.kernelHeight - 1).times(tile.dilationY)).plus(1)
        let inputColumns = (tile.outputWidth - 1).times(tile.strideX).plus((tile.kernelWidth - 1).times(tile.dilationX)).plus(1)
        let inputElements = (inputRows - 1).times(tile.inputWidth).plus(inputColumns - 1).times(inputPitch).plus(tile.channels)
        try checkBuffer(.nbin, tile.inputAddress, bytes: inputElements.times(operand), alignment: operand, operand: "input")
        let window = tile.kernelHeight.times(tile.kernelWidth).times(tile.channels)
        let weightPitch = tile.weightPitch == 0 ? tile.outputChannels : tile.weightPitch
        let weightElements = (window - 1).times(weightPitch).plus(tile.outputChannels)
        try checkBuffer(.sb, tile.weightAddress, bytes: weightElements.times(operand), alignment: operand, operand: "weight")
        let outputPitch = tile.outputPitch == 0 ? tile.outputChannels : tile.outputPitch
        let outputElements = (tile.outputHeight.times(tile.outputWidth) - 1).times(outputPitch).plus(tile.outputChannels)
        try checkBuffer(.nbout, tile.outputAddress, bytes: outputElements.times(accumulator), alignment: accumulator, operand: "output")

        let dataflow = tile.dataflow.resolved(config.array.dataflow)
        guard config.array.flexibleDataflow || dataflow == config.array.dataflow else {
            throw Problem("df=\(dataflow.rawValue) on a \(config.array.dataflow.rawValue) array: "
                          + "only a flexible array (configuration dataflow \"any\") runs a matmul in another dataflow")
        }
        let timing = SystolicTiming(tile: tile, array: config.array)
        step.cycles = timing.cycles
        counters.macs = tile.macs
        counters.weightedEfficiency = Double(tile.macs) * timing.mappingEfficiency
        counters.macEnergyPJ = Double(tile.macs) * config.macEnergy.perMAC(dataType)

        // Operand-matrix passes per dataflow; see `SRAMTraffic`.
        let (p, w, k) = (tile.outputPixels, tile.reductionLength, tile.outputChannels)
        let (ifmapPasses, filterPasses, ofmapPasses) = switch dataflow {
        case .weightStationary: (timing.columnFolds, 1, timing.rowFolds)
        case .outputStationary: (timing.columnFolds, timing.rowFolds, 1)
        case .inputStationary: (1, timing.columnFolds, timing.rowFolds)
        }
        counters.sram.read(p * w * ifmapPasses * operand, from: .nbin)
        counters.sram.read(w * k * filterPasses * operand, from: .sb)
        counters.sram.write(p * k * ofmapPasses * accumulator, to: .nbout)
        counters.sram.read(p * k * (ofmapPasses - (tile.accumulate ? 0 : 1)) * accumulator, from: .nbout)
    }

    private mutating func planPool(_ pool: PoolWindow, _ step: inout ExecutionPlan.Step, _ counters: inout Counters) throws(Problem) {
        let source = pool.sourceType.byteSize, destination = pool.destinationType.byteSize
        let inputPitch = pool.inputPitch == 0 ? pool.channels : pool.inputPitch
        let inputRows = (pool.outputHeight - 1).times(pool.strideY).plus(pool.windowHeight)
        let inputColumns = (pool.outputWidth - 1).times(pool.strideX).plus(pool.windowWidth)
        let inputElements = (inputRows - 1).times(pool.inputWidth).plus(inputColumns - 1).times(inputPitch).plus(pool.channels)
        try checkBuffer(pool.sourceBuffer, pool.sourceAddress, bytes: inputElements.times(source), alignment: source, operand: "source")
        let outputPitch = pool.outputPitch == 0 ? pool.channels : pool.outputPitch
        let outputPixels = pool.outputHeight.times(pool.outputWidth)
        let outputElements = (outputPixels - 1).times(outputPitch).plus(pool.channels)
        try checkBuffer(pool.destinationBuffer, pool.destinationAddress, bytes: outputElements.times(destination),
                        alignment: destination, operand: "destination")
        step.cycles = InstructionCost.vectorCycles(elements: pool.elementReads, unit: config.vector)
        counters.vectorOperations = pool.elementReads
        counters.sram.read(pool.elementReads * source, from: pool.sourceBuffer)
        counters.sram.write(outputPixels * pool.channels * destination, to: pool.destinationBuffer)
    }

    private mutating func planVector(_ vector: VectorOperation, _ step: inout ExecutionPlan.Step, _ counters: inout Counters) throws(Problem) {
        let source = vector.sourceType.byteSize, destination = vector.destinationType.byteSize
        let (rows, columns) = (vector.rows, vector.columns)
        func bytes(pitch: Int, size: Int) -> Int { (rows - 1).times(pitch == 0 ? columns : pitch).plus(columns).times(size) }
        try checkBuffer(vector.aBuffer, vector.aAddress, bytes: bytes(pitch: vector.aPitch, size: source), alignment: source, operand: "a")
        if vector.function.readsB {
            // vrequantc's B holds one int32 record per column, (multiplier, shift) or with `bias`
            // (multiplier, shift, bias), rows `b_pitch` records apart (or the first row only, with `b_bcast`).
            let (elementBytes, alignment) = vector.function == .requantizePerChannel
                ? (vector.perChannelRecordBytes, 4) : (source, source)
            let bBytes = vector.broadcastB ? columns.times(elementBytes) : bytes(pitch: vector.bPitch, size: elementBytes)
            try checkBuffer(vector.bBuffer, vector.bAddress, bytes: bBytes, alignment: alignment, operand: "b")
            counters.sram.read((vector.broadcastB ? columns : vector.elementCount) * elementBytes, from: vector.bBuffer)
        }
        try checkBuffer(vector.destinationBuffer, vector.destinationAddress, bytes: bytes(pitch: vector.destinationPitch, size: destination),
                        alignment: destination, operand: "destination")
        counters.sram.read(vector.elementCount * source, from: vector.aBuffer)
        if vector.function == .piecewiseLinear && !loadedTables.contains(vector.table) {
            throw Problem("PWL table \(vector.table) is used before any pwl.load fills it")
        }
        step.cycles = InstructionCost.vectorCycles(elements: vector.elementCount, unit: config.vector)
        counters.vectorOperations = vector.elementCount
        counters.sram.write(vector.elementCount * destination, to: vector.destinationBuffer)
    }

    /// Checks that bytes `address ..< address + bytes` of `buffer` exist and start aligned.
    private func checkBuffer(_ buffer: BufferID, _ address: Int, bytes: Int, alignment: Int, operand: String) throws(Problem) {
        let capacity = config.buffer(buffer).capacityBytes
        let end = address.plus(bytes)
        guard end <= capacity else {
            throw Problem("\(operand) access \(hex(address))..\(end == .max ? "beyond" : hex(end - 1)) exceeds \(buffer) capacity \(capacity) bytes")
        }
        guard address % alignment == 0 else {
            throw Problem("misaligned \(operand) access at \(buffer) \(hex(address)): \(alignment)-byte elements need \(alignment)-byte alignment")
        }
    }

    // MARK: - Fetch

    /// Groups the fetched instructions into DRAM requests. The instruction stream sits at a
    /// burst-aligned address; the fetch unit reads whole bursts, so a group holds
    /// `max(1, burstBytes / 32)` instructions and its traffic is the bursts it touches.
    private mutating func planFetch() throws(Problem) {
        let instructionBytes = InstructionEncoding.instructionBytes
        let burst = config.dram.burstBytes
        let size = max(1, burst / instructionBytes)
        plan.fetchGroupSize = size
        for first in stride(from: 0, to: plan.steps.count, by: size) {
            let count = min(size, plan.steps.count - first)
            let bytes = DRAMTiming.bursts(start: first * instructionBytes, length: count * instructionBytes, burst: burst) * burst
            plan.fetchGroupBytes.append(bytes)
            plan.fetchGroupCycles.append(DRAMTiming.occupancy(bytes: bytes, bytesPerCycle: config.dramBytesPerCycle))
            try charge(bytes, plan.fetchGroupCycles.last!, config.dram.latencyCycles)
            plan.layerCounters[Int(plan.steps[first].layer)].dramTraffic.instructions += bytes
        }
    }
}

/// A reason an instruction cannot run; `PlanBuilder.plan` adds the index and text.
struct Problem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

