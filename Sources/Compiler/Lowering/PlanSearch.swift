import ISA

/// Chooses a tile plan (Gemmini's `tiled_matmul_auto`): enumerates the legal plans (tile rows,
/// columns, output-channel tile, reduction chunk, loop order, buffering), orders them by a cheap
/// lower bound of their cycles, and scores them in that order with the pipeline model on their
/// real schedules (fewest cycles, then fewest DRAM bytes) until the next bound exceeds the best
/// estimate: no plan left can beat it.
///
/// The bound counts what dominates when buffers are small (DianNao's 2 KiB NBin: thousands of
/// tiny tiles): every DMA's DRAM latency on the serial load and store engines and each run's
/// burst rounding (`PlanTraffic`). A loose bound would leave many plans to score, each costing a
/// schedule of thousands of steps.
enum PlanSearch {
    /// Plans scored with the full pipeline model, at most (a guard: the bound usually stops the
    /// search within a few plans).
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

    /// Whether NBin cannot hold the input band of one output pixel (one pooling window of them)
    /// over an array height of channels: a large kernel on a tiny NBin (DianNao's 2 KiB against a
    /// 9x9 window of 16 int16 channels, 2.5 KiB) needs reduction chunks below the array height.
    static func needsSubArrayBands(_ g: LayerGeometry, config: HardwareConfig) -> Bool {
        let plan = TilePlan(rows: g.poolWindowHeight, columns: g.poolWindowWidth, outputChannels: min(g.outputChannels, config.array.cols),
                            inputChannels: min(g.input.channels, config.array.rows))
        return BufferBudget(g, plan: plan, config: config).nbinBytes > config.nbin.capacityBytes
    }

    /// Input channels per reduction pass: splits of C in whole array rows, then, when SB needs
    /// them, the chunks whose window `R x S x c` fills 1, 2, 4, ... passes of the array rows
    /// (smaller weight tiles for a large kernel, each pass still filling the rows), and, when NBin
    /// needs them (`needsSubArrayBands`), halvings of the array height down to one channel.
    static func reductionChunks(_ g: LayerGeometry, config: HardwareConfig) -> [Int] {
        let height = min(g.input.channels, config.array.rows)
        let whole = sizes(g.input.channels, unit: height, limit: 12)
        var chunks = whole
        if needsSubArrayWeightTiles(g, config: config) {
            let window = g.kernelHeight * g.kernelWidth
            chunks += sequence(first: 1) { $0 * 2 }.lazy.map { $0 * config.array.rows / window }
                .prefix { $0 < height }.filter { $0 >= 1 }
        }
        if needsSubArrayBands(g, config: config) {
            chunks += sequence(first: height / 2) { $0 / 2 }.prefix { $0 >= 1 }
        }
        var seen: Set<Int> = []
        return chunks.filter { seen.insert($0).inserted }
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
                        let single = TilePlan(rows: r, columns: c, outputChannels: k, inputChannels: Grid.inputChannels(g, k: k, chunk: chunk),
                                              loopOrder: .weightsOuter, inputBuffers: 1, weightBuffers: 1, outputBuffers: 1)
                        // One budget serves every slot count and loop order (neither changes a slot's size).
                        let budget = BufferBudget(g, plan: single, config: config)
                        guard budget.fits(inputBuffers: 1, weightBuffers: 1, outputBuffers: 1) else { continue }
                        // Double-buffer every buffer that has room for it (a second slot never slows a
                        // plan), output first, then input, then weights.
                        var (input, weights, output) = (1, 1, 1)
                        if budget.fits(inputBuffers: input, weightBuffers: weights, outputBuffers: 2) { output = 2 }
                        if budget.fits(inputBuffers: 2, weightBuffers: weights, outputBuffers: output) { input = 2 }
                        if !g.isPooling && budget.fits(inputBuffers: input, weightBuffers: 2, outputBuffers: output) { weights = 2 }
                        // A third output slot also hides the stores; whether it pays depends on the layer.
                        let triple = output == 2
                            && budget.fits(inputBuffers: input, weightBuffers: weights, outputBuffers: TilePlan.maximumOutputBuffers)
                        for order in orders {
                            var plan = single
                            plan.loopOrder = order
                            (plan.inputBuffers, plan.weightBuffers, plan.outputBuffers) = (input, weights, output)
                            plans.append(plan)
                            if triple {
                                plan.outputBuffers = TilePlan.maximumOutputBuffers
                                plans.append(plan)
                            }
                        }
                    }
                }
            }
        }
        return plans
    }

    /// The plan in the dataflow its bound favours. On a flexible array every dataflow is tried:
    /// the one with the lowest bound, and on a tie (a memory-bound plan) the fewest matmul cycles,
    /// the first of ws, os, is after that. The dataflow changes only the matmuls' cycles, not the
    /// buffers or the traffic, so scoring one variant per plan keeps the search as fast as on a
    /// fixed array. On a fixed array, the plan as it is.
    static func bounded(_ g: LayerGeometry, _ plan: TilePlan, traffic: PlanTraffic, config: HardwareConfig) -> (plan: TilePlan, bound: Int) {
        guard config.array.flexibleDataflow && !g.isPooling else {
            return (plan, bound(g, plan, traffic: traffic, config: config).cycles)
        }
        let variants = Dataflow.allCases.map { dataflow in
            var variant = plan
            variant.dataflow = MatmulDataflow(dataflow)
            return (plan: variant, bound: bound(g, variant, traffic: traffic, config: config))
        }
        let best = variants.min { ($0.bound.cycles, $0.bound.matrixCycles) < ($1.bound.cycles, $1.bound.matrixCycles) }!
        return (best.plan, best.bound.cycles)
    }

    /// A lower bound of a plan's cycles, the key the search orders and stops by; the most of:
    /// - its matmul cycles on the matrix unit, its output-stage passes on the vector unit, and
    ///   each tile's chain of matmuls, output stage and store (which the output slots overlap),
    ///   after the first step's loads;
    /// - with a single-buffered operand, its loads alternating with the matmuls that read them;
    /// - the load engine and the store engine: each runs its DMAs (`PlanTraffic`) one after
    ///   another, each paying the DRAM latency before its data (`PipelineModel`);
    /// - the DRAM channel: every DMA's bytes and the instruction stream.
    ///
    /// Each term is a lower bound of `PipelineModel.estimate` of the plan's schedule (the model
    /// serializes what the terms serialize, and `PlanTraffic` counts no DMA or byte the schedule
    /// lacks), so a plan whose bound exceeds a scored estimate cannot beat it (`PlanSearchTests`).
    static func lowerBound(_ g: LayerGeometry, _ plan: TilePlan, layout: DRAMLayout, config: HardwareConfig) -> Int {
        bound(g, plan, traffic: PlanTraffic(g, plan: plan, layout: layout, config: config), config: config).cycles
    }

    /// `lowerBound` (`cycles`) and the plan's matmul cycles on the array (`matrixCycles`), given
    /// the plan's `traffic` (which does not depend on the dataflow).
    static func bound(_ g: LayerGeometry, _ plan: TilePlan, traffic: PlanTraffic, config: HardwareConfig) -> (cycles: Int, matrixCycles: Int) {
        let latency = config.dram.latencyCycles
        func occupancy(_ bytes: Int) -> Int { DRAMTiming.occupancy(bytes: bytes, bytesPerCycle: config.dramBytesPerCycle) }
        var compute = 0, matrixTotal = 0
        if !g.isPooling {
            let passes: Int = switch g.activation {
            case .leakyRelu, .sigmoid, .tanh: 3
            default: 1
            }
            /// One tile's matmuls, output stage and store, in cycles.
            func tile(rows: Int, columns: Int, k: Int) -> (matrix: Int, vector: Int, store: Int) {
                let pixels = rows * columns
                let groupsPerTile = g.groups > 1 ? k / g.filtersPerGroup : 1
                let matrix = traffic.chunks.reduce(0) { sum, chunk in
                    let timing = SystolicTiming(dataflow: plan.dataflow.resolved(config.array.dataflow), rows: config.array.rows, cols: config.array.cols,
                                                outputPixels: pixels,
                                                window: g.kernelHeight * g.kernelWidth * (g.groups > 1 ? g.channelsPerGroup : chunk.value),
                                                filters: g.groups > 1 ? g.filtersPerGroup : k, doubleBuffered: config.array.doubleBuffered)
                    return sum + chunk.count * groupsPerTile * timing.cycles
                }
                let vector = passes * InstructionCost.vectorCycles(elements: pixels * k, unit: config.vector)
                let stored = pixels / (g.poolWindowHeight * g.poolWindowWidth)
                return (matrix, vector, latency + occupancy(stored * k * g.elementBytes))
            }
            // Tiles come in at most two sizes along each dimension: whole, and the partial last one.
            var vectorTotal = 0, chainTotal = 0
            for r in traffic.rowTiles {
                for c in traffic.columnTiles {
                    for k in traffic.kTiles {
                        let cycles = tile(rows: r.value, columns: c.value, k: k.value), count = g.batch * r.count * c.count * k.count
                        matrixTotal += count * cycles.matrix
                        vectorTotal += count * cycles.vector
                        chainTotal += count * (cycles.matrix + cycles.vector + cycles.store)
                    }
                }
            }
            // The first matmul waits for the first step's loads; the last tile's output stage and
            // store follow its matmuls.
            let first = tile(rows: traffic.rowTiles[0].value, columns: traffic.columnTiles[0].value, k: traffic.kTiles[0].value)
            let last = tile(rows: traffic.rowTiles.last!.value, columns: traffic.columnTiles.last!.value, k: traffic.kTiles.last!.value)
            let fill = traffic.firstStepLoads * latency + occupancy(traffic.firstStepBytes)
            compute = fill + max(matrixTotal + last.vector + last.store, first.matrix + vectorTotal + last.store,
                                 chainTotal / plan.outputBuffers)
        }
        let loadEngine = traffic.loads * latency + occupancy(traffic.loadBytes)
        let storeEngine = traffic.stores * latency + occupancy(traffic.outputBytes)
        // A single-buffered operand's next load waits for every matmul that reads the current
        // one, so its loads and all matmuls run one after another. A step loads its band first:
        // when every step loads one, the step's other loads queue behind it as well.
        if plan.inputBuffers == 1 {
            let chain = traffic.inputLoads == traffic.steps ? loadEngine : traffic.inputLoads * latency + occupancy(traffic.inputBytes)
            compute = max(compute, chain + matrixTotal)
        }
        if plan.weightBuffers == 1 && traffic.weightLoads > 0 {
            compute = max(compute, traffic.weightLoads * latency + occupancy(traffic.weightBytes) + matrixTotal)
        }
        // At least one compute instruction per step, besides the DMAs.
        let instructions = traffic.loads + traffic.stores + traffic.steps
        let channel = occupancy(traffic.loadBytes + traffic.outputBytes + instructions * InstructionEncoding.instructionBytes)
        return (max(compute, loadEngine, storeEngine, channel), matrixTotal)
    }

    /// A plan with its schedule (kept, so the code generator does not build it again) and the
    /// pipeline model's estimate of it.
    struct Choice {
        var plan: TilePlan
        var schedule: TileSchedule
        var estimate: PipelineModel.Estimate

        init(_ schedule: TileSchedule, plan: TilePlan, config: HardwareConfig) {
            self.plan = plan
            self.schedule = schedule
            estimate = PipelineModel.estimate(schedule, config: config)
        }
    }

    static func best(_ g: LayerGeometry, numerics: LayerNumerics, layout: DRAMLayout,
                     config: HardwareConfig) throws(CompilerError) -> Choice {
        let plans = candidates(g, config: config)
        guard !plans.isEmpty else { throw .noPlanFits(layer: g.name, smallestPlanProblem(g, config: config)) }
        // Consecutive plans share their tile sizes (they differ in loop order and slots): count
        // their tiles' bytes once.
        var tiles: PlanTraffic.Tiles?
        let bounds = plans.map { plan in
            if tiles?.key != PlanTraffic.Tiles.key(plan) { tiles = PlanTraffic.Tiles(g, plan: plan, layout: layout, config: config) }
            return bounded(g, plan, traffic: PlanTraffic(g, plan: plan, tiles: tiles!), config: config)
        }
        // Indices by bound, ties in enumeration order (sorting indices, not the plans, is cheaper).
        let order = bounds.indices.sorted { (bounds[$0].bound, $0) < (bounds[$1].bound, $1) }
        var best: Choice?
        for (rank, index) in order.enumerated() {
            let candidate = bounds[index]
            if let best, rank >= scoredPlans || candidate.bound > best.estimate.cycles { break }
            let scored = Choice(TileSchedule(g, numerics: numerics, plan: candidate.plan, layout: layout, config: config),
                                plan: candidate.plan, config: config)
            let (estimate, incumbent) = (scored.estimate, best?.estimate)
            if incumbent == nil || estimate.cycles < incumbent!.cycles
                || (estimate.cycles == incumbent!.cycles && estimate.dramBytes < incumbent!.dramBytes) {
                best = scored
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
