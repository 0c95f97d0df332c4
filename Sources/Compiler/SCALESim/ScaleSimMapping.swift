import ISA

/// SCALE-Sim 3.0.0's fixed mapping of one layer (`npu run ... --mapping scalesim`): the whole
/// layer's operand matrices on the array, with no tiling choice and no overlap between folds.
///
/// The ifmap operand matrix is `P x W` (P output pixels, W the window), the filter matrix
/// `W x K`, the ofmap matrix `P x K` (`compute/operand_matrix.py`). Each dataflow maps two of
/// them onto the array and streams the third (`SystolicTiming` holds the table: `Sr`, `Sc`,
/// `T`, `folds = ceil(Sr / rows) * ceil(Sc / cols)`, cycles per fold). The figures below are
/// those SCALE-Sim's `compute/systolic_compute_{ws,os,is}.py` derive from its demand matrices,
/// in closed form; each is checked against SCALE-Sim's own reports in the tests.
public struct ScaleSimMapping: Equatable, Sendable {
    public var layer: ScaleSimTopology.Layer
    public var timing: SystolicTiming

    /// The mapping of `layer` on `array` (its `rows`, `cols` and `dataflow`). On a flexible array
    /// (`dataflow any`, which SCALE-Sim has not) the layer takes the dataflow of fewest cycles, the
    /// first of ws, os, is on a tie: SCALE-Sim's mapping in each, and the best kept per layer.
    public init(layer: ScaleSimTopology.Layer, array: HardwareConfig.SystolicArray) {
        self.layer = layer
        timing = array.dataflows.map {
            SystolicTiming(dataflow: $0, rows: array.rows, cols: array.cols,
                           outputPixels: layer.outputPixels, window: layer.window, filters: layer.filters)
        }.min { $0.folds * $0.cyclesPerFold < $1.folds * $1.cyclesPerFold }!
    }

    /// SCALE-Sim's `Total Cycles`: `folds * cyclesPerFold - 1`. Its memory system numbers the
    /// demand matrix's rows (one per cycle) from 0 and reports the number of the last row with
    /// an ofmap write (`double_buffered_scratchpad.service_memory_requests`:
    /// `total_cycles = max(ofmap_serviced_cycles)`), one less than the rows it ran. Without
    /// memory stalls, which its CALC bandwidth mode guarantees.
    public var totalCycles: Int { timing.folds * timing.cyclesPerFold - 1 }

    /// Multiply-accumulates (`single_layer_sim.num_compute`).
    public var macs: Int { layer.macs }

    /// SCALE-Sim's `Overall Util %`: `num_compute * 100 / (total_cycles * rows * cols)`
    /// (`single_layer_sim.calc_report_data`).
    public var overallUtilizationPercent: Double {
        Double(macs * 100) / Double(totalCycles * timing.rows * timing.cols)
    }

    /// The PEs a fold uses: `(row_used, col_used)` for each fold, in SCALE-Sim's loop order
    /// (column folds outer, row folds inner).
    private var foldsUsed: [(rows: Int, cols: Int)] {
        (0..<timing.columnFolds).flatMap { columnFold in
            (0..<timing.rowFolds).map { rowFold in
                (rows: min(timing.rows, timing.spatialRows - rowFold * timing.rows),
                 cols: min(timing.cols, timing.spatialColumns - columnFold * timing.cols))
            }
        }
    }

    /// SCALE-Sim's `Mapping Efficiency %`: the mean over folds of `row_used * col_used / (rows * cols)`,
    /// times 100 (`get_avg_mapping_efficiency`), summed in its order so the value is the same double.
    public var mappingEfficiencyPercent: Double {
        let area = timing.rows * timing.cols
        let sum = foldsUsed.reduce(0.0) { $0 + Double($1.rows * $1.cols) / Double(area) }
        return sum / Double(timing.folds) * 100
    }

    /// Cycles SCALE-Sim's per-fold compute utilization divides by (`cycles_this_fold`, the
    /// shape of the demand matrix it measures: rows + columns - 1). For os that is the ofmap
    /// fold, `T + rows + cols - 2`; for ws the filter fold and for is the ifmap fold, each of
    /// `2 * rows + cols + T - 2` rows and `cols` columns: `2 * rows + 2 * cols + T - 3`.
    private var utilizationCyclesPerFold: Int {
        switch timing.dataflow {
        case .outputStationary: timing.temporal + timing.rows + timing.cols - 2
        case .weightStationary, .inputStationary: 2 * timing.rows + 2 * timing.cols + timing.temporal - 3
        }
    }

    /// SCALE-Sim's `Compute Util %`: the mean over folds of
    /// `row_used * col_used * T / (rows * cols * cycles_this_fold)`, times 100 (`get_avg_compute_utilization`).
    public var computeUtilizationPercent: Double {
        let denominator = timing.rows * timing.cols * utilizationCyclesPerFold
        let sum = foldsUsed.reduce(0.0) { $0 + Double($1.rows * $1.cols * timing.temporal) / Double(denominator) }
        return sum / Double(timing.folds) * 100
    }

    /// Words the array reads from the ifmap SRAM (`get_ifmap_requests`): ws and os stream the
    /// ifmap once per column fold (`colFolds * P * W`); is holds it stationary, each word read once (`P * W`).
    public var ifmapSRAMReads: Int {
        let matrix = layer.outputPixels * layer.window
        return timing.dataflow == .inputStationary ? matrix : timing.columnFolds * matrix
    }

    /// Words read from the filter SRAM (`get_filter_requests`): ws holds the filters stationary
    /// (`W * K`); os streams them once per row fold, is once per column fold.
    public var filterSRAMReads: Int {
        let matrix = layer.window * layer.filters
        switch timing.dataflow {
        case .weightStationary: return matrix
        case .outputStationary: return timing.rowFolds * matrix
        case .inputStationary: return timing.columnFolds * matrix
        }
    }

    /// Words written to the ofmap SRAM (`get_ofmap_requests`): ws and is write each output
    /// once per row fold (partial sums, `rowFolds * P * K`). os writes each output once, and
    /// SCALE-Sim also adds `rows + cols` per fold (`create_ofmap_demand_mat` counts the padded
    /// fold's `shape[0] + shape[1]` a second time), which we reproduce.
    public var ofmapSRAMWrites: Int {
        let matrix = layer.outputPixels * layer.filters
        switch timing.dataflow {
        case .outputStationary: return matrix + timing.folds * (timing.rows + timing.cols)
        case .weightStationary, .inputStationary: return timing.rowFolds * matrix
        }
    }
}
