import Foundation
import Testing

/// The `npu` tool as a user runs it: kernels verify, bad input gives one clear line and exit 1.
@Suite struct CLITests {
    private func temporaryFile(_ name: String, _ contents: Data) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npusim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    private func temporaryFile(_ name: String, _ text: String) throws -> String { try temporaryFile(name, Data(text.utf8)) }

    @Test(arguments: Repository.kernels)
    func execJSONReportsVerified(_ kernel: URL) throws {
        let run = try ToolRun.npu(["exec", kernel.path, "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        for key in ["cycles", "macs", "utilization", "dram_bytes_read", "dram_bytes_written", "verified"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["verified"] as? Bool == true)
    }

    @Test(arguments: Repository.kernels)
    func asmDisasmAsmGivesIdenticalFiles(_ kernel: URL) throws {
        let a = try temporaryFile("a.npub", Data())
        let b = a.replacingOccurrences(of: "a.npub", with: "b.npub")
        #expect(try ToolRun.npu(["asm", kernel.path, "-o", a]).status == 0)
        let disassembly = try ToolRun.npu(["disasm", a])
        #expect(disassembly.status == 0)
        let source = try temporaryFile("b.s", disassembly.standardOutput)
        #expect(try ToolRun.npu(["asm", source, "-o", b]).status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func execTextReportsBitExact() throws {
        let run = try ToolRun.npu(["exec", "kernels/conv3x3.s"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("verified: bit-exact"))
        #expect(run.standardOutput.contains("utilization"))
    }

    @Test func assemblyErrorsNameFileLineAndColumn() throws {
        let unknown = try temporaryFile("unknown.s", "halt\n  frobnicate x=1\n")
        try expectOneLineError(["asm", unknown, "-o", unknown + ".npub"], "unknown.s:2:3: error: unknown mnemonic 'frobnicate'")
        let range = try temporaryFile("range.s", "load buf=nbin type=i8 dram=0 addr=0 x=70000\n")
        try expectOneLineError(["asm", range, "-o", range + ".npub"], "range.s:1:39: error: x=70000 is out of range for 'load' (1...65535)")
        let missing = try temporaryFile("missing.s", "load buf=nbin type=i8 dram=0 x=7\n")
        try expectOneLineError(["asm", missing, "-o", missing + ".npub"], "missing.s:1:1: error: 'load' is missing operand 'addr'")
        #expect(!FileManager.default.fileExists(atPath: missing + ".npub"), "a failed assembly must not write its output")
    }

    @Test func malformedProgramFilesAreRejected() throws {
        let valid = try temporaryFile("valid.npub", Data())
        #expect(try ToolRun.npu(["asm", "kernels/gemm.s", "-o", valid]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: valid))
        let truncated = try temporaryFile("truncated.npub", bytes.prefix(bytes.count / 2))
        try expectOneLineError(["exec", truncated], "truncated")
        try expectOneLineError(["disasm", truncated], "truncated")
        var generator = SystemRandomNumberGenerator()
        let noise = try temporaryFile("noise.npub", Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        try expectOneLineError(["exec", noise], "not an NPUSim program")
    }

    @Test func invalidConfigurationIsRejected() throws {
        let shown = try ToolRun.npu(["configs", "--show", "edge"])
        #expect(shown.status == 0)
        let negative = shown.standardOutput.replacingOccurrences(of: "\"capacity_bytes\" : 262144", with: "\"capacity_bytes\" : -5")
        #expect(negative != shown.standardOutput)
        let path = try temporaryFile("negative.json", negative)
        try expectOneLineError(["exec", "kernels/gemm.s", "--config", path], "capacity_bytes must be positive, got -5")
        try expectOneLineError(["exec", "kernels/gemm.s", "--config", "nosuchpreset"], "unknown configuration 'nosuchpreset'")
    }

    @Test func deadlockIsReportedPromptly() throws {
        // The matmul waits for a token the load never pushes.
        let source = """
            .config edge
            load buf=nbin type=i8 dram=0 addr=0 x=64
            matmul in=0 w=0 out=0 in_w=1 c=64 out_w=1 k=1 pop_prev
            halt
            """
        let path = try temporaryFile("deadlock.s", source)
        let started = Date()
        try expectOneLineError(["exec", path], "deadlock")
        let run = try ToolRun.npu(["exec", path])
        #expect(run.standardError.contains("matmul"), "the waiting instruction is named: \(run.standardError)")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func dmaOutsideDRAMOrBufferIsAnError() throws {
        let beyondDRAM = try temporaryFile("dram.s", ".config diannao\nload buf=sb type=i8 dram=0xfffffff00 addr=0 x=4096\nhalt\n")
        try expectOneLineError(["exec", beyondDRAM], "instruction 0")
        let beyondBuffer = try temporaryFile("buffer.s", ".config diannao\nload buf=nbin type=i8 dram=0 addr=1024 x=2048\nhalt\n")
        try expectOneLineError(["exec", beyondBuffer], "instruction 0")
    }

    @Test func badArgumentsAreOneLine() throws {
        try expectOneLineError(["frob"], "unknown command 'frob'")
        try expectOneLineError(["exec"], "missing kernel file")
        try expectOneLineError(["exec", "kernels/gemm.s", "--seed", "x"], "--seed needs a non-negative integer")
        try expectOneLineError(["exec", "kernels/gemm.s", "--bogus"], "unknown option '--bogus'")
        try expectOneLineError(["exec", "no/such/file.s"], "cannot read 'no/such/file.s'")
    }

    @Test(arguments: ["asm", "disasm", "exec", "configs", "isa"])
    func everySubcommandHasHelp(_ command: String) throws {
        let run = try ToolRun.npu([command, "--help"])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("usage: npu \(command)"))
    }
}
