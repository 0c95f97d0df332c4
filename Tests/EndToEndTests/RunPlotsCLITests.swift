import Foundation
import Testing

/// `npu run --plots DIR`: the report's charts as standalone SVG files.
@Suite struct RunPlotsCLITests {
    @Test func writesTheFourCharts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npu-plots-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try ToolRun.npu(["run", "lenet5", "--timing-only", "--plots", directory.path, "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let names = try #require(report["layers"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        for file in ["cycles.svg", "utilization.svg", "roofline.svg", "timeline.svg"] {
            let svg = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(file)")
            #expect(svg.hasSuffix("</svg>") || svg.hasSuffix("</svg>\n"), "\(file)")
            // Every layer is drawn (its name is in a tooltip), except on the roofline, which places
            // only layers with MACs and DRAM traffic.
            if file != "roofline.svg" { #expect(names.allSatisfy { svg.contains($0) }, "\(file)") }
        }
        try expectOneLineError(["run", "lenet5", "--timing-only", "--plots", "/dev/null/plots"], "cannot create '/dev/null/plots'")
    }
}
