/// DRAM planning of a network's activation tensors with liveness-based reuse.
///
/// Each tensor is live from the step that first writes it to the last step that reads it
/// (inclusive; graph inputs from step -1, graph outputs to the end). Tensors are placed in order
/// of their first step (topological order), ties largest first; a tensor may take the place of
/// any whose lifetime has ended. Among the gaps between the live tensors it goes into the
/// smallest one that fits (best fit), or on top of the highest live tensor. Every tensor starts
/// on an `alignment` boundary (a DRAM burst). The region's size is the peak activation memory.
/// This is the greedy offset assignment of TFLite's arena planner and of Pisarchyk and Lee
/// (2020, "Efficient memory management for deep neural net inference"), in its simplest order.
public enum MemoryPlanner {
    public struct Request: Equatable, Sendable {
        public var name: String
        public var bytes: Int
        /// First and last step (inclusive) at which the tensor is live.
        public var firstStep: Int
        public var lastStep: Int

        public init(name: String, bytes: Int, firstStep: Int, lastStep: Int) {
            self.name = name
            self.bytes = bytes
            self.firstStep = firstStep
            self.lastStep = lastStep
        }
    }

    public struct Plan: Equatable, Sendable {
        /// Byte offset of each tensor from the region's base.
        public var offsets: [String: Int]
        /// Bytes of the region: the peak activation memory.
        public var peakBytes: Int
        /// Bytes the tensors would take without reuse (aligned), for comparison.
        public var unsharedBytes: Int
    }

    public static func plan(_ requests: [Request], alignment: Int, reuse: Bool = true) -> Plan {
        func aligned(_ bytes: Int) -> Int { (max(bytes, 1) + alignment - 1) / alignment * alignment }
        let order = requests.indices.sorted { a, b in
            let (x, y) = (requests[a], requests[b])
            return x.firstStep != y.firstStep ? x.firstStep < y.firstStep : (x.bytes != y.bytes ? x.bytes > y.bytes : a < b)
        }
        var live: [(offset: Int, size: Int, lastStep: Int)] = []
        var offsets: [String: Int] = [:], peak = 0, unshared = 0
        for index in order {
            let request = requests[index], size = aligned(request.bytes)
            unshared += size
            if reuse { live.removeAll { $0.lastStep < request.firstStep } }
            live.sort { $0.offset < $1.offset }
            var best: (offset: Int, gap: Int)?, cursor = 0
            for block in live {
                let gap = block.offset - cursor
                if gap >= size, best.map({ gap < $0.gap }) ?? true { best = (cursor, gap) }
                cursor = max(cursor, block.offset + block.size)
            }
            let offset = best?.offset ?? cursor
            live.append((offset, size, request.lastStep))
            offsets[request.name] = offset
            peak = max(peak, offset + size)
        }
        return Plan(offsets: offsets, peakBytes: peak, unsharedBytes: unshared)
    }
}
