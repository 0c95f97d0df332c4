import ISA

/// A given initial state (`Recurrent`'s second input, the hidden state, or an LSTM's third, the
/// cell state; `1 x 1 x (D * H)` per sequence): where it lives (the direction's channels of it:
/// a channel slice) and its quantization.
public struct RecurrentInitialState: Equatable, Sendable {
    public var placement: TensorPlacement
    public var quantization: Quantization

    public init(placement: TensorPlacement, quantization: Quantization) {
        self.placement = placement
        self.quantization = quantization
    }
}

/// A compiled recurrent direction: its program, bound, estimate, and how it was laid out.
public struct CompiledRecurrent: Sendable {
    public var program: Program
    public var roofline: Roofline
    /// The slower of its DRAM traffic and its compute instructions run back to back.
    public var estimatedCycles: Int
    public var macs: Int
    /// DRAM bytes its constants and scratch occupy.
    public var constants: Range<Int>
    /// Hidden units per block of a step, and blocks per step.
    public var hiddenBlock: Int
    public var blocksPerStep: Int
    /// Whether `Wh` stays in SB across the steps (else it is streamed every step).
    public var weightsResident: Bool
    /// Sequences whose steps run together: the batch, or fewer when NBin or NBout cannot hold
    /// their states (the batch then runs group after group).
    public var sequenceGroup: Int
}

/// Compiles one direction of a recurrent layer into a self-checking program: the input
/// projection of all steps as one GEMM (phase 1), then the steps, each a recurrent product on the
/// array and the gates and state update on the vector unit (phase 2). `RecurrentLayout` says
/// where everything lives, `RecurrentNumerics` how the integers are computed, `RecurrentChecks`
/// how the host recomputes them.
///
/// **Placement** (default: packed from address 0): the input must be packed sequences
/// (`[batch][1][T][N]`); the output may be a channel slice (the direction's half of a
/// bidirectional layer's `[batch][1][T'][2H]`); the constants (weights, records, peepholes,
/// tables, the scratch of `P`) follow `placement.constants`.
///
/// **Program**: symbols `X` (input `[1, T, N]`, batch: `[N_b, 1, T, N]`), `Y` (output
/// `[1, T, H]` or `[1, 1, H]`), `H0` (a given initial state `[1, 1, H]`), `C0` (an LSTM's given
/// initial cell state `[1, 1, H]`), constants `WX` `[N, G*H]`, `WH` `[H, G*H]`, `RX` / `RH`
/// int32 `[G*H, 3]` (records), `PP` int16 `[P, H]` (peepholes), their columns in the device's
/// block order when a step runs in several blocks or passes (`WH` then flat `[H*G*H]`, `PP`
/// `[1, P*H]`). Its layer table is the projection, then every
/// step of every group of sequences (`<name>_t<t>`, `<name>_g<k>_t<t>`).
///
/// **Synchronization** (VTA-style tokens, every token popped): phase 1's tiles double-buffer
/// as `ElementwiseAddCompiler`'s do. A compute `nop` between the phases waits for the last store
/// of `P` and lets the loads of phase 2 begin (they overwrite SB, and read `P` back). In phase
/// 2, unit u (a block of a step, or of one of its passes: `RecurrentLayout.passes`) loads its
/// block of `P` (and, streamed, of `Wh`) into slot `u % 2`; its first compute instruction pops
/// the loads' token, its last reader of the slot releases it to the loads of unit u + 2. A
/// step's hidden state is stored whole, after its last unit; with `returnSequences` the store
/// releases the NBin buffer it read to the step two
/// later, which overwrites it. Groups of sequences (`RecurrentLayout.group`) follow each other
/// as the phases do: the last store of a group signals a compute `nop` that lets the next
/// group's loads begin.
public enum RecurrentCompiler {
    public static func compile(_ direction: RecurrentDirection, config: HardwareConfig, dataType: DataType,
                               parameters: LayerParameters?, quantization: ActivationQuantization?,
                               placement: LayerPlacement? = nil,
                               initialState: RecurrentInitialState? = nil,
                               initialCell: RecurrentInitialState? = nil) throws(CompilerError) -> CompiledRecurrent {
        let d = direction
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: d.name, message) }
        guard LayerGeometry.isIdentifier(d.name) else { throw fail("the layer name must be an identifier") }
        _ = try d.recurrent.outputShape(inputs: [d.sequence], node: d.name)
        guard d.batch >= 1 else { throw fail("batch must be at least 1, got \(d.batch)") }
        let e = dataType.operandType, size = e.byteSize
        let q = quantization ?? .defaults(for: dataType)
        let numerics = try RecurrentNumerics(d, parameters: try parameters.map { p throws(CompilerError) in try d.parameters(of: p) },
                                             dataType: dataType, input: q.input, output: q.output,
                                             initial: initialState?.quantization, initialCell: initialCell?.quantization)
        let r = d.recurrent, N = d.sequence.channels, H = r.hiddenSize, GH = r.gates * H, B = d.batch, T = d.steps
        let inputBytes = B * d.sequence.elementCount * size, outputBytes = B * d.outputShape.elementCount * size
        let place = placement ?? LayerPlacement(input: TensorPlacement(address: 0),
                                                    output: TensorPlacement(address: BufferBudget.aligned(inputBytes)),
                                                    constants: BufferBudget.aligned(inputBytes) + BufferBudget.aligned(outputBytes))
        guard place.input.isDense(own: N), place.input.imageStride.map({ $0 == d.sequence.elementCount }) ?? true else {
            throw fail("the input must be packed sequences (not a slice of a wider tensor)")
        }
        let out = place.output
        guard out.pixelStep == 1, out.channelOffset + H <= out.pixelStride(own: H) else { throw fail("Y's channels do not fit its placement") }
        for (given, name) in [(initialState, "initial state"), (initialCell, "initial cell state")] {
            guard let initial = given?.placement else { continue }
            guard initial.pixelStep == 1, initial.channelOffset + H <= initial.pixelStride(own: H) else {
                throw fail("the \(name)'s channels do not fit its placement")
            }
        }
        let layout = try RecurrentLayout(d, elementType: e, constants: place.constants, initialState: initialState != nil,
                                         initialCell: initialCell != nil, config: config)
        guard layout.end <= config.dram.capacityBytes else {
            throw fail("needs \(layout.end) bytes of DRAM; the configuration has \(config.dram.capacityBytes)")
        }

        var code = RecurrentCode(direction: d, layout: layout, numerics: numerics, dataType: dataType,
                                 input: place.input.address, output: out, initialState: initialState?.placement,
                                 initialCell: initialCell?.placement, config: config)
        code.emitProjection()
        code.emitSteps()
        // The layer table: the projection, then each step `<name>_t<t>` (its time index; with
        // several groups of sequences, `<name>_g<k>_t<t>`).
        let groups = code.groups.count
        let stepNames = (0..<groups).flatMap { k in
            (0..<T).map { "\(d.name)\(groups > 1 ? "_g\(k)" : "")_t\(code.timeStep($0))" }
        }
        var program = Program(config: config, instructions: code.instructions + [Instruction(.halt)], layerNames: [d.name] + stepNames)
        func batched(_ shape: FeatureShape) -> [Int] { B == 1 ? shape.dimensions : [B] + shape.dimensions }
        program.symbols = [
            TensorSymbol(name: "X", role: .input, address: place.input.address, shape: batched(d.sequence), type: e, quantization: q.input),
            TensorSymbol(name: "Y", role: .output, address: out.address, shape: batched(d.outputShape), type: e, quantization: q.output),
            TensorSymbol(name: "WX", role: .constant, address: layout.inputWeights, shape: [N, GH], type: e),
            // Columns in the device's order, `WH` block by block and declared flat then
            // (`RecurrentLayout.deviceOrder`; `RecurrentChecks` puts them back in order).
            TensorSymbol(name: "WH", role: .constant, address: layout.recurrentWeights, shape: layout.reordered ? [H * GH] : [H, GH], type: e),
            TensorSymbol(name: "RX", role: .constant, address: layout.inputRecords, shape: [GH, 3], type: .int32),
            TensorSymbol(name: "RH", role: .constant, address: layout.recurrentRecords, shape: [GH, 3], type: .int32),
        ]
        for (given, name) in [(initialState, "H0"), (initialCell, "C0")] {
            guard let initial = given else { continue }
            program.symbols.append(TensorSymbol(name: name, role: .input, address: initial.placement.address,
                                                shape: batched(FeatureShape(height: 1, width: 1, channels: H)), type: e,
                                                quantization: initial.quantization))
        }
        if r.peepholes > 0 {
            program.symbols.append(TensorSymbol(name: "PP", role: .constant, address: layout.peepholes,
                                                shape: layout.reordered ? [1, r.peepholes * H] : [r.peepholes, H], type: .int16))
        }
        if parameters != nil {
            program.segments = segments(numerics, layout: layout, type: e, gates: r.gates, peepholes: r.peepholes)
            program.checks = RecurrentChecks(direction: d, numerics: numerics, elementType: e,
                                             blocks: layout.reordered ? (0..<layout.blocks).map { layout.block($0) } : nil,
                                             passes: layout.passes).lines
        }
        let macs = d.macs
        // Compulsory traffic: the sequences in and out, Wx once, and Wh once, or once per step
        // when SB cannot hold it (every step needs all of it, and a step's product needs the
        // previous step's result, so no schedule reuses a streamed Wh across steps).
        let compulsory = N * GH * size + H * GH * size * (layout.resident ? 1 : T) + inputBytes + outputBytes
        var roofline = Roofline(macs: macs, compulsoryBytes: compulsory, config: config)
        roofline.latencyCycles = code.groups.count * T * stepLatency(code, config: config)
        return CompiledRecurrent(program: program, roofline: roofline, estimatedCycles: estimate(program.instructions, config: config),
                                 macs: macs, constants: place.constants..<layout.end, hiddenBlock: layout.hiddenBlock,
                                 blocksPerStep: layout.blocks, weightsResident: layout.resident, sequenceGroup: layout.group)
    }

    /// A lower bound of one step's cycles from its dependency chain: the array runs every block's
    /// gate matmuls one after another, and after the last of them comes the last block's vector
    /// chain, each operation needing the one before: the last gate's `vrequantc` (the other
    /// gates' may overlap the last matmul) and every other vector operation (the register
    /// writes, 1 cycle each, are left out). A step's matmuls need the previous step's hidden
    /// state. (DRAM time is the memory roof's business.) For one LSTM block of 16 units on
    /// diannao: 4 x 62 + 48 = 296 cycles, against the 297 measured (`RecurrentCycleTests`).
    /// With several passes (`RecurrentLayout.passes`) the chains add up: a later pass counts
    /// the matmuls that read what the pass before wrote (a GRU's n gate, reading `r * h`; the
    /// others may overlap that pass's last chain), then its last block's chain.
    static func stepLatency(_ code: RecurrentCode, config: HardwareConfig) -> Int {
        var latency = 0
        for p in code.layout.passes.indices {
            var matrix = 0, lastVector = 0
            for b in 0..<code.layout.blocks {
                lastVector = 0
                var requantizations = 0
                for operation in code.cellOperations(step: 0, pass: p, block: b, slot: b % 2).operations {
                    switch operation {
                    case .matmul(let tile):
                        if p == 0 || tile.inputAddress != code.layout.hidden[0] { matrix += SystolicTiming(tile: tile, array: config.array).cycles }
                    case .vector(let v):
                        if v.function == .requantizePerChannel {
                            requantizations += 1
                            if requantizations > 1 { continue }
                        }
                        lastVector += InstructionCost.vectorCycles(elements: v.elementCount, unit: config.vector)
                    default:
                        continue
                    }
                }
            }
            latency += matrix + lastVector
        }
        return latency
    }

    /// The constants' bytes, in the device's order (`RecurrentLayout.deviceOrder`).
    static func segments(_ n: RecurrentNumerics, layout: RecurrentLayout, type: ElementType, gates: Int, peepholes: Int) -> [DataSegment] {
        var result: [DataSegment] = []
        func add(_ values: [Int]?, _ address: Int, _ type: ElementType) {
            if let values { result.append(DataSegment(address: address, values: values, type: type)) }
        }
        add(n.inputWeights.map { layout.deviceOrder($0, rows: layout.inputSize, gates: gates) }, layout.inputWeights, type)
        add(n.recurrentWeights.map { layout.deviceOrder($0, rows: layout.hiddenSize, gates: gates, blockOuter: true) },
            layout.recurrentWeights, type)
        add(n.inputRecords.map { layout.deviceOrder($0, rows: 1, gates: gates, words: 3) }, layout.inputRecords, .int32)
        add(n.recurrentRecords.map { layout.deviceOrder($0, rows: 1, gates: gates, words: 3) }, layout.recurrentRecords, .int32)
        add(n.peepholes.map { layout.deviceOrder($0, rows: 1, gates: peepholes) }, layout.peepholes, .int16)
        if let table = n.sigmoidTable { result.append(DataSegment(address: layout.sigmoidTable, bytes: table.bytes)) }
        if let table = n.tanhTable { result.append(DataSegment(address: layout.tanhTable, bytes: table.bytes)) }
        return result
    }

    /// The slower of the DMAs' bytes at full bandwidth and the compute instructions back to back.
    static func estimate(_ instructions: [Instruction], config: HardwareConfig) -> Int {
        var bytes = 0, compute = 0
        for instruction in instructions {
            switch instruction.operation {
            case .load(let t), .store(let t): bytes += t.xSize * t.ySize * t.zSize * t.type.byteSize
            case .matmul(let tile): compute += SystolicTiming(tile: tile, array: config.array).cycles
            case .vector(let v): compute += InstructionCost.vectorCycles(elements: v.elementCount, unit: config.vector)
            case .loadPWL(let table): compute += InstructionCost.pwlLoadCycles(segments: table.segments)
            case .setRequantization, .setDataType: compute += InstructionCost.configurationCycles
            default: break
            }
        }
        return max(compute, DRAMTiming.occupancy(bytes: bytes, bytesPerCycle: config.dramBytesPerCycle))
    }
}

extension DataSegment {
    /// Little-endian bytes of integer `values` as `type` elements at `address`.
    init(address: Int, values: [Int], type: ElementType) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * type.byteSize)
        for value in values {
            let bits = UInt64(bitPattern: Int64(value))
            for byte in 0..<type.byteSize { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(byte)))) }
        }
        self.init(address: address, bytes: bytes)
    }
}
