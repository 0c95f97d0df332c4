import Compiler
import Foundation
import ISA
import Testing

/// SCALE-Sim's inputs (`.cfg`, topology CSVs) and its fixed mapping, against SCALE-Sim 3.0.0's
/// own figures for AlexNet and ResNet-50 (conv form) and ViT-S (GEMM form) on its 32x32
/// configuration with each dataflow.
///
/// The goldens in Tests/Fixtures/scalesim/ were made with (see scripts/scalesim/):
///
///     python3 -m venv /tmp/scalesim-venv
///     /tmp/scalesim-venv/bin/pip install scalesim==3.0.0 "numpy<2.4"
///     /tmp/scalesim-venv/bin/python scripts/scalesim/make_goldens.py      # full runs: reports/
///     /tmp/scalesim-venv/bin/python scripts/scalesim/compute_goldens.py   # compute part: compute/
///
/// `reports/<topology>/<df>/` holds SCALE-Sim's own three reports from full runs;
/// `compute/<topology>_<df>.csv` the figures of its compute classes alone, which is all
/// ResNet-50 has (a full run takes hours); both are compared where both exist.
@Suite struct ScaleSimTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scalesim")
    static let topologies = [("alexnet", "alexnet.csv"), ("Resnet50", "Resnet50.csv"), ("vit_s", "vit_s.csv")]
    static let cases = topologies.flatMap { topology in Dataflow.allCases.map { (topology.0, topology.1, $0) } }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(path), encoding: .utf8)
    }

    /// A SCALE-Sim CSV report's rows after the header, each split at `, ` (trailing comma dropped).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    static func mappings(_ topologyFile: String, _ dataflow: Dataflow) throws -> [ScaleSimMapping] {
        let config = try ScaleSimConfig.load(path: fixtures.appendingPathComponent("configs/scale_\(dataflow.rawValue).cfg").path)
        let topology = try ScaleSimTopology.load(path: fixtures.appendingPathComponent("topologies/\(topologyFile)").path)
        return topology.layers.map { ScaleSimMapping(layer: $0, array: config.hardwareConfig.array) }
    }

    @Test func shippedConfigurationBecomesAHardwareConfig() throws {
        let cfg = try ScaleSimConfig.load(path: Self.fixtures.appendingPathComponent("configs/scale.cfg").path)
        #expect(cfg.runName == "scale_example_run_32x32_ws")
        #expect(cfg.interfaceBandwidth == .calc && cfg.bandwidthWordsPerCycle == 10 && cfg.memoryBanks == 1)
        let config = cfg.hardwareConfig
        #expect(config.array == HardwareConfig.SystolicArray(rows: 32, cols: 32, dataflow: .weightStationary, doubleBuffered: false))
        #expect(config.nbin.capacityBytes == 65536 && config.sb.capacityBytes == 65536 && config.nbout.capacityBytes == 65536)
        #expect(config.dataType == .int8 && config.clockGHz == 1 && config.dram.bandwidthGBps == 10)
        try config.validate()
    }

    static let minimalConfig = """
        [architecture_presets]
        ArrayHeight: 8
        ArrayWidth: 4
        IfmapSramSzkB: 16
        FilterSramSzkB: 16
        OfmapSramSzkB: 8
        Dataflow : os
        """

    @Test func minimalConfigurationTakesSCALESimDefaults() throws {
        let cfg = try ScaleSimConfig(parsing: Self.minimalConfig, file: "min.cfg")
        #expect(cfg.arrayHeight == 8 && cfg.arrayWidth == 4 && cfg.dataflow == .outputStationary)
        #expect(cfg.interfaceBandwidth == .calc && cfg.bandwidthWordsPerCycle == nil)
        #expect(cfg.hardwareConfig.dram.bandwidthGBps == Double(ScaleSimConfig.calcModeBandwidthWordsPerCycle))
    }

    @Test(arguments: [
        ("", "missing key 'ArrayHeight' in section [architecture_presets]"),
        (minimalConfig.replacingOccurrences(of: "ArrayWidth: 4", with: "ArrayWidth: four"), "min.cfg:3: ArrayWidth must be a positive integer, got 'four'"),
        (minimalConfig.replacingOccurrences(of: "Dataflow : os", with: "Dataflow : rs"), "min.cfg:7: Dataflow must be ws, os or is, got 'rs'"),
        (minimalConfig + "\n[run_presets]\nInterfaceBandwidth: USER", "InterfaceBandwidth USER needs 'Bandwidth'"),
        (minimalConfig + "\n[run_presets]\nInterfaceBandwidth: MAX", "InterfaceBandwidth must be USER or CALC, got 'MAX'"),
        (minimalConfig + "\n[sparsity]\nSparsitySupport : true", "SparsitySupport true is not supported"),
        ("ArrayHeight: 8", "min.cfg:1: a key before any [section]"),
        ("[architecture_presets]\nArrayHeight 8", "min.cfg:2: expected 'key : value' or 'key = value'"),
    ])
    func badConfigurationGivesOneLine(_ text: String, _ message: String) {
        #expect(throws: CompilerError.self) { try ScaleSimConfig(parsing: text, file: "min.cfg") }
        do {
            _ = try ScaleSimConfig(parsing: text, file: "min.cfg")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func formIsRecognizedFromTheHeader() throws {
        let conv = try ScaleSimTopology(parsing: """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            Conv1, 224, 224, 11, 11, 3, 96, 4,
            DPConv, 14, 14, 3, 3, 3, 1, 1

            """, file: "t.csv")
        #expect(conv.form == .conv)
        #expect(conv.layers.map(\.name) == ["Conv1", "DPConvChannel_0", "DPConvChannel_1", "DPConvChannel_2"])
        #expect(conv.layers[0].ofmapHeight == 55 && conv.layers[0].window == 363 && conv.layers[0].macs == 55 * 55 * 363 * 96)
        #expect(conv.layers[1].channels == 1 && conv.layers[1].filters == 1)
        #expect(conv.depthwiseRows.map(\.layers) == [1..<4])
        let gemm = try ScaleSimTopology(parsing: "Layer,M,N,K,\r\nL0,196,192,384,\r\n", file: "g.csv")
        #expect(gemm.form == .gemm)
        let layer = try #require(gemm.layers.first)
        #expect(layer.outputPixels == 196 && layer.window == 384 && layer.filters == 192)
    }

    @Test(arguments: [
        ("", "t.csv: empty topology file"),
        ("Name, A, B\nx, 1, 2", "t.csv:1: unrecognized header"),
        ("Layer, M, N, K,\n", "t.csv: no layers after the header"),
        ("Layer, M, N, K,\nL0, 4, 4,", "t.csv:2: expected 4 columns, got 3"),
        ("Layer, M, N, K,\nL0, 4, x, 4,", "t.csv:2: column 3 ('x') must be a positive integer"),
        ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nC, 2, 2, 3, 3, 1, 1, 1,",
         "t.csv:2: filter 3x3 is larger than the IFMAP 2x2"),
        ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nC, 8, 8, 3, 3, 1, 1, 1, 2:4,",
         "t.csv:2: sparsity ratio '2:4' is not supported"),
    ])
    func badTopologyGivesOneLine(_ text: String, _ message: String) {
        do {
            _ = try ScaleSimTopology(parsing: text, file: "t.csv")
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    /// Every figure of SCALE-Sim's compute part, per layer: Total Cycles, mapping efficiency and
    /// compute utilization (the same doubles), and the SRAM reads and writes.
    @Test(arguments: cases)
    func fixedMappingEqualsSCALESimsCompute(_ name: String, _ file: String, _ dataflow: Dataflow) throws {
        let golden = Self.rows(try Self.text("compute/\(name)_\(dataflow.rawValue).csv"))
        let layers = try Self.mappings(file, dataflow)
        #expect(layers.count == golden.count)
        for (layer, row) in zip(layers, golden) {
            let ours = ["\(layer.totalCycles)", ScaleSimReports.python(layer.mappingEfficiencyPercent),
                        ScaleSimReports.python(layer.computeUtilizationPercent),
                        "\(layer.ifmapSRAMReads)", "\(layer.filterSRAMReads)", "\(layer.ofmapSRAMWrites)"]
            #expect(ours == Array(row.dropFirst()), "\(name) \(dataflow) \(layer.layer.name)")
        }
    }

    /// Where a full SCALE-Sim run exists, its reports agree with the compute goldens and with the
    /// fixed mapping: Total Cycles, Stall Cycles 0, the utilizations and the SRAM columns.
    @Test(arguments: cases)
    func fixedMappingEqualsSCALESimsReports(_ name: String, _ file: String, _ dataflow: Dataflow) throws {
        let directory = "reports/\(name)/\(dataflow.rawValue)/"
        guard FileManager.default.fileExists(atPath: Self.fixtures.appendingPathComponent(directory + "COMPUTE_REPORT.csv").path) else {
            return  // ResNet-50: compute goldens only (see the suite's documentation).
        }
        let compute = Self.rows(try Self.text(directory + "COMPUTE_REPORT.csv"))
        let detail = Self.rows(try Self.text(directory + "DETAILED_ACCESS_REPORT.csv"))
        let bandwidth = Self.rows(try Self.text(directory + "BANDWIDTH_REPORT.csv"))
        let layers = try Self.mappings(file, dataflow)
        #expect(compute.count == layers.count)
        for (index, layer) in layers.enumerated() {
            let label = "\(name) \(dataflow) \(layer.layer.name)"
            #expect(compute[index][2] == "\(layer.totalCycles)", "\(label)")
            #expect(compute[index][3] == "0", "\(label)")
            #expect(compute[index][4...6] == [ScaleSimReports.python(layer.overallUtilizationPercent),
                                               ScaleSimReports.python(layer.mappingEfficiencyPercent),
                                               ScaleSimReports.python(layer.computeUtilizationPercent)], "\(label)")
            #expect([detail[index][3], detail[index][6], detail[index][9]]
                    == ["\(layer.ifmapSRAMReads)", "\(layer.filterSRAMReads)", "\(layer.ofmapSRAMWrites)"], "\(label)")
            let cycles = Double(layer.totalCycles)
            #expect(bandwidth[index][1...3] == [ScaleSimReports.python(Double(layer.ifmapSRAMReads) / cycles),
                                                 ScaleSimReports.python(Double(layer.filterSRAMReads) / cycles),
                                                 ScaleSimReports.python(Double(layer.ofmapSRAMWrites) / cycles)], "\(label)")
        }
    }

    @Test func reportHeadersAreSCALESims() throws {
        for (file, header) in [("COMPUTE_REPORT.csv", ScaleSimReports.computeHeader), ("BANDWIDTH_REPORT.csv", ScaleSimReports.bandwidthHeader),
                               ("DETAILED_ACCESS_REPORT.csv", ScaleSimReports.detailedAccessHeader)] {
            let golden = try Self.text("reports/alexnet/ws/" + file)
            #expect(golden.split(separator: "\n").first.map(String.init) == header)
        }
    }

    /// The default mapper's graph: one convolution per row on its own input, SCALE-Sim's output
    /// sizes (AlexNet's conv1: 55x55 from a 224 IFMAP, 11x11 filter, stride 4), a depthwise row
    /// as one grouped convolution, a GEMM row as a 1x1 convolution over K channels.
    @Test func topologyBecomesATimingOnlyGraph() throws {
        let conv = try ScaleSimTopology(parsing: """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            Conv1, 224, 224, 11, 11, 3, 96, 4,
            DP2, 16, 16, 3, 3, 8, 1, 1,
            """, file: "t.csv")
        let graph = try conv.graph(name: "t")
        #expect(graph.inputs.map(\.name) == ["Conv1.ifmap", "DP2.ifmap"])
        #expect(graph.outputs == ["Conv1", "DP2"])
        let shapes = try graph.analyze().shapes
        #expect(shapes["Conv1"] == FeatureShape(height: 55, width: 55, channels: 96))
        #expect(shapes["DP2"] == FeatureShape(height: 14, width: 14, channels: 8))
        let gemm = try ScaleSimTopology(parsing: "Layer, M, N, K,\nL0, 196, 192, 384,", file: "g.csv").graph(name: "g")
        #expect(try gemm.analyze().shapes["L0"] == FeatureShape(height: 196, width: 1, channels: 192))
    }
}
