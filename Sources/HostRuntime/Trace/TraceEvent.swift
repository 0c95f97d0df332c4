/// One event of a Chrome trace (the "Trace Event Format" that chrome://tracing and Perfetto
/// read), with its times in cycles of the simulated clock; `ChromeTrace.json` converts them to
/// the format's microseconds.
public struct TraceEvent: Sendable {
    /// The event types used here (the format's `ph` field).
    public enum Phase: String, Sendable {
        /// A slice with a start and a duration (`X`).
        case complete = "X"
        /// A sample of one or more named counter series (`C`).
        case counter = "C"
        /// A moment on a thread's track (`i`, thread scope).
        case instant = "i"
        /// A name or sort order for a process or thread (`M`).
        case metadata = "M"
    }

    /// A value in an event's `args`.
    public enum Value: Equatable, Sendable {
        case int(Int)
        case double(Double)
        case string(String)
    }

    public var phase: Phase
    public var name: String
    public var process: Int
    public var thread: Int
    /// Start cycle (metadata events: 0).
    public var start: Int
    /// Duration in cycles (complete events).
    public var cycles: Int
    /// Extra fields shown with the event; a counter's series and their values.
    public var args: [(key: String, value: Value)]

    public init(_ phase: Phase, name: String, process: Int, thread: Int = 0, start: Int = 0, cycles: Int = 0,
                args: [(key: String, value: Value)] = []) {
        self.phase = phase
        self.name = name
        self.process = process
        self.thread = thread
        self.start = start
        self.cycles = cycles
        self.args = args
    }
}
