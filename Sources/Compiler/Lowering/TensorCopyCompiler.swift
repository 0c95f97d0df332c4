import ISA

/// A copy of a feature map from one DRAM view to another (`TensorPlacement`s of the same
/// `H x W x C` map): how a tensor that cannot be written in place gets into a concatenation's
/// channel slice (the network's input, or a tensor already placed in another concatenation).
public struct TensorCopy: Equatable, Sendable {
    public var name: String
    /// One image's shape.
    public var shape: FeatureShape
    /// Images copied (at least 1), NHWC: a copy is per pixel, so a batch is `batch * H * W` pixels.
    public var batch: Int

    public init(name: String, shape: FeatureShape, batch: Int = 1) {
        self.name = name
        self.shape = shape
        self.batch = batch
    }
}

/// Compiles a `TensorCopy` into a DMA-only, self-checking program.
///
/// **Choice**: DMA only, no vector work: a tile of `p` pixels x `c` channels is loaded into an
/// NBout slot and stored from the same slot (a `vcopy` would only move it within the buffer).
/// The load and store engines exchange no tokens directly, so the compute engine relays them
/// with `nop`s: per tile, a relay `nop` pops the load's token and pushes one to the store; after
/// the store, a release `nop` pops the store's token and pushes one to the load that refills the
/// slot two tiles later. Tile i+1 loads while tile i stores.
///
/// **Program**: symbols `X` (input) and `Y` (output), each the map at its view's base address,
/// `[H, W, C]` (a batch of N: `[N, H, W, C]`, each view's images packed one containing image
/// apart, so the batch is `N*H*W` pixels); check `Y = copy(X)`. The values are copied unchanged, so both views must share a quantization.
public enum TensorCopyCompiler {
    public static func compile(_ copy: TensorCopy, config: HardwareConfig, dataType: DataType, quantization: Quantization,
                               input: TensorPlacement, output: TensorPlacement) throws(CompilerError) -> CompiledOperation {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: copy.name, message) }
        let shape = copy.shape, type = dataType.operandType, e = type.byteSize
        guard copy.batch >= 1 else { throw fail("batch must be at least 1, got \(copy.batch)") }
        let C = shape.channels, pixels = copy.batch * shape.height * shape.width
        for (view, name) in [(input, "X"), (output, "Y")] {
            guard view.address >= 0, view.channelOffset >= 0, view.channelOffset + C <= view.pixelStride(own: C) else {
                throw fail("\(name)'s channels do not fit its placement")
            }
            guard view.pixelStep == 1, view.imageStride.map({ $0 == view.containingImageElements(shape) }) ?? true else {
                throw fail("\(name)'s placement must be whole pixels of packed images")
            }
            guard view.address + pixels * view.pixelStride(own: C) * e <= config.dram.capacityBytes else { throw fail("\(name) exceeds DRAM") }
        }
        let slots = 2
        let slotBytes = config.nbout.capacityBytes / slots
        let capacity = (slotBytes - BufferBudget.alignment) / e
        guard capacity >= 1 else { throw fail("NBout (\(config.nbout.capacityBytes) bytes) cannot hold a tile") }
        let extent = ElementwiseAddCompiler.maximumExtent
        let tileChannels = min(C, capacity, extent)
        let tilePixels = max(1, min(capacity / tileChannels, pixels, extent))
        let slotStride = BufferBudget.aligned(tilePixels * tileChannels * e)

        struct Tile { var pixel: Int, pixels: Int, channel: Int, channels: Int }
        var tiles: [Tile] = []
        for p0 in stride(from: 0, to: pixels, by: tilePixels) {
            for c0 in stride(from: 0, to: C, by: tileChannels) {
                tiles.append(Tile(pixel: p0, pixels: min(tilePixels, pixels - p0), channel: c0, channels: min(tileChannels, C - c0)))
            }
        }
        func transfer(_ view: TensorPlacement, _ index: Int) -> Transfer {
            let tile = tiles[index]
            var t = Transfer()
            t.buffer = .nbout
            t.type = type
            let stride = view.pixelStride(own: C)
            t.dramAddress = view.address + (tile.pixel * stride + view.channelOffset + tile.channel) * e
            t.bufferAddress = index % slots * slotStride
            t.xSize = tile.channels
            t.ySize = tile.pixels
            t.yStride = stride
            return t
        }
        var instructions = [Instruction(.layer(LayerMarker(id: 0)))]
        for index in 0..<min(slots, tiles.count) {
            instructions.append(Instruction(.load(transfer(input, index)), dependencies: .pushNext))
        }
        for index in tiles.indices {
            let refill = index + slots < tiles.count
            instructions.append(Instruction(.nop(NoOperation(engine: .compute)), dependencies: [.popPrevious, .pushNext]))
            instructions.append(Instruction(.store(transfer(output, index)), dependencies: refill ? [.popPrevious, .pushPrevious] : .popPrevious))
            if refill {
                instructions.append(Instruction(.nop(NoOperation(engine: .compute)), dependencies: [.popNext, .pushPrevious]))
                instructions.append(Instruction(.load(transfer(input, index + slots)), dependencies: [.popNext, .pushNext]))
            }
        }
        instructions.append(Instruction(.halt))

        var program = Program(config: config, instructions: instructions, layerNames: [copy.name])
        let dimensions = copy.batch == 1 ? shape.dimensions : [copy.batch] + shape.dimensions
        program.symbols = [
            TensorSymbol(name: "X", role: .input, address: input.address, shape: dimensions, type: type, quantization: quantization),
            TensorSymbol(name: "Y", role: .output, address: output.address, shape: dimensions, type: type, quantization: quantization),
        ]
        program.checks = ["Y = copy(X)"]
        let roofline = Roofline(macs: 0, compulsoryBytes: 2 * copy.batch * shape.elementCount * e, config: config)
        return CompiledOperation(program: program, roofline: roofline, estimatedCycles: roofline.memoryCycles)
    }
}
