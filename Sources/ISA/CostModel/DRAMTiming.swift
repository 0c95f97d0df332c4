/// How DRAM traffic is counted and how long the shared channel is occupied.
///
/// The channel moves whole aligned bursts (`dram.burstBytes`): a transfer's traffic is each
/// contiguous run of bytes rounded out to the bursts it touches. A request occupies the channel
/// for `ceil(traffic / bytesPerCycle)` cycles; its data starts at `max(issue + latency,
/// channelFreeAt)` (the latency is pipelined across outstanding requests, as in a DRAM controller
/// with a request queue), after which the channel is free again at `start + occupancy`.
/// This is the channel of `dram.model` "simple"; a named standard is timed instead by the
/// simulator's bank model (`DRAMDevice`), which moves the same bursts.
public enum DRAMTiming {
    /// Aligned bursts of `burst` bytes covering bytes `start ..< start + length` (`length >= 1`).
    public static func bursts(start: Int, length: Int, burst: Int) -> Int {
        floorDivide(start + length - 1, burst) - floorDivide(start, burst) + 1
    }

    /// Channel cycles to move `bytes`: `ceil(bytes / bytesPerCycle)`, at least 1 for a non-empty
    /// request. A tolerance of 1e-9 keeps ratios such as 64 / 12.8 from rounding up to 6.
    public static func occupancy(bytes: Int, bytesPerCycle: Double) -> Int {
        guard bytes > 0 else { return 0 }
        return max(1, Int((Double(bytes) / bytesPerCycle - 1e-9).rounded(.up)))
    }

    /// DRAM bytes a transfer moves: its contiguous runs (rows merged when the row stride equals
    /// the row length, planes merged likewise) each rounded out to whole aligned bursts.
    ///
    /// The burst count of a run depends only on its start address modulo the burst size, so runs
    /// at a constant stride repeat with a period of at most `burst` runs; each period is counted
    /// once. The work is O(min(y, burst) * min(z, burst)) whatever the transfer's size.
    public static func trafficBytes(_ transfer: Transfer, burst: Int) -> Int {
        let runs = DRAMRuns(transfer)
        let burstsPerPlane = { (base: Int) in
            periodicSum(base: base, count: runs.runsPerPlane, stride: runs.runStride, modulus: burst) {
                bursts(start: $0, length: runs.runBytes, burst: burst)
            }
        }
        return periodicSum(base: runs.base, count: runs.planes, stride: runs.planeStride, modulus: burst, burstsPerPlane) * burst
    }

    /// `sum over i < count of value(base + i * stride)` for a `value` that depends only on its
    /// argument modulo `modulus`: the terms repeat every `modulus / gcd(stride, modulus)` steps.
    public static func periodicSum(base: Int, count: Int, stride: Int, modulus: Int, _ value: (Int) -> Int) -> Int {
        let step = stride % modulus
        let period = step == 0 ? 1 : modulus / gcd(step, modulus)
        if count <= period { return (0..<count).reduce(0) { $0 + value(base + $1 * stride) } }
        let remainder = count % period
        var periodSum = 0, remainderSum = 0
        for i in 0..<period {
            let term = value(base + i * stride)
            periodSum += term
            if i < remainder { remainderSum += term }
        }
        return periodSum * (count / period) + remainderSum
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
