import ISA

/// Chooses a tile plan (Gemmini's `tiled_matmul_auto`): enumerates the legal plans (tile rows,
/// columns, output-channel tile, reduction chunk, loop order, buffering), orders them by a cheap
/// lower bound, and scores the most promising with the pipeline model on their real schedules:
/// fewest cycles, then fewest DRAM bytes.
enum PlanSearch {
    /// Plans scored with the full pipeline model, at most.
    static let scoredPlans = 160

    /// Distinct tile sizes `ceil(extent / n)` rounded up to `unit`, largest first: every split
    /// into up to `limit` tiles, then halvings down to one unit (so huge extents still reach small tiles).
    static func sizes(_ extent: Int, unit: Int = 1, limit: Int = 64) -> [Int] {
        var splits = Set(1...max(1, min(limit, extent)))
        var n = limit
        while n < extent {
            n *= 2
            splits.insert(min(n, extent))
        }
        let values = splits.map { min(extent, ((extent + $0 - 1) / $0 + unit - 1) / unit * unit) }
        return Set(values).sorted(by: >)
    }

    /// Whether SB cannot double-buffer a weight tile of one array height of input channels by one
    /// array width of filters: only then are smaller tiles worth enumerating (they leave rows or
    /// columns idle, and on small arrays would only multiply the candidates).
    static func needsSubArrayWeightTiles(_ g: LayerGeometry, config: HardwareConfig) -> Bool {
        let plan = TilePlan(rows: 1, columns: 1, outputChannels: min(g.outputChannels, config.array.cols),
                            inputChannels: min(g.input.channels, config.array.rows), weightBuffers: 2)
        let budget = BufferBudget(g, plan: plan, config: config)
        return budget.sbBytes > config.sb.capacityBytes
    }

    /// Output-channel tiles of an ungrouped layer: splits of K in whole array columns, then, when
    /// SB needs them, halvings of the array width (narrower weight tiles `[R][S][c][k]`).
    static func outputChannelTiles(_ g: LayerGeometry, config: HardwareConfig) -> [Int] {
        let width = min(g.outputChannels, config.array.cols)
        let whole = sizes(g.outputChannels, unit: width, limit: 16)
        guard needsSubArrayWeightTiles(g, config: config) else { return whole }
        return whole + sequence(first: width / 2) { $0 / 2 }.prefix { $0 >= 1 }
    }

    /// Input channels per reduction pass: splits of C in whole array rows, then, when SB needs
    /// them, the chunks whose window `R x S x c` fills 1, 2, 4, ... passes of the array rows
    /// (smaller weight tiles for a large kernel, each pass still filling the rows).
    static func reductionChunks(_ g: LayerGeometry, config: HardwareConfig) -> [Int] {
        let height = min(g.input.channels, config.array.rows)
        let whole = sizes(g.input.channels, unit: height, limit: 12)
        guard needsSubArrayWeightTiles(g, config: config) else { return whole }
        let window = g.kernelHeight * g.kernelWidth
        let passFilling = sequence(first: 1) { $0 * 2 }.lazy.map { $0 * config.array.rows / window }
            .prefix { $0 < height }.filter { $0 >= 1 }
        return whole + passFilling
    }

    /// The tile sizes the search tries along each loop dimension (`nil` chunk: no reduction split).
    struct Grid {
        var rows: [Int], columns: [Int], outputChannels: [Int], chunks: [Int?]

        init(_ g: LayerGeometry, config: HardwareConfig) {
            rows = sizes(g.computedHeight, unit: g.poolWindowHeight)
            columns = sizes(g.computedWidth, unit: g.poolWindowWidth, limit: 16)
            if g.isPooling {
                outputChannels = sizes(g.outputChannels, unit: min(g.outputChannels, config.vector.lanes), limit: 16)
            } else if g.groups > 1 {
                outputChannels = sizes(g.groups, limit: 16).map { $0 * g.filtersPerGroup }
            } else {
                outputChannels = outputChannelTiles(g, config: config)
            }
            chunks = g.canSplitReduction ? reductionChunks(g, config: config) : [nil]
        }

        /// Input channels of a tile with `outputChannels` k and reduction `chunk`.
        static func inputChannels(_ g: LayerGeometry, k: Int, chunk: Int?) -> Int {
            chunk ?? (g.isPooling ? k : g.channelsPerGroup)
        }
    }

    static func candidates(_ g: LayerGeometry, config: HardwareConfig) -> [TilePlan] {
        let grid = Grid(g, config: config)
        let orders: [TilePlan.LoopOrder] = g.isPooling ? [.weightsOuter] : [.weightsOuter, .inputOuter]
        var plans: [TilePlan] = []
        for r in grid.rows {
            for c in grid.columns {
                for k in grid.outputChannels {
                    for chunk in grid.chunks {
                        let inputChannels = Grid.inputChannels(g, k: k, chunk: chunk)
                        for order in orders {
                            var plan = TilePlan(rows: r, columns: c, outputChannels: k, inputChannels: inputChannels,
                                                loopOrder: order, inputBuffers: 1, weightBuffers: 1, outputBuffers: 1)
                            guard BufferBudget(g, plan: plan, config: config).overflow == nil else { continue }
                            // Double-buffer every buffer that has room for it (a second slot never slows a plan).
                            for path in [\TilePlan.outputBuffers, \.inputBuffers, \.weightBuffers] {
                                if g.isPooling && path == \TilePlan.weightBuffers { continue }
                                plan[keyPath: path] = 2
                                if BufferBudget(g, plan: plan, config: config).overflow != nil { plan[keyPath: path] = 1 }
                            }
                            plans.append(plan)
                            // A third output slot also hides the stores; whether it pays depends on the layer.
                            var triple = plan
                            triple.outputBuffers = TilePlan.maximumOutputBuffers
                            if plan.outputBuffers == 2 && BufferBudget(g, plan: triple, config: config).overflow == nil {
                                plans.append(triple)
                            }
                        }
                    }
                }
            }
        }
        return plans
    }

    /// A lower bound of a plan's cycles: its matmul cycles on the matrix unit, its output-stage
    /// passes on the vector unit, and each tile's chain of matmuls, output stage and store (which
    /// the output slots overlap), against the DRAM bytes it moves (bands with their halo, weights as
    /// often as the loop order reloads them).
    static func lowerBound(_ g: LayerGeometry, _ plan: TilePlan, config: HardwareConfig) -> Int {
        let rowTiles = (g.computedHeight + plan.rows - 1) / plan.rows
        let columnTiles = (g.computedWidth + plan.columns - 1) / plan.columns
        let kTiles = (g.outputChannels + plan.outputChannels - 1) / plan.outputChannels
        let chunks = g.canSplitReduction ? (g.input.channels + plan.inputChannels - 1) / plan.inputChannels : 1
        // Spatial tiles of the whole batch: every image repeats its row x column tiles.
        let spatial = g.batch * rowTiles * columnTiles
        let pixels = plan.rows * plan.columns
        var compute = 0
        if !g.isPooling {
            let groupsPerTile = g.groups > 1 ? plan.outputChannels / g.filtersPerGroup : 1
            let timing = SystolicTiming(dataflow: config.array.dataflow, rows: config.array.rows, cols: config.array.cols,
                                        outputPixels: pixels,
                                        window: g.kernelHeight * g.kernelWidth * (g.groups > 1 ? g.channelsPerGroup : plan.inputChannels),
                                        filters: g.groups > 1 ? g.filtersPerGroup : plan.outputChannels,
                                        doubleBuffered: config.array.doubleBuffered)
            let passes: Int = switch g.activation {
            case .leakyRelu, .sigmoid, .tanh: 3
            default: 1
            }
            let matrix = chunks * groupsPerTile * timing.cycles
            let vector = passes * InstructionCost.vectorCycles(elements: pixels * plan.outputChannels, unit: config.vector)
            // A tile's matmuls, output stage and store run one after another; B output slots
            // overlap B tiles' chains at most.
            let store = config.dram.latencyCycles
                + DRAMTiming.occupancy(bytes: pixels * plan.outputChannels * g.elementBytes, bytesPerCycle: config.dramBytesPerCycle)
            compute = spatial * kTiles * max(matrix, vector, (matrix + vector + store) / plan.outputBuffers)
            // Partial tiles are smaller: scale by the useful fraction.
            let useful = Double(g.batch * g.computedHeight * g.computedWidth) / Double(spatial * pixels)
            compute = Int(Double(compute) * useful)
        }
        let e = g.elementBytes
        let band = g.bandRows(outputRows: plan.rows) * g.bandColumns(outputColumns: plan.columns)
        let bandChannels = g.bandChannels(k0: 0, kCount: plan.outputChannels, c0: 0, cCount: plan.inputChannels).count
        var inputBytes = spatial * band * bandChannels * chunks * e
        var weightBytes = g.weightElements * e
        if !g.isPooling && g.groups == 1 {
            switch plan.loopOrder {
            case .weightsOuter:
                if spatial > 1 || chunks > 1 { inputBytes *= kTiles }
                if chunks > 1 && spatial > 1 { weightBytes *= spatial }
            case .inputOuter:
                if chunks > 1 && kTiles > 1 { inputBytes *= kTiles }
                if kTiles * chunks > 1 { weightBytes *= spatial }
            }
        } else if g.groups > 1 {
            inputBytes = spatial * band * bandChannels * kTiles * e
            if plan.loopOrder == .inputOuter && kTiles > 1 { weightBytes *= spatial }
        }
        let outputBytes = g.batch * g.finalOutput.elementCount * e
        let bytes = inputBytes + weightBytes + outputBytes
        let perCycle = config.dramBytesPerCycle
        // A single-buffered operand cannot overlap its transfers with compute.
        if plan.inputBuffers == 1 { compute += DRAMTiming.occupancy(bytes: inputBytes, bytesPerCycle: perCycle) }
        if plan.weightBuffers == 1 && !g.isPooling { compute += DRAMTiming.occupancy(bytes: weightBytes, bytesPerCycle: perCycle) }
        return max(compute, DRAMTiming.occupancy(bytes: bytes, bytesPerCycle: perCycle))
    }

    struct Choice {
        var plan: TilePlan
        var estimate: PipelineModel.Estimate
    }

    static func best(_ g: LayerGeometry, numerics: LayerNumerics, layout: DRAMLayout,
                     config: HardwareConfig) throws(CompilerError) -> Choice {
        let plans = candidates(g, config: config)
        guard !plans.isEmpty else { throw .noPlanFits(layer: g.name, smallestPlanProblem(g, config: config)) }
        let ordered = plans.map { (plan: $0, bound: lowerBound(g, $0, config: config)) }.sorted { $0.bound < $1.bound }
        var best: Choice?
        for (index, candidate) in ordered.enumerated() {
            if let best, index >= scoredPlans || candidate.bound > best.estimate.cycles { break }
            let schedule = TileSchedule(g, numerics: numerics, plan: candidate.plan, layout: layout, config: config)
            let estimate = PipelineModel.estimate(schedule, config: config)
            if best == nil || estimate.cycles < best!.estimate.cycles
                || (estimate.cycles == best!.estimate.cycles && estimate.dramBytes < best!.estimate.dramBytes) {
                best = Choice(plan: candidate.plan, estimate: estimate)
            }
        }
        return best!
    }

    /// Why even the smallest plan (one output pixel's window, one array-width of channels,
    /// single buffers) does not fit: the first buffer it overflows.
    static func smallestPlanProblem(_ g: LayerGeometry, config: HardwareConfig) -> String {
        let k = g.isPooling ? 1 : (g.groups > 1 ? g.filtersPerGroup : 1)
        let plan = TilePlan(rows: g.poolWindowHeight, columns: g.poolWindowWidth, outputChannels: k,
                            inputChannels: g.canSplitReduction ? 1 : (g.isPooling ? 1 : g.channelsPerGroup),
                            loopOrder: .weightsOuter, inputBuffers: 1, weightBuffers: 1, outputBuffers: 1)
        if let overflow = BufferBudget(g, plan: plan, config: config).overflow { return overflow }
        // The smallest plan fits but the search's tile sizes do not go that small: name the buffer
        // that the smallest tile the search tries overflows.
        let grid = Grid(g, config: config)
        let tileK = grid.outputChannels.min() ?? k, chunk = grid.chunks.compactMap { $0 }.min()
        let smallestCandidate = TilePlan(rows: grid.rows.min() ?? g.poolWindowHeight, columns: grid.columns.min() ?? g.poolWindowWidth,
                                         outputChannels: tileK, inputChannels: Grid.inputChannels(g, k: tileK, chunk: chunk),
                                         loopOrder: .weightsOuter, inputBuffers: 1, weightBuffers: 1, outputBuffers: 1)
        return BufferBudget(g, plan: smallestCandidate, config: config).overflow ?? "no candidate plan fits"
    }
}
