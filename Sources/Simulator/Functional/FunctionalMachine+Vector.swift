import ISA

extension FunctionalMachine {
    /// `pool.max` / `pool.sum`, as `PoolWindow` specifies it. Integer sources reduce exactly in
    /// `Int64` and are narrowed with saturation; float sources reduce in fp32 starting from the
    /// window's first element, then r, s ascending (max with `ElementwiseOperation.maximum`).
    func pool(_ pool: PoolWindow) {
        let sourceType = pool.sourceType, destinationType = pool.destinationType
        let sourceSize = sourceType.byteSize, destinationSize = destinationType.byteSize
        let source = pointer(pool.sourceBuffer, pool.sourceAddress)
        let destination = pointer(pool.destinationBuffer, pool.destinationAddress)
        let operation: ElementwiseOperation = pool.function == .maximum ? .maximum : .add
        for oy in 0..<pool.outputHeight {
            for ox in 0..<pool.outputWidth {
                let outputPixel = destination + (oy * pool.outputWidth + ox) * pool.effectiveOutputPitch * destinationSize
                for channel in 0..<pool.channels {
                    func element(_ r: Int, _ s: Int) -> UnsafeRawPointer {
                        let pixel = (oy * pool.strideY + r) * pool.inputWidth + ox * pool.strideX + s
                        return UnsafeRawPointer(source + (pixel * pool.effectiveInputPitch + channel) * sourceSize)
                    }
                    let target = outputPixel + channel * destinationSize
                    if sourceType.isFloatingPoint {
                        var value = ElementCodec.loadFloat(element(0, 0), sourceType)
                        for r in 0..<pool.windowHeight {
                            for s in 0..<pool.windowWidth where r > 0 || s > 0 {
                                value = operation.apply(value, ElementCodec.loadFloat(element(r, s), sourceType))
                            }
                        }
                        ElementCodec.store(float: value, to: target, destinationType)
                    } else {
                        var value = ElementCodec.loadInteger(element(0, 0), sourceType)
                        for r in 0..<pool.windowHeight {
                            for s in 0..<pool.windowWidth where r > 0 || s > 0 {
                                value = operation.apply(value, ElementCodec.loadInteger(element(r, s), sourceType), shift: 0)
                            }
                        }
                        ElementCodec.store(integer: value, to: target, destinationType)
                    }
                }
            }
        }
    }

    /// A vector-unit instruction, as `VectorOperation` specifies it: row by row, each row's
    /// elements in ascending order. Integer sources compute in `Int64` and narrow with saturation
    /// (`ElementCodec.store(integer:)`); float sources compute in fp32 and round on store.
    ///
    /// Operand details: immediates are `imm` (`vclamp`: `lo` = `imm`, `hi` = `imm2`), converted
    /// to fp32 for float sources; `shift` applies to `vmul` / `vmuli` only; `vrequant` uses the
    /// `cfg.requant` registers; `vrequantc` takes (multiplier, shift[, bias]) for column j from the
    /// int32 record at `b + record * j` of B's row (row i of B at `b + record * i * b_pitch`, or
    /// row 0 with `b_bcast`; `record` is 8 bytes, or 12 with `bias`)
    /// and the zero point and clamp bounds from the registers; `vpwl` evaluates table `table`
    /// in integer arithmetic for integer sources and in fp32 for float sources.
    func vector(_ vector: VectorOperation) throws(Problem) {
        let function = vector.function
        let sourceType = vector.sourceType, destinationType = vector.destinationType
        let sourceSize = sourceType.byteSize, destinationSize = destinationType.byteSize
        let bElementSize = function == .requantizePerChannel ? vector.perChannelRecordBytes : sourceSize
        let table = function == .piecewiseLinear ? tables[vector.table] : nil
        let shift = function == .multiply || function == .multiplyImmediate ? vector.shift : 0
        let registers = requantization
        for row in 0..<vector.rows {
            let a = UnsafeRawPointer(pointer(vector.aBuffer, vector.aAddress + row * vector.effectiveAPitch * sourceSize))
            let bRow = function.readsB ? vector.bAddress + (vector.broadcastB ? 0 : row) * vector.effectiveBPitch * bElementSize : 0
            let b = UnsafeRawPointer(pointer(vector.bBuffer, bRow))
            let destination = pointer(vector.destinationBuffer, vector.destinationAddress + row * vector.effectiveDestinationPitch * destinationSize)
            for column in 0..<vector.columns {
                let target = destination + column * destinationSize
                let bElement = b + column * bElementSize
                if sourceType.isFloatingPoint {
                    let x = ElementCodec.loadFloat(a + column * sourceSize, sourceType)
                    let result: Float = switch function {
                    case .add, .subtract, .multiply, .maximum, .minimum:
                        function.elementwise!.apply(x, ElementCodec.loadFloat(bElement, sourceType))
                    case .addImmediate, .subtractImmediate, .multiplyImmediate, .maximumImmediate, .minimumImmediate:
                        function.elementwise!.apply(x, Float(vector.immediate))
                    case .clamp:
                        ElementwiseOperation.minimum.apply(ElementwiseOperation.maximum.apply(x, Float(vector.immediate)), Float(vector.immediate2))
                    case .relu: ElementwiseOperation.maximum.apply(x, 0)
                    case .copy: x
                    case .piecewiseLinear: table!.evaluate(x)
                    case .requantize, .requantizePerChannel: x  // rejected for float sources by the ISA rules
                    }
                    ElementCodec.store(float: result, to: target, destinationType)
                } else {
                    let x = ElementCodec.loadInteger(a + column * sourceSize, sourceType)
                    let result: Int64
                    switch function {
                    case .add, .subtract, .multiply, .maximum, .minimum:
                        result = function.elementwise!.apply(x, ElementCodec.loadInteger(bElement, sourceType), shift: shift)
                    case .addImmediate, .subtractImmediate, .multiplyImmediate, .maximumImmediate, .minimumImmediate:
                        result = function.elementwise!.apply(x, Int64(vector.immediate), shift: shift)
                    case .requantize:
                        result = Arithmetic.requantize(x, multiplier: Int64(registers.multiplier), shift: registers.shift,
                                                       zeroPoint: Int64(registers.zeroPoint),
                                                       low: Int64(registers.low), high: Int64(registers.high))
                    case .requantizePerChannel:
                        let multiplier = ElementCodec.loadInteger(bElement, .int32)
                        let channelShift = ElementCodec.loadInteger(bElement + 4, .int32)
                        guard (0...62).contains(channelShift) else {
                            let address = vector.bAddress + ((vector.broadcastB ? 0 : row * vector.effectiveBPitch) + column) * bElementSize + 4
                            throw Problem("the per-channel shift \(channelShift) of column \(column) (\(vector.bBuffer) \(hex(address))) is outside 0...62")
                        }
                        let biased = vector.withBias
                            ? Arithmetic.saturate(x + ElementCodec.loadInteger(bElement + 8, .int32), to: .int32) : x
                        result = Arithmetic.requantize(biased, multiplier: multiplier, shift: Int(channelShift),
                                                       zeroPoint: Int64(registers.zeroPoint),
                                                       low: Int64(registers.low), high: Int64(registers.high))
                    case .clamp:
                        result = min(max(x, Int64(vector.immediate)), Int64(vector.immediate2))
                    case .relu: result = max(x, 0)
                    case .copy: result = x
                    case .piecewiseLinear:
                        // x is within int32 and a table's words are int32, so |slope * (x - start)|
                        // <= 2^31 * (2^32 - 1) and the sum with the intercept stays within Int64.
                        result = table!.evaluate(x)
                    }
                    ElementCodec.store(integer: result, to: target, destinationType)
                }
            }
        }
    }
}
