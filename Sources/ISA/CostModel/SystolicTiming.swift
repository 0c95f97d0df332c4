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
///
/// With a double-buffered array (`SystolicArray.doubleBuffered`, as TPU v1's weight tile) the
/// next fold's stationary operands shift in while the current fold streams, and the folds
/// stream back to back, so the fill and drain skew is paid once per tile:
///
///     ws, is:  rows + folds * max(T, rows) + rows + cols - 2   (first preload; each fold streams
///                                                               T, or waits for its preload)
///     os:      folds * max(T, rows) + rows + cols - 2           (each fold's outputs drain
///                                                               while the next accumulates)
///
/// For a single fold with T >= rows both forms equal the table above.
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
    /// Cycles of one fold (table above), when folds do not overlap.
    public var cyclesPerFold: Int
    /// Whether folds overlap (a double-buffered array).
    public var doubleBuffered: Bool

    /// Timing of a GEMM of `outputPixels` (P) x `window` (W) by `window` x `filters` (K).
    public init(dataflow: Dataflow, rows: Int, cols: Int, outputPixels: Int, window: Int, filters: Int,
                doubleBuffered: Bool = false) {
        self.dataflow = dataflow
        self.doubleBuffered = doubleBuffered
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

    /// Timing of a `matmul` tile on `array`, in the dataflow the tile asks for (`MatmulDataflow`).
    public init(tile: MatrixTile, array: HardwareConfig.SystolicArray) {
        self.init(dataflow: tile.dataflow.resolved(array.dataflow), rows: array.rows, cols: array.cols,
                  outputPixels: tile.outputPixels, window: tile.reductionLength, filters: tile.outputChannels,
                  doubleBuffered: array.doubleBuffered)
    }

    /// Array-sized pieces run back to back.
    public var folds: Int { rowFolds * columnFolds }

    /// Cycles of the whole tile: `folds * cyclesPerFold`, or the overlapped form above.
    public var cycles: Int {
        guard doubleBuffered else { return folds * cyclesPerFold }
        let preload = dataflow == .outputStationary ? 0 : rows
        return preload + folds * max(temporal, rows) + rows + cols - 2
    }

    /// Fraction of the PEs holding a useful operand, averaged over the folds:
    /// `sum over folds of (used rows * used cols) / (folds * rows * cols) = Sr * Sc / (folds * rows * cols)`
    /// (the used rows over all row folds sum to Sr, the used columns to Sc).
    public var mappingEfficiency: Double {
        Double(spatialRows) * Double(spatialColumns) / (Double(folds) * Double(rows) * Double(cols))
    }
}
