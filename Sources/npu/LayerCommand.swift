import Foundation
import Compiler
import HostRuntime
import ISA
import Simulator

/// `npu layer conv|fc|pool ...`: compiles one layer, runs it, and explains its speed.
struct LayerCommand: Command {
    let name = "layer"
    let summary = "compile and run one conv / fc / pool layer: cycles, roofline, plan, verification"
    let usage = """
        usage: npu layer conv --input HxWxC --filters K --kernel R[xS] [--stride S[,SX]] [--pad P|T,B,L,R]
                              [--dilation D[,DX]] [--groups G] [--bn] [--no-bias]
                              [--activation relu|relu6|leakyrelu[:A]|sigmoid|tanh] [--pool maxK|avgK|maxKsS]
               npu layer fc --in N --out M [--batch B] [--activation ...]
               npu layer pool --input HxWxC (--window K[xK] [--stride S[,SX]] [--pad P|T,B,L,R] [--avg] [--ceil] | --global)
        common options:
          --config NAME|FILE  hardware (default edge)        --dtype int8|int16 (default: the config's)
          --dram MODEL[:N]    DRAM banks and row buffers: ddr3-1600, ddr4-3200, lpddr4-3200, hbm2 (N channels), or simple
          --dataflow DF       the array's dataflow: ws, os, is, or any (the compiler chooses; default: the config's)
          --verify            check the output bit for bit against the integer reference
          --timing-only       no values: compile without data, same cycles
          --json              one JSON object (cycles, macs, roofline_cycles, utilization,
                              dram_bytes_read, dram_bytes_written, bound, verified, plan, ...)
          --emit FILE.s       write the generated program as assembly (npu asm / npu exec accept it)
          --seed N            seed of the random parameters and input (default 1)

        The compiler searches tile plans (tile sizes, loop order, resident operand, double
        buffering) and picks the fewest cycles, then the fewest DRAM bytes. The roofline bound is
        max(MACs / (rows*cols), compulsory DRAM bytes / DRAM bytes per cycle), where compulsory
        bytes are weights, input and output moved once; the layer is compute- or memory-bound by
        whichever term is larger.
        """

    private static let options: Set<String> = ["input", "filters", "kernel", "stride", "pad", "dilation", "groups",
                                               "activation", "pool", "in", "out", "batch", "window", "config", "dataflow", "dram", "dma-requests", "dtype",
                                               "emit", "seed"]
    private static let flags: Set<String> = ["bn", "no-bias", "avg", "ceil", "global", "verify", "timing-only", "json"]

    func run(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: Self.options, flags: Self.flags)
        let kind = try parsed.requirePositionals(1, "layer kind (conv, fc or pool)")[0]
        let layer = try Self.layer(kind, parsed)
        let (config, dataType) = try parsed.configAndDataType()
        let seed = try parsed.seed()
        if parsed.has("timing-only") && parsed.has("verify") { throw UsageError("--verify needs values; drop --timing-only") }
        let options = LayerRun.Options(config: config, dataType: dataType, seed: seed,
                                       mode: parsed.has("timing-only") ? .timingOnly : .functional, verify: parsed.has("verify"))
        let report = try LayerRun.run(layer, options: options)
        if let path = parsed.value("emit") {
            try Files.write(Data(Disassembler.text(of: report.compiled.program).utf8), to: path)
        }
        print(parsed.has("json") ? LayerReport.json(report, config: config, dataType: dataType)
                                 : LayerReport.text(report, config: config, dataType: dataType))
        if case .mismatch = report.verification { exit(2) }
    }

    /// Builds the layer the arguments describe.
    static func layer(_ kind: String, _ parsed: Arguments) throws -> Layer {
        func required(_ option: String) throws(UsageError) -> String {
            guard let value = parsed.value(option) else { throw UsageError("npu layer \(kind) needs --\(option)") }
            return value
        }
        func integer(_ option: String) throws(UsageError) -> Int {
            let text = try required(option)
            guard let value = Int(text) else { throw UsageError("--\(option) needs an integer, got '\(text)'") }
            return value
        }
        let activation = try LayerArguments.activation(parsed.value("activation"))
        switch kind {
        case "conv":
            let input = try LayerArguments.featureShape(try required("input"), option: "input")
            let kernel = try LayerArguments.pair(try required("kernel"), option: "kernel", separator: "x")
            let stride = try LayerArguments.pair(parsed.value("stride") ?? "1", option: "stride", separator: ",")
            let dilation = try LayerArguments.pair(parsed.value("dilation") ?? "1", option: "dilation", separator: ",")
            let groups = try parsed.integer("groups", default: 1)
            let convolution = Convolution(outputChannels: try integer("filters"), kernelHeight: kernel.0, kernelWidth: kernel.1,
                                          strideY: stride.0, strideX: stride.1,
                                          padding: try LayerArguments.padding(parsed.value("pad") ?? "0"),
                                          dilationY: dilation.0, dilationX: dilation.1, groups: groups)
            return Layer(name: "conv", operation: .convolution(convolution), input: input, hasBias: !parsed.has("no-bias"),
                         hasBatchNorm: parsed.has("bn"), activation: activation,
                         pooling: try LayerArguments.fusedPooling(parsed.value("pool")))
        case "fc":
            let batch = try parsed.integer("batch", default: 1)
            return Layer(name: "fc", operation: .fullyConnected(outputFeatures: try integer("out")),
                         input: FeatureShape(height: 1, width: batch, channels: try integer("in")),
                         hasBias: !parsed.has("no-bias"), activation: activation)
        case "pool":
            let input = try LayerArguments.featureShape(try required("input"), option: "input")
            if parsed.has("global") {
                return Layer(name: "pool", operation: .globalAveragePool, input: input, hasBias: false)
            }
            let window = try LayerArguments.pair(try required("window"), option: "window", separator: "x")
            let stride = try LayerArguments.pair(parsed.value("stride") ?? "\(window.0),\(window.1)", option: "stride", separator: ",")
            let pooling = Pooling(kind: parsed.has("avg") ? .average : .max, windowHeight: window.0, windowWidth: window.1,
                                  strideY: stride.0, strideX: stride.1, padding: try LayerArguments.padding(parsed.value("pad") ?? "0"),
                                  ceilMode: parsed.has("ceil"))
            return Layer(name: "pool", operation: .pooling(pooling), input: input, hasBias: false)
        default:
            throw UsageError("unknown layer kind '\(kind)' (conv, fc, pool)")
        }
    }
}

/// Renders `npu layer` results.
enum LayerReport {
    static func describe(_ layer: Layer, output: FeatureShape) -> String {
        var text: String
        switch layer.operation {
        case .convolution(let c):
            text = "conv \(layer.input) -> \(output), \(c.kernelHeight)x\(c.kernelWidth) stride \(c.strideY),\(c.strideX) pad \(c.padding)"
            if c.dilationY > 1 || c.dilationX > 1 { text += " dilation \(c.dilationY),\(c.dilationX)" }
            if c.groups > 1 { text += " groups \(c.groups)" }
        case .fullyConnected(let outputs):
            text = "fc \(layer.input.channels) -> \(outputs), batch \(layer.input.width)"
        case .pooling(let p):
            text = "\(p.kind == .max ? "max" : "average") pool \(layer.input) -> \(output), \(p.windowHeight)x\(p.windowWidth) stride \(p.strideY),\(p.strideX) pad \(p.padding)"
        case .globalAveragePool:
            text = "global average pool \(layer.input) -> \(output)"
        }
        if layer.hasBatchNorm { text += ", batch norm" }
        if layer.activation != .none { text += ", \(layer.activation)" }
        if let pooling = layer.pooling { text += ", then \(pooling.kind == .max ? "max" : "avg") pool \(pooling.windowHeight)x\(pooling.windowWidth)/\(pooling.strideY)" }
        return text
    }

    static func text(_ report: LayerRun.Report, config: HardwareConfig, dataType: DataType) -> String {
        let s = report.statistics, roofline = report.compiled.roofline
        var lines = [
            ("layer", describe(report.layer, output: report.outputShape)),
            ("machine", "\(config.name): \(config.array.rows)x\(config.array.cols) \(config.array.dataflowName), \(dataType), \(config.clockGHz) GHz, \(config.dram.bandwidthGBps) GB/s"),
            ("plan", report.compiled.plan.description),
            ("cycles", "\(Format.grouped(s.cycles)) (\(String(format: "%.2f", s.microseconds)) µs); estimated \(Format.grouped(report.compiled.estimatedCycles))"),
            ("roofline", "\(Format.grouped(roofline.cycles)) cycles, \(roofline.bound)-bound (compute \(Format.grouped(roofline.computeCycles)), memory \(Format.grouped(roofline.memoryCycles))); achieved \(String(format: "%.2f", report.rooflineRatio))x the bound"),
            ("MACs", "\(Format.grouped(s.macs)), utilization \(String(format: "%.2f", 100 * s.utilization))%, mapping efficiency \(String(format: "%.2f", 100 * s.mappingEfficiency))%"),
            ("DRAM", "read \(Format.grouped(s.dramBytesRead)) B, written \(Format.grouped(s.dramBytesWritten)) B (compulsory \(Format.grouped(roofline.compulsoryBytes)) B), \(String(format: "%.2f", s.averageDRAMBandwidthGBps)) GB/s average"),
            ("energy", String(format: "%.1f nJ", s.energy.totalPJ / 1000)),
        ]
        if let error = report.quantizationError {
            lines.append(("vs fp32", String(format: "max abs error %.4g, mean abs error %.4g, cosine similarity %.6f",
                                            error.maxAbsError, error.meanAbsError, error.cosineSimilarity)))
        }
        var text = lines.map { $0.0.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
        text += "\nverified: " + ExecReport.verificationText(report.verification)
        return text
    }

    static func json(_ report: LayerRun.Report, config: HardwareConfig, dataType: DataType) -> String {
        let s = report.statistics, roofline = report.compiled.roofline
        var object: [String: Any] = [
            "layer": describe(report.layer, output: report.outputShape),
            "config": config.name,
            "dtype": dataType.description,
            "output_shape": report.outputShape.dimensions,
            "cycles": s.cycles,
            "estimated_cycles": report.compiled.estimatedCycles,
            "macs": s.macs,
            "roofline_cycles": roofline.cycles,
            "roofline_ratio": report.rooflineRatio,
            "compute_cycles": roofline.computeCycles,
            "memory_cycles": roofline.memoryCycles,
            "compulsory_dram_bytes": roofline.compulsoryBytes,
            "bound": "\(roofline.bound)",
            "utilization": s.utilization,
            "mapping_efficiency": s.mappingEfficiency,
            "dram_bytes_read": s.dramBytesRead,
            "dram_bytes_written": s.dramBytesWritten,
            "energy_pj": s.energy.totalPJ,
            "plan": report.compiled.plan.description,
            "dataflow": report.compiled.macs > 0 ? report.compiled.plan.dataflow.resolved(config.array.dataflow).rawValue as Any : NSNull(),
            "verified": report.verification.isVerified,
            "verification": ExecReport.verificationText(report.verification),
        ]
        if let error = report.quantizationError {
            object["quantization_error"] = ["max_abs": error.maxAbsError, "mean_abs": error.meanAbsError,
                                            "cosine_similarity": error.cosineSimilarity]
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
