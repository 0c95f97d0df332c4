import ISA

/// A residual (elementwise) add of two feature maps of the same shape, `Y = A + B`, optionally
/// followed by a ReLU, each operand with its own quantization.
public struct ResidualAdd: Equatable, Sendable {
    /// Layer name (an identifier).
    public var name: String
    /// One image's shape.
    public var shape: FeatureShape
    public var relu: Bool
    /// Images added (at least 1), NHWC: an add is per pixel, so a batch is `batch * H * W` pixels.
    public var batch: Int

    public init(name: String, shape: FeatureShape, relu: Bool = false, batch: Int = 1) {
        self.name = name
        self.shape = shape
        self.relu = relu
        self.batch = batch
    }
}

/// The quantization of a residual add's operands and result.
public struct AddQuantization: Equatable, Sendable {
    public var a: Quantization, b: Quantization, output: Quantization

    public init(a: Quantization, b: Quantization, output: Quantization) {
        self.a = a
        self.b = b
        self.output = output
    }

    /// One quantization for all three (the data type's default when `nil` is given).
    public static func uniform(_ q: Quantization) -> AddQuantization { AddQuantization(a: q, b: q, output: q) }
}

/// Where a residual add's operands and result live (each possibly a channel slice).
public struct AddPlacement: Equatable, Sendable {
    public var a: TensorPlacement, b: TensorPlacement, output: TensorPlacement

    public init(a: TensorPlacement, b: TensorPlacement, output: TensorPlacement) {
        self.a = a
        self.b = b
        self.output = output
    }
}

/// A compiled device operation that is not a tiled convolution: its program and its bound.
public struct CompiledOperation: Sendable {
    public var program: Program
    public var roofline: Roofline
    /// The analytic estimate: the slower of its DRAM traffic and its vector work.
    public var estimatedCycles: Int
}

/// Compiles a residual add into a self-checking program on the vector unit.
///
/// **Numerics** (TFLite's quantized ADD, with our rounding): with `t = 2 max(s_a, s_b)` and
/// `L = 20` fraction bits (int8; int16: 14, so the widened sum stays below 2^31),
///
///     ta = roundShift((q_a - z_a) * m_a, n_a)      m_a / 2^n_a ~ 2^L s_a / t   (<= 2^(L-1))
///     tb = roundShift((q_b - z_b) * m_b, n_b)
///     y  = clamp(z_y + roundShift((ta + tb) * m_y, n_y), lo, hi)    m_y / 2^n_y ~ t / (2^L s_y)
///
/// every step exact in int32 (`vsubi`, `vmuli` with its shift, `vadd`, `vrequant`; the subtraction
/// is omitted when the zero point is 0); a fused ReLU raises `lo` to `z_y`. The `.check` lines are
/// the same steps in the check language (`sub`, `mul ... shift=`, `add`, `requant`).
///
/// **Program**: symbols `A`, `B` (inputs), `Y` (output), `[H, W, C]` (a batch of N: `[N, H, W, C]`).
/// The maps are seen as `N*H*W` pixels of `C` channels (a pixel stride of the containing tensor's
/// channels, so a channel slice works too; the images of each view must be packed, one containing
/// image apart, so that pixel `p` of the batch is `p` pixel strides from the first);
/// tiles of `p` pixels x `c` channels go through two NBout slots (A, B as loaded, the two int32
/// widened operands, the result): tile i+1 loads while tile i computes and tile i-1 stores. Tokens:
/// the tile's loads push to compute; its last reader of A/B pushes to load (the slot's loads two
/// tiles later pop it); the requantization pushes to store; the store pushes to compute (the
/// compute two tiles later, which overwrites the result, pops it). Every token is popped.
public enum ElementwiseAddCompiler {
    static let int8FractionBits = 20
    static let int16FractionBits = 14
    /// The largest `x` / `y` extent of a transfer or vector instruction (16-bit fields).
    static let maximumExtent = (1 << 16) - 1

    public static func compile(_ add: ResidualAdd, config: HardwareConfig, dataType: DataType,
                               quantization: AddQuantization?, placement: AddPlacement? = nil) throws(CompilerError) -> CompiledOperation {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: add.name, message) }
        guard dataType == .int8 || dataType == .int16 else { throw fail("residual add supports int8 and int16, not \(dataType)") }
        guard LayerGeometry.isIdentifier(add.name) else { throw fail("the layer name must be an identifier") }
        let shape = add.shape
        guard shape.elementCount > 0 else { throw fail("empty shape \(shape)") }
        guard add.batch >= 1 else { throw fail("batch must be at least 1, got \(add.batch)") }
        let type = dataType.operandType, e = type.byteSize
        let q = quantization ?? .uniform(ActivationQuantization.defaults(for: dataType).input)
        for z in [q.a.zeroPoint, q.b.zeroPoint, q.output.zeroPoint] where !type.integerRange.contains(Int64(z)) {
            throw fail("zero point \(z) outside the \(type) range")
        }
        guard [q.a.scale, q.b.scale, q.output.scale].allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("scales must be positive") }
        let bits = dataType == .int8 ? int8FractionBits : int16FractionBits
        let twice = 2 * max(q.a.scale, q.b.scale)
        let ma = FixedPointScale(pow2(bits) * q.a.scale / twice), mb = FixedPointScale(pow2(bits) * q.b.scale / twice)
        /// Whether an operand's zero point is subtracted before widening: always for int8, whose
        /// quantization is affine, even when a zero point happens to be 0, so that the instruction
        /// stream does not depend on the calibrated values and a timing-only run (compiled with the
        /// default quantization) measures the cycles a functional run does; never for int16 fixed
        /// point, whose zero points are 0 by construction (`ActivationQuantization`).
        func subtractsZeroPoints(_ zeroPoint: Int) -> Bool { dataType == .int8 || zeroPoint != 0 }
        let my = FixedPointScale(twice / (pow2(bits) * q.output.scale))
        let (typeLow, typeHigh) = (Int(type.integerRange.lowerBound), Int(type.integerRange.upperBound))
        var registers = RequantizationParameters()
        registers.multiplier = my.multiplier
        registers.shift = my.shift
        registers.zeroPoint = q.output.zeroPoint
        registers.low = add.relu ? max(typeLow, q.output.zeroPoint) : typeLow
        registers.high = typeHigh

        // Placement.
        let C = shape.channels, pixels = add.batch * shape.height * shape.width
        let dense = add.batch * shape.elementCount * e
        let place = placement ?? AddPlacement(a: TensorPlacement(address: 0), b: TensorPlacement(address: BufferBudget.aligned(dense)),
                                          output: TensorPlacement(address: 2 * BufferBudget.aligned(dense)))
        for (view, name) in [(place.a, "A"), (place.b, "B"), (place.output, "Y")] {
            guard view.address >= 0, view.channelOffset >= 0, view.channelOffset + C <= view.pixelStride(own: C) else {
                throw fail("\(name)'s channels do not fit its placement")
            }
            guard view.pixelStep == 1, view.imageStride.map({ $0 == view.containingImageElements(shape) }) ?? true else {
                throw fail("\(name)'s placement must be whole pixels of packed images")
            }
            guard view.address + pixels * view.pixelStride(own: C) * e <= config.dram.capacityBytes else { throw fail("\(name) exceeds DRAM") }
        }

        // Tiles: p pixels x c channels; a slot holds A, B, the two int32 operands and the result.
        let regions = 5, slots = 2
        let slotBytes = config.nbout.capacityBytes / slots
        let perElement = 3 * e + 2 * 4
        let capacity = (slotBytes - regions * BufferBudget.alignment) / perElement
        guard capacity >= 1 else { throw fail("NBout (\(config.nbout.capacityBytes) bytes) cannot hold a tile") }
        let extent = maximumExtent
        let tileChannels = min(C, capacity, extent)
        let tilePixels = max(1, min(capacity / tileChannels, pixels, extent))
        let elements = tilePixels * tileChannels
        let narrow = BufferBudget.aligned(elements * e), wide = BufferBudget.aligned(elements * 4)
        let (rA, rB, tA, tB, rY) = (0, narrow, 2 * narrow, 2 * narrow + wide, 2 * narrow + 2 * wide)
        let slotStride = BufferBudget.aligned(3 * narrow + 2 * wide)

        var instructions = [Instruction(.layer(LayerMarker(id: 0)))]
        instructions.append(Instruction(.setRequantization(registers)))
        struct Tile { var pixel: Int, pixels: Int, channel: Int, channels: Int }
        var tiles: [Tile] = []
        for p0 in stride(from: 0, to: pixels, by: tilePixels) {
            for c0 in stride(from: 0, to: C, by: tileChannels) {
                tiles.append(Tile(pixel: p0, pixels: min(tilePixels, pixels - p0), channel: c0, channels: min(tileChannels, C - c0)))
            }
        }
        func transfer(_ view: TensorPlacement, _ tile: Tile, buffer: Int) -> Transfer {
            var t = Transfer()
            t.buffer = .nbout
            t.type = type
            let stride = view.pixelStride(own: C)
            t.dramAddress = view.address + (tile.pixel * stride + view.channelOffset + tile.channel) * e
            t.bufferAddress = buffer
            t.xSize = tile.channels
            t.ySize = tile.pixels
            t.yStride = stride
            return t
        }
        func emitLoads(_ index: Int) {
            let base = index % slots * slotStride
            instructions.append(Instruction(.load(transfer(place.a, tiles[index], buffer: base + rA)),
                                            dependencies: index >= slots ? .popNext : []))
            instructions.append(Instruction(.load(transfer(place.b, tiles[index], buffer: base + rB)), dependencies: .pushNext))
        }
        emitLoads(0)
        for (index, tile) in tiles.enumerated() {
            if index + 1 < tiles.count { emitLoads(index + 1) }
            let base = index % slots * slotStride
            func vector(_ function: VectorOperation.Function, dst: Int, a: Int, from: ElementType, to: ElementType,
                        b: Int = 0, immediate: Int = 0, shift: Int = 0) -> Operation {
                var v = VectorOperation()
                v.function = function
                v.destinationAddress = base + dst
                v.aAddress = base + a
                v.bAddress = base + b
                v.sourceType = from
                v.destinationType = to
                v.columns = tile.channels
                v.rows = tile.pixels
                v.immediate = immediate
                v.shift = shift
                return .vector(v)
            }
            var compute: [Operation] = []
            for (source, widened, zero, scale) in [(rA, tA, q.a.zeroPoint, ma), (rB, tB, q.b.zeroPoint, mb)] {
                var from = type, operand = source
                if subtractsZeroPoints(zero) {
                    compute.append(vector(.subtractImmediate, dst: widened, a: source, from: type, to: .int32, immediate: zero))
                    (from, operand) = (.int32, widened)
                }
                compute.append(vector(.multiplyImmediate, dst: widened, a: operand, from: from, to: .int32,
                                      immediate: scale.multiplier, shift: scale.shift))
            }
            // The last reader of A / B: the first operation on B.
            let lastReader = subtractsZeroPoints(q.b.zeroPoint) ? compute.count - 2 : compute.count - 1
            compute.append(vector(.add, dst: tA, a: tA, from: .int32, to: .int32, b: tB))
            compute.append(vector(.requantize, dst: rY, a: tA, from: .int32, to: type))
            for (position, operation) in compute.enumerated() {
                var flags: DependencyFlags = []
                if position == 0 {
                    flags.insert(.popPrevious)
                    if index >= slots { flags.insert(.popNext) }
                }
                if position == lastReader && index + slots < tiles.count { flags.insert(.pushPrevious) }
                if position == compute.count - 1 { flags.insert(.pushNext) }
                instructions.append(Instruction(operation, dependencies: flags))
            }
            var store = transfer(place.output, tile, buffer: base + rY)
            store.bufferAddress = base + rY
            instructions.append(Instruction(.store(store), dependencies: index + slots < tiles.count ? [.popPrevious, .pushPrevious] : .popPrevious))
        }
        instructions.append(Instruction(.halt))

        var program = Program(config: config, instructions: instructions, layerNames: [add.name])
        func symbol(_ name: String, _ role: TensorSymbol.Role, _ view: TensorPlacement, _ quantization: Quantization) -> TensorSymbol {
            TensorSymbol(name: name, role: role, address: view.address, shape: add.batch == 1 ? shape.dimensions : [add.batch] + shape.dimensions,
                         type: type, quantization: quantization)
        }
        program.symbols = [symbol("A", .input, place.a, q.a), symbol("B", .input, place.b, q.b), symbol("Y", .output, place.output, q.output)]
        func widen(_ name: String, _ zero: Int, _ scale: FixedPointScale) -> String {
            let source = zero != 0 ? "sub(\(name), \(zero), type=i32)" : name
            return "T\(name) = mul(\(source), \(scale.multiplier), shift=\(scale.shift), type=i32)"
        }
        program.checks = [
            widen("A", q.a.zeroPoint, ma), widen("B", q.b.zeroPoint, mb),
            "Y = requant(add(TA, TB), mult=\(my.multiplier), shift=\(my.shift), zp=\(q.output.zeroPoint), lo=\(registers.low), "
                + "hi=\(registers.high), type=\(type))",
        ]
        let traffic = 3 * add.batch * shape.elementCount * e
        let roofline = Roofline(macs: 0, compulsoryBytes: traffic, config: config)
        let vectorCycles = tiles.reduce(0) { sum, tile in
            sum + 4 * InstructionCost.vectorCycles(elements: tile.pixels * tile.channels, unit: config.vector)
        }
        return CompiledOperation(program: program, roofline: roofline, estimatedCycles: max(roofline.memoryCycles, vectorCycles))
    }
}
