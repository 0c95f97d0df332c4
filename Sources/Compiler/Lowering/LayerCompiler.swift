import ISA

/// Compiles one layer into a complete, self-checking program.
///
/// The program has a `layer id=0` marker, the input `X` `[H, W, C]`, the output `Y`
/// `[OH, OW, K]` (with `Layer.batch` N > 1: `[N, H, W, C]` and `[N, OH, OW, K]`, NHWC), the constants the checks read (`W` `[R, S, C/G, K]`, `P` / `PA` int32 `[K, 3]`
/// output-stage records (mult, shift, bias)) and `.check` lines that compute `Y` exactly as the
/// device does (see `LayerNumerics`), so a functional run verifies bit for bit.
public enum LayerCompiler {
    /// - Parameters:
    ///   - parameters: real-valued weights; `nil` gives a timing-only program (the same
    ///     instructions, no data segments and no checks).
    ///   - quantization: activation quantization (default: `ActivationQuantization.defaults`).
    ///   - plan: a forced plan, validated against the buffers; `nil` searches for the best one.
    ///   - placement: where the input, output and constants go in DRAM; `nil` packs them from
    ///     address 0. With a strided view (a channel slice of a wider tensor) the program's `X` /
    ///     `Y` symbols still name the layer's own maps at the views' base addresses, so such a
    ///     program is a unit for `ProgramLinker`, which declares the containing tensors.
    public static func compile(_ layer: Layer, config: HardwareConfig, dataType: DataType,
                               parameters: LayerParameters?, quantization: ActivationQuantization?,
                               plan forcedPlan: TilePlan? = nil,
                               placement: LayerPlacement? = nil) throws(CompilerError) -> CompiledLayer {
        let g = try LayerGeometry(layer, dataType: dataType)
        let quantization = quantization ?? .defaults(for: dataType)
        let numerics = try LayerNumerics(g, parameters: parameters, quantization: quantization)
        let layout = placement.map { DRAMLayout(g, placement: $0) } ?? DRAMLayout(g)
        try layout.validate(g)
        guard layout.end <= config.dram.capacityBytes else {
            throw .invalidLayer(layer: g.name, "needs \(layout.end) bytes of DRAM; the configuration has \(config.dram.capacityBytes)")
        }
        let choice: PlanSearch.Choice
        if let forcedPlan {
            try forcedPlan.validate(g, config: config)
            choice = PlanSearch.Choice(TileSchedule(g, numerics: numerics, plan: forcedPlan, layout: layout, config: config),
                                       plan: forcedPlan, config: config)
        } else {
            choice = try PlanSearch.best(g, numerics: numerics, layout: layout, config: config)
        }
        let (plan, estimate, schedule) = (choice.plan, choice.estimate, choice.schedule)
        var program = Program(config: config, instructions: CodeGenerator.instructions(schedule), layerNames: [g.name])
        let e = g.elementType
        program.symbols.append(TensorSymbol(name: "X", role: .input, address: layout.input, shape: batched(g.input, g), type: e,
                                            quantization: quantization.input, fillRange: numerics.inputFillRange))
        program.symbols.append(TensorSymbol(name: "Y", role: .output, address: layout.output, shape: batched(g.finalOutput, g),
                                            type: e, quantization: quantization.output))
        if !g.isPooling {
            program.symbols.append(TensorSymbol(name: "W", role: .constant, address: layout.weights,
                                                shape: [g.kernelHeight, g.kernelWidth, g.channelsPerGroup, g.outputChannels], type: e))
            let records = [g.outputChannels, LayerNumerics.recordWords]
            program.symbols.append(TensorSymbol(name: "P", role: .constant, address: layout.records, shape: records, type: .int32))
            if numerics.leaky != nil {
                program.symbols.append(TensorSymbol(name: "PA", role: .constant, address: layout.alphaRecords, shape: records, type: .int32))
            }
        }
        if parameters != nil || g.isPooling {
            program.segments = segments(numerics, layout: layout, type: e)
            program.checks = CheckText.lines(g, numerics)
        }
        let macs = try layer.macs()
        // Weights once; every image's input and output once.
        let compulsory = (g.weightElements + g.batch * (g.input.elementCount + g.finalOutput.elementCount)) * e.byteSize
        return CompiledLayer(program: program, plan: plan, roofline: Roofline(macs: macs, compulsoryBytes: compulsory, config: config),
                             estimatedCycles: estimate.cycles, macs: macs, constants: layout.constantsStart..<layout.constantsEnd)
    }

    /// The symbol shape of a feature map: `[H, W, C]` for one image, `[N, H, W, C]` for a batch.
    static func batched(_ shape: FeatureShape, _ g: LayerGeometry) -> [Int] {
        g.batch == 1 ? shape.dimensions : [g.batch] + shape.dimensions
    }

    static func segments(_ n: LayerNumerics, layout: DRAMLayout, type: ElementType) -> [DataSegment] {
        var segments: [DataSegment] = []
        if let weights = n.weights { segments.append(DataSegment(address: layout.weights, values: weights, type: type)) }
        if let records = n.records { segments.append(DataSegment(address: layout.records, values: records, type: .int32)) }
        if let records = n.alphaRecords { segments.append(DataSegment(address: layout.alphaRecords, values: records, type: .int32)) }
        if let table = n.pwlTable { segments.append(DataSegment(address: layout.pwlTable, bytes: table.bytes)) }
        return segments
    }
}

/// The `.check` lines of a compiled layer: the device's computation in the check language.
/// The same lines serve a batch: `conv2d`, `maxpool` and `sumpool` apply per image to an
/// `[N, H, W, C]` input, and the elementwise functions take any rank.
enum CheckText {
    static func lines(_ g: LayerGeometry, _ n: LayerNumerics) -> [String] {
        let type = g.elementType.description
        let p = g.padding
        let pad = "pad=\(p.top),\(p.bottom),\(p.left),\(p.right)"
        func requant(_ source: String, _ r: RequantRegisters, pairs: String?, to: String) -> String {
            let scale = pairs.map { ", \($0)" } ?? "" 
            let fixed = pairs == nil ? ", mult=\(r.scale.multiplier), shift=\(r.scale.shift)" : ""
            return "requant(\(source)\(scale)\(fixed), zp=\(r.zeroPoint), lo=\(r.low), hi=\(r.high), type=\(to))"
        }
        func average(_ source: String, kh: Int, kw: Int, sy: Int, sx: Int, pad: String, padValue: Int) -> String {
            var sums = "sumpool(\(source), k=\(kh),\(kw), stride=\(sy),\(sx), \(pad), pad_value=\(padValue), type=i32)"
            if n.poolSubtract != 0 { sums = "sub(\(sums), \(n.poolSubtract))" }
            return requant(sums, n.poolRequant!, pairs: nil, to: type)
        }
        if g.isPooling {
            if g.poolKind == .max {
                return ["Y = maxpool(X, k=\(g.kernelHeight),\(g.kernelWidth), stride=\(g.strideY),\(g.strideX), \(pad))"]
            }
            return ["Y = " + average("X", kh: g.kernelHeight, kw: g.kernelWidth, sy: g.strideY, sx: g.strideX, pad: pad,
                                     padValue: n.padValue)]
        }
        var lines: [String] = []
        lines.append("ACC = conv2d(X, W, stride=\(g.strideY),\(g.strideX), \(pad), dilation=\(g.dilationY),\(g.dilationX), "
            + "groups=\(g.groups), pad_value=\(n.padValue))")
        let result = g.fusedPooling == nil ? "Y" : "T"
        if let leaky = n.leaky {
            lines.append("\(result) = max(\(requant("ACC", n.main, pairs: "P", to: type)), \(requant("ACC", leaky, pairs: "PA", to: type)))")
        } else if let toQ12 = n.toQ12, let fromQ15 = n.fromQ15, let pwl = n.pwl {
            lines.append("Z = \(requant("ACC", toQ12, pairs: "P", to: "i16"))")
            lines.append("S = pwl(Z, fn=\(pwl.function.rawValue), segments=\(pwl.segments), min=-8, max=8, in_frac=\(pwl.inputFractionBits), "
                + "out_frac=\(pwl.outputFractionBits), shift=\(pwl.slopeShift), type=i16)")
            lines.append("\(result) = \(requant("S", fromQ15, pairs: nil, to: type))")
        } else {
            lines.append("\(result) = \(requant("ACC", n.main, pairs: "P", to: type))")
        }
        if let pooling = g.fusedPooling {
            let (kh, kw) = (pooling.windowHeight, pooling.windowWidth)
            if pooling.kind == .max {
                lines.append("Y = maxpool(T, k=\(kh),\(kw), stride=\(kh),\(kw))")
            } else {
                lines.append("Y = " + average("T", kh: kh, kw: kw, sy: kh, sx: kw, pad: "pad=0", padValue: 0))
            }
        }
        return lines
    }
}
