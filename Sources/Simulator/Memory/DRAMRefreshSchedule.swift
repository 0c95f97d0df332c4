/// The all-bank refreshes of one DRAM channel, in NPU cycles.
///
/// Refresh number `k` (k = 1, 2, ...) begins at `phase + k * interval` (the controller issues
/// REFRESH every tREFI on the dot, whatever the traffic) and takes the whole channel for
/// `duration` (tRFC): no ACTIVATE, PRECHARGE or READ issues in `[begin(k), begin(k) + tRFC)`,
/// and every bank is closed afterwards. The precharge-all that precedes each REFRESH (tRP after
/// the last READ's tRTP) is not charged: the command bus is assumed to fit it before `begin(k)`.
/// Channels refresh staggered by `phase = channel * tREFI / channels`, as a controller (and
/// DRAMsim3's staggered refresh policy) spreads refreshes so that not every channel stops at once.
struct DRAMRefreshSchedule {
    /// tREFI in NPU cycles; 0 for no refresh.
    let interval: Double
    /// tRFC in NPU cycles.
    let duration: Double
    /// When refresh 0 would have begun, in NPU cycles.
    let phase: Double

    init(interval: Double, duration: Double, phase: Double) {
        precondition(interval == 0 || duration < interval, "tRFC \(duration) must be shorter than tREFI \(interval)")
        self.interval = interval
        self.duration = duration
        self.phase = phase
    }

    /// Refreshes begun at or before `time`: `floor((time - phase) / interval)`, 0 before the first.
    func count(at time: Double) -> Int {
        guard interval > 0, time >= phase + interval else { return 0 }
        return Int(((time - phase) / interval).rounded(.down))
    }

    /// When refresh `k` (k >= 1) ends and the channel takes commands again.
    func end(of k: Int) -> Double { phase + Double(k) * interval + duration }

    /// The first cycle at or after `time` at which the channel takes commands: `time`, or the end
    /// of the refresh under way at `time`.
    func firstCommandSlot(from time: Double) -> Double {
        let k = count(at: time)
        return k > 0 ? max(time, end(of: k)) : time
    }
}
