import ISA
import Simulator

/// A simulated NPU, used the way a host uses a real one through its driver: allocate device
/// (DRAM) memory, copy tensors in, load a program, run it, copy results out, read statistics.
///
/// A `Device` is a value: every run starts from its current DRAM and returns statistics; no state
/// is shared between devices.
public struct Device: Sendable {
    public let config: HardwareConfig
    public private(set) var dram: DRAMImage
    /// The first DRAM byte `allocate` has not handed out yet.
    private var allocationFrontier = 0
    /// Allocation alignment: one DRAM burst, so allocated tensors start on burst boundaries.
    public var alignment: Int { config.dram.burstBytes }

    public init(config: HardwareConfig) {
        self.config = config
        dram = DRAMImage(capacityBytes: config.dram.capacityBytes)
    }

    /// Reserves `byteCount` bytes of DRAM and returns their address.
    public mutating func allocate(byteCount: Int) throws(RuntimeError) -> Int {
        let address = (allocationFrontier + alignment - 1) / alignment * alignment
        guard byteCount >= 0, address + byteCount <= config.dram.capacityBytes else {
            throw .outOfDeviceMemory(requested: byteCount, capacity: config.dram.capacityBytes)
        }
        allocationFrontier = address + byteCount
        return address
    }

    /// Copies a tensor's bytes into DRAM at `address`.
    public mutating func copyIn(_ tensor: Tensor, to address: Int) throws(RuntimeError) {
        do {
            try dram.write(tensor.bytes, at: address)
        } catch {
            throw .simulation(error.description)
        }
        allocationFrontier = max(allocationFrontier, address + tensor.bytes.count)
    }

    /// Reads a tensor of `shape` and `type` from DRAM at `address`.
    public func copyOut(from address: Int, shape: [Int], type: ElementType) throws(RuntimeError) -> Tensor {
        let count = shape.reduce(1, *) * type.byteSize
        do {
            return Tensor(shape: shape, type: type, bytes: try dram.read(count, at: address))
        } catch {
            throw .simulation(error.description)
        }
    }

    /// Reads the tensors `symbols` declare (their address, shape and type), by symbol name.
    public func copyOut(_ symbols: [TensorSymbol]) throws(RuntimeError) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for symbol in symbols { tensors[symbol.name] = try copyOut(from: symbol.address, shape: symbol.shape, type: symbol.type) }
        return tensors
    }

    /// Places the program's DRAM segments (weights, constants, tables) into device memory.
    public mutating func load(_ program: Program) throws(RuntimeError) {
        for segment in program.segments {
            do {
                try dram.write(segment.bytes, at: segment.address)
            } catch {
                throw .simulation(error.description)
            }
            allocationFrontier = max(allocationFrontier, segment.address + segment.bytes.count)
        }
    }

    /// Runs `program` on the device's DRAM and keeps the resulting DRAM contents.
    public mutating func run(_ program: Program, mode: SimulationMode = .functional) throws(RuntimeError) -> Statistics {
        try runWithTimeline(program, mode: mode).statistics
    }

    /// What `runWithTimeline` returns.
    public struct Run: Sendable {
        public var statistics: Statistics
        /// When each instruction ran, and the DRAM channel's uses (for traces).
        public var timeline: Timeline
    }

    /// Runs `program` as `run` does, and returns its timeline too.
    public mutating func runWithTimeline(_ program: Program, mode: SimulationMode = .functional) throws(RuntimeError) -> Run {
        do {
            let result = try Simulator(config: config).run(program, dram: dram, mode: mode)
            dram = result.dram
            return Run(statistics: result.statistics, timeline: result.timeline)
        } catch {
            throw .simulation(error.description)
        }
    }
}

/// Errors of the host runtime, each a one-line description.
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    case outOfDeviceMemory(requested: Int, capacity: Int)
    case simulation(String)
    case check(String)
    case missingTensor(String)

    public var description: String {
        switch self {
        case let .outOfDeviceMemory(requested, capacity):
            "cannot allocate \(requested) bytes of device memory (capacity \(capacity) bytes)"
        case let .simulation(message): message
        case let .check(message): message
        case let .missingTensor(name): "no tensor named '\(name)'"
        }
    }
}
