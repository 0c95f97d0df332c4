import Compiler
import HostRuntime
import ISA
import Simulator
import Testing

/// A bump allocator of burst-aligned DRAM for hand-placed test networks.
struct TestDRAM {
    var next = 0
    mutating func take(_ shape: FeatureShape, _ type: ElementType = .int8) -> Int {
        let start = next
        next += (shape.elementCount * type.byteSize + 63) / 64 * 64
        return start
    }
    mutating func constants(_ bytes: Int = 1 << 20) -> Int {
        let start = next
        next += bytes
        return start
    }
}

/// Compiles `layer` with random parameters into `placement`, as a link unit bound to `input` / `output`.
func linkUnit(_ layer: Layer, input: TensorBinding, output: TensorBinding, placement: LayerPlacement,
              quantization: ActivationQuantization, config: HardwareConfig = .edge, timingOnly: Bool = false,
              seed: UInt64 = 1) throws -> (unit: LinkUnit, compiled: CompiledLayer) {
    let compiled = try LayerCompiler.compile(layer, config: config, dataType: .int8,
                                             parameters: timingOnly ? nil : try randomParameters(layer, seed: seed),
                                             quantization: quantization, placement: placement)
    return (LinkUnit(name: layer.name, program: compiled.program, bindings: ["X": input, "Y": output]), compiled)
}

@Suite struct NetworkLinkerTests {
    static let q0 = Quantization(scale: 0.02, zeroPoint: 3)
    static let q1 = Quantization(scale: 0.05, zeroPoint: -7)
    static let q2 = Quantization(scale: 0.1, zeroPoint: 5)

    /// conv 3x3 + ReLU -> conv 1x1 -> max pool 2x2, each in its own DRAM, linked.
    static func threeLayers(timingOnly: Bool = false) throws -> (program: Program, macs: Int) {
        let s0 = FeatureShape(height: 8, width: 6, channels: 8), s1 = FeatureShape(height: 8, width: 6, channels: 12)
        let s2 = FeatureShape(height: 8, width: 6, channels: 16), s3 = FeatureShape(height: 4, width: 3, channels: 16)
        var dram = TestDRAM()
        let a = [dram.take(s0), dram.take(s1), dram.take(s2), dram.take(s3)]
        let layers = [
            convLayer("c1", input: s0, filters: 12, kernel: (3, 3), padding: Padding(1), activation: .relu),
            convLayer("c2", input: s1, filters: 16, kernel: (1, 1)),
            Layer(name: "pool", operation: .pooling(.square(.max, 2)), input: s2),
        ]
        let quantizations = [ActivationQuantization(input: q0, output: q1), ActivationQuantization(input: q1, output: q2),
                             ActivationQuantization(input: q2, output: q2)]
        let names = ["t0", "t1", "t2", "t3"]
        var units: [LinkUnit] = [], macs = 0
        for (index, layer) in layers.enumerated() {
            let placement = LayerPlacement(input: TensorPlacement(address: a[index]), output: TensorPlacement(address: a[index + 1]),
                                           constants: dram.constants())
            let (unit, compiled) = try linkUnit(layer, input: TensorBinding(tensor: names[index]), output: TensorBinding(tensor: names[index + 1]),
                                                placement: placement, quantization: quantizations[index], timingOnly: timingOnly)
            units.append(unit)
            macs += compiled.macs
        }
        let shapes = [s0, s1, s2, s3], scales = [q0, q1, q2, q2]
        let tensors = (0..<4).map { i in
            LinkedTensor(name: names[i], address: a[i], shape: shapes[i], type: .int8, quantization: scales[i], role: i == 0 ? .input : .output)
        }
        return (try ProgramLinker.link(units, tensors: tensors, config: .edge), macs)
    }

    @Test func threeChainedLayersVerifyAndSumTheirMACs() throws {
        let (program, macs) = try Self.threeLayers()
        #expect(program.layerNames == ["c1", "c2", "pool"])
        #expect(program.instructions.filter { $0.operation == .halt }.count == 1)
        let report = try KernelExecution.run(program, config: .edge, seed: 7, mode: .functional)
        #expect(report.verification == .bitExact, "\(report.verification)")
        #expect(report.statistics.macs == macs)
        #expect(report.statistics.layers.map(\.id) == [0, 1, 2])
        #expect(program.constants.map(\.name).contains("c2_W"))
    }

    /// A layer's first load starts after the previous layer's last store has ended.
    @Test func barrierSeparatesLayers() throws {
        let (program, _) = try Self.threeLayers(timingOnly: true)
        let config = HardwareConfig.edge
        let result = try Simulator(config: config).run(program, dram: DRAMImage(capacityBytes: config.dram.capacityBytes), mode: .timingOnly)
        var lastStoreEnd: [Int: Int] = [:], firstLoadStart: [Int: Int] = [:]
        for entry in result.timeline {
            switch program.instructions[entry.index].operation {
            case .store: lastStoreEnd[entry.layer] = max(lastStoreEnd[entry.layer] ?? 0, entry.end)
            case .load: firstLoadStart[entry.layer] = min(firstLoadStart[entry.layer] ?? .max, entry.start)
            default: break
            }
        }
        for layer in 1..<3 {
            #expect(firstLoadStart[layer]! >= lastStoreEnd[layer - 1]!, "layer \(layer)")
        }
    }

    /// Two convolutions write channel slices of one tensor (a concatenation in place, no copy);
    /// a third reads the whole of it and a fourth reads the second slice.
    @Test func concatenationInPlaceVerifiesBitExact() throws {
        let input = FeatureShape(height: 7, width: 5, channels: 8), cat = FeatureShape(height: 7, width: 5, channels: 20)
        var dram = TestDRAM()
        let (x, c, y, z) = (dram.take(input), dram.take(cat), dram.take(FeatureShape(height: 7, width: 5, channels: 6)),
                            dram.take(FeatureShape(height: 7, width: 5, channels: 4)))
        let q = ActivationQuantization(input: Self.q0, output: Self.q1)
        let qNext = ActivationQuantization(input: Self.q1, output: Self.q2)
        let a = try linkUnit(convLayer("branch_a", input: input, filters: 12, kernel: (3, 3), padding: Padding(1), activation: .relu),
                             input: TensorBinding(tensor: "x"), output: TensorBinding(tensor: "cat"),
                             placement: LayerPlacement(input: TensorPlacement(address: x), output: TensorPlacement(address: c, channels: 20),
                                                       constants: dram.constants()), quantization: q, seed: 2)
        let b = try linkUnit(convLayer("branch_b", input: input, filters: 8, kernel: (1, 1)),
                             input: TensorBinding(tensor: "x"), output: TensorBinding(tensor: "cat", channelOffset: 12),
                             placement: LayerPlacement(input: TensorPlacement(address: x),
                                                       output: TensorPlacement(address: c, channels: 20, channelOffset: 12),
                                                       constants: dram.constants()), quantization: q, seed: 3)
        let merge = try linkUnit(convLayer("merge", input: cat, filters: 6, kernel: (1, 1)),
                                 input: TensorBinding(tensor: "cat"), output: TensorBinding(tensor: "y"),
                                 placement: LayerPlacement(input: TensorPlacement(address: c), output: TensorPlacement(address: y),
                                                           constants: dram.constants()), quantization: qNext, seed: 4)
        let second = try linkUnit(convLayer("second", input: FeatureShape(height: 7, width: 5, channels: 8), filters: 4, kernel: (3, 3),
                                            padding: Padding(1)),
                                  input: TensorBinding(tensor: "cat", channelOffset: 12), output: TensorBinding(tensor: "z"),
                                  placement: LayerPlacement(input: TensorPlacement(address: c, channels: 20, channelOffset: 12),
                                                            output: TensorPlacement(address: z), constants: dram.constants()),
                                  quantization: qNext, seed: 5)
        let tensors = [
            LinkedTensor(name: "x", address: x, shape: input, type: .int8, quantization: Self.q0, role: .input),
            LinkedTensor(name: "cat", address: c, shape: cat, type: .int8, quantization: Self.q1, role: .output),
            LinkedTensor(name: "y", address: y, shape: FeatureShape(height: 7, width: 5, channels: 6), type: .int8, role: .output),
            LinkedTensor(name: "z", address: z, shape: FeatureShape(height: 7, width: 5, channels: 4), type: .int8, role: .output),
        ]
        let program = try ProgramLinker.link([a.unit, b.unit, merge.unit, second.unit], tensors: tensors, config: .edge)
        #expect(program.checks.contains("cat = concat(branch_a_Y, branch_b_Y, axis=2)"))
        #expect(program.checks.contains("second_X = slice(cat, axis=2, start=12, len=8)"))
        let report = try KernelExecution.run(program, config: .edge, seed: 11, mode: .functional)
        #expect(report.verification == .bitExact, "\(report.verification)")
    }

    @Test func overlappingSegmentsAreRejected() throws {
        let shape = FeatureShape(height: 4, width: 4, channels: 8)
        let placement = LayerPlacement(input: TensorPlacement(address: 0), output: TensorPlacement(address: 1024), constants: 4096)
        let q = ActivationQuantization(input: Self.q0, output: Self.q0)
        let one = try linkUnit(convLayer("one", input: shape, filters: 8, kernel: (1, 1)), input: TensorBinding(tensor: "x"),
                               output: TensorBinding(tensor: "y"), placement: placement, quantization: q)
        var two = one.unit
        two.name = "two"
        two.bindings = ["X": TensorBinding(tensor: "y"), "Y": TensorBinding(tensor: "x")]
        let tensors = [LinkedTensor(name: "x", address: 0, shape: shape, type: .int8, role: .input),
                       LinkedTensor(name: "y", address: 1024, shape: shape, type: .int8, role: .output)]
        #expect(throws: CompilerError.self) { try ProgramLinker.link([one.unit, two], tensors: tensors, config: .edge) }
    }

    @Test func checkRenamingTouchesIdentifiersOnly() {
        let line = "ACC = conv2d(X, W, stride=1,1, pad=0x1, pad_value=3, type=i32) # X stays"
        #expect(ProgramLinker.renamedForTesting(line, ["X": "t0", "W": "c_W", "ACC": "c_ACC"])
            == "c_ACC = conv2d(t0, c_W, stride=1,1, pad=0x1, pad_value=3, type=i32) # X stays")
    }
}
