import ISA

/// The conditions the simulator needs to run an instruction as its payload documents: sizes of
/// at least 1, non-negative addresses, pitches and strides, windows inside their tiles, shifts in
/// 0...62, 32-bit registers and immediates, legal dependency flags. Together with the capacity
/// checks of `PlanBuilder` (done in saturating arithmetic) they make every later computation
/// safe from overflow and out-of-range access, whatever values a program built in Swift holds.
///
/// The ISA's own `InstructionRules.check` says the same and more (every field fits its width),
/// but costs microseconds per instruction; a decoded program has passed it already. The plan
/// builder calls it only to phrase the error when this check fails, so errors read as the ISA's.
/// Values that fit no field but are otherwise sound (say, a 70,000-element row that fits the
/// buffer) are simulated; the encoder rejects them.
enum InstructionCheck {
    static func check(_ instruction: Instruction) throws(Problem) {
        try checkDependencies(instruction)
        switch instruction.operation {
        case .halt, .layer, .nop, .setDataType:
            break
        case .load(let transfer), .store(let transfer):
            try atLeastOne(transfer.xSize, transfer.ySize, transfer.zSize)
            try nonNegative(transfer.dramAddress, transfer.bufferAddress, transfer.yStride, transfer.zStride,
                            transfer.xPadBefore, transfer.xPadAfter, transfer.yPadBefore, transfer.yPadAfter,
                            transfer.zPadBefore, transfer.zPadAfter)
        case .matmul(let tile):
            try nonNegative(tile.inputAddress, tile.weightAddress, tile.outputAddress, tile.inputPitch, tile.outputPitch, tile.weightPitch)
            try atLeastOne(tile.inputWidth, tile.channels, tile.outputHeight, tile.outputWidth, tile.outputChannels,
                           tile.kernelHeight, tile.kernelWidth, tile.strideY, tile.strideX, tile.dilationY, tile.dilationX)
            let reached = (tile.outputWidth - 1).times(tile.strideX).plus((tile.kernelWidth - 1).times(tile.dilationX)).plus(1)
            try require(reached <= tile.inputWidth, "the window reaches \(reached) input columns but in_w is \(tile.inputWidth)")
            try pitch(tile.inputPitch, holds: tile.channels)
            try pitch(tile.outputPitch, holds: tile.outputChannels)
            try pitch(tile.weightPitch, holds: tile.outputChannels)
        case .pool(let pool):
            try nonNegative(pool.sourceAddress, pool.destinationAddress, pool.inputPitch, pool.outputPitch)
            try atLeastOne(pool.channels, pool.inputWidth, pool.outputHeight, pool.outputWidth,
                           pool.windowHeight, pool.windowWidth, pool.strideY, pool.strideX)
            let reached = (pool.outputWidth - 1).times(pool.strideX).plus(pool.windowWidth)
            try require(reached <= pool.inputWidth, "the window reaches \(reached) input columns but in_w is \(pool.inputWidth)")
            try pitch(pool.inputPitch, holds: pool.channels)
            try pitch(pool.outputPitch, holds: pool.channels)
        case .vector(let vector):
            try checkVector(vector)
        case .setRequantization(let parameters):
            try int32(parameters.multiplier, parameters.zeroPoint, parameters.low, parameters.high)
            try shift(parameters.shift)
        case .loadPWL(let load):
            try nonNegative(load.address)
            try require((0..<PlanBuilder.tableSlots).contains(load.table), "table slot \(load.table) is not 0...\(PlanBuilder.tableSlots - 1)")
            try require((1...PWLTable.maximumSegments).contains(load.segments), "segments \(load.segments) is not 1...\(PWLTable.maximumSegments)")
            try shift(load.shift)
        }
    }

    private static func checkVector(_ vector: VectorOperation) throws(Problem) {
        let function = vector.function
        try nonNegative(vector.aAddress, vector.destinationAddress, vector.aPitch, vector.destinationPitch)
        try atLeastOne(vector.columns, vector.rows)
        try pitch(vector.aPitch, holds: vector.columns)
        try pitch(vector.destinationPitch, holds: vector.columns)
        if function.readsB {
            try nonNegative(vector.bAddress, vector.bPitch)
            try pitch(vector.bPitch, holds: vector.columns)
        }
        switch function {
        case .multiply, .multiplyImmediate:
            try shift(vector.shift)
            try require(vector.shift == 0 || !vector.sourceType.isFloatingPoint, "shift applies to integer types only")
        case .requantize, .requantizePerChannel:
            try require(!vector.sourceType.isFloatingPoint, "requantization takes an integer source type")
        case .piecewiseLinear:
            try require((0..<PlanBuilder.tableSlots).contains(vector.table), "table slot \(vector.table) is not 0...\(PlanBuilder.tableSlots - 1)")
        default:
            break
        }
        if function.elementwise != nil && !function.readsB { try int32(vector.immediate) }
        if function == .clamp { try int32(vector.immediate, vector.immediate2) }
    }

    private static func checkDependencies(_ instruction: Instruction) throws(Problem) {
        let flags = instruction.dependencies
        try require(flags.isSubset(of: [.popPrevious, .popNext, .pushPrevious, .pushNext]), "unknown dependency flags \(flags.rawValue)")
        guard let engine = instruction.operation.engine else {
            try require(flags.isEmpty, "takes no dependency flags (it runs on no engine)")
            return
        }
        if engine.previous == nil { try require(flags.isDisjoint(with: [.popPrevious, .pushPrevious]), "the \(engine) engine has no previous engine") }
        if engine.next == nil { try require(flags.isDisjoint(with: [.popNext, .pushNext]), "the \(engine) engine has no next engine") }
    }

    private static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(Problem) {
        if !condition { throw Problem(message()) }
    }

    private static func atLeastOne(_ values: Int...) throws(Problem) {
        for value in values where value < 1 { throw Problem("a size of \(value) is less than 1") }
    }

    private static func nonNegative(_ values: Int...) throws(Problem) {
        for value in values where value < 0 { throw Problem("an address, pitch or stride of \(value) is negative") }
    }

    private static func int32(_ values: Int...) throws(Problem) {
        for value in values where Int32(exactly: value) == nil { throw Problem("\(value) does not fit a 32-bit register") }
    }

    private static func shift(_ value: Int) throws(Problem) {
        try require((0...62).contains(value), "shift \(value) is not 0...62")
    }

    private static func pitch(_ pitch: Int, holds length: Int) throws(Problem) {
        try require(pitch == 0 || pitch >= length, "a pitch of \(pitch) is less than its row of \(length)")
    }
}

extension Operation {
    /// The engine that executes it (`nil` for `layer` and `halt`), without the opcode table's search.
    var engine: Engine? {
        switch self {
        case .halt, .layer: nil
        case .nop(let nop): nop.engine
        case .load: .load
        case .store: .store
        case .matmul, .pool, .vector, .setDataType, .setRequantization, .loadPWL: .compute
        }
    }
}

extension Int {
    /// Saturating arithmetic on non-negative values: sticks at `Int.max` instead of trapping, so
    /// that an absurd field value fails a capacity check instead of crashing the simulator.
    func times(_ other: Int) -> Int {
        let (result, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : result
    }

    func plus(_ other: Int) -> Int {
        let (result, overflow) = addingReportingOverflow(other)
        return overflow ? .max : result
    }
}
