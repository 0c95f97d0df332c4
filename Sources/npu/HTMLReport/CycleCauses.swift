import ISA
import Simulator

/// A layer's span (`LayerStatistics.cycles`, first start to last completion) split by what the
/// compute engine was doing, the parts of the report's stacked "cycles by cause" chart.
///
/// Definition, from the compute engine's view, taking each part in this order and capping it at
/// what the span has left, so the parts never exceed the span:
/// - `arrayBusy`: the matrix unit's busy cycles (`computeUnitBusyCycles[matrix]`);
/// - `vectorOnly`: compute-engine busy cycles without the matrix unit (`busyCycles[compute]`
///   minus the matrix unit's: pooling, element-wise, requantization while the array idles);
/// - `waitingForData`: the compute engine waiting for a load's token (`stalls[compute].dependency`:
///   its input data is not in the buffer yet, a memory-bound layer's signature);
/// - `waitingForBuffer`: waiting for a free buffer slot (`stalls[compute].bufferFull`: the store
///   engine has not drained NBout yet);
/// - `instructionFetch`: waiting for its next instruction (`stalls[compute].dispatch`);
/// - `other`: the rest of the span, at least 0: stores draining after the last compute, and time
///   the layer overlaps its neighbours (busy and stall cycles are attributed to the layer of the
///   instruction concerned, while the span runs from its first load to its last store).
///
/// The compute engine's DRAM stalls are always 0 (only DMAs wait for DRAM) and `idle` belongs to
/// no layer (`LayerStatistics.stalls`), so these six parts cover every cause.
struct CycleCauses: Equatable {
    var arrayBusy = 0
    var vectorOnly = 0
    var waitingForData = 0
    var waitingForBuffer = 0
    var instructionFetch = 0
    var other = 0

    /// The legend names, in stacking order (bottom first).
    static let names = ["array busy", "vector only", "waiting for data", "waiting for a buffer slot", "instruction fetch", "other"]

    init(_ layer: LayerStatistics) {
        let compute = Engine.compute.rawValue
        let array = layer.computeUnitBusyCycles[ComputeUnit.matrix.rawValue]
        let stalls = layer.stalls[compute]
        var left = max(layer.cycles, 0)
        func take(_ cycles: Int) -> Int {
            let part = min(max(cycles, 0), left)
            left -= part
            return part
        }
        arrayBusy = take(array)
        vectorOnly = take(layer.busyCycles[compute] - array)
        waitingForData = take(stalls.dependency)
        waitingForBuffer = take(stalls.bufferFull)
        instructionFetch = take(stalls.dispatch)
        other = left
    }

    /// The parts in `names` order; they add up to the span.
    var parts: [Int] { [arrayBusy, vectorOnly, waitingForData, waitingForBuffer, instructionFetch, other] }
}
