import ISA

/// Cycles of one matrix tile on the systolic array, by SCALE-Sim 3.0.0's analytic model
/// (Samajdar et al., "SCALE-Sim", and its `compute` module; see DESIGN.md §9).
///
/// A convolution tile is a GEMM of an ifmap operand matrix `P x W` by a filter operand matrix
/// `W x K`, with P output pixels, W = R*S*C the window (dot-product length) and K filters. Each
/// dataflow keeps one operand stationary in the PEs and maps two of the dimensions onto the array
/// (`Sr` onto its rows, `Sc` onto its columns); the third (`T`) streams through in time:
///
///     dataflow  Sr  Sc  T   cycles per fold
///     os        P   K   W   T + rows + cols - 2        (stream W, then drain the outputs)
///     ws        W   K   P   2*rows + cols + T - 2      (preload rows of weights, stream P, drain)
///     is        W   P   K   2*rows + cols + T - 2      (preload inputs, stream K, drain)
///
/// The operand matrix is cut into `folds = ceil(Sr / rows) * ceil(Sc / cols)` array-sized
/// pieces that run back to back, so `cycles = folds * cyclesPerFold`. SCALE-Sim reports
/// `folds * cyclesPerFold - 1` because it numbers cycles from 0; we count them (its AlexNet conv1
/// golden case, 112,283 cycles on a 32x32 ws array, is 112,284 here).
public struct SystolicTiming: Equatable, Sendable {
    public var dataflow: Dataflow
    /// Array dimensions in processing elements.
    public var rows: Int
    public var cols: Int
    /// The operand dimension mapped onto the array's rows (SCALE-Sim's `Sr`).
    public var spatialRows: Int
    /// The operand dimension mapped onto the array's columns (`Sc`).
    public var spatialColumns: Int
    /// The operand dimension streamed in time (`T`).
    public var temporal: Int
    /// `ceil(Sr / rows)` and `ceil(Sc / cols)`.
    public var rowFolds: Int
    public var columnFolds: Int
    /// Cycles of one fold (table above).
    public var cyclesPerFold: Int

    /// Timing of a GEMM of `outputPixels` (P) x `window` (W) by `window` x `filters` (K).
    public init(dataflow: Dataflow, rows: Int, cols: Int, outputPixels: Int, window: Int, filters: Int) {
        self.dataflow = dataflow
        self.rows = rows
        self.cols = cols
        switch dataflow {
        case .outputStationary: (spatialRows, spatialColumns, temporal) = (outputPixels, filters, window)
        case .weightStationary: (spatialRows, spatialColumns, temporal) = (window, filters, outputPixels)
        case .inputStationary: (spatialRows, spatialColumns, temporal) = (window, outputPixels, filters)
        }
        rowFolds = (spatialRows + rows - 1) / rows
        columnFolds = (spatialColumns + cols - 1) / cols
        cyclesPerFold = switch dataflow {
        case .outputStationary: temporal + rows + cols - 2
        case .weightStationary, .inputStationary: 2 * rows + cols + temporal - 2
        }
    }

    /// Timing of a `matmul` tile on `array`.
    public init(tile: MatrixTile, array: HardwareConfig.SystolicArray) {
        self.init(dataflow: array.dataflow, rows: array.rows, cols: array.cols,
                  outputPixels: tile.outputPixels, window: tile.reductionLength, filters: tile.outputChannels)
    }

    /// Array-sized pieces run back to back.
    public var folds: Int { rowFolds * columnFolds }

    /// Cycles of the whole tile: `folds * cyclesPerFold`.
    public var cycles: Int { folds * cyclesPerFold }

    /// Fraction of the PEs holding a useful operand, averaged over the folds:
    /// `sum over folds of (used rows * used cols) / (folds * rows * cols) = Sr * Sc / (folds * rows * cols)`
    /// (the used rows over all row folds sum to Sr, the used columns to Sc).
    public var mappingEfficiency: Double {
        Double(spatialRows) * Double(spatialColumns) / (Double(folds) * Double(rows) * Double(cols))
    }
}
