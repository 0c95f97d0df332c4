import ISA

/// Where a recurrent direction keeps everything: its DRAM constants and scratch, and the regions
/// of the two phases in NBin, SB and NBout (byte addresses, each region aligned to
/// `BufferBudget.alignment`).
///
/// **Phase 1, the input projection** `P = requant(X Wx + bx)` for all `batch * T` steps at once
/// (one GEMM: the steps are its pixels), in tiles of `projectionColumns` columns (a `Wx` chunk
/// and its records in SB) by `projectionPixels` pixels (an `X` chunk in NBin, its accumulators
/// and Q3.12 results in NBout), each region double-buffered. `P` goes to a DRAM scratch
/// `[batch * T][G * H]` int16 (it rarely fits on chip: 2 MiB for lstm-lm at batch 16).
///
/// **Phase 2, the steps**, for a group of sequences at a time (`group`: the whole batch when it
/// fits). The hidden state, in the output quantization, lives in NBin in two `[group][H]`
/// buffers (step s reads one and writes the other): it never leaves the chip between steps,
/// and the cell state (LSTM) or the Q0.15 state (GRU) stays in NBout. Each step
/// runs in blocks of `hiddenBlock` hidden units (all G gates of those units: their columns
/// `g * H + j` of `Wh`), sized so a block's working set (accumulators, pre-activations, the
/// block of `P`, temporaries) fits one of two NBout slots. A GRU resetting before the matmul
/// runs each step in two passes over the blocks (`passes`): its n gate's product reads `r * h` of
/// every unit, which the first pass writes into a third NBin buffer. `Wh`, its records and the peepholes
/// are **resident** in SB (loaded once, before step 0) when they fit beside the tables;
/// otherwise each block's columns are **streamed** into one of two SB slots every step, the
/// next block's loading while this one computes.
struct RecurrentLayout: Sendable {
    // DRAM (byte addresses).
    var inputWeights = 0, recurrentWeights = 0, inputRecords = 0, recurrentRecords = 0, peepholes = 0
    var sigmoidTable = 0, tanhTable = 0, scratch = 0, end = 0

    // Phase 1.
    var projectionColumns = 0, projectionPixels = 0
    /// SB slot: the `Wx` chunk `[N][columns]`, then its records.
    var projectionSBSlot = 0, projectionRecordsOffset = 0
    var projectionNBinSlot = 0
    /// NBout slot: accumulators `[pixels][columns]` int32, then the Q3.12 results.
    var projectionNBoutSlot = 0, projectionResultOffset = 0

    // Phase 2.
    /// Sequences that run their steps together (all of the batch unless NBin or NBout cannot hold
    /// their states: then the batch runs group after group, each through every step).
    var group = 0
    var hiddenBlock = 0
    var resident = false
    /// SB: the tables at 0, then the weights region (resident: `Wh` `[H][G*H]`, records, peepholes,
    /// in the device's column order; streamed: two slots of the block's `[H][G'*block]`,
    /// `[G'*block]` records, `[P*block]` peepholes, G' the widest pass's gates).
    var sigmoidOffset = 0, tanhOffset = 0, weightsBase = 0
    var weightsSlot = 0, recordsOffset = 0, peepholesOffset = 0
    /// NBin: the two hidden-state buffers `[group][H]`, and a third when the cell needs one
    /// (`resetHidden`, `initialCellCodes`).
    var hidden = [0, 0]
    /// NBin buffer of `r * h` in the output quantization (a GRU resetting before the matmul).
    var resetHidden: Int { hidden[2] }
    /// NBin buffer a given initial cell state's codes are loaded into (an LSTM), before the setup
    /// requantizes them into the cell state.
    var initialCellCodes: Int { hidden[2] }
    /// The gates each pass over a step's blocks computes, in order: all in one pass; a GRU
    /// resetting before the matmul r first (every block: `r * h` of all units), then z and n.
    var passes: [Range<Int>] = []
    /// NBout: slot 0, the persistent state `[group][H]` int16 (LSTM cell, GRU Q0.15 state; with a
    /// given initial state, its codes minus their zero point on the way in), slot 1. The state
    /// lies between the slots because the scoreboard sees one address span per buffer per
    /// instruction: an operation on the state and slot 0 then spans nothing of slot 1, so the
    /// next block's matmuls into slot 1 overlap it.
    var state = 0, stateBytes = 0, slot = 0
    var hasState: Bool { stateBytes > 0 }
    /// Offsets in an NBout slot for a block of `hiddenBlock` units: accumulators `[group][G'*block]`
    /// int32, pre-activations and the block of `P` `[group][G'*block]` int16, four temporaries
    /// `[group][block]` int16, where G' is the widest pass's gates (G in one pass).
    var accumulators = 0, preactivations = 0, projection = 0, temporaries = [0, 0, 0, 0]

    /// Whether the device's column order differs from the standard one (several blocks, or
    /// several passes).
    var reordered: Bool { blocks > 1 || passes.count > 1 }

    /// `values` `[rows][gates * H][words]` (column `g * H + j` of `words` elements) with its
    /// columns in the device's order: block by block, in each block gate by gate, the block's
    /// units; with `blockOuter` (`Wh`, gates = G), block by block first and in each block pass by
    /// pass (`passes`), each pass's `[rows][gates of the pass * width]` contiguous. `Wx`
    /// (`[N][G*H]`), the records (`[1][G*H][3]`) and the peepholes (`[1][P*H]`, gates = P) are
    /// stored in the device's column order, and so `P` comes out of the projection; `Wh` is
    /// stored block-outer. A pass over a block of a step (its gates' columns) is then one dense
    /// DMA each of `Wh`, records and `P`, whose rows fill whole bursts (a block's `width` columns
    /// of one gate are half a 64-byte burst for lstm-lm on edge, 6 bytes on diannao, and the DRAM
    /// would move several times the bytes).
    func deviceOrder(_ values: [Int], rows: Int, gates: Int, words: Int = 1, blockOuter: Bool = false) -> [Int] {
        guard reordered else { return values }
        var result: [Int] = []
        result.reserveCapacity(values.count)
        func append(row: Int, block b: Int, gates range: Range<Int>) {
            let (j0, width) = block(b)
            for g in range {
                let start = ((row * gates + g) * hiddenSize + j0) * words
                result += values[start..<(start + width * words)]
            }
        }
        if blockOuter {
            for b in 0..<blocks { for pass in passes { for row in 0..<rows { append(row: row, block: b, gates: pass) } } }
        } else {
            for row in 0..<rows { for b in 0..<blocks { append(row: row, block: b, gates: 0..<gates) } }
        }
        return result
    }

    /// Where gate `g`'s columns of the block starting at unit `j0` (`width` wide) lie in `Wh`
    /// (`deviceOrder` block-outer, `Wh` `[H][G*H]`): the element offset of their first row, and
    /// the row pitch, the pass's `gates * width`.
    func recurrentColumns(gate g: Int, j0: Int, width: Int) -> (offset: Int, pitch: Int) {
        let pass = passes.first { $0.contains(g) }!
        let rows = hiddenSize, gates = passes.last!.upperBound
        return (j0 * rows * gates + rows * pass.lowerBound * width + (g - pass.lowerBound) * width, pass.count * width)
    }

    /// The device column of gate `g`'s columns of the block starting at unit `j0` (`width` wide).
    func column(gate g: Int, j0: Int, width: Int, gates: Int) -> Int { j0 * gates + g * width }

    /// The hidden units of block `b`: `j0 ..< j0 + width`.
    func block(_ b: Int) -> (j0: Int, width: Int) {
        let j0 = b * hiddenBlock
        return (j0, min(hiddenBlock, hiddenSize - j0))
    }

    /// NBout address of slot `index` (0 or 1).
    func slotBase(_ index: Int) -> Int { index == 0 ? 0 : slot + stateBytes }

    /// Number of hidden blocks per step.
    var blocks: Int { hiddenBlock > 0 ? (hiddenSize + hiddenBlock - 1) / hiddenBlock : 0 }
    /// H and N.
    var hiddenSize = 0, inputSize = 0

    init(_ d: RecurrentDirection, elementType e: ElementType, constants: Int, initialState: Bool, initialCell: Bool,
         config: HardwareConfig) throws(CompilerError) {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: d.name, message) }
        func aligned(_ bytes: Int) -> Int { BufferBudget.aligned(bytes) }
        let r = d.recurrent, N = d.sequence.channels, H = r.hiddenSize, G = r.gates, GH = G * H
        let B = d.batch, T = d.steps, size = e.byteSize, peepholeCount = r.peepholes
        let tableBytes = (d.tables.segments + 2) * PWLTable.bytesPerSegment
        hiddenSize = H
        inputSize = N
        var resetBeforeMatmul = false
        if case .gru(let reset) = r.cell { resetBeforeMatmul = reset }
        passes = resetBeforeMatmul ? [0..<1, 1..<G] : [0..<G]
        let hiddenBuffers = resetBeforeMatmul || initialCell ? 3 : 2

        // DRAM.
        let burst = max(config.dram.burstBytes, BufferBudget.alignment)
        var cursor = constants
        func take(_ bytes: Int) -> Int {
            let address = cursor
            cursor = (cursor + bytes + burst - 1) / burst * burst
            return address
        }
        inputWeights = take(N * GH * size)
        recurrentWeights = take(H * GH * size)
        inputRecords = take(GH * 12)
        recurrentRecords = take(GH * 12)
        peepholes = take(peepholeCount * H * 2)
        sigmoidTable = take(tableBytes)
        tanhTable = take(tableBytes)
        scratch = take(B * T * GH * 2)
        end = cursor

        // Phase 1: columns from SB, pixels from NBin, then shrink both until NBout holds a slot.
        let extent = (1 << 16) - 1
        let (sbHalf, nbinHalf, nboutHalf) = (config.sb.capacityBytes / 2, config.nbin.capacityBytes / 2, config.nbout.capacityBytes / 2)
        var columns = min(GH, extent / 3)
        while columns > 1 && aligned(N * columns * size) + aligned(columns * 12) > sbHalf { columns = (columns + 1) / 2 }
        var pixels = min(B * T, extent, nbinHalf / max(N * size, 1))
        guard aligned(N * columns * size) + aligned(columns * 12) <= sbHalf, pixels >= 1 else {
            throw fail("one input vector (\(N) x \(size) bytes) or one weight column does not fit half of NBin / SB")
        }
        while aligned(pixels * columns * 4) + aligned(pixels * columns * 2) > nboutHalf {
            if pixels > 1 { pixels = (pixels + 1) / 2 } else if columns > 1 { columns = (columns + 1) / 2 } else { break }
        }
        guard aligned(pixels * columns * 4) + aligned(pixels * columns * 2) <= nboutHalf else { throw fail("NBout cannot hold a projection tile") }
        while pixels * 2 <= B * T && aligned(pixels * 2 * columns * 4) + aligned(pixels * 2 * columns * 2) <= nboutHalf
                && pixels * 2 * N * size <= nbinHalf && pixels * 2 <= extent { pixels *= 2 }
        pixels = min(pixels, B * T)
        (projectionColumns, projectionPixels) = (columns, pixels)
        projectionRecordsOffset = aligned(N * columns * size)
        projectionSBSlot = projectionRecordsOffset + aligned(columns * 12)
        projectionNBinSlot = aligned(pixels * N * size)
        projectionResultOffset = aligned(pixels * columns * 4)
        projectionNBoutSlot = projectionResultOffset + aligned(pixels * columns * 2)

        // Phase 2: the group of sequences whose hidden-state buffers NBin holds and whose working
        // set for one hidden unit NBout holds; then the largest block for that group.
        guard H <= extent, B <= extent else { throw fail("hidden size and batch must be below 65536") }
        sigmoidOffset = 0
        tanhOffset = aligned(tableBytes)
        weightsBase = tanhOffset + aligned(tableBytes)
        let residentBytes = aligned(H * GH * size) + aligned(GH * 12) + aligned(peepholeCount * H * 2)
        resident = weightsBase + residentBytes <= config.sb.capacityBytes
        // A unit (a block of a pass) holds its pass's gates only: the slots are sized for the widest pass.
        let slotGates = passes.map(\.count).max()!
        func sbSlot(_ block: Int) -> Int {
            aligned(slotGates * H * block * size) + aligned(slotGates * block * 12) + aligned(peepholeCount * block * 2)
        }
        // (A given initial state passes through the state region on its way in.)
        let hasState: Bool = switch r.cell {
        case .lstm, .gru: true
        case .rnn: initialState
        }
        func stateSize(_ group: Int) -> Int { hasState ? aligned(group * H * 2) : 0 }
        func nboutSlot(_ block: Int, _ group: Int) -> Int {
            aligned(slotGates * group * block * 4) + 2 * aligned(slotGates * group * block * 2) + 4 * aligned(group * block * 2)
        }
        func fits(_ block: Int, _ group: Int) -> Bool {
            hiddenBuffers * aligned(group * H * size) <= config.nbin.capacityBytes
                && stateSize(group) + 2 * nboutSlot(block, group) <= config.nbout.capacityBytes
                && (resident || weightsBase + 2 * sbSlot(block) <= config.sb.capacityBytes)
        }
        guard let largestGroup = stride(from: B, through: 1, by: -1).first(where: { fits(1, $0) }) else {
            throw fail("NBin, NBout or SB cannot hold the state and working set of one sequence's hidden unit")
        }
        group = largestGroup
        hidden = (0..<hiddenBuffers).map { $0 * aligned(group * H * size) }
        stateBytes = stateSize(group)
        // The largest block that fits: H, else a multiple of the array's columns (each gate's
        // matmul then fills whole column folds), else fewer units.
        let columnsOfArray = config.array.cols
        let candidates = [H] + stride(from: (H - 1) / columnsOfArray * columnsOfArray, through: columnsOfArray, by: -columnsOfArray)
            + Array(stride(from: min(H, columnsOfArray) - 1, through: 1, by: -1))
        let block = candidates.first { fits($0, group) } ?? 1
        hiddenBlock = block
        slot = nboutSlot(block, group)
        state = slot
        accumulators = 0
        preactivations = aligned(slotGates * group * block * 4)
        projection = preactivations + aligned(slotGates * group * block * 2)
        var offset = projection + aligned(slotGates * group * block * 2)
        for index in 0..<4 {
            temporaries[index] = offset
            offset += aligned(group * block * 2)
        }
        if resident {
            weightsSlot = residentBytes
            recordsOffset = aligned(H * GH * size)
            peepholesOffset = recordsOffset + aligned(GH * 12)
        } else {
            weightsSlot = sbSlot(block)
            recordsOffset = aligned(slotGates * H * block * size)
            peepholesOffset = recordsOffset + aligned(slotGates * block * 12)
        }
    }
}
