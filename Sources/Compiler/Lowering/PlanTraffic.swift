import ISA

/// The DMAs a tile plan issues and the DRAM bytes they move, counted from the plan's loop order
/// and slot counts without building its `TileSchedule`, so the plan search can rank thousands of
/// candidates by them (`PlanSearch.lowerBound`).
///
/// It follows the schedule's loop: output-channel tiles and spatial tiles (image-major over the
/// batch) in the plan's loop order, reduction chunks innermost, and round-robin slot caches for
/// NBin bands, SB weight tiles and SB record slots (`loadsPerContent`), so the DMA counts are the
/// schedule's. Each DMA's bytes are its contiguous runs, merged as `DRAMTiming.trafficBytes`
/// merges them and each rounded up to whole bursts, for every tile's own extent (edge tiles are
/// smaller, padding is not loaded). Tiles along a dimension take few distinct sizes, so the
/// counts work on `Tally`s of sizes and take time independent of the number of tiles.
///
/// Assumption: runs start on a burst boundary. A run that does not moves one burst more, so the
/// bytes here can fall below the schedule's traffic, not above it. The prologue's PWL table load
/// is not counted.
struct PlanTraffic {
    /// DMAs of the load engine (bands, weight tiles, output-stage records) and of the store engine.
    var inputLoads: Int, weightLoads: Int, recordLoads: Int, stores: Int
    /// DRAM bytes each of them moves in total.
    var inputBytes: Int, weightBytes: Int, recordBytes: Int, outputBytes: Int
    /// Steps of the tile loop: one reduction pass of one output tile each.
    var steps: Int
    /// DMAs and bytes of the first step (its band and weight tile), which the first matmul waits for.
    var firstStepLoads: Int, firstStepBytes: Int
    /// The sizes of the tiles along each loop dimension (`sizes`), in loop order: rows and
    /// columns of one image's output, output channels, and the reduction chunks' input channels
    /// (unsplit: one of each group's channels).
    var rowTiles: Tally, columnTiles: Tally, kTiles: Tally, chunks: Tally

    var loads: Int { inputLoads + weightLoads + recordLoads }
    var loadBytes: Int { inputBytes + weightBytes + recordBytes }

    /// Distinct values in order of first occurrence, each with how many times it occurs (tile
    /// sizes or extents along one dimension).
    typealias Tally = [(value: Int, count: Int)]

    init(_ g: LayerGeometry, plan: TilePlan, layout: DRAMLayout, config: HardwareConfig) {
        self.init(g, plan: plan, tiles: Tiles(g, plan: plan, layout: layout, config: config))
    }

    /// The plan's DMAs from its `tiles` (which plans differing only in loop order and slot
    /// counts share): how often each band, weight tile and record set is loaded.
    init(_ g: LayerGeometry, plan: TilePlan, tiles: Tiles) {
        (rowTiles, columnTiles, kTiles, chunks) = (tiles.rowTiles, tiles.columnTiles, tiles.kTiles, tiles.chunks)
        let (spatial, kTileCount, chunkCount) = (tiles.spatial, tiles.kTileCount, tiles.chunkCount)
        steps = spatial * kTileCount * chunkCount
        stores = spatial * kTileCount

        // How often each band, weight tile and record set is loaded (one `TileSchedule` slot key each).
        let bandLoads: Int, weightTileLoads: Int, recordSetLoads: Int
        switch (g.canSplitReduction, plan.loopOrder) {
        case (true, .weightsOuter):
            // Per K tile, every band; per spatial tile, the K tile's chunks.
            bandLoads = Self.loadsPerContent(cycle: spatial * chunkCount, cycles: kTileCount, slots: plan.inputBuffers)
            weightTileLoads = Self.loadsPerContent(cycle: chunkCount, cycles: spatial, slots: plan.weightBuffers)
            recordSetLoads = 1
        case (true, .inputOuter):
            // Per K tile, the spatial tile's chunks; per spatial tile, every weight tile.
            bandLoads = Self.loadsPerContent(cycle: chunkCount, cycles: kTileCount, slots: plan.inputBuffers)
            weightTileLoads = Self.loadsPerContent(cycle: kTileCount * chunkCount, cycles: spatial, slots: plan.weightBuffers)
            recordSetLoads = Self.loadsPerContent(cycle: kTileCount, cycles: spatial, slots: plan.weightBuffers)
        case (false, _):
            // Grouped convolution or pooling: a band holds one output-channel tile's channels.
            bandLoads = 1
            weightTileLoads = plan.loopOrder == .weightsOuter ? 1
                : Self.loadsPerContent(cycle: kTileCount, cycles: spatial, slots: plan.weightBuffers)
            recordSetLoads = weightTileLoads
        }
        inputLoads = spatial * tiles.bandChannelCount * bandLoads
        inputBytes = g.batch * tiles.bandBytes * bandLoads
        weightLoads = g.isPooling ? 0 : kTileCount * chunkCount * weightTileLoads
        weightBytes = tiles.weightBytes * weightTileLoads
        recordLoads = g.isPooling ? 0 : kTileCount * recordSetLoads * tiles.recordSets
        recordBytes = tiles.recordBytes * recordSetLoads * tiles.recordSets
        firstStepLoads = g.isPooling ? 1 : 2
        firstStepBytes = tiles.firstStepBytes
        outputBytes = tiles.outputBytes
    }

    /// What a plan's tile sizes (rows, columns, output channels, reduction chunk) fix, whatever its
    /// loop order and slot counts: the tiles along each dimension and the DRAM bytes of one load
    /// of every band, weight tile and record set, and of the stores.
    struct Tiles {
        var rowTiles: Tally, columnTiles: Tally, kTiles: Tally, chunks: Tally
        var spatial: Int, kTileCount: Int, chunkCount: Int
        /// Band DMAs per spatial tile, and the bytes of one load of every image's bands.
        var bandChannelCount: Int, bandBytes: Int
        /// Bytes of one load of every weight tile, and of every record set.
        var weightBytes: Int, recordBytes: Int
        /// Record sets per K tile (LeakyReLU loads a second with each, `TileSchedule`).
        var recordSets: Int
        var firstStepBytes: Int, outputBytes: Int

        /// The tile sizes these were counted for.
        struct Key: Equatable {
            var rows: Int, columns: Int, outputChannels: Int, inputChannels: Int
        }
        let key: Key
        static func key(_ plan: TilePlan) -> Key {
            Key(rows: plan.rows, columns: plan.columns, outputChannels: plan.outputChannels, inputChannels: plan.inputChannels)
        }

        init(_ g: LayerGeometry, plan: TilePlan, layout: DRAMLayout, config: HardwareConfig) {
            key = Self.key(plan)
            let e = g.elementBytes, burst = config.dram.burstBytes
            let K = g.outputChannels
            /// Bytes of `runs` runs of `run` bytes each, rounded up to whole bursts.
            func traffic(run: Int, runs: Int = 1) -> Int { runs * ((run + burst - 1) / burst) * burst }

            rowTiles = PlanTraffic.sizes(g.computedHeight, plan.rows)
            columnTiles = PlanTraffic.sizes(g.computedWidth, plan.columns)
            kTiles = PlanTraffic.sizes(K, plan.outputChannels)
            chunks = g.canSplitReduction ? PlanTraffic.sizes(g.input.channels, plan.inputChannels) : [(value: g.channelsPerGroup, count: 1)]
            kTileCount = PlanTraffic.count(kTiles)
            chunkCount = PlanTraffic.count(chunks)
            spatial = g.batch * PlanTraffic.count(rowTiles) * PlanTraffic.count(columnTiles)

            // Input bands: per tile its rows and columns inside the input (`regionTraffic`), per
            // chunk (grouped or pooling: per K tile) its channels.
            let bandRows = PlanTraffic.loadedExtents(g.computedHeight, plan.rows, stride: g.strideY, reach: g.reachY,
                                                     padding: g.padding.top, size: g.input.height)
            let bandColumns = PlanTraffic.loadedExtents(g.computedWidth, plan.columns, stride: g.strideX, reach: g.reachX,
                                                        padding: g.padding.left, size: g.input.width)
            let bandChannels: Tally = g.canSplitReduction ? chunks
                : kTiles.map { (g.bandChannels(k0: 0, kCount: $0.value, c0: 0, cCount: 0).count, $0.count) }
            func bands(rows: Tally, columns: Tally, channels: Int) -> Int {
                PlanTraffic.regionTraffic(rows: rows, columns: columns, pixelBytes: channels * e,
                                          wholePixels: channels == layout.inputPixelStride, width: g.input.width, burst: burst)
            }
            bandChannelCount = PlanTraffic.count(bandChannels)
            bandBytes = bandChannels.reduce(0) { $0 + $1.count * bands(rows: bandRows, columns: bandColumns, channels: $1.value) }

            // Weight tiles [R][S][c][k]: rows of k filters, merged when k is all of K.
            let window = g.kernelHeight * g.kernelWidth
            func weightTile(k: Int, c: Int) -> Int {
                if k < K { return traffic(run: k * e, runs: window * c) }
                return c < g.channelsPerGroup ? traffic(run: c * k * e, runs: window) : traffic(run: window * c * k * e)
            }
            var weights = 0, records = 0
            if !g.isPooling {
                for k in kTiles {
                    weights += k.count * chunks.reduce(0) { $0 + $1.count * weightTile(k: k.value, c: $1.value) }
                    records += k.count * traffic(run: k.value * BufferBudget.recordBytes)
                }
            }
            (weightBytes, recordBytes) = (weights, records)
            if case .leakyRelu = g.activation { recordSets = 2 } else { recordSets = 1 }

            let firstBand = bands(rows: [(bandRows[0].value, 1)], columns: [(bandColumns[0].value, 1)], channels: bandChannels[0].value)
            firstStepBytes = firstBand + (g.isPooling ? 0 : weightTile(k: kTiles[0].value, c: chunks[0].value))

            // Stores: per tile its stored rows and columns (after a fused pooling).
            let storedRows: Tally = rowTiles.map { ($0.value / g.poolWindowHeight, $0.count) }
            let storedColumns: Tally = columnTiles.map { ($0.value / g.poolWindowWidth, $0.count) }
            let tileBytes = kTiles.reduce(0) { sum, k in
                sum + k.count * PlanTraffic.regionTraffic(rows: storedRows, columns: storedColumns, pixelBytes: k.value * e,
                                                          wholePixels: layout.outputPixelStep == 1 && k.value == layout.outputPixelStride,
                                                          width: g.finalOutput.width, burst: burst)
            }
            outputBytes = g.batch * tileBytes
        }
    }

    /// Loads of each content when a loop visits a fixed cycle of `cycle` distinct contents
    /// `cycles` times through `slots` round-robin slots: once when they all fit, else at every
    /// visit (between two visits of a content, the cycle's other contents fill every slot).
    static func loadsPerContent(cycle: Int, cycles: Int, slots: Int) -> Int {
        cycle <= slots ? 1 : cycles
    }

    /// Bytes of one DMA per region `rows x columns` (pixels) of a tensor `width` pixels wide,
    /// `pixelBytes` of each pixel, for every pair of the tallies' values (times both counts): one
    /// run per pixel, or with `wholePixels` (the region holds every channel of a pixel) one per
    /// region row, or one run when a row spans the width. Each run is rounded up to whole bursts.
    static func regionTraffic(rows: Tally, columns: Tally, pixelBytes: Int, wholePixels: Bool, width: Int, burst: Int) -> Int {
        func traffic(_ run: Int) -> Int { (run + burst - 1) / burst * burst }
        let rowSum = rows.reduce(0) { $0 + $1.value * $1.count }
        guard wholePixels else { return rowSum * columns.reduce(0) { $0 + $1.value * $1.count } * traffic(pixelBytes) }
        var bytes = 0
        for column in columns {
            bytes += column.count * (column.value == width ? rows.reduce(0) { $0 + $1.count * traffic($1.value * width * pixelBytes) }
                : rowSum * traffic(column.value * pixelBytes))
        }
        return bytes
    }

    /// The sizes of `extent` split into tiles of `size`: `size` for the whole tiles, then the
    /// partial last one.
    static func sizes(_ extent: Int, _ size: Int) -> Tally {
        var tally: Tally = []
        tally.reserveCapacity(2)
        if extent >= size { tally.append((size, extent / size)) }
        if extent % size > 0 { tally.append((extent % size, 1)) }
        return tally
    }

    static func count(_ tally: Tally) -> Int { tally.reduce(0) { $0 + $1.count } }

    /// Input rows (or columns, of `size`) that the bands of the output tiles of `extent` split
    /// every `tile` read, without their padding: a tile of n outputs starting at output o reads
    /// the window reach after n - 1 strides from input row `o * stride - padding`. Only the
    /// leading tiles that reach into the padding and the trailing ones that reach past the input
    /// or are partial differ from the tiles between them.
    static func loadedExtents(_ extent: Int, _ tile: Int, stride: Int, reach: Int, padding: Int, size: Int) -> Tally {
        let tiles = (extent + tile - 1) / tile
        func first(_ t: Int) -> Int { t * tile * stride - padding }
        func end(_ t: Int) -> Int { first(t) + (min(tile, extent - t * tile) - 1) * stride + reach }
        func loaded(_ t: Int) -> Int { min(end(t), size) - max(first(t), 0) }
        var tally: Tally = []
        func add(_ value: Int, _ count: Int) {
            guard count > 0 else { return }
            if let last = tally.last, last.value == value { tally[tally.count - 1].count += count } else { tally.append((value, count)) }
        }
        var leading = 0
        while leading < tiles && first(leading) < 0 {
            add(loaded(leading), 1)
            leading += 1
        }
        var trailing = tiles
        while trailing > leading && (end(trailing - 1) > size || (trailing - 1) * tile + tile > extent) { trailing -= 1 }
        if trailing > leading { add(loaded(leading), trailing - leading) }
        for t in trailing..<tiles { add(loaded(t), 1) }
        return tally
    }
}
