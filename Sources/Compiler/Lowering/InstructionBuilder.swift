import ISA

/// Builders of instructions, so the code generators read as the data flow they implement.
enum InstructionBuilder {
    /// A DMA of `rows` rows of `x` elements: DRAM rows `rowStride` elements apart, dense in the buffer.
    static func transfer(_ buffer: BufferID, _ type: ElementType, dram: Int, address: Int, x: Int, rows: Int = 1,
                         rowStride: Int = 0) -> Transfer {
        var t = Transfer()
        t.buffer = buffer
        t.type = type
        t.dramAddress = dram
        t.bufferAddress = address
        t.xSize = x
        t.ySize = rows
        t.yStride = rows > 1 ? rowStride : 0
        return t
    }

    /// A vector operation over `rows` rows of `columns` elements; operands are (buffer, address,
    /// row pitch in elements: 0 = packed).
    static func vector(_ function: VectorOperation.Function, destination: (BufferID, Int, Int), a: (BufferID, Int, Int),
                       b: (BufferID, Int, Int)? = nil, from: ElementType, to: ElementType, columns: Int, rows: Int,
                       immediate: Int = 0, immediate2: Int = 0, shift: Int = 0, table: Int = 0, broadcastB: Bool = false,
                       withBias: Bool = false) -> Operation {
        var v = VectorOperation()
        v.function = function
        (v.destinationBuffer, v.destinationAddress, v.destinationPitch) = destination
        (v.aBuffer, v.aAddress, v.aPitch) = a
        if let b { (v.bBuffer, v.bAddress, v.bPitch) = b }
        v.sourceType = from
        v.destinationType = to
        v.columns = columns
        v.rows = rows
        v.immediate = immediate
        v.immediate2 = immediate2
        v.shift = shift
        v.table = table
        v.broadcastB = broadcastB
        v.withBias = withBias
        return .vector(v)
    }

    /// `vclamp lo=hi=value`: fills a region with `value` whatever it held.
    static func fill(_ buffer: BufferID, _ address: Int, type: ElementType, columns: Int, rows: Int, value: Int) -> Operation {
        vector(.clamp, destination: (buffer, address, 0), a: (buffer, address, 0), from: type, to: type, columns: columns,
               rows: rows, immediate: value, immediate2: value)
    }

    /// A matrix product of `pixels` input vectors of `channels` (NBin, packed) by weights
    /// `[channels][k]` (SB, rows `weightPitch` elements apart; 0 = k) into NBout accumulators
    /// (pixels `outputPitch` elements apart; 0 = k).
    static func matmul(input: Int, pixels: Int, channels: Int, weights: Int, weightPitch: Int, k: Int, output: Int,
                       outputPitch: Int = 0) -> Operation {
        var m = MatrixTile()
        m.inputAddress = input
        m.inputWidth = pixels
        m.channels = channels
        m.outputWidth = pixels
        m.outputChannels = k
        m.weightAddress = weights
        m.weightPitch = weightPitch
        m.outputAddress = output
        m.outputPitch = outputPitch
        return .matmul(m)
    }

    static func requantization(_ registers: RequantRegisters) -> Operation { .setRequantization(registers.parameters) }
}
