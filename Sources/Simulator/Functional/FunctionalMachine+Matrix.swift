import ISA

extension FunctionalMachine {
    /// `matmul`, as `MatrixTile` specifies it. The weights and the reached input window are first
    /// gathered into dense arrays (pitches removed); then for each output pixel the accumulators
    /// of all K channels are updated for every (r, s, c) in ascending order, which keeps each
    /// accumulator's summation order the contract's: accumulator first, then r, s, c ascending.
    ///
    /// Integer modes: products (at most 2^30 in magnitude) summed exactly in `Int64`, stored to
    /// the int32 accumulator with wraparound (two's complement truncation, as `DataType` states).
    /// fp16 mode: products exact in fp32, summed in fp32 in that order.
    func matmul(_ tile: MatrixTile) {
        let operandType = dataType.operandType
        let operandSize = operandType.byteSize
        let (w, k, c) = (tile.reductionLength, tile.outputChannels, tile.channels)
        let (inputRows, inputColumns) = (tile.inputHeight, tile.inputColumnsReached)
        let weightBase = pointer(.sb, tile.weightAddress), inputBase = pointer(.nbin, tile.inputAddress)
        let weightPitch = tile.effectiveWeightPitch, inputPitch = tile.effectiveInputPitch
        let geometry = TileGeometry(tile: tile, inputColumns: inputColumns)
        let output = pointer(.nbout, tile.outputAddress)

        if dataType == .fp16 {
            let weights = gather(rows: w, columns: k) { ElementCodec.loadFloat(weightBase + ($0 * weightPitch + $1) * operandSize, operandType) }
            let input = gather(rows: inputRows * inputColumns, columns: c) { pixel, channel in
                let (y, x) = pixel.quotientAndRemainder(dividingBy: inputColumns)
                return ElementCodec.loadFloat(inputBase + ((y * tile.inputWidth + x) * inputPitch + channel) * operandSize, operandType)
            }
            geometry.run(input: input, weights: weights, output: output, skipZeros: false,
                         load: { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) },
                         store: { $0.storeBytes(of: $1.bitPattern.littleEndian, as: UInt32.self) })
        } else {
            let weights = gather(rows: w, columns: k) {
                Int32(truncatingIfNeeded: ElementCodec.loadInteger(weightBase + ($0 * weightPitch + $1) * operandSize, operandType))
            }
            let input = gather(rows: inputRows * inputColumns, columns: c) { pixel, channel in
                let (y, x) = pixel.quotientAndRemainder(dividingBy: inputColumns)
                return Int32(truncatingIfNeeded: ElementCodec.loadInteger(
                    inputBase + ((y * tile.inputWidth + x) * inputPitch + channel) * operandSize, operandType))
            }
            geometry.run(input: input, weights: weights, output: output, skipZeros: true,
                         load: { Int64(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) },
                         store: { $0.storeBytes(of: Int32(truncatingIfNeeded: $1).littleEndian, as: Int32.self) })
        }
    }

    /// A dense `rows x columns` array of `element(row, column)`.
    private func gather<Element>(rows: Int, columns: Int, _ element: (Int, Int) -> Element) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(rows * columns)
        for row in 0..<rows {
            for column in 0..<columns { result.append(element(row, column)) }
        }
        return result
    }
}

/// The loop nest of a matrix tile over dense operands.
private struct TileGeometry {
    let tile: MatrixTile
    /// Columns of the gathered input window.
    let inputColumns: Int

    /// Operand values multiply into accumulators of type `Accumulator`; `load` and `store` read
    /// and write one accumulator in NBout.
    func run<Operand: AccumulatingOperand>(
        input: [Operand], weights: [Operand], output: UnsafeMutableRawPointer, skipZeros: Bool,
        load: (UnsafeRawPointer) -> Operand.Accumulator, store: (UnsafeMutableRawPointer, Operand.Accumulator) -> Void
    ) {
        let (k, c) = (tile.outputChannels, tile.channels)
        let accumulatorSize = MemoryLayout<UInt32>.size
        let outputPitchBytes = tile.effectiveOutputPitch * accumulatorSize
        var accumulators = [Operand.Accumulator](repeating: .zero, count: k)
        input.withUnsafeBufferPointer { input in
            weights.withUnsafeBufferPointer { weights in
                accumulators.withUnsafeMutableBufferPointer { accumulators in
                    for oy in 0..<tile.outputHeight {
                        for ox in 0..<tile.outputWidth {
                            let pixel = output + (oy * tile.outputWidth + ox) * outputPitchBytes
                            for channel in 0..<k {
                                accumulators[channel] = tile.accumulate ? load(pixel + channel * accumulatorSize) : .zero
                            }
                            for r in 0..<tile.kernelHeight {
                                let y = oy * tile.strideY + r * tile.dilationY
                                for s in 0..<tile.kernelWidth {
                                    let x = ox * tile.strideX + s * tile.dilationX
                                    let inputRow = (y * inputColumns + x) * c
                                    let weightRow = (r * tile.kernelWidth + s) * c
                                    for channel in 0..<c {
                                        let value = input[inputRow + channel]
                                        if skipZeros && value == .zero { continue }
                                        let weightBase = (weightRow + channel) * k
                                        for outputChannel in 0..<k {
                                            Operand.multiplyAccumulate(&accumulators[outputChannel], value, weights[weightBase + outputChannel])
                                        }
                                    }
                                }
                            }
                            for channel in 0..<k { store(pixel + channel * accumulatorSize, accumulators[channel]) }
                        }
                    }
                }
            }
        }
    }
}

/// An operand type of the matrix unit and its accumulation rule.
private protocol AccumulatingOperand: AdditiveArithmetic {
    associatedtype Accumulator: AdditiveArithmetic
    static func multiplyAccumulate(_ accumulator: inout Accumulator, _ a: Self, _ b: Self)
}

extension Int32: AccumulatingOperand {
    typealias Accumulator = Int64
    /// Integer modes: the product of two int16 (or int8) values fits in 31 bits; the sum is exact in Int64.
    @inline(__always)
    static func multiplyAccumulate(_ accumulator: inout Int64, _ a: Int32, _ b: Int32) { accumulator &+= Int64(a &* b) }
}

extension Float: AccumulatingOperand {
    typealias Accumulator = Float
    /// fp16 mode: the product of two fp16 values is exact in fp32; one rounding per addition.
    @inline(__always)
    static func multiplyAccumulate(_ accumulator: inout Float, _ a: Float, _ b: Float) { accumulator += a * b }
}
