import Foundation

/// A timeline in Chrome's Trace Event Format (the JSON Object Format: `traceEvents`,
/// `displayTimeUnit`, `otherData`), which https://ui.perfetto.dev and chrome://tracing open.
///
/// Events keep their times in cycles; `json()` writes them as the format's microseconds at
/// `clockGHz` (`ts = cycles / (clockGHz * 1000)`), rounded to 0.1 ns, start and end separately,
/// so back-to-back slices stay back to back. `DeviceTrace` builds the events of a run.
public struct ChromeTrace: Sendable {
    public var events: [TraceEvent]
    /// The simulated clock that converts cycles to time.
    public var clockGHz: Double
    /// Shown by viewers as the trace's metadata (`otherData`): model, configuration, detail, ...
    public var metadata: [(key: String, value: TraceEvent.Value)]

    public init(events: [TraceEvent], clockGHz: Double, metadata: [(key: String, value: TraceEvent.Value)] = []) {
        self.events = events
        self.clockGHz = clockGHz
        self.metadata = metadata
    }

    /// The trace as one JSON object, UTF-8, one event per line.
    public func json() -> Data {
        var out = "{\"displayTimeUnit\":\"ns\",\"otherData\":"
        Self.append(object: metadata, to: &out)
        out += ",\"traceEvents\":[\n"
        for (index, event) in events.enumerated() {
            if index > 0 { out += ",\n" }
            append(event, to: &out)
        }
        out += "\n]}\n"
        return Data(out.utf8)
    }

    /// Tenths of a nanosecond at cycle `cycle`.
    private func tenthsOfNanoseconds(_ cycle: Int) -> Int { Int((Double(cycle) / clockGHz * 10).rounded()) }

    private func append(_ event: TraceEvent, to out: inout String) {
        out += "{\"ph\":\"\(event.phase.rawValue)\",\"name\":"
        Self.append(string: event.name, to: &out)
        out += ",\"pid\":\(event.process)"
        if event.phase != .counter { out += ",\"tid\":\(event.thread)" }
        if event.phase != .metadata {
            let start = tenthsOfNanoseconds(event.start)
            out += ",\"ts\":"
            Self.append(microseconds: start, to: &out)
            if event.phase == .complete {
                out += ",\"dur\":"
                Self.append(microseconds: tenthsOfNanoseconds(event.start + event.cycles) - start, to: &out)
            }
            if event.phase == .instant { out += ",\"s\":\"t\"" }
        }
        if !event.args.isEmpty {
            out += ",\"args\":"
            Self.append(object: event.args, to: &out)
        }
        out += "}"
    }

    /// Tenths of a nanosecond as microseconds with four decimals (`12.3450`).
    private static func append(microseconds tenths: Int, to out: inout String) {
        let fraction = String(tenths % 10_000)
        out += "\(tenths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    private static func append(object: [(key: String, value: TraceEvent.Value)], to out: inout String) {
        out += "{"
        for (index, field) in object.enumerated() {
            if index > 0 { out += "," }
            append(string: field.key, to: &out)
            out += ":"
            switch field.value {
            case .int(let value): out += String(value)
            case .double(let value): out += value.isFinite ? String((value * 1000).rounded() / 1000) : "null"
            case .string(let value): append(string: value, to: &out)
            }
        }
        out += "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func append(string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
