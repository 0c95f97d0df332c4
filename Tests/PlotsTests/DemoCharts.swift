import Foundation
import Testing
@testable import Plots

/// Example charts with realistic shapes (a 120-layer network, a sweep of 40 design points, a
/// 6 x 8 grid with a missing cell), shared by the well-formedness tests and written to disk for
/// looking at: `PLOTS_DEMO_DIR=/tmp/plots-demo swift test --filter PlotsTests.DemoCharts`.
enum DemoCharts {
    static let layerCount = 120
    static let layers = (0..<layerCount).map { index in
        index % 10 == 9 ? "block\(index / 10)/conv<\(index)>&\"proj\"" : "conv\(index + 1)_\(index % 3 == 0 ? "3x3" : "1x1")"
    }

    /// A deterministic pseudo-random sequence in 0..<1 (a linear congruential generator, so the
    /// demo needs no seeding machinery and never changes).
    static func noise(_ index: Int, _ salt: Int) -> Double {
        let mixed = (UInt64(index) &* 6364136223846793005 &+ UInt64(salt) &* 1442695040888963407) >> 33
        return Double(mixed % 10_000) / 10_000
    }

    static func stacked() throws -> StackedBarChart {
        let causes = ["compute", "DRAM bandwidth stall", "dependency stall", "vector unit"]
        return try StackedBarChart(
            title: "Cycles per layer by cause (ResNet-like, 120 layers)", categories: layers,
            series: causes.enumerated().map { cause, name in
                StackedBarChart.Series(name: name, values: (0..<layerCount).map { 2_000 + 80_000 * noise($0, cause) * (cause == 0 ? 2 : 0.6) })
            },
            xLabel: "Layer", yLabel: "Cycles")
    }

    static func utilization() throws -> BarChart {
        let names = Array(layers.prefix(16))
        return try BarChart(title: "MAC array utilization per layer", categories: names,
                            values: names.indices.map { 20 + 79 * noise($0, 7) }, xLabel: "Layer",
                            yLabel: "Utilization (%)", yMaximum: 100, valueSuffix: "%")
    }

    static func roofline() throws -> RooflineChart {
        let points = (0..<40).map { index in
            let intensity = 0.5 * pow(2, 10 * noise(index, 3))
            let roof = min(256, 16 * intensity)
            let performance = roof * (0.3 + 0.65 * noise(index, 4))
            return RooflineChart.Point(name: layers[index], intensity: intensity, performance: performance,
                                       category: 16 * intensity < 256 ? "memory-bound" : "compute-bound")
        }
        return try RooflineChart(title: "Roofline (edge: 256 MACs/cycle, 16 B/cycle)", points: points,
                                 peak: 256, bandwidth: 16)
    }

    static func pareto() throws -> ScatterChart {
        let points = (0..<40).map { index in
            let area = 0.5 + 8 * noise(index, 5)
            let cycles = 2e6 / area * (1 + noise(index, 6))
            return ScatterPoint(x: area, y: cycles, label: "design \(index)", group: index % 2 == 0 ? "int8" : "int16")
        }
        return try ScatterChart(title: "Design sweep: cycles vs. area", points: points, xLabel: "Area (mm²)",
                                yLabel: "Cycles", yAxis: .logarithmic, showParetoFront: true)
    }

    static func heatMap() throws -> HeatMap {
        let rows = [8, 16, 32, 64, 128, 256].map { "\($0)x\($0)" }
        let columns = [16, 32, 64, 128, 256, 512, 1024, 2048].map { "\($0) KiB" }
        let values: [[Double?]] = rows.indices.map { row in
            columns.indices.map { column in
                row == 5 && column == 0 ? nil : 5e7 / Double(1 << row) / (1 + 0.3 * Double(column))
            }
        }
        return try HeatMap(title: "Cycles by array size and buffer size", rowLabels: rows, columnLabels: columns,
                           values: values, rowTitle: "MAC array", columnTitle: "On-chip buffer")
    }

    /// A crowded stacked chart in a small frame: 200 layers with long names, eight series with
    /// long names, 600 x 300 pixels. Layout must thin labels and keep everything on the canvas.
    static func crowded() throws -> StackedBarChart {
        let names = (0..<200).map { "stage\($0 / 20)/block\($0 % 20)/depthwise_conv_with_a_long_name" }
        let causes = ["compute", "DRAM bandwidth stall", "dependency stall", "vector unit", "DMA setup",
                      "instruction fetch", "buffer bank conflict", "host synchronization"]
        return try StackedBarChart(
            title: "Crowded", categories: names,
            series: causes.enumerated().map { cause, name in
                StackedBarChart.Series(name: name, values: names.indices.map { 1e6 * noise($0, cause + 20) })
            },
            xLabel: "Layer", yLabel: "Cycles", size: ChartSize(width: 600, height: 300))
    }

    /// The five charts by file name.
    static func all() throws -> [(name: String, svg: String)] {
        [("stacked-cycles", try stacked().svg), ("utilization", try utilization().svg), ("roofline", try roofline().svg),
         ("pareto", try pareto().svg), ("heatmap", try heatMap().svg)]
    }
}

struct DemoChartsTests {
    /// Writes the demo charts when PLOTS_DEMO_DIR names a directory; otherwise does nothing.
    @Test func writeDemoCharts() throws {
        guard let directory = ProcessInfo.processInfo.environment["PLOTS_DEMO_DIR"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for chart in try DemoCharts.all() {
            try chart.svg.write(toFile: "\(directory)/\(chart.name).svg", atomically: true, encoding: .utf8)
        }
        try DemoCharts.crowded().svg.write(toFile: "\(directory)/crowded.svg", atomically: true, encoding: .utf8)
    }
}
