/// The byte runs one DRAM request touches: `planes` groups of `runsPerPlane` runs of `runBytes`
/// contiguous bytes, runs `runStride` bytes apart, planes `planeStride` bytes apart (a DMA's
/// rows and planes, merged where they are contiguous). `DRAMTiming.trafficBytes` counts their
/// bursts; a DRAM bank model (the simulator's `DRAMDevice`) serves them.
public struct DRAMRuns: Equatable, Sendable {
    public var base: Int
    public var runBytes: Int
    public var runsPerPlane = 1
    public var runStride = 0
    public var planes = 1
    public var planeStride = 0

    /// The runs of `transfer`'s DRAM side.
    public init(_ transfer: Transfer) {
        let size = transfer.type.byteSize
        base = transfer.dramAddress
        runBytes = transfer.xSize * size
        runsPerPlane = transfer.ySize
        runStride = transfer.ySize > 1 ? transfer.effectiveYStride * size : 0
        if transfer.ySize == 1 || runStride == runBytes {
            runBytes *= transfer.ySize
            runsPerPlane = 1
            runStride = 0
        }
        planes = transfer.zSize
        planeStride = planes > 1 ? transfer.effectiveZStride * size : 0
        if runsPerPlane == 1 && (planes == 1 || planeStride == runBytes) {
            runBytes *= planes
            planes = 1
            planeStride = 0
        }
    }

    /// One contiguous run of `bytes` bytes at `base`.
    public init(base: Int, bytes: Int) {
        self.base = base
        runBytes = bytes
    }
}
