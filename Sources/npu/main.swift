import Foundation
import ISA

/// `npu`: the NPUSim command-line tool. Each subcommand lives in its own file; this file
/// dispatches and turns every error into one line on standard error and exit status 1.
let commands: [Command] = [AsmCommand(), DisasmCommand(), ExecCommand(), LayerCommand(), RunCommand(), SweepCommand(), ModelsCommand(), BenchCommand(), ConfigsCommand(), IsaCommand()]

@MainActor func mainUsage() -> String {
    var text = "usage: npu <command> [options]\n\nNPUSim: a DianNao-style NPU simulator and toolchain.\n\ncommands:\n"
    for command in commands { text += "  " + command.name.padding(toLength: 9, withPad: " ", startingAt: 0) + command.summary + "\n" }
    text += "\nRun 'npu <command> --help' for a command's options."
    return text
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, !["--help", "-h", "help"].contains(first) else {
    print(mainUsage())
    exit(arguments.isEmpty ? 1 : 0)
}
guard let command = commands.first(where: { $0.name == first }) else {
    FileHandle.standardError.write(Data("npu: error: unknown command '\(first)' (commands: \(commands.map(\.name).joined(separator: ", ")))\n".utf8))
    exit(1)
}
let rest = Array(arguments.dropFirst())
if rest.contains("--help") || rest.contains("-h") {
    print(command.usage)
    exit(0)
}
do {
    try command.run(rest)
} catch ISAError.assembly(let file, let line, let column, let message) {
    // Assembly errors keep the compiler convention so editors can jump to them.
    FileHandle.standardError.write(Data("\(file):\(line):\(column): error: \(message)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("npu: error: \(error)\n".utf8))
    exit(1)
}
