import ISA

/// The data side of the machine: the three buffers, DRAM, the PWL table slots and the
/// configuration registers. `execute` performs one instruction's effect on them; timing is
/// the scheduler's business. Only functional runs create one.
///
/// The buffers live in one zero-initialised allocation (NBin, then SB, then NBout), so an
/// instruction whose operands share a buffer reads and writes through plain pointers. Every
/// access was checked against the capacities by `PlanBuilder` before the run started.
final class FunctionalMachine {
    private(set) var dram: DRAMImage
    private let scratch: UnsafeMutableRawBufferPointer
    private let bufferOffsets: [Int]
    /// PWL table slots, filled by `pwl.load`.
    private(set) var tables: [PWLTable?] = Array(repeating: nil, count: PlanBuilder.tableSlots)
    /// The `cfg.requant` registers (initially: multiplier 1, shift 0, zero point 0, full int32 clamp).
    private(set) var requantization = RequantizationParameters()
    /// The matrix unit's mode, set by `cfg.dtype` (initially the configuration's data type).
    private(set) var dataType: DataType

    init(config: HardwareConfig, dram: DRAMImage, dramExtent: Int) {
        let capacities = BufferID.allCases.map { config.buffer($0).capacityBytes }
        bufferOffsets = [0, capacities[0], capacities[0] + capacities[1]]
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: capacities.reduce(0, +), alignment: 16)
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        self.dram = dram
        self.dram.reserve(upTo: dramExtent)
        dataType = config.dataType
    }

    deinit { scratch.deallocate() }

    /// The address of byte `address` of `buffer`.
    func pointer(_ buffer: BufferID, _ address: Int) -> UnsafeMutableRawPointer {
        scratch.baseAddress! + bufferOffsets[buffer.rawValue] + address
    }

    /// Performs the data effect of instruction `index`, naming it in the error for data it cannot use.
    func execute(_ instruction: Instruction, index: Int) throws(SimulationError) {
        do {
            try execute(instruction)
        } catch {
            throw .invalidInstruction(index: index, text: Disassembler.text(of: instruction), problem: error.message)
        }
    }

    /// Performs the data effect of `instruction`; throws a `Problem` for data it cannot use.
    private func execute(_ instruction: Instruction) throws(Problem) {
        switch instruction.operation {
        case .halt, .layer, .nop: break
        case .load(let transfer): load(transfer)
        case .store(let transfer): store(transfer)
        case .matmul(let tile): matmul(tile)
        case .pool(let pool): self.pool(pool)
        case .vector(let vector): try self.vector(vector)
        case .setDataType(let setting): dataType = setting.dataType
        case .setRequantization(let parameters): requantization = parameters
        case .loadPWL(let load):
            let bytes = UnsafeRawBufferPointer(start: pointer(load.buffer, load.address), count: load.segments * PWLTable.bytesPerSegment)
            tables[load.table] = PWLTable(bytes: bytes, count: load.segments, shift: load.shift)
        }
    }

    // MARK: - DMA

    /// DRAM -> buffer: the padded box is filled with the pad value, then each DRAM row is copied in.
    private func load(_ transfer: Transfer) {
        let size = transfer.type.byteSize
        let destination = pointer(transfer.buffer, transfer.bufferAddress)
        if transfer.bufferBytes != transfer.payloadBytes {
            let pad = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { pad.deallocate() }
            ElementCodec.store(integer: Int64(transfer.padValue), to: pad, transfer.type)
            for element in 0..<(transfer.bufferBytes / size) {
                (destination + element * size).copyMemory(from: pad, byteCount: size)
            }
        }
        let rowBytes = transfer.xSize * size
        let (rowStride, planeStride) = Self.strides(transfer)
        dram.storage.withUnsafeBytes { dramBytes in
            let source = dramBytes.baseAddress! + transfer.dramAddress
            for z in 0..<transfer.zSize {
                for y in 0..<transfer.ySize {
                    let from = (z * planeStride + y * rowStride) * size
                    let to = (((z + transfer.zPadBefore) * transfer.paddedY + y + transfer.yPadBefore) * transfer.paddedX
                              + transfer.xPadBefore) * size
                    (destination + to).copyMemory(from: source + from, byteCount: rowBytes)
                }
            }
        }
    }

    /// Buffer -> DRAM: the dense box is copied out row by row, in z, y order.
    private func store(_ transfer: Transfer) {
        let size = transfer.type.byteSize
        let source = UnsafeRawPointer(pointer(transfer.buffer, transfer.bufferAddress))
        let rowBytes = transfer.xSize * size
        let (rowStride, planeStride) = Self.strides(transfer)
        dram.storage.withUnsafeMutableBytes { dramBytes in
            let destination = dramBytes.baseAddress! + transfer.dramAddress
            for z in 0..<transfer.zSize {
                for y in 0..<transfer.ySize {
                    let to = (z * planeStride + y * rowStride) * size
                    (destination + to).copyMemory(from: source + (z * transfer.ySize + y) * rowBytes, byteCount: rowBytes)
                }
            }
        }
    }

    /// DRAM row and plane strides in elements; a stride that is never applied (one row, one
    /// plane) is 0, since only the applied ones were checked against the DRAM capacity.
    private static func strides(_ transfer: Transfer) -> (row: Int, plane: Int) {
        (transfer.ySize > 1 ? transfer.effectiveYStride : 0, transfer.zSize > 1 ? transfer.effectiveZStride : 0)
    }
}
