@testable import ISA

/// Random whole programs for round-trip tests: a non-preset configuration, data segments,
/// input and output symbols with quantization and fill ranges, checks, layer names and a random
/// instruction stream. Everything is drawn so that the program is also expressible in assembly
/// (names are identifiers, checks carry no comment characters, segments are non-empty and
/// disjoint, tensors fit in DRAM).
enum RandomPrograms {
    static func program(using generator: inout SplitMix64) -> Program {
        let config = configuration(using: &generator)
        var program = Program(config: config)
        program.layerNames = (0..<Int.random(in: 0...4, using: &generator)).map { "layer\($0)_" + name(using: &generator) }
        program.checks = (0..<Int.random(in: 0...3, using: &generator)).map { index in
            "Y\(index) = conv2d(X, W\(index), pad=\(Int.random(in: 0...3, using: &generator)), stride=2) + 0.5*(B - 3)"
        }
        // Segments in increasing, disjoint address ranges.
        var address = Int.random(in: 0...4096, using: &generator)
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let bytes = (0..<Int.random(in: 1...48, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            program.segments.append(DataSegment(address: address, bytes: bytes))
            address += bytes.count + Int.random(in: 0...100_000, using: &generator)
        }
        for index in 0..<Int.random(in: 0...4, using: &generator) {
            let type = ElementType.allCases.randomElement(using: &generator)!
            let shape = (0..<Int.random(in: 1...4, using: &generator)).map { _ in Int.random(in: 1...64, using: &generator) }
            let quantization = generator.chance(0.5)
                ? Quantization(scale: Double.random(in: 1e-6...4, using: &generator), zeroPoint: Int.random(in: -128...255, using: &generator))
                : nil
            var range: ClosedRange<Double>?
            if generator.chance(0.5) {
                let low = Double.random(in: -1000...1000, using: &generator)
                range = low...(low + Double.random(in: 0...500, using: &generator))
            }
            let symbol = TensorSymbol(name: "t\(index)" + name(using: &generator),
                                      role: generator.chance(0.5) ? .input : .output,
                                      address: Int.random(in: 0...(1 << 20), using: &generator), shape: shape, type: type,
                                      quantization: quantization, fillRange: range)
            program.symbols.append(symbol)
        }
        program.instructions = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
            RandomInstructions.instruction(using: &generator)
        } + [Instruction(.halt)]
        return program
    }

    /// A valid configuration that is none of the presets.
    static func configuration(using generator: inout SplitMix64) -> HardwareConfig {
        func buffer() -> HardwareConfig.Buffer {
            HardwareConfig.Buffer(capacityBytes: Int.random(in: 1...(1 << 26), using: &generator),
                                  portBytesPerCycle: Int.random(in: 1...4096, using: &generator),
                                  energyPerBytePJ: Double.random(in: 0...50, using: &generator))
        }
        func side() -> Int { Int.random(in: 1...512, using: &generator) }
        return HardwareConfig(
            name: "random-\(generator.next() % 1000)",
            array: .init(rows: side(), cols: side(), dataflow: Dataflow.allCases.randomElement(using: &generator)!,
                          doubleBuffered: Bool.random(using: &generator)),
            clockGHz: Double.random(in: 0.05...4, using: &generator),
            dataType: DataType.allCases.randomElement(using: &generator)!,
            nbin: buffer(), sb: buffer(), nbout: buffer(),
            vector: .init(lanes: Int.random(in: 1...1024, using: &generator), latencyCycles: Int.random(in: 0...32, using: &generator),
                          energyPerOpPJ: Double.random(in: 0...5, using: &generator)),
            dram: .init(bandwidthGBps: Double.random(in: 0.1...1000, using: &generator), latencyCycles: Int.random(in: 0...1000, using: &generator),
                        burstBytes: [1, 32, 64, 128].randomElement(using: &generator)!,
                        capacityBytes: Int.random(in: (1 << 24)...(1 << 36), using: &generator),
                        energyPerBytePJ: Double.random(in: 0...500, using: &generator)),
            queueDepth: Int.random(in: 1...512, using: &generator),
            macEnergy: .init(int8PJ: Double.random(in: 0...3, using: &generator), int16PJ: Double.random(in: 0...3, using: &generator),
                             fp16PJ: Double.random(in: 0...3, using: &generator)))
    }

    static func name(using generator: inout SplitMix64) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")
        return String((0..<Int.random(in: 1...8, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
    }
}
