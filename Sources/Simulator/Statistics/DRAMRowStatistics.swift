/// How DRAM bursts found their bank's row buffer (the `dram.model` bank model only; all zero
/// with the simple model, which has no rows).
public struct DRAMRowStatistics: Codable, Equatable, Sendable {
    /// Bursts to the bank's open row: a column access only.
    public var hits = 0
    /// Bursts to a bank with no open row: activate, then column access.
    public var misses = 0
    /// Bursts to a bank with another row open: precharge, activate, then column access.
    public var conflicts = 0

    public init() {}

    public var bursts: Int { hits + misses + conflicts }

    /// `hits / bursts`; 0 without bursts.
    public var hitRate: Double { bursts == 0 ? 0 : Double(hits) / Double(bursts) }

    public static func += (lhs: inout DRAMRowStatistics, rhs: DRAMRowStatistics) {
        lhs.hits += rhs.hits
        lhs.misses += rhs.misses
        lhs.conflicts += rhs.conflicts
    }
}
