import HostRuntime
import ISA
import Plots
import Simulator

/// `npu run --html FILE`: one self-contained HTML page of a run. It references nothing outside
/// itself (plots are inline SVG, styles one `<style>`, the sorting one inline `<script>`; no
/// links, images, fonts or URLs) and embeds the `--json` object as it is in
/// `<script type="application/json" id="report-data">`.
///
/// Sections: the title (model, configuration), configuration, totals, verification, plots
/// (cycles by cause, utilization, roofline), the timeline summary (engines, layer spans) and
/// the sortable per-layer table with the host operations where they run.
struct HTMLReport {
    var report: NetworkRun.Report
    var config: HardwareConfig
    var dataType: DataType
    var mode: SimulationMode
    var verify: Bool
    /// The `--json` object of the same run.
    var json: String

    func page() throws -> String {
        let array = config.array
        let title = "\(report.model) on \(config.name)"
        let subtitle = "\(array.rows)x\(array.cols) \(array.dataflowName) array, \(dataType), "
            + "\(NumberFormatting.significant(config.clockGHz, digits: 4)) GHz, "
            + "\(NumberFormatting.significant(config.dram.bandwidthGBps, digits: 4)) GB/s DRAM, batch \(report.batch); "
            + (mode == .timingOnly ? "timing-only run" : "functional run")
        let contents = [("configuration", "Configuration"), ("totals", "Totals"), ("verification", "Verification"),
                        ("plots", "Plots"), ("timeline", "Timeline"), ("layers", "Layers")]
            .map { HTML.element("a", [("href", "#" + $0.0)], HTML.escape($0.1)) }.joined(separator: " ")
        let header = HTML.element("header", [("class", "page")],
                                  HTML.element("h1", [], HTML.escape(title))
                                      + HTML.element("p", [("class", "subtitle")], HTML.escape(subtitle))
                                      + HTML.element("nav", [("class", "contents")], contents))
        let body = [
            header,
            HTML.element("div", [("class", "columns")],
                         ConfigurationSection.html(report, config: config, dataType: dataType) + "\n" + TotalsSection.html(report, config: config)),
            VerificationSection.html(report, verify: verify),
            try PlotsSection.html(report, config: config),
            try TimelineSection.html(report),
            LayerTableSection.html(report, config: config),
            HTML.element("footer", [], HTML.escape("Written by npu run --html (NPUSim). The page embeds the --json report "
                                                   + "(script#report-data) and needs no network.")),
        ]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)): NPUSim report</title>
            <style>
            \(PageStyle.css)
            </style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            \(HTML.jsonScript(json, id: "report-data"))
            <script>
            \(SortScript.javascript)
            </script>
            </body>
            </html>

            """
    }
}
