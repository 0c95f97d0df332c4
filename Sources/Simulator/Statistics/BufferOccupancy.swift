import ISA

/// How many bytes of each on-chip buffer hold live data during a run: an estimate derived after
/// the run from the instructions' buffer regions and their timeline, for the traces' occupancy
/// counters and the reports' peaks (`Statistics.bufferPeakBytes`). (A buffer is a flat address
/// space the compiler manages, so liveness is read from its instructions, not tracked per byte.)
///
/// The approximation, over the fetched instructions in program order (the order of their data
/// effects):
/// - a **write** (a `load` into the buffer; a compute instruction's output region) makes its
///   bytes one *block*, live from the writer's start;
/// - a **read** (a compute operand; a `store` from the buffer) keeps every block it touches live
///   until the reader completes;
/// - a block dies at its last read's completion (a block nobody reads: at its writer's
///   completion); a later write to any of its bytes replaces it whole, so later reads no longer
///   extend it (when that writer also reads the block, an accumulating `matmul`, the block lives
///   until the writer starts and its successor takes over from there).
/// Regions are the hulls `BufferAccesses` uses (pitch gaps included) and a partly overwritten
/// block is dropped whole, so the figure estimates the working set; it is not a byte count.
public struct BufferOccupancy: Sendable {
    /// Bytes `address ..< address + bytes` of `buffer`, live over cycles `start ..< end`.
    public struct Block: Equatable, Sendable {
        public var buffer: BufferID
        public var address: Int
        public var bytes: Int
        public var start: Int
        public var end: Int
    }

    /// Every block of the run, in order of death.
    public private(set) var blocks: [Block] = []

    /// The most bytes of each buffer (`BufferID.rawValue`) live at once: the peak of the sum of
    /// the live blocks (a block ending at a cycle frees its bytes before one starting then takes them).
    public var peakBytes: [Int] {
        BufferID.allCases.map { buffer in
            let changes = blocks.filter { $0.buffer == buffer && $0.end > $0.start }
                .flatMap { [($0.start, $0.bytes), ($0.end, -$0.bytes)] }
                .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            var live = 0, peak = 0
            for change in changes {
                live += change.1
                peak = max(peak, live)
            }
            return peak
        }
    }

    /// Live blocks per buffer (`BufferID.rawValue`), disjoint and sorted by address.
    private var live: [[Block]] = [[], [], []]

    /// The blocks of a run of `program` whose timeline is `timeline`, on `config`.
    public init(program: Program, timeline: Timeline, config: HardwareConfig) {
        var dataType = config.dataType
        for entry in timeline {
            let operation = program.instructions[entry.index].operation
            var reads = BufferSpans(), writes = BufferSpans()
            switch operation {
            case .load(let transfer):
                writes.add(transfer.buffer, transfer.bufferAddress, bytes: Self.paddedBytes(transfer))
            case .store(let transfer):
                reads.add(transfer.buffer, transfer.bufferAddress,
                          bytes: transfer.xSize * transfer.ySize * transfer.zSize * transfer.type.byteSize)
            case .setDataType(let setting):
                dataType = setting.dataType
            default:
                let accesses = BufferAccesses(operation, dataType: dataType)
                (reads, writes) = (accesses.reads, accesses.writes)
            }
            for buffer in BufferID.allCases {
                record(buffer, reads: reads[buffer], writes: writes[buffer], start: entry.start, end: entry.end)
            }
        }
        for buffer in live.indices { blocks += live[buffer] }
        live = [[], [], []]
    }

    /// Bytes a load writes into its buffer: the box with its padding.
    static func paddedBytes(_ transfer: Transfer) -> Int {
        (transfer.xPadBefore + transfer.xSize + transfer.xPadAfter) * (transfer.yPadBefore + transfer.ySize + transfer.yPadAfter)
            * (transfer.zPadBefore + transfer.zSize + transfer.zPadAfter) * transfer.type.byteSize
    }

    /// Applies one instruction's read and write spans of `buffer` (empty: `low >= high`).
    private mutating func record(_ buffer: BufferID, reads: (low: Int, high: Int), writes: (low: Int, high: Int),
                                 start: Int, end: Int) {
        var blocks = live[buffer.rawValue]
        live[buffer.rawValue] = []   // (no copy on write below)
        if writes.low < writes.high {
            let range = overlapping(blocks, writes.low, writes.high)
            for var block in blocks[range] {
                if reads.low < reads.high && max(block.address, reads.low) < min(block.address + block.bytes, reads.high) {
                    block.end = max(block.end, start)
                }
                self.blocks.append(block)   // replaced: dead
            }
            blocks.removeSubrange(range)
        }
        if reads.low < reads.high {
            for index in overlapping(blocks, reads.low, reads.high) { blocks[index].end = max(blocks[index].end, end) }
        }
        if writes.low < writes.high {
            let position = blocks.partitionPoint { $0.address < writes.low }
            blocks.insert(Block(buffer: buffer, address: writes.low, bytes: writes.high - writes.low, start: start, end: end), at: position)
        }
        live[buffer.rawValue] = blocks
    }

    /// Indices of the blocks sharing a byte with `low ..< high` (blocks are disjoint and sorted).
    private func overlapping(_ blocks: [Block], _ low: Int, _ high: Int) -> Range<Int> {
        let first = blocks.partitionPoint { $0.address + $0.bytes <= low }
        var last = first
        while last < blocks.count && blocks[last].address < high { last += 1 }
        return first..<last
    }
}

extension Array {
    /// The first index whose element does not satisfy `belongsBefore` (the elements satisfying it
    /// come first).
    func partitionPoint(_ belongsBefore: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsBefore(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
