import ISA
@testable import Simulator

/// A small machine whose timing is easy to derive by hand: a 4x4 weight-stationary array at
/// 1 GHz; DRAM at 16 GB/s = 16 bytes per cycle, 10 cycles of latency, 64-byte bursts (so the
/// fetch unit reads two 32-byte instructions per burst); buffer ports of 32 bytes per cycle;
/// a vector unit of 4 lanes with a 2-cycle pipeline; queues of 8 instructions.
/// A small 4x4 machine whose costs are easy to derive by hand. Folds do not overlap unless
/// `doubleBuffered` is set, so the per-fold formula of SCALE-Sim applies.
func testConfig(rows: Int = 4, cols: Int = 4, dataflow: Dataflow = .weightStationary, dataType: DataType = .int8,
                doubleBuffered: Bool = false) -> HardwareConfig {
    var config = HardwareConfig.diannao
    config.name = "test"
    config.array.rows = rows
    config.array.cols = cols
    config.array.dataflow = dataflow
    config.array.doubleBuffered = doubleBuffered
    config.clockGHz = 1
    config.dataType = dataType
    config.nbin.capacityBytes = 2048
    config.sb.capacityBytes = 4096
    config.nbout.capacityBytes = 2048
    for buffer in [\HardwareConfig.nbin, \.sb, \.nbout] { config[keyPath: buffer].portBytesPerCycle = 32 }
    config.vector.lanes = 4
    config.vector.latencyCycles = 2
    config.dram.bandwidthGBps = 16
    config.dram.latencyCycles = 10
    config.dram.burstBytes = 64
    config.dram.capacityBytes = 1 << 20
    config.queueDepth = 8
    return config
}

/// A payload struct with some fields set.
func with<Value>(_ value: Value, _ configure: (inout Value) -> Void) -> Value {
    var copy = value
    configure(&copy)
    return copy
}

func load(_ buffer: BufferID, _ type: ElementType = .int8, dram: Int, address: Int, x: Int, y: Int = 1, z: Int = 1,
          _ flags: DependencyFlags = [], configure: (inout Transfer) -> Void = { _ in }) -> Instruction {
    Instruction(.load(with(Transfer()) {
        $0.buffer = buffer
        $0.type = type
        $0.dramAddress = dram
        $0.bufferAddress = address
        ($0.xSize, $0.ySize, $0.zSize) = (x, y, z)
        configure(&$0)
    }), dependencies: flags)
}

func store(_ buffer: BufferID, _ type: ElementType = .int32, dram: Int, address: Int, x: Int, y: Int = 1,
           _ flags: DependencyFlags = [], configure: (inout Transfer) -> Void = { _ in }) -> Instruction {
    Instruction(.store(with(Transfer()) {
        $0.buffer = buffer
        $0.type = type
        $0.dramAddress = dram
        $0.bufferAddress = address
        ($0.xSize, $0.ySize) = (x, y)
        configure(&$0)
    }), dependencies: flags)
}

/// A GEMM `[m x k] x [k x n]` tile: input at NBin `input`, weights at SB `weights`, output at NBout `output`.
func gemm(m: Int, k: Int, n: Int, input: Int = 0, weights: Int = 0, output: Int = 0, accumulate: Bool = false,
          _ flags: DependencyFlags = []) -> Instruction {
    Instruction(.matmul(with(MatrixTile()) {
        $0.inputAddress = input
        $0.weightAddress = weights
        $0.outputAddress = output
        $0.inputWidth = m
        $0.outputWidth = m
        $0.channels = k
        $0.outputChannels = n
        $0.accumulate = accumulate
    }), dependencies: flags)
}

func vector(_ function: VectorOperation.Function, _ type: ElementType, _ destinationType: ElementType,
            a: Int, b: Int = 0, destination: Int, columns: Int, rows: Int = 1,
            configure: (inout VectorOperation) -> Void = { _ in }) -> Instruction {
    Instruction(.vector(with(VectorOperation()) {
        $0.function = function
        $0.sourceType = type
        $0.destinationType = destinationType
        ($0.aBuffer, $0.bBuffer, $0.destinationBuffer) = (.nbout, .nbout, .nbout)
        ($0.aAddress, $0.bAddress, $0.destinationAddress) = (a, b, destination)
        ($0.columns, $0.rows) = (columns, rows)
        configure(&$0)
    }))
}

let halt = Instruction(.halt)

/// Little-endian bytes of integer elements of `type`.
func bytes(_ values: [Int], as type: ElementType) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: values.count * type.byteSize)
    result.withUnsafeMutableBytes { raw in
        for (i, value) in values.enumerated() { ElementCodec.store(integer: Int64(value), to: raw.baseAddress! + i * type.byteSize, type) }
    }
    return result
}

/// Little-endian bytes of float elements of `type`.
func bytes(floats values: [Float], as type: ElementType) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: values.count * type.byteSize)
    result.withUnsafeMutableBytes { raw in
        for (i, value) in values.enumerated() { ElementCodec.store(float: value, to: raw.baseAddress! + i * type.byteSize, type) }
    }
    return result
}

func integers(_ bytes: [UInt8], as type: ElementType) -> [Int] {
    bytes.withUnsafeBytes { raw in
        (0..<(bytes.count / type.byteSize)).map { Int(ElementCodec.loadInteger(raw.baseAddress! + $0 * type.byteSize, type)) }
    }
}

func floats(_ bytes: [UInt8], as type: ElementType) -> [Float] {
    bytes.withUnsafeBytes { raw in
        (0..<(bytes.count / type.byteSize)).map { ElementCodec.loadFloat(raw.baseAddress! + $0 * type.byteSize, type) }
    }
}

/// Runs `instructions` on `config` with `segments` in DRAM.
func run(_ instructions: [Instruction], config: HardwareConfig = testConfig(), segments: [DataSegment] = [],
         mode: SimulationMode = .functional) throws(SimulationError) -> SimulationResult {
    let program = Program(config: config, instructions: instructions)
    return try Simulator(config: config).run(program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes, segments: segments), mode: mode)
}

/// Reads `count` elements of `type` at `address` from a result's DRAM.
func read(_ result: SimulationResult, _ count: Int, _ type: ElementType, at address: Int) throws -> [Int] {
    integers(try result.dram.read(count * type.byteSize, at: address), as: type)
}

/// `program` with the tokens that make every instruction wait for the one before it in
/// program order when they run on different engines (load <-> store through a compute `nop`),
/// so test programs need not spell out their synchronization.
func synchronized(_ program: [Instruction]) -> [Instruction] {
    var result: [Instruction] = []
    var previous: Engine?
    for instruction in program {
        guard let engine = instruction.engine else {
            result.append(instruction)
            continue
        }
        if let from = previous, from != engine {
            // Route a token from `from` to `engine` via compute.
            if from != .compute { result[result.count - 1].dependencies.insert(from == .load ? .pushNext : .pushPrevious) }
            if from != .compute && engine != .compute {
                result.append(Instruction(.nop(NoOperation(engine: .compute)),
                                          dependencies: [from == .load ? .popPrevious : .popNext, engine == .store ? .pushNext : .pushPrevious]))
            } else if from == .compute {
                result[result.count - 1].dependencies.insert(engine == .store ? .pushNext : .pushPrevious)
            }
            var current = instruction
            if engine == .compute {
                current.dependencies.insert(from == .load ? .popPrevious : .popNext)
            } else {
                current.dependencies.insert(engine == .store ? .popPrevious : .popNext)
            }
            result.append(current)
        } else {
            result.append(instruction)
        }
        previous = engine
    }
    return result
}
