import Foundation

/// The process group of the child running now (0: none), for `stopChildAndExit`.
nonisolated(unsafe) private var runningChildGroup: pid_t = 0

/// SIGINT and SIGTERM while a child runs: its group does not get the terminal's Ctrl-C (it is a
/// group of its own), so stop it before exiting as the signal would have (status 128 + signal).
private func stopChildAndExit(_ signal: Int32) {
    if runningChildGroup > 0 { kill(-runningChildGroup, SIGKILL) }
    _exit(128 + signal)
}

/// A child process started in its own process group (so that stopping it stops whatever it
/// started too), its standard input `/dev/null` and its output and errors in files.
struct ChildProcess {
    /// How it ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Still running at the timeout: stopped, with its whole group.
        case timedOut
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Interval between checks on the running child, microseconds.
    private static let pollMicroseconds: UInt32 = 20_000
    /// Seconds between SIGTERM and SIGKILL when stopping it.
    private static let graceSeconds = 1.0

    let pid: pid_t

    /// Starts `executable` (looked up on PATH when it has no `/`) with `arguments`.
    init(_ executable: String, _ arguments: [String], standardOutput: String, standardError: String) throws(SpawnFailed) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own group, default dispositions for the signals we may handle, nothing blocked.
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw SpawnFailed(description: "cannot run '\(executable)': \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// How it ended and the processor time it used.
    struct Exit: Equatable {
        var ending: Ending
        /// User plus system seconds of the child (and of any children it waited for).
        var cpuSeconds: Double
    }

    /// Waits until it ends or `timeoutSeconds` pass; then stops its group (SIGTERM, SIGKILL after
    /// `graceSeconds`). Ctrl-C meanwhile stops the group too.
    /// `poll`, if given, is called between checks while the child runs (a progress line).
    func wait(timeoutSeconds: Double, poll: (() -> Void)? = nil) -> Exit {
        runningChildGroup = pid
        let previousInterrupt = signal(SIGINT, stopChildAndExit), previousTerminate = signal(SIGTERM, stopChildAndExit)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGTERM, previousTerminate)
            runningChildGroup = 0
        }
        let deadline = DispatchTime.now() + timeoutSeconds
        while true {
            if let exit = reap(blocking: false) { return exit }
            if DispatchTime.now() >= deadline { break }
            poll?()
            usleep(Self.pollMicroseconds)
        }
        kill(-pid, SIGTERM)
        let grace = DispatchTime.now() + Self.graceSeconds
        var exit: Exit?
        while exit == nil && DispatchTime.now() < grace {
            usleep(Self.pollMicroseconds)
            exit = reap(blocking: false)
        }
        kill(-pid, SIGKILL)
        return Exit(ending: .timedOut, cpuSeconds: (exit ?? reap(blocking: true))?.cpuSeconds ?? 0)
    }

    /// How it ended, reaping it; nil while it runs (never when `blocking`, unless it cannot be waited for).
    private func reap(blocking: Bool) -> Exit? {
        var status: Int32 = 0
        var usage = rusage()
        var result: pid_t
        repeat {
            result = wait4(pid, &status, blocking ? 0 : WNOHANG, &usage)
        } while result < 0 && errno == EINTR
        if result < 0 { return Exit(ending: .exited(-1), cpuSeconds: 0) }
        guard result == pid else { return nil }
        let signal = status & 0x7f
        return Exit(ending: signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal),
                    cpuSeconds: Self.seconds(usage.ru_utime) + Self.seconds(usage.ru_stime))
    }

    static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
}
