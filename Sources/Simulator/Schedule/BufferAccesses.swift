import ISA

/// The on-chip bytes a compute instruction reads and writes, for the compute engine's hazard
/// scoreboard: per buffer, one [low, high) span of the bytes it reads and one of the bytes it
/// writes. A span is the hull of the operand regions in that buffer (from the first byte of an
/// operand to one past its last, pitch gaps included), so the test is conservative: two
/// instructions may be found to conflict where their elements interleave without touching.
///
/// Two instructions conflict when one writes bytes of a buffer that the other reads or writes
/// (read-after-write, write-after-read, write-after-write). Register state (`cfg.dtype`,
/// `cfg.requant`, PWL table slots) needs no scoreboard: it lives in the unit that uses it, and a
/// unit executes in order.
///
/// The regions are those `PlanBuilder` checks against the capacities, derived here from the
/// payload structs; they are computed after that check, so the arithmetic cannot overflow.
struct BufferAccesses {
    var reads = BufferSpans()
    var writes = BufferSpans()

    /// The accesses of a compute-engine operation; `dataType` is the `cfg.dtype` in force (it sets
    /// `matmul`'s operand and accumulator sizes). Configuration instructions and `nop` access no buffer.
    init(_ operation: Operation, dataType: DataType) {
        switch operation {
        case .matmul(let tile): addMatrix(tile, dataType: dataType)
        case .pool(let pool): addPool(pool)
        case .vector(let vector): addVector(vector)
        case .loadPWL(let load): reads.add(load.buffer, load.address, bytes: load.segments * PWLTable.bytesPerSegment)
        case .halt, .layer, .nop, .load, .store, .setDataType, .setRequantization: break
        }
    }

    private mutating func addMatrix(_ tile: MatrixTile, dataType: DataType) {
        let operand = dataType.operandType.byteSize, accumulator = dataType.accumulatorType.byteSize
        let inputElements = ((tile.inputHeight - 1) * tile.inputWidth + tile.inputColumnsReached - 1) * tile.effectiveInputPitch
            + tile.channels
        reads.add(.nbin, tile.inputAddress, bytes: inputElements * operand)
        let weightElements = (tile.reductionLength - 1) * tile.effectiveWeightPitch + tile.outputChannels
        reads.add(.sb, tile.weightAddress, bytes: weightElements * operand)
        let outputBytes = ((tile.outputPixels - 1) * tile.effectiveOutputPitch + tile.outputChannels) * accumulator
        writes.add(.nbout, tile.outputAddress, bytes: outputBytes)
        if tile.accumulate { reads.add(.nbout, tile.outputAddress, bytes: outputBytes) }
    }

    private mutating func addPool(_ pool: PoolWindow) {
        let inputElements = ((pool.inputHeight - 1) * pool.inputWidth + pool.inputColumnsReached - 1) * pool.effectiveInputPitch
            + pool.channels
        reads.add(pool.sourceBuffer, pool.sourceAddress, bytes: inputElements * pool.sourceType.byteSize)
        let outputElements = (pool.outputHeight * pool.outputWidth - 1) * pool.effectiveOutputPitch + pool.channels
        writes.add(pool.destinationBuffer, pool.destinationAddress, bytes: outputElements * pool.destinationType.byteSize)
    }

    private mutating func addVector(_ vector: VectorOperation) {
        /// Bytes from the first element of a `rows x columns` region to one past its last.
        func extent(rows: Int, pitch: Int, elementBytes: Int) -> Int { ((rows - 1) * pitch + vector.columns) * elementBytes }
        reads.add(vector.aBuffer, vector.aAddress,
                  bytes: extent(rows: vector.rows, pitch: vector.effectiveAPitch, elementBytes: vector.sourceType.byteSize))
        if vector.function.readsB {
            let elementBytes = vector.function == .requantizePerChannel ? vector.perChannelRecordBytes : vector.sourceType.byteSize
            reads.add(vector.bBuffer, vector.bAddress,
                      bytes: extent(rows: vector.broadcastB ? 1 : vector.rows, pitch: vector.effectiveBPitch, elementBytes: elementBytes))
        }
        writes.add(vector.destinationBuffer, vector.destinationAddress,
                   bytes: extent(rows: vector.rows, pitch: vector.effectiveDestinationPitch, elementBytes: vector.destinationType.byteSize))
    }

    /// Whether one of the two writes bytes that the other reads or writes.
    func conflicts(with other: BufferAccesses) -> Bool {
        writes.overlaps(other.reads) || writes.overlaps(other.writes) || reads.overlaps(other.writes)
    }
}

/// One [low, high) byte span per buffer (empty where nothing is accessed).
struct BufferSpans {
    private var low = (0, 0, 0)
    private var high = (0, 0, 0)

    /// Widens the buffer's span to cover bytes `address ..< address + bytes`.
    mutating func add(_ buffer: BufferID, _ address: Int, bytes: Int) {
        guard bytes > 0 else { return }
        let (oldLow, oldHigh) = self[buffer]
        self[buffer] = oldLow < oldHigh ? (min(oldLow, address), max(oldHigh, address + bytes)) : (address, address + bytes)
    }

    /// Whether some buffer's spans in `self` and `other` share a byte.
    func overlaps(_ other: BufferSpans) -> Bool {
        BufferID.allCases.contains { buffer in
            let (a, b) = (self[buffer], other[buffer])
            return max(a.low, b.low) < min(a.high, b.high)
        }
    }

    subscript(buffer: BufferID) -> (low: Int, high: Int) {
        get {
            switch buffer {
            case .nbin: (low.0, high.0)
            case .sb: (low.1, high.1)
            case .nbout: (low.2, high.2)
            }
        }
        set {
            switch buffer {
            case .nbin: (low.0, high.0) = newValue
            case .sb: (low.1, high.1) = newValue
            case .nbout: (low.2, high.2) = newValue
            }
        }
    }
}
