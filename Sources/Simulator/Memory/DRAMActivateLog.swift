/// The ACTIVATEs of one DRAM channel, in NPU cycles, and the earliest slot they leave for another.
///
/// JEDEC's activate limits: two ACTIVATEs to different banks of a channel at least tRRD apart
/// (tRRD_L within one bank group, tRRD_S across groups), and no more than four in any window of
/// tFAW. ACTIVATEs are planned in the order their bursts arrive, but not necessarily at rising
/// times (a bank free earlier may activate before one planned behind a busy bank), so a new one
/// takes the earliest gap among the recorded ones that satisfies both limits.
struct DRAMActivateLog {
    /// tRRD_S, tRRD_L and tFAW, in NPU cycles.
    let spacing: Double, groupSpacing: Double, window: Double
    /// Recorded ACTIVATEs from `first` on, by rising time, with their bank groups.
    private var times: [Double] = []
    private var groups: [Int] = []
    private var first = 0
    /// How far apart two ACTIVATEs may be and still constrain each other.
    private var reach: Double { max(spacing, groupSpacing, window) }

    init(spacing: Double, groupSpacing: Double, window: Double) {
        self.spacing = spacing
        self.groupSpacing = groupSpacing
        self.window = window
    }

    /// The earliest ACTIVATE at or after `time` to a bank of `group`: the least `y >= time` with
    /// `|y - a| >= tRRD` (tRRD_L if `a` is in `group`) for every recorded `a`, and with every five
    /// consecutive ACTIVATEs, `y` among them, spanning at least tFAW. Each violated limit gives a
    /// lower bound that every valid slot meets (`a + tRRD` past a too-close `a`; `a_j + tFAW` for
    /// four consecutive `a_j ... a_j+3` that would share a window with `y`), so raising `y` to
    /// the largest of them until none is violated finds the least slot.
    func earliestActivate(from time: Double, group: Int) -> Double {
        var slot = time
        while true {
            var bound = slot
            let next = insertionIndex(slot)
            var index = next - 1
            while index >= first && times[index] > slot - reach {
                bound = max(bound, spacingBound(index, slot, group))
                index -= 1
            }
            index = next
            while index < times.count && times[index] < slot + reach {
                bound = max(bound, spacingBound(index, slot, group))
                index += 1
            }
            // Four recorded ACTIVATEs j ... j + 3 that would be consecutive with `slot`.
            for j in max(first, next - 4)...max(first, next) where j + 3 < times.count {
                if max(times[j + 3], slot) - min(times[j], slot) < window { bound = max(bound, times[j] + window) }
            }
            if bound == slot { return slot }
            slot = bound
        }
    }

    /// `times[index] + tRRD` if an ACTIVATE at `slot` would come too close to it, else `slot`.
    private func spacingBound(_ index: Int, _ slot: Double, _ group: Int) -> Double {
        let limit = groups[index] == group ? groupSpacing : spacing
        return abs(times[index] - slot) < limit ? times[index] + limit : slot
    }

    /// Records an ACTIVATE at `time` to a bank of `group`.
    mutating func record(_ time: Double, group: Int) {
        let index = insertionIndex(time)
        times.insert(time, at: index)
        groups.insert(group, at: index)
    }

    /// Drops the ACTIVATEs that cannot constrain one at or after `time`.
    mutating func forget(before time: Double) {
        while first < times.count && times[first] <= time - reach { first += 1 }
        if first >= 64 && first * 2 >= times.count {
            times.removeFirst(first)
            groups.removeFirst(first)
            first = 0
        }
    }

    /// The index of the first recorded ACTIVATE after `time` (binary search from `first`).
    private func insertionIndex(_ time: Double) -> Int {
        var low = first, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
