import ISA

/// The instruction stream of one recurrent direction (`RecurrentCompiler` documents the phases
/// and the tokens; `RecurrentLayout` the regions; `RecurrentCode+Cells` each cell's step).
struct RecurrentCode {
    let direction: RecurrentDirection
    let layout: RecurrentLayout
    let numerics: RecurrentNumerics
    let dataType: DataType
    /// DRAM address of the packed input sequences.
    let input: Int
    let output: TensorPlacement
    /// A given initial hidden state: the direction's channels of it.
    let initialState: TensorPlacement?
    /// A given initial cell state (an LSTM): the direction's channels of it.
    let initialCell: TensorPlacement?
    let config: HardwareConfig
    private(set) var instructions: [Instruction] = []
    /// The group of sequences whose steps are being emitted: its first sequence and its size.
    private(set) var group = (first: 0, count: 0)

    init(direction: RecurrentDirection, layout: RecurrentLayout, numerics: RecurrentNumerics,
         dataType: DataType, input: Int, output: TensorPlacement, initialState: TensorPlacement?, initialCell: TensorPlacement?,
         config: HardwareConfig) {
        self.direction = direction
        self.layout = layout
        self.numerics = numerics
        self.dataType = dataType
        self.input = input
        self.output = output
        self.initialState = initialState
        self.initialCell = initialCell
        self.config = config
        group = (0, min(layout.group, direction.batch))
    }

    /// The matrix operands' type (the hidden state's in NBin).
    var elementType: ElementType { dataType.operandType }
    var hidden: Int { direction.recurrent.hiddenSize }
    var gates: Int { direction.recurrent.gates }
    var batch: Int { direction.batch }
    var steps: Int { direction.steps }

    mutating func emit(_ operation: Operation, _ flags: DependencyFlags = []) {
        instructions.append(Instruction(operation, dependencies: flags))
    }

    /// Emits `operations` as one group: the first pops `first`, the last pushes `last`.
    mutating func emitGroup(_ operations: [Operation], first: DependencyFlags, last: DependencyFlags) {
        for (index, operation) in operations.enumerated() {
            var flags: DependencyFlags = []
            if index == 0 { flags.formUnion(first) }
            if index == operations.count - 1 { flags.formUnion(last) }
            emit(operation, flags)
        }
    }

    // MARK: Phase 1: the input projection of every step, one GEMM

    /// `P = requant(X Wx + bx)` to Q3.12 for all `batch * T` input vectors, into the DRAM scratch.
    mutating func emitProjection() {
        let N = direction.sequence.channels, GH = gates * hidden, size = elementType.byteSize
        let pixels = batch * steps, (kc, pc) = (layout.projectionColumns, layout.projectionPixels)
        emit(.layer(LayerMarker(id: 0)))
        emit(.setDataType(DataTypeSetting(dataType)))
        emit(InstructionBuilder.requantization(RecurrentNumerics.toQ12))
        struct Tile { var column: Int, columns: Int, pixel: Int, pixels: Int, chunk: Int }
        var tiles: [Tile] = []
        for (chunk, c0) in stride(from: 0, to: GH, by: kc).enumerated() {
            for p0 in stride(from: 0, to: pixels, by: pc) {
                tiles.append(Tile(column: c0, columns: min(kc, GH - c0), pixel: p0, pixels: min(pc, pixels - p0), chunk: chunk))
            }
        }
        let count = tiles.count
        func weightsSlot(_ tile: Tile) -> Int { tile.chunk % 2 * layout.projectionSBSlot }
        func loads(_ index: Int) -> [Operation] {
            let tile = tiles[index]
            var transfers: [Transfer] = []
            if tile.pixel == 0 {
                transfers.append(InstructionBuilder.transfer(.sb, elementType, dram: layout.inputWeights + tile.column * size,
                                                                address: weightsSlot(tile), x: tile.columns, rows: N, rowStride: GH))
                transfers.append(InstructionBuilder.transfer(.sb, .int32, dram: layout.inputRecords + tile.column * 12,
                                                                address: weightsSlot(tile) + layout.projectionRecordsOffset,
                                                                x: 3 * tile.columns))
            }
            transfers.append(InstructionBuilder.transfer(.nbin, elementType, dram: input + tile.pixel * N * size,
                                                            address: index % 2 * layout.projectionNBinSlot, x: N, rows: tile.pixels,
                                                            rowStride: N))
            return transfers.map { .load($0) }
        }
        func emitLoads(_ index: Int) {
            emitGroup(loads(index), first: index >= 2 ? .popNext : [], last: .pushNext)
        }
        emitLoads(0)
        for (index, tile) in tiles.enumerated() {
            if index + 1 < count { emitLoads(index + 1) }
            let accumulators = index % 2 * layout.projectionNBoutSlot, result = accumulators + layout.projectionResultOffset
            emit(InstructionBuilder.matmul(input: index % 2 * layout.projectionNBinSlot, pixels: tile.pixels, channels: N,
                                              weights: weightsSlot(tile), weightPitch: 0, k: tile.columns, output: accumulators),
                 index >= 2 ? [.popPrevious, .popNext] : .popPrevious)
            var release: DependencyFlags = .pushNext
            if index + 2 < count { release.insert(.pushPrevious) }
            emit(InstructionBuilder.vector(.requantizePerChannel, destination: (.nbout, result, 0), a: (.nbout, accumulators, 0),
                                              b: (.sb, weightsSlot(tile) + layout.projectionRecordsOffset, 0), from: .int32, to: .int16,
                                              columns: tile.columns, rows: tile.pixels, broadcastB: true, withBias: true), release)
            // The last store also lets phase 2 begin (see `RecurrentCompiler`).
            let storeFlags: DependencyFlags = index + 2 < count || index == count - 1 ? [.popPrevious, .pushPrevious] : .popPrevious
            emit(.store(InstructionBuilder.transfer(.nbout, .int16, dram: layout.scratch + (tile.pixel * GH + tile.column) * 2,
                                                       address: result, x: tile.columns, rows: tile.pixels, rowStride: GH)),
                 storeFlags)
        }
        emit(.nop(NoOperation(engine: .compute)), [.popNext, .pushPrevious])
    }

    // MARK: Phase 2: the steps

    /// Step `s` in processing order is time step `t`: `s`, or `T - 1 - s` in the reverse direction.
    func timeStep(_ s: Int) -> Int { direction.reverse ? steps - 1 - s : s }

    func block(_ b: Int) -> (j0: Int, width: Int) { layout.block(b) }

    /// The units of a step: one per block per pass (`RecurrentLayout.passes`).
    var unitsPerStep: Int { layout.passes.count * layout.blocks }

    /// Unit `u` of a group's steps, in program order: its step, pass and block (its slot is `u % 2`).
    func unit(_ u: Int) -> (step: Int, pass: Int, block: Int) {
        let (s, rest) = u.quotientAndRemainder(dividingBy: unitsPerStep)
        let (pass, b) = rest.quotientAndRemainder(dividingBy: layout.blocks)
        return (s, pass, b)
    }

    /// The groups of sequences phase 2 runs one after another (`RecurrentLayout.group`).
    var groups: [(first: Int, count: Int)] {
        stride(from: 0, to: batch, by: layout.group).map { ($0, min(layout.group, batch - $0)) }
    }

    /// Each step of each group is its own layer of the program's table (`layer id = 1 + k * T + s`
    /// for group k, after the projection's 0), so statistics come per time step. A step is its
    /// units (a block of a pass) in order; its first unit's loads follow its marker; every other
    /// unit's are emitted before the previous unit computes (prefetch). (Emitting a unit's
    /// matmuls before the previous unit's vector work does not pay: the vector work's slot
    /// release would retire behind those matmuls, in order, and hold up the loads of the unit
    /// after.) Groups are separated as the phases are: the last store of a group signals a
    /// compute `nop` that lets the next group's loads begin.
    mutating func emitSteps() {
        let perStep = unitsPerStep, units = steps * perStep
        let returnSequences = direction.recurrent.returnSequences
        for (k, current) in groups.enumerated() {
            group = current
            if k > 0 { emit(.nop(NoOperation(engine: .compute)), [.popNext, .pushPrevious]) }
            let lastGroup = k == groups.count - 1
            for u in 0..<units {
                let (s, pass, b) = unit(u), index = u % perStep
                let (firstOfStep, lastOfStep) = (index == 0, index == perStep - 1)
                if firstOfStep {
                    emit(.layer(LayerMarker(id: 1 + k * steps + s)))
                    emitStepLoads(u, firstGroup: k == 0)
                }
                if !lastOfStep { emitStepLoads(u + 1, firstGroup: k == 0) }
                let stored = returnSequences || s == steps - 1
                var operations = u == 0 ? setup(firstGroup: k == 0) : []
                let cell = cellOperations(step: s, pass: pass, block: b, slot: u % 2)
                let lastSlotReader = operations.count + cell.lastSlotReader
                operations += cell.operations
                for (index, operation) in operations.enumerated() {
                    var flags: DependencyFlags = []
                    if index == 0 {
                        flags.insert(.popPrevious)
                        if returnSequences && firstOfStep && s >= 2 { flags.insert(.popNext) }
                    }
                    if index == lastSlotReader && u + 2 < units { flags.insert(.pushPrevious) }
                    if index == operations.count - 1 && lastOfStep && stored { flags.insert(.pushNext) }
                    emit(operation, flags)
                }
                if lastOfStep && stored { emitStore(step: s, signalsNextGroup: !lastGroup && s == steps - 1) }
            }
        }
    }

    /// Tables into their slots (first group) and the group's initial states: the hidden state a real 0 in the output
    /// quantization, or the given one requantized to it (`RecurrentNumerics`: its codes, loaded
    /// into the NBin buffer step 0 writes, minus their zero point through the state region); the
    /// cell (LSTM) 0 or the given one's (its codes, loaded into `RecurrentLayout.initialCellCodes`,
    /// minus their zero point into the state region, requantized there to Q3.12), the Q0.15
    /// state (GRU) 0 or the given hidden state's.
    private func setup(firstGroup: Bool) -> [Operation] {
        var operations: [Operation] = []
        for (table, parameters, offset) in [(0, numerics.sigmoid, layout.sigmoidOffset), (1, numerics.tanh, layout.tanhOffset)] {
            guard let parameters, firstGroup else { continue }
            var load = PWLLoad()
            load.table = table
            load.buffer = .sb
            load.address = offset
            load.segments = parameters.segments + 2
            load.shift = parameters.slopeShift
            operations.append(.loadPWL(load))
        }
        let state: (BufferID, Int, Int) = (.nbout, layout.state, 0)
        if let requant = numerics.initialHidden {
            var source: (BufferID, Int, Int) = (.nbin, layout.hidden[1], 0), type = elementType
            if dataType == .int8 {
                operations.append(InstructionBuilder.vector(.subtractImmediate, destination: state, a: source, from: elementType, to: .int16,
                                                               columns: hidden, rows: group.count, immediate: numerics.initialZero))
                (source, type) = (state, .int16)
            }
            operations.append(InstructionBuilder.requantization(requant))
            operations.append(InstructionBuilder.vector(.requantize, destination: (.nbin, layout.hidden[0], 0), a: source, from: type,
                                                           to: elementType, columns: hidden, rows: group.count))
            if let toState = numerics.initialState {
                operations.append(InstructionBuilder.requantization(toState))
                operations.append(InstructionBuilder.vector(.requantize, destination: state, a: source, from: type, to: .int16,
                                                               columns: hidden, rows: group.count))
            }
        } else {
            operations.append(InstructionBuilder.fill(.nbin, layout.hidden[0], type: elementType, columns: hidden, rows: group.count,
                                                         value: numerics.outputZero))
        }
        if let toCell = numerics.initialCell {
            var source: (BufferID, Int, Int) = (.nbin, layout.initialCellCodes, 0), type = elementType
            if dataType == .int8 {
                operations.append(InstructionBuilder.vector(.subtractImmediate, destination: state, a: source, from: elementType, to: .int16,
                                                               columns: hidden, rows: group.count, immediate: numerics.initialCellZero))
                (source, type) = (state, .int16)
            }
            operations.append(InstructionBuilder.requantization(toCell))
            operations.append(InstructionBuilder.vector(.requantize, destination: state, a: source, from: type, to: .int16,
                                                           columns: hidden, rows: group.count))
        } else if layout.hasState && numerics.initialState == nil {
            operations.append(InstructionBuilder.fill(.nbout, layout.state, type: .int16, columns: hidden, rows: group.count, value: 0))
        }
        return operations
    }

    /// SB address of `Wh`'s gate `g` columns of the unit's block, and the row pitch (the columns
    /// are in the device's order, `RecurrentLayout.deviceOrder`). Streamed, the unit's slot holds
    /// the columns of the gates of its pass (`pass`) only.
    func weights(gate g: Int, of pass: Range<Int>, j0: Int, width: Int, slot: Int) -> (address: Int, pitch: Int) {
        let size = elementType.byteSize
        // `Wh` lies block by block, each block pass by pass `[H][gates * width]` (`RecurrentLayout.deviceOrder`).
        if layout.resident {
            let place = layout.recurrentColumns(gate: g, j0: j0, width: width)
            return (layout.weightsBase + place.offset * size, place.pitch)
        }
        return (layout.weightsBase + slot * layout.weightsSlot + (g - pass.lowerBound) * width * size, pass.count * width)
    }

    /// SB address of the records of gate `g`'s columns of the block (streamed: of its pass's gates).
    func records(gate g: Int, of pass: Range<Int>, j0: Int, width: Int, slot: Int) -> Int {
        if layout.resident { return layout.weightsBase + layout.recordsOffset + layout.column(gate: g, j0: j0, width: width, gates: gates) * 12 }
        return layout.weightsBase + slot * layout.weightsSlot + layout.recordsOffset + (g - pass.lowerBound) * width * 12
    }

    /// SB address of peephole row `p` of the block.
    func peephole(_ p: Int, j0: Int, width: Int, slot: Int) -> Int {
        let peepholes = direction.recurrent.peepholes
        if layout.resident {
            return layout.weightsBase + layout.peepholesOffset + layout.column(gate: p, j0: j0, width: width, gates: peepholes) * 2
        }
        return layout.weightsBase + slot * layout.weightsSlot + layout.peepholesOffset + p * width * 2
    }

    /// The loads of unit `u` into its slot: its block of `P` and (streamed) of `Wh` and its
    /// records, the gates of its pass only; before the first unit, the given initial states and
    /// (first group) the tables and resident weights.
    private mutating func emitStepLoads(_ u: Int, firstGroup: Bool) {
        let size = elementType.byteSize, GH = gates * hidden
        let (s, p, b) = unit(u), pass = layout.passes[p]
        let (j0, width) = block(b), slot = u % 2, t = timeStep(s)
        var transfers: [Transfer] = []
        var states: [(given: TensorPlacement, address: Int)] = []
        if u == 0, let initialState { states.append((initialState, layout.hidden[1])) }
        if u == 0, let initialCell { states.append((initialCell, layout.initialCellCodes)) }
        for (given, address) in states {
            let stride = given.pixelStride(own: hidden)
            transfers.append(InstructionBuilder.transfer(.nbin, elementType,
                                                         dram: given.address + (group.first * stride + given.channelOffset) * size,
                                                         address: address, x: hidden, rows: group.count, rowStride: stride))
        }
        if u == 0 && firstGroup {
            let tableWords = (direction.tables.segments + 2) * 3
            if numerics.sigmoid != nil {
                transfers.append(InstructionBuilder.transfer(.sb, .int32, dram: layout.sigmoidTable, address: layout.sigmoidOffset, x: tableWords))
            }
            if numerics.tanh != nil {
                transfers.append(InstructionBuilder.transfer(.sb, .int32, dram: layout.tanhTable, address: layout.tanhOffset, x: tableWords))
            }
            if layout.resident {
                transfers.append(InstructionBuilder.transfer(.sb, elementType, dram: layout.recurrentWeights, address: layout.weightsBase,
                                                             x: GH, rows: hidden, rowStride: GH))
                transfers.append(InstructionBuilder.transfer(.sb, .int32, dram: layout.recurrentRecords,
                                                             address: layout.weightsBase + layout.recordsOffset, x: 3 * hidden,
                                                             rows: gates, rowStride: 3 * hidden))
                let peepholes = direction.recurrent.peepholes
                if peepholes > 0 {
                    transfers.append(InstructionBuilder.transfer(.sb, .int16, dram: layout.peepholes,
                                                                 address: layout.weightsBase + layout.peepholesOffset, x: hidden,
                                                                 rows: peepholes, rowStride: hidden))
                }
            }
        }
        // The block's columns of the pass's gates are adjacent (`RecurrentLayout.deviceOrder`: in
        // `Wh` pass by pass, in the records and `P` gate by gate): one dense DMA each.
        let first = layout.column(gate: pass.lowerBound, j0: j0, width: width, gates: gates), columns = pass.count * width
        if !layout.resident {
            let peepholes = direction.recurrent.peepholes
            let source = layout.recurrentColumns(gate: pass.lowerBound, j0: j0, width: width)
            transfers.append(InstructionBuilder.transfer(.sb, elementType, dram: layout.recurrentWeights + source.offset * size,
                                                         address: weights(gate: pass.lowerBound, of: pass, j0: j0, width: width, slot: slot).address,
                                                         x: columns, rows: hidden, rowStride: source.pitch))
            transfers.append(InstructionBuilder.transfer(.sb, .int32, dram: layout.recurrentRecords + first * 12,
                                                         address: records(gate: pass.lowerBound, of: pass, j0: j0, width: width, slot: slot),
                                                         x: 3 * columns))
            if peepholes > 0 {
                transfers.append(InstructionBuilder.transfer(.sb, .int16, dram: layout.peepholes + j0 * peepholes * 2,
                                                             address: peephole(0, j0: j0, width: width, slot: slot), x: peepholes * width))
            }
        }
        // The block of P: its rows (one per sequence) of the pass's adjacent columns.
        transfers.append(InstructionBuilder.transfer(.nbout, .int16, dram: layout.scratch + ((group.first * steps + t) * GH + first) * 2,
                                                     address: layout.slotBase(slot) + layout.projection, x: columns, rows: group.count,
                                                     rowStride: steps * GH))
        emitGroup(transfers.map { .load($0) }, first: u == 0 || u >= 2 ? .popNext : [], last: .pushNext)
    }

    /// The store of step `s`'s hidden state (all blocks) to its pixel of the group's sequences in
    /// `Y`; the last of a group followed by another also signals the `nop` between them.
    private mutating func emitStore(step s: Int, signalsNextGroup: Bool) {
        let size = elementType.byteSize, returnSequences = direction.recurrent.returnSequences
        let pixel = returnSequences ? timeStep(s) : 0
        let stride = output.pixelStride(own: hidden)
        let imageStride = output.imageStride(direction.outputShape)
        let dram = output.address + (group.first * imageStride + pixel * stride + output.channelOffset) * size
        let store = InstructionBuilder.transfer(.nbin, elementType, dram: dram, address: layout.hidden[(s + 1) % 2], x: hidden,
                                                rows: group.count, rowStride: imageStride)
        emit(.store(store), (returnSequences && s + 2 < steps) || signalsNextGroup ? [.popPrevious, .pushPrevious] : .popPrevious)
    }
}
