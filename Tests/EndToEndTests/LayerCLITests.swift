import Foundation
import Testing

/// `npu layer` as a user runs it: verified layers with the documented JSON keys, and one clear
/// line with exit status 1 for every bad shape.
@Suite struct LayerCLITests {
    /// `npu layer arguments` gives one line containing `fragment` and status 1.
    private func expectOneLineError(_ arguments: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try EndToEndTests.expectOneLineError(["layer"] + arguments, fragment, sourceLocation: sourceLocation)
    }

    @Test func convolutionJSONHasTheDocumentedKeys() throws {
        let run = try ToolRun.npu(["layer", "conv", "--input", "12x12x16", "--filters", "24", "--kernel", "3", "--pad", "1",
                                   "--stride", "2", "--activation", "relu", "--verify", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        for key in ["cycles", "macs", "roofline_cycles", "utilization", "dram_bytes_read", "dram_bytes_written", "bound", "verified", "plan"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["verified"] as? Bool == true)
        #expect(["compute", "memory"].contains(object["bound"] as? String ?? ""))
        #expect(object["macs"] as? Int == 6 * 6 * 24 * 3 * 3 * 16)
    }

    @Test func fullyConnectedAndPoolingVerify() throws {
        let fc = try ToolRun.npu(["layer", "fc", "--in", "200", "--out", "50", "--batch", "3", "--dtype", "int16", "--config", "diannao", "--verify"])
        #expect(fc.status == 0, "\(fc.standardError)")
        #expect(fc.standardOutput.contains("verified: bit-exact"))
        let pool = try ToolRun.npu(["layer", "pool", "--input", "9x9x8", "--window", "3", "--stride", "2", "--verify"])
        #expect(pool.status == 0, "\(pool.standardError)")
        #expect(pool.standardOutput.contains("verified: bit-exact"))
    }

    @Test func emittedAssemblyRunsUnderExec() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-layer-\(UUID().uuidString).s").path
        let run = try ToolRun.npu(["layer", "conv", "--input", "8x8x8", "--filters", "8", "--kernel", "3", "--pad", "1", "--emit", path])
        #expect(run.status == 0, "\(run.standardError)")
        let exec = try ToolRun.npu(["exec", path, "--json"])
        #expect(exec.status == 0, "\(exec.standardError)")
        #expect(exec.standardOutput.contains("\"verified\":true"))
    }

    /// A buffer too small for any tile the search tries (16 bytes: not even one 3x3 window of one
    /// int16 channel): the error names the layer and the buffer.
    @Test func noPlanFitsNamesTheBuffer() throws {
        let shown = try ToolRun.npu(["configs", "--show", "diannao"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.standardOutput.utf8)) as? [String: Any])
        var nbin = try #require(object["nbin"] as? [String: Any])
        nbin["capacity_bytes"] = 16
        var edited = object
        edited["nbin"] = nbin
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-tiny-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: path))
        try expectOneLineError(["conv", "--input", "64x64x64", "--filters", "64", "--kernel", "3", "--pad", "1",
                                "--config", path, "--timing-only"], "layer 'conv': no tile plan fits: NBin holds 16 bytes")
    }

    @Test func badShapesAreOneLine() throws {
        try expectOneLineError(["conv", "--input", "0x8x8", "--filters", "4", "--kernel", "3"], "must have positive sizes")
        try expectOneLineError(["conv", "--input", "8x8x-3", "--filters", "4", "--kernel", "3"], "must have positive sizes")
        try expectOneLineError(["conv", "--input", "5x5x4", "--filters", "4", "--kernel", "7"], "larger than the padded input")
        try expectOneLineError(["conv", "--input", "8x8x6", "--filters", "4", "--kernel", "3", "--groups", "4"], "not divisible by groups")
        try expectOneLineError(["conv", "--input", "8x8x6", "--filters", "4", "--kernel", "3", "--activation", "swish"], "unknown activation 'swish'")
        try expectOneLineError(["conv", "--input", "8x8", "--filters", "4", "--kernel", "3"], "--input needs HxWxC")
        try expectOneLineError(["conv", "--input", "8x8x6", "--kernel", "3"], "needs --filters")
        try expectOneLineError(["fc", "--in", "0", "--out", "10"], "must have positive sizes")
        try expectOneLineError(["pool", "--input", "4x4x4", "--window", "5"], "larger than the padded input")
        try expectOneLineError(["conv", "--input", "8x8x6", "--filters", "4", "--kernel", "3", "--dtype", "int4"], "--dtype must be int8 or int16")
        try expectOneLineError(["deconv"], "unknown layer kind 'deconv'")
    }
}
