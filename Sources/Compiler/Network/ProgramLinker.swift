import ISA

/// A feature map of a linked program: a network activation tensor in DRAM, `H x W x C` (HWC),
/// or with a `batch` of N > 1 images `N x H x W x C` (NHWC, the images back to back).
public struct LinkedTensor: Equatable, Sendable {
    public var name: String
    /// DRAM byte address of its first element.
    public var address: Int
    /// One image's shape.
    public var shape: FeatureShape
    /// Images it holds (at least 1).
    public var batch: Int
    public var type: ElementType
    public var quantization: Quantization?
    public var fillRange: ClosedRange<Double>?
    /// How the linked program declares it: `.input` (the host writes it), `.output` (the host
    /// reads it and it is checked), or `nil`: not declared (an intermediate tensor whose memory is
    /// reused; the checks still compute it for the tensors that read it).
    public var role: TensorSymbol.Role?

    public init(name: String, address: Int, shape: FeatureShape, batch: Int = 1, type: ElementType, quantization: Quantization? = nil,
                fillRange: ClosedRange<Double>? = nil, role: TensorSymbol.Role?) {
        precondition(batch >= 1, "a tensor holds at least one image, not \(batch)")
        self.name = name
        self.address = address
        self.shape = shape
        self.batch = batch
        self.type = type
        self.quantization = quantization
        self.fillRange = fillRange
        self.role = role
    }

    /// Its symbol's shape: `[H, W, C]` for one image, `[N, H, W, C]` for a batch (so batch-1
    /// programs are unchanged).
    public var dimensions: [Int] { batch == 1 ? shape.dimensions : [batch] + shape.dimensions }
    /// Elements of all its images.
    public var elementCount: Int { batch * shape.elementCount }
}

/// Binds a unit's input or output symbol to a linked tensor: the unit's map is channels
/// `channelOffset ..< channelOffset + C` of the tensor (a concatenation's slice), or the whole
/// tensor reshaped when the element counts agree (flatten before a fully connected layer).
/// An output with `pixelStep` s > 1 is one sub-pixel phase: the map is `H/s x W/s` and holds the
/// tensor's pixels `(y * s + phaseY, x * s + phaseX)` (`TensorPlacement`).
public struct TensorBinding: Equatable, Sendable {
    public var tensor: String
    public var channelOffset: Int
    public var pixelStep: Int
    public var phaseY: Int, phaseX: Int

    public init(tensor: String, channelOffset: Int = 0, pixelStep: Int = 1, phaseY: Int = 0, phaseX: Int = 0) {
        self.tensor = tensor
        self.channelOffset = channelOffset
        self.pixelStep = pixelStep
        self.phaseY = phaseY
        self.phaseX = phaseX
    }
}

/// One program to link: a compiled layer or device operation whose tensors are already placed
/// (`LayerPlacement`), and the bindings of its `.input` / `.output` symbols.
public struct LinkUnit: Sendable {
    /// Prefix of the unit's renamed symbols and check names (an identifier).
    public var name: String
    public var program: Program
    /// Every `.input` and `.output` symbol of `program`, by name.
    public var bindings: [String: TensorBinding]

    public init(name: String, program: Program, bindings: [String: TensorBinding]) {
        self.name = name
        self.program = program
        self.bindings = bindings
    }
}

/// Concatenates per-layer programs into one program.
///
/// - **Instructions**: each unit's instructions without its `halt`, its `layer` markers renumbered
///   into the concatenated layer table, a barrier after every unit but the last, one final `halt`.
/// - **Barrier** (full serialization of layers; overlapping the next layer's loads with this
///   layer's tail is a later optimisation): every unit must start with empty token FIFOs, so the
///   barrier first drains the tokens the unit leaves behind (the layer code generator leaves one
///   store -> compute token per output slot, and the compute -> load tokens of slots never
///   reloaded), then orders the engines: the unit's last store pushes a token to compute (a store
///   `nop` with `push_prev` is added when it does not), compute `nop`s pop every store token, the
///   last one after the last store has completed, and push a token to load; a load `nop` pops it.
///   The next unit's loads queue behind that `nop`, so none starts before this unit's last store
///   ends, and its compute queues behind the compute `nop`s.
/// - **Symbols**: the linked tensors with a role; each unit's constants renamed `<unit>_<name>`.
///   Data segments are concatenated and must not overlap each other nor any linked tensor.
/// - **Checks** (when every unit has them): each unit's lines with its names renamed (identifiers
///   only): a bound symbol becomes its tensor, or `<unit>_<name>` computed from it by `slice` /
///   `reshape` (inputs) or assembled into it by `concat` / `reshape` (outputs: after the last
///   unit writing a slice); an input read before the tensor's last slice is written (a channel
///   prefix of DenseNet's running concatenation) is the `concat` of the slices written so far,
///   which must cover it exactly; every other name becomes `<unit>_<name>`. The `s * s` phase
///   outputs of one channel slice (`pixelStep` s) are interleaved into it after the last of them:
///   per phase row, `concat` along channels and `reshape` to a full-width row set, then those
///   `concat` along width and `reshape` to the full map (HWC bytes interleave exactly so).
///   Tensors of a batch (`LinkedTensor.batch` > 1) are `[N, H, W, C]`: the same lines with every
///   axis one higher and the shapes prefixed by N (each image interleaves on its own).
public enum ProgramLinker {
    public static func link(_ units: [LinkUnit], tensors: [LinkedTensor], config: HardwareConfig) throws(CompilerError) -> Program {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: "link", message) }
        var byName: [String: LinkedTensor] = [:]
        for tensor in tensors {
            guard byName.updateValue(tensor, forKey: tensor.name) == nil else { throw fail("tensor '\(tensor.name)' is declared twice") }
        }
        var program = Program(config: config)
        program.instructions.reserveCapacity(units.reduce(0) { $0 + $1.program.instructions.count } + 8 * units.count)
        for tensor in tensors {
            guard let role = tensor.role else { continue }
            program.symbols.append(TensorSymbol(name: tensor.name, role: role, address: tensor.address, shape: tensor.dimensions,
                                                type: tensor.type, quantization: tensor.quantization, fillRange: tensor.fillRange))
        }
        let withChecks = units.allSatisfy { !$0.program.checks.isEmpty }
        // Output slices per tensor: (offset, channels, shape, name), and the unit after which all are written.
        var slices: [String: [(offset: Int, channels: Int, shape: [Int], name: String)]] = [:]
        var lastWriter: [String: Int] = [:]
        // Phase outputs per (tensor, channel offset): name by (phaseY, phaseX).
        var phases: [String: [[Int]: String]] = [:]
        for (index, unit) in units.enumerated() {
            for symbol in unit.program.outputs { if let binding = unit.bindings[symbol.name] { lastWriter[binding.tensor] = index } }
        }

        for (index, unit) in units.enumerated() {
            let base = program.layerNames.count
            program.layerNames += unit.program.layerNames
            for instruction in unit.program.instructions {
                switch instruction.operation {
                case .halt: continue
                case .layer(let marker):
                    program.instructions.append(Instruction(.layer(LayerMarker(id: base + marker.id)), dependencies: instruction.dependencies))
                default: program.instructions.append(instruction)
                }
            }
            if index + 1 < units.count { program.instructions += try barrier(after: unit) }
            program.segments += unit.program.segments

            var renames: [String: String] = [:]
            var before: [String] = [], after: [String] = []
            for symbol in unit.program.symbols {
                let local = "\(unit.name)_\(symbol.name)"
                if symbol.role == .constant {
                    renames[symbol.name] = local
                    var renamed = symbol
                    renamed.name = local
                    program.symbols.append(renamed)
                    continue
                }
                guard let binding = unit.bindings[symbol.name] else { throw fail("unit '\(unit.name)': symbol '\(symbol.name)' is not bound") }
                guard let tensor = byName[binding.tensor] else {
                    throw fail("unit '\(unit.name)': '\(symbol.name)' is bound to an unknown tensor '\(binding.tensor)'")
                }
                let own = symbol.shape.last ?? 1
                // A batch's image axis leads (`[N, H, W, C]`): the spatial and channel axes move up by one.
                let lead = tensor.batch == 1 ? [] : [tensor.batch]
                let tensorDims = tensor.dimensions, channelAxis = tensorDims.count - 1
                if binding.pixelStep > 1 {
                    let step = binding.pixelStep, t = tensor.shape
                    guard symbol.role == .output, t.height % step == 0, t.width % step == 0,
                          symbol.shape == lead + [t.height / step, t.width / step, own], binding.channelOffset + own <= t.channels,
                          (0..<step).contains(binding.phaseY), (0..<step).contains(binding.phaseX) else {
                        throw fail("unit '\(unit.name)': phase (\(binding.phaseY), \(binding.phaseX)) of step \(step), \(symbol.shape) at "
                            + "channel \(binding.channelOffset), does not fit tensor '\(tensor.name)' \(shapeText(tensorDims))")
                    }
                    renames[symbol.name] = local
                    let key = "\(tensor.name)@\(binding.channelOffset)"
                    phases[key, default: [:]][[binding.phaseY, binding.phaseX]] = local
                    guard phases[key]!.count == step * step else { continue }
                    // The last phase: interleave them into the slice.
                    let (rows, height, width) = (t.height / step, t.height, t.width)
                    var rowNames: [String] = []
                    for py in 0..<step {
                        let parts = (0..<step).map { phases[key]![[py, $0]]! }
                        after.append("\(local)_r\(py)c = concat(\(parts.joined(separator: ", ")), axis=\(channelAxis))")
                        after.append("\(local)_r\(py) = reshape(\(local)_r\(py)c, shape=\(shapeText(lead + [rows, width, own])))")
                        rowNames.append("\(local)_r\(py)")
                    }
                    let full = own == t.channels ? tensor.name : "\(local)_full"
                    after.append("\(local)_rc = concat(\(rowNames.joined(separator: ", ")), axis=\(channelAxis - 1))")
                    after.append("\(full) = reshape(\(local)_rc, shape=\(shapeText(lead + [height, width, own])))")
                    if full != tensor.name {
                        slices[tensor.name, default: []].append((binding.channelOffset, own, lead + [height, width, own], full))
                    }
                    phases[key] = nil
                    continue
                }
                let whole = tensorDims == symbol.shape && binding.channelOffset == 0
                let reshaped = binding.channelOffset == 0 && tensor.elementCount == symbol.elementCount
                let channelSlice = binding.channelOffset + own <= tensor.shape.channels && symbol.shape.dropLast() == tensorDims.dropLast()
                guard whole || reshaped || channelSlice else {
                    throw fail("unit '\(unit.name)': \(symbol.shape) at channel \(binding.channelOffset) does not fit tensor "
                        + "'\(tensor.name)' \(shapeText(tensorDims))")
                }
                if symbol.role == .input {
                    if let written = slices[tensor.name], lastWriter[tensor.name].map({ $0 >= index }) ?? false {
                        // Read before its last slice is written (DenseNet's running concatenation):
                        // from the slices written so far, which must cover the channels read exactly.
                        let end = binding.channelOffset + own
                        let parts = written.filter { $0.offset >= binding.channelOffset && $0.offset + $0.channels <= end }
                            .sorted { $0.offset < $1.offset }
                        var next = binding.channelOffset
                        for part in parts where part.offset == next { next += part.channels }
                        guard next == end, parts.count == Set(parts.map(\.offset)).count else {
                            throw fail("unit '\(unit.name)' reads channels \(binding.channelOffset)..<\(end) of '\(tensor.name)' "
                                + "before slices covering them are written")
                        }
                        if parts.count == 1 {
                            renames[symbol.name] = parts[0].name
                        } else {
                            renames[symbol.name] = local
                            before.append("\(local) = concat(\(parts.map(\.name).joined(separator: ", ")), axis=\(channelAxis))")
                        }
                    } else if whole {
                        renames[symbol.name] = tensor.name
                    } else {
                        renames[symbol.name] = local
                        before.append(channelSlice
                            ? "\(local) = slice(\(tensor.name), axis=\(channelAxis), start=\(binding.channelOffset), len=\(own))"
                            : "\(local) = reshape(\(tensor.name), shape=\(shapeText(symbol.shape)))")
                    }
                } else if whole {
                    renames[symbol.name] = tensor.name
                } else {
                    renames[symbol.name] = local
                    slices[tensor.name, default: []].append((binding.channelOffset, own, symbol.shape, local))
                }
            }
            // Tensors whose last slice this unit writes.
            for (name, writer) in lastWriter where writer == index {
                guard let parts = slices[name]?.sorted(by: { $0.offset < $1.offset }), let tensor = byName[name] else { continue }
                var next = 0
                for part in parts {
                    guard part.offset == next else { throw fail("the slices written into '\(name)' leave a gap or overlap at channel \(next)") }
                    next += part.channels
                }
                let dims = tensor.dimensions
                if parts.count == 1 && parts[0].shape.reduce(1, *) == tensor.elementCount && parts[0].shape != dims {
                    after.append("\(name) = reshape(\(parts[0].name), shape=\(shapeText(dims)))")
                } else {
                    guard next == tensor.shape.channels else { throw fail("the slices written into '\(name)' cover \(next) of \(tensor.shape.channels) channels") }
                    after.append("\(name) = concat(\(parts.map(\.name).joined(separator: ", ")), axis=\(dims.count - 1))")
                }
            }
            if withChecks {
                for line in unit.program.checks {
                    if let target = CheckRenaming.target(of: line), renames[target] == nil { renames[target] = "\(unit.name)_\(target)" }
                }
                program.checks += before + unit.program.checks.map { CheckRenaming.rename($0, renames) } + after
            }
        }
        program.instructions.append(Instruction(.halt))
        try checkOverlaps(program, tensors: tensors)
        return program
    }

    /// A shape as the check language writes it: `4x16`, `2x8x8x3`.
    static func shapeText(_ dims: [Int]) -> String { dims.map(String.init).joined(separator: "x") }

    /// The instructions that separate `unit` from the next one (see the type's documentation).
    static func barrier(after unit: LinkUnit) throws(CompilerError) -> [Instruction] {
        let balance = TokenBalance(unit.program.instructions)
        guard balance.isNonNegative else {
            throw .invalidLayer(layer: unit.name, "the program pops more tokens than it pushes; it cannot be linked")
        }
        var result: [Instruction] = []
        var storeToCompute = balance[.store, .compute]
        // Drain compute -> store leftovers on the store engine, then make sure the store engine's
        // last instruction signals compute.
        for _ in 0..<balance[.compute, .store] {
            result.append(Instruction(.nop(NoOperation(engine: .store)), dependencies: .popPrevious))
        }
        let lastStore = unit.program.instructions.last { $0.engine == .store }
        if !result.isEmpty || storeToCompute == 0 || !(lastStore?.dependencies.contains(.pushPrevious) ?? false) {
            result.append(Instruction(.nop(NoOperation(engine: .store)), dependencies: .pushPrevious))
            storeToCompute += 1
        }
        var loadToCompute = balance[.load, .compute]
        let nops = max(storeToCompute, loadToCompute)
        for position in 0..<nops {
            var flags: DependencyFlags = []
            if storeToCompute > 0 { flags.insert(.popNext); storeToCompute -= 1 }
            if loadToCompute > 0 { flags.insert(.popPrevious); loadToCompute -= 1 }
            if position == nops - 1 { flags.insert(.pushPrevious) }
            result.append(Instruction(.nop(NoOperation(engine: .compute)), dependencies: flags))
        }
        for _ in 0...balance[.compute, .load] {
            result.append(Instruction(.nop(NoOperation(engine: .load)), dependencies: .popNext))
        }
        return result
    }

    private static func checkOverlaps(_ program: Program, tensors: [LinkedTensor]) throws(CompilerError) {
        var ranges: [(range: Range<Int>, what: String)] = program.segments.map { ($0.address..<($0.address + $0.bytes.count), "a data segment") }
        ranges += tensors.map { ($0.address..<($0.address + $0.elementCount * $0.type.byteSize), "tensor '\($0.name)'") }
        let segments = ranges.prefix(program.segments.count)
        for (index, segment) in segments.enumerated() {
            for other in ranges[(index + 1)...] where segment.range.overlaps(other.range) && !other.range.isEmpty {
                throw .invalidLayer(layer: "link", "\(segment.what) at \(segment.range) overlaps \(other.what) at \(other.range)")
            }
        }
    }
}

/// Tokens pushed minus tokens popped per FIFO over an instruction stream.
struct TokenBalance {
    private var counts = [Int](repeating: 0, count: 9)

    init(_ instructions: [Instruction]) {
        for instruction in instructions {
            guard let engine = instruction.engine?.rawValue else { continue }
            let flags = instruction.dependencies
            if flags.contains(.popPrevious) { counts[(engine - 1) * 3 + engine] -= 1 }
            if flags.contains(.popNext) { counts[(engine + 1) * 3 + engine] -= 1 }
            if flags.contains(.pushPrevious) { counts[engine * 3 + engine - 1] += 1 }
            if flags.contains(.pushNext) { counts[engine * 3 + engine + 1] += 1 }
        }
    }

    /// Tokens left in the FIFO from `source` to `destination`.
    subscript(source: Engine, destination: Engine) -> Int { counts[source.rawValue * 3 + destination.rawValue] }

    var isNonNegative: Bool { counts.allSatisfy { $0 >= 0 } }
}

/// Renames names in check lines: identifiers only, never inside numbers (`0x1F`, `4x16`).
enum CheckRenaming {
    static func isIdentifierStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    static func isIdentifierPart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    /// The name a line assigns.
    static func target(of line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard let first = trimmed.first, isIdentifierStart(first) else { return nil }
        return String(trimmed.prefix { isIdentifierPart($0) })
    }

    static func rename(_ line: String, _ names: [String: String]) -> String {
        var result = "", index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "#" || c == ";" {
                result += line[index...]
                break
            }
            if isIdentifierStart(c) || c.isNumber {
                let isName = isIdentifierStart(c)
                let end = line[index...].firstIndex { !isIdentifierPart($0) && (isName || $0 != ".") } ?? line.endIndex
                let word = String(line[index..<end])
                result += isName ? (names[word] ?? word) : word
                index = end
            } else {
                result.append(c)
                index = line.index(after: index)
            }
        }
        return result
    }
}

extension ProgramLinker {
    /// `line` with `names` renamed as the linker renames check names (for tests and tools).
    public static func renamedForTesting(_ line: String, _ names: [String: String]) -> String { CheckRenaming.rename(line, names) }
}
