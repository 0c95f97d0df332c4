import Foundation
import Testing

/// The progress line of `npu run` and `npu sweep`: drawn on a terminal, absent from pipes.
@Suite struct ProgressLineTests {
    /// Through pipes (logs, scripts) standard error stays empty.
    @Test func silentWithoutATerminal() throws {
        let run = try ToolRun.npu(["run", "lenet5", "--timing-only"])
        #expect(run.status == 0 && run.standardError.isEmpty, "\(run.standardError)")
    }

    /// On a terminal (a pseudo-terminal from util-linux's `script`, present on Debian and most
    /// Linux systems; without it the test fails saying so) the line
    /// counts the layers compiled and the segments run, redrawn with carriage returns, and is
    /// cleared before the results.
    @Test(arguments: [["run", "lenet5", "--timing-only"], ["sweep", "lenet5", "--rows", "8,16", "--out", "/tmp/npu-progress-sweep"]])
    func drawnOnATerminal(_ arguments: [String]) throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path), let npu = Repository.npu else {
            Issue.record("util-linux script is missing: no pseudo-terminal to test the progress line on")
            return
        }
        let process = Process()
        process.executableURL = script
        process.arguments = ["-qec", ([npu.path] + arguments).joined(separator: " "), "/dev/null"]
        process.currentDirectoryURL = Repository.root
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let expected = arguments[0] == "run" ? "layers compiled" : "configurations"
        #expect(text.contains("\r") && text.contains(expected) && text.contains("s elapsed"), "\(text.prefix(300))")
        #expect(text.contains("\r\u{1B}[K"), "the line is cleared")
    }
}
