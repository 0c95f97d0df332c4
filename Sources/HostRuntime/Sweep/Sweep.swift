import Compiler
import Dispatch
import Foundation
import ISA

/// Runs a network timing-only on every configuration of a sweep, `jobs` configurations at a time
/// on as many threads (each run is independent: its own compile and simulation).
public enum Sweep {
    /// The results in the order of `points`. A configuration the network cannot run on (a layer
    /// fits no buffer plan, DRAM too small) gives a result with its `failure`, not an error.
    /// `progress` is called after each configuration with the number done, from any thread.
    public static func run(_ graph: Graph, points: [SweepSpace.Point], dataType: DataType?, jobs: Int,
                           progress: @escaping @Sendable (Int) -> Void = { _ in }) -> [SweepResult] {
        let results = ResultSlots(count: points.count)
        let next = Counter(), done = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, points.count))) { _ in
            while true {
                let index = next.increment() - 1
                guard index < points.count else { return }
                results[index] = measure(graph, points[index], dataType: dataType)
                progress(done.increment())
            }
        }
        return results.values
    }

    /// One configuration's run.
    static func measure(_ graph: Graph, _ point: SweepSpace.Point, dataType: DataType?) -> SweepResult {
        let config = point.config
        var result = SweepResult(point: point, area: AreaModel.estimate(config, dataType: dataType))
        do {
            let report = try NetworkRun.run(graph, options: NetworkRun.Options(config: config, dataType: dataType ?? config.dataType))
            let s = report.statistics
            result.cycles = s.cycles
            result.utilization = s.utilization
            result.dramBytesRead = s.dramBytesRead
            result.dramBytesWritten = s.dramBytesWritten
            result.energyPJ = s.energy.totalPJ
        } catch {
            result.failure = "\(error)"
        }
        return result
    }

    /// A counter shared by the worker threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        /// Adds one and returns the new value.
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }

    /// One result slot per configuration, each written by exactly one worker.
    final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [SweepResult?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        subscript(index: Int) -> SweepResult {
            get { lock.withLock { slots[index]! } }
            set { lock.withLock { slots[index] = newValue } }
        }

        var values: [SweepResult] { lock.withLock { slots.map { $0! } } }
    }
}
