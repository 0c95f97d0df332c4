import ISA

/// DRAM addresses of a layer program's tensors: the input and output views (`TensorPlacement`)
/// and the constants, consecutive and burst-aligned from the placement's constant base.
struct DRAMLayout: Sendable {
    var input = 0, output = 0, weights = 0, records = 0, alphaRecords = 0, pwlTable = 0, end = 0
    /// The constants occupy `constantsStart ..< constantsEnd`.
    var constantsStart = 0, constantsEnd = 0
    /// Elements between consecutive input / output pixels in DRAM, and the first channel of the
    /// layer's map inside them (a channel slice of a wider tensor).
    var inputPixelStride = 0, inputChannelOffset = 0, outputPixelStride = 0, outputChannelOffset = 0
    /// The output view's pixel step and phase (`TensorPlacement`): the store DMA writes output
    /// pixel (y, x) at containing pixel `(y * step + phaseY, x * step + phaseX)`.
    var outputPixelStep = 1, outputPhaseY = 0, outputPhaseX = 0
    /// Elements between consecutive images of the input / output containing tensors
    /// (`TensorPlacement.imageStride`), and the elements one containing image spans.
    var inputImageStride = 0, outputImageStride = 0, inputImageElements = 0, outputImageElements = 0

    /// The default placement: input, output and constants packed from address 0, each a dense
    /// batch of images.
    init(_ g: LayerGeometry) {
        let input = 0
        let output = input + BufferBudget.aligned(max(g.input.elementCount.times(g.batch).times(g.elementBytes), 1))
        let constants = output + BufferBudget.aligned(max(g.finalOutput.elementCount.times(g.batch).times(g.elementBytes), 1))
        self.init(g, placement: LayerPlacement(input: TensorPlacement(address: input), output: TensorPlacement(address: output),
                                               constants: constants))
    }

    init(_ g: LayerGeometry, placement: LayerPlacement) {
        input = placement.input.address
        output = placement.output.address
        inputPixelStride = placement.input.pixelStride(own: g.input.channels)
        inputChannelOffset = placement.input.channelOffset
        outputPixelStride = placement.output.pixelStride(own: g.finalOutput.channels)
        outputChannelOffset = placement.output.channelOffset
        outputPixelStep = placement.output.pixelStep
        outputPhaseY = placement.output.phaseY
        outputPhaseX = placement.output.phaseX
        inputImageStride = placement.input.imageStride(g.input)
        outputImageStride = placement.output.imageStride(g.finalOutput)
        inputImageElements = placement.input.containingImageElements(g.input)
        outputImageElements = placement.output.containingImageElements(g.finalOutput)
        var offset = placement.constants
        constantsStart = offset
        func take(_ bytes: Int) -> Int {
            let start = offset
            offset += BufferBudget.aligned(max(bytes, 1))
            return start
        }
        if !g.isPooling {
            weights = take(g.weightElements * g.elementBytes)
            records = take(g.outputChannels * BufferBudget.recordBytes)
            alphaRecords = take(g.outputChannels * BufferBudget.recordBytes)
            pwlTable = take(18 * PWLTable.bytesPerSegment)
        }
        constantsEnd = offset
        /// The byte after the last image of a containing tensor at `address`.
        func batchEnd(_ address: Int, stride: Int, image: Int) -> Int {
            address.plus((g.batch - 1).times(stride).plus(image).times(g.elementBytes))
        }
        end = max(offset, batchEnd(input, stride: inputImageStride, image: inputImageElements),
                  batchEnd(output, stride: outputImageStride, image: outputImageElements))
    }

    /// Byte offset of image `image` of the input / output containing tensor from its image 0.
    func inputImageOffset(_ image: Int, _ g: LayerGeometry) -> Int { image * inputImageStride * g.elementBytes }
    func outputImageOffset(_ image: Int, _ g: LayerGeometry) -> Int { image * outputImageStride * g.elementBytes }

    /// Checks that the views fit their containing tensors and the images do not overlap.
    func validate(_ g: LayerGeometry) throws(CompilerError) {
        if inputChannelOffset < 0 || inputChannelOffset + g.input.channels > inputPixelStride {
            throw .invalidLayer(layer: g.name, "input channels \(inputChannelOffset)..<\(inputChannelOffset + g.input.channels) "
                + "do not fit a tensor of \(inputPixelStride) channels")
        }
        if outputChannelOffset < 0 || outputChannelOffset + g.finalOutput.channels > outputPixelStride {
            throw .invalidLayer(layer: g.name, "output channels \(outputChannelOffset)..<\(outputChannelOffset + g.finalOutput.channels) "
                + "do not fit a tensor of \(outputPixelStride) channels")
        }
        if outputPixelStep < 1 || !(0..<outputPixelStep).contains(outputPhaseY) || !(0..<outputPixelStep).contains(outputPhaseX) {
            throw .invalidLayer(layer: g.name, "output phase (\(outputPhaseY), \(outputPhaseX)) does not fit a pixel step of \(outputPixelStep)")
        }
        if inputImageStride < inputImageElements || outputImageStride < outputImageElements {
            throw .invalidLayer(layer: g.name, "image strides (input \(inputImageStride), output \(outputImageStride) elements) must "
                + "hold one containing image (input \(inputImageElements), output \(outputImageElements) elements)")
        }
        if input < 0 || output < 0 || weights < 0 { throw .invalidLayer(layer: g.name, "negative DRAM address in the placement") }
    }
}

/// One step of the tile loop: the loads it needs (none when its operands are still resident),
/// and its compute: one reduction pass of one output tile, plus the epilogue after the last pass.
struct ScheduledStep {
    var tile: Int
    var loads: [Transfer] = []
    /// Contents (numbered in load order) whose buffer slots this step's loads overwrite.
    var evicted: [Int] = []
    var compute: [Operation] = []
    /// How many of `compute` are the matmuls / pooling reads of the step's loaded operands.
    var readers = 0
    /// The compute position whose retirement releases the step's contents that later loads
    /// overwrite: the last matmul / pool, or the output stage's last read of the K tile's records.
    var releasePosition = 0
    var firstOfTile = false
    var lastOfTile = false
}

/// Everything a plan does, instruction payloads without dependency flags, in loop order. The code
/// generator adds the token protocol; the pipeline model times it. Both read the same schedule.
struct TileSchedule {
    var prologueLoads: [Transfer] = []
    var prologueCompute: [Operation] = []
    var steps: [ScheduledStep] = []
    /// One store per output tile.
    var stores: [Transfer] = []
    /// Per content: the last step that reads it.
    var lastUse: [Int] = []
    /// Per content: the position in its last step's compute of the last instruction that reads it.
    var readPosition: [Int] = []
    var outputBuffers = 1

    init(_ g: LayerGeometry, numerics n: LayerNumerics, plan: TilePlan, layout dram: DRAMLayout, config: HardwareConfig) {
        outputBuffers = plan.outputBuffers
        let budget = BufferBudget(g, plan: plan, config: config)
        let slotLayout = budget.layout
        let e = g.elementBytes, type = g.elementType
        let (H, W, C, K) = (g.input.height, g.input.width, g.input.channels, g.outputChannels)
        let rowTiles = (g.computedHeight + plan.rows - 1) / plan.rows
        let columnTiles = (g.computedWidth + plan.columns - 1) / plan.columns
        let kTiles = (K + plan.outputChannels - 1) / plan.outputChannels
        let chunks = g.canSplitReduction ? (C + plan.inputChannels - 1) / plan.inputChannels : 1
        // Spatial tiles run image-major over the batch; no tile spans two images (padding stays per image).
        let tilesPerImage = rowTiles * columnTiles
        let spatialTiles = g.batch * tilesPerImage

        // SB: the PWL table, one record slot per weight slot (the K tile's output-stage records,
        // then LeakyReLU's), then the weight slots.
        let pwlAddress = 0
        let recordBase = budget.pwlBytes
        let alphaOffset = BufferBudget.aligned(plan.outputChannels * BufferBudget.recordBytes)
        let weightBase = budget.sbConstants

        func load(_ buffer: BufferID, _ type: ElementType, dram: Int, address: Int, x: Int) -> Transfer {
            InstructionBuilder.transfer(buffer, type, dram: dram, address: address, x: x)
        }
        prologueCompute.append(.setDataType(DataTypeSetting(g.dataType)))
        if !g.isPooling {
            if n.pwl != nil { prologueLoads.append(load(.sb, .int32, dram: dram.pwlTable, address: pwlAddress, x: 18 * 3)) }
        }

        // Slot caches: (key -> content) for NBin bands, SB weight tiles and SB record slots, filled round robin.
        struct Slots {
            var keys: [[Int]?]
            var contents: [Int]
            var next = 0
            init(_ count: Int) {
                keys = Array(repeating: nil, count: count)
                contents = Array(repeating: -1, count: count)
            }

            /// The slot holding `key`; or the next slot round robin, newly filled: `step` evicts its
            /// old content, and the new content is registered in `lastUse` and `readPosition`.
            mutating func acquire(_ key: [Int], step: inout ScheduledStep, stepIndex: Int, lastUse: inout [Int],
                                  readPosition: inout [Int]) -> (slot: Int, isNew: Bool) {
                if let hit = keys.firstIndex(where: { $0 == key }) { return (hit, false) }
                let slot = next
                next = (next + 1) % keys.count
                if contents[slot] >= 0 { step.evicted.append(contents[slot]) }
                keys[slot] = key
                contents[slot] = lastUse.count
                lastUse.append(stepIndex)
                readPosition.append(0)
                return (slot, true)
            }
        }
        var inputSlots = Slots(plan.inputBuffers), weightSlots = Slots(plan.weightBuffers)
        var recordSlots = Slots(plan.weightBuffers)
        var registers: RequantRegisters?
        var pwlLoaded = false

        var order: [(spatial: Int, kTile: Int)] = []
        switch plan.loopOrder {
        case .weightsOuter: for kt in 0..<kTiles { for s in 0..<spatialTiles { order.append((s, kt)) } }
        case .inputOuter: for s in 0..<spatialTiles { for kt in 0..<kTiles { order.append((s, kt)) } }
        }

        for (tile, (spatial, kTile)) in order.enumerated() {
            let (image, tileInImage) = spatial.quotientAndRemainder(dividingBy: tilesPerImage)
            let oy0 = tileInImage / columnTiles * plan.rows, ox0 = tileInImage % columnTiles * plan.columns
            let rows = min(plan.rows, g.computedHeight - oy0), columns = min(plan.columns, g.computedWidth - ox0)
            let k0 = kTile * plan.outputChannels, kCount = min(plan.outputChannels, K - k0)
            let outputSlot = tile % plan.outputBuffers
            let slotBase = outputSlot * budget.outputTile
            let bandRows = g.bandRows(outputRows: rows), bandColumns = g.bandColumns(outputColumns: columns)
            for chunk in 0..<chunks {
                let c0 = chunk * plan.inputChannels
                let cCount = g.canSplitReduction ? min(plan.inputChannels, C - c0) : g.channelsPerGroup
                var step = ScheduledStep(tile: tile)
                step.firstOfTile = chunk == 0
                step.lastOfTile = chunk == chunks - 1
                let stepIndex = steps.count

                // The input band (of one image: the same tile of another image is another band).
                let band = g.bandChannels(k0: k0, kCount: kCount, c0: c0, cCount: cCount)
                let inputKey = [image, tileInImage, g.canSplitReduction ? -1 : kTile, chunk]
                let (inputSlot, newBand) = inputSlots.acquire(inputKey, step: &step, stepIndex: stepIndex, lastUse: &lastUse,
                                                              readPosition: &readPosition)
                if newBand {
                    let iy0 = oy0 * g.strideY - g.padding.top, ix0 = ox0 * g.strideX - g.padding.left
                    let iy1 = iy0 + bandRows, ix1 = ix0 + bandColumns
                    var t = load(.nbin, type, dram: 0, address: inputSlot * budget.inputBand, x: band.count)
                    let pixelStride = dram.inputPixelStride
                    t.dramAddress = dram.input + dram.inputImageOffset(image, g)
                        + ((max(iy0, 0) * W + max(ix0, 0)) * pixelStride + dram.inputChannelOffset + band.start) * e
                    t.ySize = min(ix1, W) - max(ix0, 0)
                    t.zSize = min(iy1, H) - max(iy0, 0)
                    t.yStride = pixelStride
                    t.zStride = W * pixelStride
                    t.yPadBefore = max(0, -ix0)
                    t.yPadAfter = max(0, ix1 - W)
                    t.zPadBefore = max(0, -iy0)
                    t.zPadAfter = max(0, iy1 - H)
                    t.padValue = n.padValue
                    step.loads.append(t)
                }
                lastUse[inputSlots.contents[inputSlot]] = stepIndex
                let inputAddress = inputSlot * budget.inputBand

                // The weight tile [R][S][c][k] (grouped: c = C / groups, k over whole groups).
                var weightAddress = 0
                if !g.isPooling {
                    let weightKey = [kTile, chunk]
                    let (weightSlot, newTile) = weightSlots.acquire(weightKey, step: &step, stepIndex: stepIndex, lastUse: &lastUse,
                                                                    readPosition: &readPosition)
                    if newTile {
                        let cg = g.canSplitReduction ? c0 : 0
                        var t = load(.sb, type, dram: dram.weights + (cg * K + k0) * e,
                                     address: weightBase + weightSlot * budget.weightTile, x: kCount)
                        t.ySize = cCount
                        t.yStride = K
                        t.zSize = g.kernelHeight * g.kernelWidth
                        t.zStride = g.channelsPerGroup * K
                        step.loads.append(t)
                    }
                    lastUse[weightSlots.contents[weightSlot]] = stepIndex
                    weightAddress = weightBase + weightSlot * budget.weightTile
                }

                // The K tile's output-stage records (and LeakyReLU's), read by the last pass.
                var recordsAddress = 0
                var recordsContent: Int?
                if !g.isPooling && step.lastOfTile {
                    let recordKey = [kTile]
                    let (recordSlot, newRecords) = recordSlots.acquire(recordKey, step: &step, stepIndex: stepIndex,
                                                                       lastUse: &lastUse, readPosition: &readPosition)
                    if newRecords {
                        let address = recordBase + recordSlot * budget.recordSlot
                        let words = LayerNumerics.recordWords * kCount, offset = k0 * BufferBudget.recordBytes
                        step.loads.append(load(.sb, .int32, dram: dram.records + offset, address: address, x: words))
                        if n.leaky != nil {
                            step.loads.append(load(.sb, .int32, dram: dram.alphaRecords + offset, address: address + alphaOffset, x: words))
                        }
                    }
                    recordsContent = recordSlots.contents[recordSlot]
                    lastUse[recordSlots.contents[recordSlot]] = stepIndex
                    recordsAddress = recordBase + recordSlot * budget.recordSlot
                }
                let alphaAddress = recordsAddress + alphaOffset

                let pixels = rows * columns
                let accumulators = slotBase + slotLayout.accumulators, result = slotBase + slotLayout.result
                let scratch = slotBase + slotLayout.scratch
                func vector(_ function: VectorOperation.Function, dst: Int, a: Int, from: ElementType, to: ElementType,
                            columns: Int = kCount, rows: Int = pixels, b: Int? = nil, bBuffer: BufferID = .nbout,
                            broadcast: Bool = false, immediate: Int = 0, withBias: Bool = false) -> Operation {
                    var v = VectorOperation()
                    v.withBias = withBias
                    v.function = function
                    v.destinationAddress = dst
                    v.aAddress = a
                    v.sourceType = from
                    v.destinationType = to
                    v.columns = columns
                    v.rows = rows
                    if let b {
                        v.bAddress = b
                        v.bBuffer = bBuffer
                    }
                    v.broadcastB = broadcast
                    v.immediate = immediate
                    return .vector(v)
                }
                func setRegisters(_ wanted: RequantRegisters) {
                    if registers != wanted {
                        step.compute.append(.setRequantization(wanted.parameters))
                        registers = wanted
                    }
                }
                func pool(_ function: PoolWindow.Function, dst: Int, source: BufferID, src: Int, channels: Int, inputWidth: Int,
                          outputHeight: Int, outputWidth: Int, windowHeight: Int, windowWidth: Int, strideY: Int, strideX: Int,
                          to: ElementType) -> Operation {
                    var p = PoolWindow()
                    p.function = function
                    p.destinationAddress = dst
                    p.sourceBuffer = source
                    p.sourceAddress = src
                    p.channels = channels
                    p.inputWidth = inputWidth
                    p.outputHeight = outputHeight
                    p.outputWidth = outputWidth
                    p.windowHeight = windowHeight
                    p.windowWidth = windowWidth
                    p.strideY = strideY
                    p.strideX = strideX
                    p.sourceType = type
                    p.destinationType = to
                    return .pool(p)
                }
                /// Average of the window sums at `sums`: minus the zero points, then requantized into `dst`.
                /// int8 (affine) always subtracts, even a 0, so the code does not depend on the
                /// calibrated zero points and timing-only runs measure what functional runs do.
                func average(sums: Int, dst: Int, pixels: Int) {
                    if n.poolSubtract != 0 || g.dataType == .int8 {
                        step.compute.append(vector(.subtractImmediate, dst: sums, a: sums, from: .int32, to: .int32, rows: pixels,
                                                   immediate: n.poolSubtract))
                    }
                    setRegisters(n.poolRequant!)
                    step.compute.append(vector(.requantize, dst: dst, a: sums, from: .int32, to: type, rows: pixels))
                }

                var storedAddress = result, storedRows = rows, storedColumns = columns, storedY = oy0, storedX = ox0
                if g.isPooling {
                    let function: PoolWindow.Function = g.poolKind == .max ? .maximum : .sum
                    let destination = g.poolKind == .max ? result : slotBase + slotLayout.pooledSums
                    step.compute.append(pool(function, dst: destination, source: .nbin, src: inputAddress, channels: kCount,
                                             inputWidth: bandColumns, outputHeight: rows, outputWidth: columns,
                                             windowHeight: g.kernelHeight, windowWidth: g.kernelWidth, strideY: g.strideY,
                                             strideX: g.strideX, to: g.poolKind == .max ? type : .int32))
                    step.readers = 1
                    if g.poolKind == .average { average(sums: destination, dst: result, pixels: pixels) }
                } else {
                    let groupsInTile = g.groups > 1 ? kCount / g.filtersPerGroup : 1
                    for group in 0..<groupsInTile {
                        var m = MatrixTile()
                        m.inputAddress = inputAddress + group * g.channelsPerGroup * e
                        m.weightAddress = weightAddress + group * g.filtersPerGroup * e
                        m.outputAddress = accumulators + group * g.filtersPerGroup * 4
                        m.inputWidth = bandColumns
                        m.inputPitch = band.count
                        m.channels = cCount
                        m.outputHeight = rows
                        m.outputWidth = columns
                        m.outputChannels = g.groups > 1 ? g.filtersPerGroup : kCount
                        m.outputPitch = kCount
                        m.weightPitch = kCount
                        m.kernelHeight = g.kernelHeight
                        m.kernelWidth = g.kernelWidth
                        m.strideY = g.strideY
                        m.strideX = g.strideX
                        m.dilationY = g.dilationY
                        m.dilationX = g.dilationX
                        m.accumulate = chunk > 0
                        m.dataflow = plan.dataflow
                        step.compute.append(.matmul(m))
                    }
                    step.readers = step.compute.count
                    if step.lastOfTile {
                        /// The output stage: the accumulators plus bias, requantized into `dst` with the
                        /// registers' zero point and clamp and the per-channel records at `records`. It
                        /// may write over the accumulators it reads (`OutputSlotLayout`).
                        func requantize(dst: Int, to: ElementType, _ wanted: RequantRegisters, records: Int) {
                            setRegisters(wanted)
                            step.compute.append(vector(.requantizePerChannel, dst: dst, a: accumulators, from: .int32, to: to,
                                                       b: records, bBuffer: .sb, broadcast: true,
                                                       withBias: true))
                        }
                        if let leaky = n.leaky {
                            requantize(dst: scratch, to: type, leaky, records: alphaAddress)
                            requantize(dst: result, to: type, n.main, records: recordsAddress)
                            step.compute.append(vector(.maximum, dst: result, a: result, from: type, to: type, b: scratch))
                        } else if let toQ12 = n.toQ12, let fromQ15 = n.fromQ15 {
                            // In place: int32 accumulators -> int16 Q3.12 -> int16 Q0.15 -> the output type.
                            let activated = accumulators
                            requantize(dst: activated, to: .int16, toQ12, records: recordsAddress)
                            if !pwlLoaded {
                                var table = PWLLoad()
                                table.table = 0
                                table.buffer = .sb
                                table.address = pwlAddress
                                table.segments = 18
                                table.shift = n.pwl!.slopeShift
                                step.compute.append(.loadPWL(table))
                                pwlLoaded = true
                            }
                            var v = VectorOperation()
                            v.function = .piecewiseLinear
                            v.destinationAddress = activated
                            v.aAddress = activated
                            v.sourceType = .int16
                            v.destinationType = .int16
                            v.columns = kCount
                            v.rows = pixels
                            step.compute.append(.vector(v))
                            setRegisters(fromQ15)
                            step.compute.append(vector(.requantize, dst: result, a: activated, from: .int16, to: type))
                        } else {
                            requantize(dst: result, to: type, n.main, records: recordsAddress)
                        }
                        if let pooling = g.fusedPooling {
                            let (ph, pw) = (pooling.windowHeight, pooling.windowWidth)
                            storedRows = rows / ph
                            storedColumns = columns / pw
                            storedY = oy0 / ph
                            storedX = ox0 / pw
                            storedAddress = slotBase + slotLayout.pooled
                            let sums = slotBase + slotLayout.pooledSums
                            let isMax = pooling.kind == .max
                            step.compute.append(pool(isMax ? .maximum : .sum, dst: isMax ? storedAddress : sums, source: .nbout,
                                                     src: result, channels: kCount, inputWidth: columns, outputHeight: storedRows,
                                                     outputWidth: storedColumns, windowHeight: ph, windowWidth: pw, strideY: ph,
                                                     strideX: pw, to: isMax ? type : .int32))
                            if !isMax { average(sums: sums, dst: storedAddress, pixels: storedRows * storedColumns) }
                        }
                    }
                }
                if step.lastOfTile {
                    // Containing-tensor width and pixel step (a transposed convolution's phase).
                    let step = dram.outputPixelStep, outWidth = g.finalOutput.width * step
                    var t = Transfer()
                    t.buffer = .nbout
                    t.type = type
                    let pixelStride = dram.outputPixelStride
                    let pixel = (storedY * step + dram.outputPhaseY) * outWidth + storedX * step + dram.outputPhaseX
                    t.dramAddress = dram.output + dram.outputImageOffset(image, g) + (pixel * pixelStride + dram.outputChannelOffset + k0) * e
                    t.bufferAddress = storedAddress
                    t.xSize = kCount
                    t.ySize = storedColumns
                    t.yStride = step * pixelStride
                    t.zSize = storedRows
                    t.zStride = step * outWidth * pixelStride
                    stores.append(t)
                }
                // Read positions: the operands by the step's readers, the records by the output stage.
                readPosition[inputSlots.contents[inputSlot]] = step.readers - 1
                if !g.isPooling, let weightContent = weightSlots.keys.firstIndex(where: { $0 == [kTile, chunk] }) {
                    readPosition[weightSlots.contents[weightContent]] = step.readers - 1
                }
                if let recordsContent {
                    let last = step.compute.lastIndex { operation in
                        if case .vector(let v) = operation { v.function == .requantizePerChannel } else { false }
                    }
                    readPosition[recordsContent] = last ?? step.readers - 1
                }
                steps.append(step)
            }
        }

        // Each step releases its later-overwritten contents after their last read.
        var overwritten = Set<Int>()
        for step in steps { overwritten.formUnion(step.evicted) }
        for index in steps.indices {
            steps[index].releasePosition = steps[index].readers - 1
        }
        for content in overwritten {
            let index = lastUse[content]
            steps[index].releasePosition = max(steps[index].releasePosition, readPosition[content])
        }
    }
}
