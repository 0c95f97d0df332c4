import ISA

/// The roofline lower bound of a layer on a configuration (Williams et al., CACM 2009): it can
/// run no faster than its MACs on the whole array, nor than its compulsory DRAM traffic
/// (weights moved once, each image's input and output once, at the device element types) at
/// full bandwidth, nor (a recurrent layer) than the chain of its time steps, each of which needs
/// the previous one's result (`latencyCycles`).
public struct Roofline: Equatable, Sendable {
    public enum Bound: String, Sendable { case compute, memory, latency }

    public var macs: Int
    public var compulsoryBytes: Int
    /// `ceil(MACs / (rows * cols))`.
    public var computeCycles: Int
    /// `ceil(compulsoryBytes / dramBytesPerCycle)`.
    public var memoryCycles: Int
    /// A dependency chain no schedule can shorten (0 for layers without one).
    public var latencyCycles = 0

    public var cycles: Int { max(computeCycles, memoryCycles, latencyCycles) }
    public var bound: Bound {
        if latencyCycles > max(computeCycles, memoryCycles) { return .latency }
        return computeCycles >= memoryCycles ? .compute : .memory
    }

    public init(macs: Int, compulsoryBytes: Int, config: HardwareConfig) {
        self.macs = macs
        self.compulsoryBytes = compulsoryBytes
        let peak = config.peakMACsPerCycle
        computeCycles = (macs + peak - 1) / peak
        memoryCycles = DRAMTiming.occupancy(bytes: compulsoryBytes, bytesPerCycle: config.dramBytesPerCycle)
    }
}

/// A compiled layer: the program, the plan it follows, its roofline and the model's estimate.
public struct CompiledLayer: Sendable {
    public var program: Program
    public var plan: TilePlan
    public var roofline: Roofline
    /// The pipeline model's cycles for the plan (the simulator measures the real figure).
    public var estimatedCycles: Int
    public var macs: Int
    /// DRAM bytes the program's constants (its data segments) may occupy.
    public var constants: Range<Int>
}
