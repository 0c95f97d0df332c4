import ISA

/// An open-page DRAM of channels and banks with row buffers, timed by a `DRAMStandard`: the
/// memory the DMAs and the fetch unit share when `dram.model` names a standard.
///
/// **Address mapping** (from the lowest bits up, "ro ba co bg ch"): the burst index
/// `address / burstBytes` is split into channel (lowest: consecutive bursts interleave over the
/// channels), then bank group, then the burst's column within a row (`rowBytes / burstBytes` of
/// them), then the bank within its group, then the row. A sequential stream thus spreads over
/// every channel and, on each, alternates bank groups burst by burst (one open row in one bank
/// of each group), fills those rows, and moves to the next bank of each group, whose activation
/// overlaps the previous banks' bursts. Bank `b` of a channel is in group `b % bankGroups`.
/// Group bits just above the burst offset are the usual controller choice because READs to
/// different bank groups need only tCCD_S apart, to the same group tCCD_L (JESD79-4): with the
/// groups above the column bits a stream within one row would stay in one group and run at one
/// burst per tCCD_L (DDR4-3200: 12.8 GB/s, half its peak). Without bank groups (DDR3, LPDDR4) this is DRAMsim3's "ro ba co ch".
///
/// **Scheduling**: first come, first served. A request's bursts reach the controller when it
/// is issued, in address order; each bank takes them in order (no reordering of hits ahead of
/// older misses, unlike FR-FCFS), and each channel's data bus moves one burst at a time, in the
/// order the bursts arrived.
///
/// **Timing of one burst** (JEDEC command rules; all times in NPU cycles, one DRAM clock being
/// `tCK x clockGHz` of them), with `t` the request's issue cycle and the bank's state, from the
/// bank's first free slot `s = max(t, bank.nextColumn)`:
/// - row hit (the row is open): READ at `s`;
/// - closed bank (nothing open yet, or closed by a refresh since its last READ): ACTIVATE at
///   `A = act(s)`, READ at A + tRCD;
/// - row conflict (another row open): PRECHARGE at `max(s, ACT_prev + tRAS)`, ACTIVATE at
///   `A = act(PRE + tRP)`, READ at A + tRCD;
/// - `act(x)` (`DRAMActivateLog`): the least `y >= x` at least tRRD_S from every other ACTIVATE
///   of the channel, before or after it (tRRD_L within the bank group), such that no tFAW
///   window holds five ACTIVATEs with `y` among them. ACTIVATEs thus take the earliest gap the
///   limits leave, not necessarily after those planned for earlier bursts;
/// - its data is ready at READ + CL and crosses the channel's bus from
///   `max(ready, bus free, group READ + CL)` for `max(BL / 2, tCCD)` clocks (a burst of BL
///   beats on both edges; column commands at least tCCD = tCCD_S apart), where `group READ` is
///   the bank group's previous READ + tCCD_L. The READ effectively issues at that bus start - CL;
///   the bank's next command may follow it by `max(BL / 2, tCCD)` clocks. Without bank groups
///   (tCCD_L = tCCD) the group term never binds;
/// - **refresh** (`DRAMRefreshSchedule`): channel `c` refreshes all its banks at
///   `begin(k) = (k + c / channels) x tREFI` for k = 1, 2, ..., each taking the channel for tRFC
///   (tREFI, tRFC converted like every other parameter, `clocks x tCK x clockGHz`). `s` inside a
///   refresh moves to its end. If the READ would (effectively) issue at or after the next
///   refresh's beginning, the sequence is planned again from `s = begin(k) + tRFC`, refresh `k`
///   being the last to begin by that READ, against a closed bank: the burst pays an ACTIVATE
///   (counted as a miss), and so does each bank's next burst after any refresh.
/// The data bus and tCCD_L are the bandwidth limit; activations, precharges, CL and refreshes
/// are the latency, hidden behind other banks' bursts when the stream spreads over banks. For
/// DDR4 the bursts of one row are READs to one bank group, so a stream inside a row moves a
/// burst per tCCD_L (8 clocks) rather than per 4: half the peak rate.
///
/// Not modelled: writes (stores are timed as reads: no tWR, tWTR or write-to-read turnaround),
/// FR-FCFS (READs to open rows moved ahead of older requests' bursts), per-bank refresh, tRTP
/// and the precharge-all before a refresh, HBM2 pseudo-channels (JESD235B), power-down.
struct DRAMDevice {
    /// One bank's row buffer and its next free command slot, in NPU cycles.
    private struct Bank {
        var openRow = -1
        var activatedAt = 0.0
        var nextColumn = 0.0
        /// Refreshes of its channel begun by its last READ: once more have begun, its row is closed.
        var refreshes = 0
    }

    /// When one request's data comes back, in NPU cycles.
    struct Service {
        /// The first burst's data is ready in the device (READ + CL): the request's latency ends.
        var firstReady: Double
        /// The first burst starts on the data bus.
        var firstData: Double
        /// The last burst has crossed the data bus.
        var end: Double
        /// Bursts moved.
        var bursts: Int
    }

    /// The standard's command timing in NPU cycles.
    private struct Timing {
        /// tRCD, tRP, CL, tRAS.
        var rowToColumn, precharge, casLatency, rowActive: Double
        /// A burst on the data bus: `max(BL / 2, tCCD)`.
        var burst: Double
        /// tCCD_L: READ to READ in one bank group.
        var groupColumn: Double

        init(_ standard: DRAMStandard, cyclesPerClock cycles: Double) {
            rowToColumn = Double(standard.tRCD) * cycles
            precharge = Double(standard.tRP) * cycles
            casLatency = Double(standard.tCL) * cycles
            rowActive = Double(standard.tRAS) * cycles
            burst = Double(max(standard.burstLength / 2, standard.tCCD)) * cycles
            groupColumn = Double(standard.tCCD_L) * cycles
        }
    }

    let standard: DRAMStandard
    let channels: Int
    /// Peak bytes per NPU cycle over all channels.
    let bytesPerCycle: Double
    private let burstBytes: Int
    private let burstsPerRow: Int
    private let timing: Timing
    private var banks: [Bank]
    /// Per channel: its refreshes, and when its data bus is next free.
    private let refresh: [DRAMRefreshSchedule]
    private var busFree: [Double]
    /// Per channel: its ACTIVATEs that can still constrain a new one.
    private var activates: [DRAMActivateLog]
    /// Per channel and bank group (`channel * bankGroups + group`): the earliest its next READ
    /// may issue (last READ + tCCD_L).
    private var groupNextRead: [Double]
    /// The latest request issue so far: ACTIVATEs too long before it to limit another are forgotten.
    private var latestIssue = 0.0
    /// Row-buffer outcomes of every burst so far.
    private(set) var rows = DRAMRowStatistics()

    init(standard: DRAMStandard, channels: Int?, clockGHz: Double) {
        self.standard = standard
        let channels = channels ?? standard.channels
        self.channels = channels
        let cycles = standard.clockPeriodNS * clockGHz
        timing = Timing(standard, cyclesPerClock: cycles)
        burstBytes = standard.burstBytes
        burstsPerRow = max(1, standard.rowBytes / standard.burstBytes)
        bytesPerCycle = standard.peakGBps(channels: channels) / clockGHz
        banks = Array(repeating: Bank(), count: channels * standard.banks)
        let interval = Double(standard.tREFI) * cycles
        refresh = (0..<channels).map {
            DRAMRefreshSchedule(interval: interval, duration: Double(standard.tRFC) * cycles,
                                phase: interval * Double($0) / Double(channels))
        }
        busFree = Array(repeating: 0, count: channels)
        let log = DRAMActivateLog(spacing: Double(standard.tRRD_S) * cycles,
                                  groupSpacing: Double(standard.tRRD_L) * cycles, window: Double(standard.tFAW) * cycles)
        activates = Array(repeating: log, count: channels)
        groupNextRead = Array(repeating: 0, count: channels * standard.bankGroups)
    }

    /// Serves a request issued at cycle `issue` for the bursts covering `runs`.
    mutating func serve(_ runs: DRAMRuns, at issue: Int) -> Service {
        let time = Double(issue)
        if time > latestIssue {
            latestIssue = time
            for channel in 0..<channels { activates[channel].forget(before: time) }
        }
        var service = Service(firstReady: .infinity, firstData: .infinity, end: time, bursts: 0)
        for plane in 0..<runs.planes {
            for run in 0..<runs.runsPerPlane {
                let start = runs.base + plane * runs.planeStride + run * runs.runStride
                let first = start / burstBytes, last = (start + runs.runBytes - 1) / burstBytes
                for burst in first...last { serveBurst(burst, at: time, &service) }
            }
        }
        return service
    }

    private mutating func serveBurst(_ burst: Int, at time: Double, _ service: inout Service) {
        let channel = burst % channels
        let inChannel = burst / channels
        let bankGroup = inChannel % standard.bankGroups
        let rowAndBank = inChannel / standard.bankGroups / burstsPerRow
        let banksPerGroup = standard.banks / standard.bankGroups
        let bankInChannel = rowAndBank % banksPerGroup * standard.bankGroups + bankGroup
        let bankIndex = channel * standard.banks + bankInChannel
        let group = channel * standard.bankGroups + bankGroup
        let row = rowAndBank / banksPerGroup
        let schedule = refresh[channel]
        var bank = banks[bankIndex]
        var slot = max(time, bank.nextColumn)
        while true {
            slot = schedule.firstCommandSlot(from: slot)
            let refreshes = schedule.count(at: slot)
            let openRow = refreshes > bank.refreshes ? -1 : bank.openRow
            var activate: Double?
            var read = slot
            if openRow != row {
                let precharged = openRow < 0 ? slot : max(slot, bank.activatedAt + timing.rowActive) + timing.precharge
                let time = activates[channel].earliestActivate(from: precharged, group: bankGroup)
                activate = time
                read = time + timing.rowToColumn
            }
            let ready = read + timing.casLatency
            let data = max(ready, busFree[channel], groupNextRead[group] + timing.casLatency)
            // The READ effectively issues when its data can go out.
            let issued = data - timing.casLatency
            let refreshesByRead = schedule.count(at: issued)
            if refreshesByRead > refreshes {
                slot = schedule.end(of: refreshesByRead)
                continue
            }
            if let activate {
                if openRow < 0 { rows.misses += 1 } else { rows.conflicts += 1 }
                bank.openRow = row
                bank.activatedAt = activate
                activates[channel].record(activate, group: bankGroup)
            } else {
                rows.hits += 1
            }
            bank.refreshes = refreshes
            bank.nextColumn = issued + timing.burst
            banks[bankIndex] = bank
            busFree[channel] = data + timing.burst
            groupNextRead[group] = issued + timing.groupColumn
            service.firstReady = min(service.firstReady, ready)
            service.firstData = min(service.firstData, data)
            service.end = max(service.end, data + timing.burst)
            service.bursts += 1
            return
        }
    }
}
