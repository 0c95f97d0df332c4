import ISA

/// An open-page DRAM of channels and banks with row buffers, timed by a `DRAMStandard`: the
/// memory the DMAs and the fetch unit share when `dram.model` names a standard.
///
/// **Address mapping** (from the lowest bits up, DRAMsim3's "ro ba co ch"): the burst index
/// `address / burstBytes` is split into channel (lowest: consecutive bursts interleave over the
/// channels), then the burst's column within a row (`rowBytes / burstBytes` of them), then the
/// bank, then the row. A sequential stream thus spreads over every channel, fills each open row,
/// and moves to the next bank, whose activation overlaps the previous bank's bursts.
///
/// **Scheduling**: first come, first served. A request's bursts reach the controller when it
/// is issued, in address order; each bank takes them in order (no reordering of hits ahead of
/// older misses, unlike FR-FCFS), each channel's data bus moves one burst at a time.
///
/// **Timing of one burst** (JEDEC command rules; all times in NPU cycles, one DRAM clock being
/// `tCK x clockGHz` of them), with `t` the request's issue cycle and the bank's state:
/// - row hit (the row is open): READ at `max(t, bank.nextColumn)`;
/// - closed bank (nothing open yet): ACTIVATE at `max(t, bank.nextColumn)`, READ at ACT + tRCD;
/// - row conflict (another row open): PRECHARGE at `max(t, bank.nextColumn, ACT_prev + tRAS)`,
///   ACTIVATE at PRE + tRP, READ at ACT + tRCD;
/// - its data is ready at READ + CL and crosses the channel's bus from
///   `max(ready, bus free)` for `max(BL / 2, tCCD)` clocks (a burst of BL beats on both edges;
///   column commands at least tCCD apart). The bank's next command may follow that READ by
///   `max(BL / 2, tCCD)` clocks.
/// The data bus is the bandwidth limit; activations, precharges and CL are the latency, hidden
/// behind other banks' bursts when the stream spreads over banks.
struct DRAMDevice {
    /// One bank's row buffer and its next free command slot, in NPU cycles.
    private struct Bank {
        var openRow = -1
        var activatedAt = 0.0
        var nextColumn = 0.0
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

    let standard: DRAMStandard
    let channels: Int
    /// Peak bytes per NPU cycle over all channels.
    let bytesPerCycle: Double
    private let burstBytes: Int
    private let burstsPerRow: Int
    private let rowToColumn: Double, precharge: Double, casLatency: Double, rowActive: Double, burstCycles: Double
    private var banks: [Bank]
    private var busFree: [Double]
    /// Row-buffer outcomes of every burst so far.
    private(set) var rows = DRAMRowStatistics()

    init(standard: DRAMStandard, channels: Int?, clockGHz: Double) {
        self.standard = standard
        self.channels = channels ?? standard.channels
        let cycles = standard.clockPeriodNS * clockGHz
        rowToColumn = Double(standard.tRCD) * cycles
        precharge = Double(standard.tRP) * cycles
        casLatency = Double(standard.tCL) * cycles
        rowActive = Double(standard.tRAS) * cycles
        burstCycles = Double(max(standard.burstLength / 2, standard.tCCD)) * cycles
        burstBytes = standard.burstBytes
        burstsPerRow = max(1, standard.rowBytes / standard.burstBytes)
        bytesPerCycle = standard.peakGBps(channels: self.channels) / clockGHz
        banks = Array(repeating: Bank(), count: self.channels * standard.banks)
        busFree = Array(repeating: 0, count: self.channels)
    }

    /// Serves a request issued at cycle `issue` for the bursts covering `runs`.
    mutating func serve(_ runs: DRAMRuns, at issue: Int) -> Service {
        let time = Double(issue)
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
        let rowAndBank = inChannel / burstsPerRow
        let bankIndex = channel * standard.banks + rowAndBank % standard.banks
        let row = rowAndBank / standard.banks
        var bank = banks[bankIndex]
        let read: Double
        if bank.openRow == row {
            rows.hits += 1
            read = max(time, bank.nextColumn)
        } else {
            var activate = max(time, bank.nextColumn)
            if bank.openRow < 0 {
                rows.misses += 1
            } else {
                rows.conflicts += 1
                activate = max(activate, bank.activatedAt + rowActive) + precharge
            }
            bank.openRow = row
            bank.activatedAt = activate
            read = activate + rowToColumn
        }
        let ready = read + casLatency
        let data = max(ready, busFree[channel])
        busFree[channel] = data + burstCycles
        // The READ effectively issues when its data can go out; the bank's next column follows it.
        bank.nextColumn = data - casLatency + burstCycles
        banks[bankIndex] = bank
        service.firstReady = min(service.firstReady, ready)
        service.firstData = min(service.firstData, data)
        service.end = max(service.end, data + burstCycles)
        service.bursts += 1
    }
}
