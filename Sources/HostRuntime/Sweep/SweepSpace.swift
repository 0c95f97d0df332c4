import ISA

/// The configurations of a design-space sweep (`npu sweep`): the cross product of parameter
/// lists applied to a base configuration, numbered in a fixed order so that shards and merges
/// agree on every configuration's index.
///
/// The order is the lists' nesting, outermost first: array size, NBin, SB, NBout, buffer scale,
/// bandwidth, dataflow. Array sizes are `rows x cols` for every pair of the two lists, or, when
/// `cols` is empty, square arrays `rows x rows`. An empty buffer list keeps the base
/// configuration's capacity; `bufferScales` then multiplies all three buffers together (one
/// axis for "buffer size"). A list left empty keeps the base value.
public struct SweepSpace: Equatable, Sendable {
    public var rows: [Int] = []
    public var cols: [Int] = []
    public var nbinBytes: [Int] = []
    public var sbBytes: [Int] = []
    public var nboutBytes: [Int] = []
    public var bufferScales: [Double] = []
    public var bandwidthsGBps: [Double] = []
    /// Dataflow names: `ws`, `os`, `is` or `any` (`HardwareConfig.SystolicArray.with(dataflowNamed:)`).
    public var dataflows: [String] = []

    public init() {}

    /// One configuration of the sweep: its index in the full cross product and its parameters.
    public struct Point: Equatable, Sendable {
        public var index: Int
        public var config: HardwareConfig
        /// The buffer scale applied (1 without `bufferScales`).
        public var bufferScale: Double
    }

    /// Every configuration, in index order.
    public func points(base: HardwareConfig) -> [Point] {
        let arrays: [(Int, Int)] = {
            let rowValues = rows.isEmpty ? [base.array.rows] : rows
            if cols.isEmpty { return rowValues.map { (rows.isEmpty ? base.array.rows : $0, rows.isEmpty ? base.array.cols : $0) } }
            return rowValues.flatMap { r in cols.map { (r, $0) } }
        }()
        func values<T>(_ list: [T], _ base: T) -> [T] { list.isEmpty ? [base] : list }
        var points: [Point] = []
        for (r, c) in arrays {
            for nbin in values(nbinBytes, base.nbin.capacityBytes) {
                for sb in values(sbBytes, base.sb.capacityBytes) {
                    for nbout in values(nboutBytes, base.nbout.capacityBytes) {
                        for scale in values(bufferScales, 1.0) {
                            for bandwidth in values(bandwidthsGBps, base.dram.bandwidthGBps) {
                                for dataflow in values(dataflows, base.array.dataflowName) {
                                    var config = base
                                    config.array.rows = r
                                    config.array.cols = c
                                    config.array = config.array.with(dataflowNamed: dataflow) ?? config.array
                                    config.nbin.capacityBytes = Self.scaled(nbin, scale)
                                    config.sb.capacityBytes = Self.scaled(sb, scale)
                                    config.nbout.capacityBytes = Self.scaled(nbout, scale)
                                    config.dram.bandwidthGBps = bandwidth
                                    config.name = "\(base.name)-\(r)x\(c)-\(dataflow)"
                                    points.append(Point(index: points.count, config: config, bufferScale: scale))
                                }
                            }
                        }
                    }
                }
            }
        }
        return points
    }

    /// `bytes * scale`, rounded down to whole 64-byte lines (at least one).
    static func scaled(_ bytes: Int, _ scale: Double) -> Int {
        max(64, Int(Double(bytes) * scale) / 64 * 64)
    }

    /// The points of shard `shard` (1-based) of `count`: every `count`-th point from the
    /// `shard`-th, so each shard gets a mix of small and large configurations.
    public static func shard(_ points: [Point], _ shard: Int, of count: Int) -> [Point] {
        points.filter { $0.index % count == shard - 1 }
    }
}
