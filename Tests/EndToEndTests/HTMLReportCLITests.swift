import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `npu run --html FILE`: one self-contained page whose numbers are the JSON report's. The
/// Chromium tests run only where `chromium` is on PATH (Debian's package).
@Suite struct HTMLReportCLITests {
    /// A verified LeNet-5 run's page and its `--report` JSON, written side by side.
    private struct Generated {
        var html: String
        var json: [String: Any]
        var path: URL

        init(_ model: String = "lenet5", extra: [String] = ["--verify"]) throws {
            let directory = try Repository.temporaryDirectory("npusim-html")
            path = directory.appendingPathComponent("report.html")
            let report = directory.appendingPathComponent("report.json")
            let run = try ToolRun.npu(["run", model, "--html", path.path, "--report", report.path] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            html = try String(contentsOf: path, encoding: .utf8)
            json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        }
    }

    /// Every `name="value"` attribute of each element whose start tag matches `selector`
    /// (a regular expression over the tag's text), with `&amp;`-style escapes undone.
    private static func attributes(of html: String, tagsMatching selector: String) throws -> [[String: String]] {
        let tags = try NSRegularExpression(pattern: "<[a-z]+ [^>]*" + selector + "[^>]*>")
        let pairs = try NSRegularExpression(pattern: "([a-z-]+)=\"([^\"]*)\"")
        return tags.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let tag = String(html[Range(match.range, in: html)!])
            var result: [String: String] = [:]
            for pair in pairs.matches(in: tag, range: NSRange(tag.startIndex..., in: tag)) {
                result[String(tag[Range(pair.range(at: 1), in: tag)!])] = unescape(String(tag[Range(pair.range(at: 2), in: tag)!]))
            }
            return result
        }
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The text between `start` and the next `end` after it, for each occurrence of `start`.
    private static func blocks(_ html: String, from start: String, to end: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let open = rest.range(of: start), let close = rest[open.upperBound...].range(of: end) {
            result.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return result
    }

    /// A number from the JSON object (`Int` or `Double`) as a `Double`.
    private static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    /// Whether the page's exact `data-value` (Swift's shortest round-trip form of the double) is
    /// the JSON's number: Foundation's `JSONSerialization` on Linux writes doubles to 16
    /// significant digits, so the JSON's may differ in the last unit (0.03972632215060064 for
    /// 0.039726322150600644); integers must be equal.
    private static func same(_ text: String?, _ json: Any?) -> Bool {
        guard let text, let value = Double(text), let expected = number(json) else { return false }
        return abs(value - expected) <= 1e-15 * max(abs(expected), Double.leastNormalMagnitude)
    }

    @Test func pageReferencesNothingOutsideItself() throws {
        let page = try Generated()
        for reference in ["http:", "https:", "src=", "<link", "@import", "url(", "\"//", "'//", "<img", "<iframe", "<object", "<embed"] {
            #expect(!page.html.localizedCaseInsensitiveContains(reference), "the page contains \(reference)")
        }
        #expect(page.html.components(separatedBy: "<style").count == 2, "one <style> element")
        let scriptTags = page.html.components(separatedBy: "<script").dropFirst().map { $0.prefix { $0 != ">" } }
        #expect(scriptTags.map(String.init) == [" type=\"application/json\" id=\"report-data\"", ""],
                "the embedded JSON and one inline script")
        #expect(page.html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func tableNumbersAreTheJSONReports() throws {
        let page = try Generated()
        let layers = try #require(page.json["layers"] as? [[String: Any]])
        #expect(!layers.isEmpty)
        let cells = try Self.attributes(of: page.html, tagsMatching: "data-key=")
        let rows = page.html.components(separatedBy: "<tr data-layer=\"").dropFirst()
        #expect(rows.count == layers.count)
        for layer in layers {
            let name = try #require(layer["name"] as? String)
            let row = try #require(rows.first { Self.unescape(String($0.prefix { $0 != "\"" })) == name }, "no row for \(name)")
            let values = Dictionary(try Self.attributes(of: "<tr " + String(row.prefix { $0 != "\n" }), tagsMatching: "data-value=")
                .compactMap { cell in cell["data-key"].map { ($0, cell["data-value"] ?? "") } }, uniquingKeysWith: { first, _ in first })
            #expect(Int(values["cycles"] ?? "") == layer["cycles"] as? Int, "\(name) cycles")
            #expect(Int(values["macs"] ?? "") == layer["macs"] as? Int, "\(name) MACs")
            let dram = (layer["dram_bytes_read"] as? Int ?? -1) + (layer["dram_bytes_written"] as? Int ?? -1)
            #expect(Int(values["dram_bytes"] ?? "") == dram, "\(name) DRAM bytes")
            #expect(Self.same(values["utilization"], layer["utilization"]), "\(name) utilization")
            #expect(Self.same(values["energy_pj"], layer["energy_pj"]), "\(name) energy")
            #expect(page.html.contains(">\(name)</td>"), "\(name) is shown")
        }
        #expect(cells.contains { $0["data-key"] == "gbps" })
        for host in try #require(page.json["host_operations"] as? [[String: Any]]) {
            let node = try #require(host["node"] as? String)
            #expect(page.html.contains("<tr class=\"host\" data-host=\"\(node)\">"), "host operation \(node) listed")
        }
    }

    @Test func totalsAreTheJSONReports() throws {
        let page = try Generated()
        let totals = Dictionary(try Self.attributes(of: page.html, tagsMatching: "data-total=").map { ($0["data-total"]!, $0["data-value"]!) },
                                uniquingKeysWith: { first, _ in first })
        for key in ["cycles", "macs", "dram_bytes_read", "dram_bytes_written", "peak_activation_bytes"] {
            #expect(Int(totals[key] ?? "") == page.json[key] as? Int, "\(key)")
        }
        for key in ["utilization", "inferences_per_second", "energy_pj"] {
            #expect(Self.same(totals[key], page.json[key]), "\(key): \(totals[key] ?? "missing") against \(page.json[key] ?? "missing")")
        }
        let stalls = try #require(page.json["stall_cycles"] as? [String: Int])
        for (cause, cycles) in stalls { #expect(Int(totals["stall_cycles." + cause] ?? "") == cycles, "stalls: \(cause)") }
        let agreement = try #require(page.json["fp32_agreement"] as? [String: Any])
        #expect(Self.same(totals["fp32_agreement.cosine_similarity"], agreement["cosine_similarity"]))
        #expect(Self.same(totals["fp32_agreement.max_abs_error"], agreement["max_abs_error"]))
    }

    @Test func pageEmbedsTheJSONReportAndTheVerification() throws {
        let page = try Generated()
        let script = try #require(Self.blocks(page.html, from: "<script type=\"application/json\" id=\"report-data\">", to: "</script>").first)
        let body = script.dropFirst("<script type=\"application/json\" id=\"report-data\">".count).dropLast("</script>".count)
        let embedded = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? NSDictionary)
        #expect(embedded == page.json as NSDictionary)
        let verification = try #require(page.json["verification"] as? String)
        #expect(verification == "bit-exact")
        #expect(page.html.contains("<span id=\"verification-text\">\(verification)</span>"))
    }

    @Test func withoutVerifyTheVerificationIsNotRequested() throws {
        let page = try Generated("lenet5", extra: ["--timing-only"])
        #expect(page.json["verification"] as? String == "not requested")
        #expect(page.html.contains("<span id=\"verification-text\">not requested</span>"))
        #expect(page.html.contains("not measured (timing-only)"))
    }

    @Test func everyPlotIsWellFormedSVG() throws {
        let page = try Generated()
        let svgs = Self.blocks(page.html, from: "<svg ", to: "</svg>")
        #expect(svgs.count == 4, "cycles by cause, utilization, roofline, layer spans")
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        for plot in ["cycles", "utilization", "roofline", "timeline"] { #expect(page.html.contains("data-plot=\"\(plot)\"")) }
    }

    @Test func aTopologyWithTheDefaultMappingWritesAPage() throws {
        let directory = try Repository.temporaryDirectory("npusim-html")
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = directory.appendingPathComponent("small.csv")
        try """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            Conv1, 18, 18, 3, 3, 8, 16, 1,
            Conv2, 16, 16, 1, 1, 16, 32, 1,
            """.write(to: topology, atomically: true, encoding: .utf8)
        let html = directory.appendingPathComponent("small.html")
        let run = try ToolRun.npu(["run", topology.path, "--html", html.path])
        #expect(run.status == 0, "\(run.standardError)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<tr data-layer=\"Conv1\">") && page.contains("<tr data-layer=\"Conv2\">"))
    }

    @Test func theScaleSimMappingRefusesHTML() throws {
        try expectOneLineError(["run", "Tests/Fixtures/scalesim/topologies/alexnet.csv", "--mapping", "scalesim", "--html", "x.html"],
                               "--html and --plots need the simulator's per-layer statistics")
        #expect(!FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent("x.html").path))
    }

    @Test func anUnwritablePathGivesOneLineAndNoFile() throws {
        let directory = try Repository.temporaryDirectory("npusim-html")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("missing/report.html").path
        try expectOneLineError(["run", "lenet5", "--timing-only", "--html", path], "cannot write '\(path)'")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no temporary file left behind")
    }

    // MARK: Chromium (opt-in)

    /// `chromium` on PATH, if any.
    static let chromium: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("chromium") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Runs headless Chromium on `arguments`, returning its standard output.
    private static func runChromium(_ arguments: [String], timeout: TimeInterval = 120) throws -> String {
        let process = Process()
        process.executableURL = try #require(chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: chromium != nil, "needs chromium on PATH"))
    func chromiumRendersThePage() throws {
        let page = try Generated()
        let screenshot = page.path.deletingLastPathComponent().appendingPathComponent("page.png")
        _ = try Self.runChromium(["--screenshot=\(screenshot.path)", "--window-size=1400,2400", page.path.absoluteString])
        let attributes = try FileManager.default.attributesOfItem(atPath: screenshot.path)
        #expect((attributes[.size] as? Int ?? 0) > 20_000, "screenshot of \(attributes[.size] ?? 0) bytes")
        let dom = try Self.runChromium(["--dump-dom", page.path.absoluteString])
        #expect(dom.contains("class=\"layers sortable ready\""), "the sorting script ran")
        let layers = try #require(page.json["layers"] as? [[String: Any]])
        for layer in layers { #expect(dom.contains("data-layer=\"\(layer["name"] as? String ?? "")\"")) }
        #expect(dom.contains("<svg"))
    }
}
