import Foundation

/// Paths of the repository and of the built `npu` tool, for end-to-end tests.
enum Repository {
    /// The package root, found from this source file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every hand-written kernel in kernels/.
    static var kernels: [URL] {
        let directory = root.appendingPathComponent("kernels")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".s") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// A new empty directory `PREFIX-UUID` in the system's temporary directory, for one test's files.
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The `npu` executable built next to the test bundle (`swift test` builds every product).
    static var npu: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("npu"),
            root.appendingPathComponent(".build/debug/npu"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// The result of running the `npu` tool.
struct ToolRun {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Runs `npu` with `arguments`, with a time limit so a hang fails the test instead of blocking it.
    static func npu(_ arguments: [String], timeout: TimeInterval = 60) throws -> ToolRun {
        guard let executable = Repository.npu else { throw ToolMissing() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = DispatchQueue.global().sync { output.fileHandleForReading.readDataToEndOfFile() }
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            throw TimedOut()
        }
        return ToolRun(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData, as: UTF8.self))
    }

    struct ToolMissing: Error, CustomStringConvertible {
        var description: String { "the npu executable was not found next to the tests; run `swift build` first" }
    }

    struct TimedOut: Error {}
}
