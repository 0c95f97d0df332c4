import Foundation

/// A one-line progress report on a terminal (`12/135 configurations, 8 s elapsed, ~82 s left`),
/// redrawn in place on standard error at most five times a second; silent when standard error
/// is not a terminal, so logs and pipes get only the results. Safe to call from any thread.
/// The estimate of the time left assumes the remaining items of the current phase take as long
/// as the finished ones did on average.
final class ProgressLine: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private var phase = ""
    private var phaseStarted = Date()
    private let started = Date()

    /// `done` of `total` items are finished; `what` names them (plural: "layers compiled").
    func update(_ done: Int, of total: Int, _ what: String) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if what != phase { (phase, phaseStarted) = (what, now) }
        guard done == total || now.timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = now
        let inPhase = now.timeIntervalSince(phaseStarted)
        let remaining = done == 0 ? "" : String(format: ", ~%.0f s left", inPhase / Double(done) * Double(total - done))
        let text = String(format: "\r%d/%d %@, %.0f s elapsed%@\u{1B}[K", done, total, what, now.timeIntervalSince(started), remaining)
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Clears the line (before the results are printed).
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
