import Foundation
import ISA

/// A subcommand of `npu`.
protocol Command {
    var name: String { get }
    var summary: String { get }
    /// The `--help` text.
    var usage: String { get }
    func run(_ arguments: [String]) throws
}

/// File helpers shared by subcommands; every failure is a one-line `UsageError`.
enum Files {
    static func read(_ path: String) throws(UsageError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read '\(path)'")
        }
        return data
    }

    static func text(_ path: String) throws(UsageError) -> String {
        guard let text = String(data: try read(path), encoding: .utf8) else { throw UsageError("'\(path)' is not UTF-8 text") }
        return text
    }

    /// Writes atomically (a temporary file renamed into place), so a failed run never leaves a
    /// half-written output or clobbers an existing file with garbage.
    static func write(_ data: Data, to path: String) throws(UsageError) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw UsageError("cannot write '\(path)'")
        }
    }

    /// Loads a program from assembly (`.s`) or a program file (any other name, checked by magic).
    static func program(_ path: String, defaultConfig: HardwareConfig = .edge) throws -> Program {
        if path.hasSuffix(".s") || path.hasSuffix(".asm") {
            return try Assembler(defaultConfig: defaultConfig).assemble(try text(path), file: path)
        }
        do {
            return try ProgramFile.decode([UInt8](try read(path)))
        } catch let error as ISAError {
            throw UsageError("\(path): \(error)")
        }
    }
}
