import ISA

/// The measurements of one sweep configuration: a timing-only run of the network on it.
public struct SweepResult: Equatable, Sendable {
    public var point: SweepSpace.Point
    /// Why the configuration could not run the network (a layer fits no buffer plan, ...), or nil.
    public var failure: String?
    public var cycles = 0
    public var utilization = 0.0
    public var dramBytesRead = 0
    public var dramBytesWritten = 0
    public var energyPJ = 0.0
    public var area: AreaEstimate

    public init(point: SweepSpace.Point, failure: String? = nil, area: AreaEstimate) {
        self.point = point
        self.failure = failure
        self.area = area
    }

    /// Latency of the run in seconds, at the configuration's clock.
    public var seconds: Double { Double(cycles) / (point.config.clockGHz * 1e9) }
    /// Energy in joules.
    public var joules: Double { energyPJ * 1e-12 }
    /// Energy-delay product, J·s.
    public var energyDelayProduct: Double { joules * seconds }
}

/// What the sweep minimizes against area (`--objective`).
public enum SweepObjective: String, CaseIterable, Sendable {
    case cycles, energy, edp

    /// The value minimized: cycles, joules, or J·s.
    public func value(_ result: SweepResult) -> Double {
        switch self {
        case .cycles: Double(result.cycles)
        case .energy: result.joules
        case .edp: result.energyDelayProduct
        }
    }

    /// The axis label of the value.
    public var label: String {
        switch self {
        case .cycles: "cycles"
        case .energy: "energy (J)"
        case .edp: "energy-delay product (J·s)"
        }
    }
}
