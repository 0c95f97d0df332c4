/// The most bytes the DRAM channel moves in any window of a given length.
enum PeakBandwidth {
    /// `reservations` are the channel's busy intervals, disjoint and in order; each moves its
    /// bytes evenly over its cycles. The transferred amount in a sliding window is piecewise
    /// linear in the window's position, so its maximum is reached with the window's end at an
    /// interval's end or its start at an interval's start; both families are swept with two
    /// pointers. O(n).
    static func maximumBytes(_ reservations: [ChannelReservation], window: Int) -> Double {
        let intervals = reservations.filter { $0.cycles > 0 && $0.bytes > 0 }
        guard !intervals.isEmpty, window > 0 else { return 0 }
        func overlap(_ i: Int, _ low: Int, _ high: Int) -> Double {
            let interval = intervals[i]
            let cycles = min(high, interval.start + interval.cycles) - max(low, interval.start)
            return cycles <= 0 ? 0 : Double(interval.bytes) * Double(cycles) / Double(interval.cycles)
        }
        var best = 0.0
        // Windows ending where interval `last` ends: intervals first...last, the first one partly.
        var first = 0, inside = 0.0
        for last in intervals.indices {
            let high = intervals[last].start + intervals[last].cycles, low = high - window
            inside += Double(intervals[last].bytes)
            while intervals[first].start + intervals[first].cycles <= low {
                inside -= Double(intervals[first].bytes)
                first += 1
            }
            best = max(best, inside - Double(intervals[first].bytes) + overlap(first, low, high))
        }
        // Windows starting where interval `first` starts: intervals first...last, the last one partly.
        var last = -1
        inside = 0
        for start in intervals.indices {
            let low = intervals[start].start, high = low + window
            while last + 1 < intervals.count && intervals[last + 1].start < high {
                last += 1
                inside += Double(intervals[last].bytes)
            }
            best = max(best, inside - Double(intervals[last].bytes) + overlap(last, low, high))
            inside -= Double(intervals[start].bytes)
        }
        return best
    }
}
