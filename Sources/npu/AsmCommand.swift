import Foundation
import ISA

/// `npu asm FILE.s -o FILE.npub`: assembles a kernel into a program file.
struct AsmCommand: Command {
    let name = "asm"
    let summary = "assemble FILE.s into a program file (.npub)"
    let usage = """
        usage: npu asm FILE.s -o FILE.npub [--config NAME|FILE.json]

        Assembles NPUSim assembly into a program container. The configuration is the source's
        .config directive, else --config, else the edge preset. Errors are reported as
        file:line:column: error: message.
        """

    func run(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: ["output", "config"], flags: [], aliases: ["o": "output"])
        let source = try parsed.requirePositionals(1, "assembly file")[0]
        guard let output = parsed.value("output") else { throw UsageError("missing -o FILE.npub") }
        let config = try parsed.value("config").map { (name) throws(ISAError) in try HardwareConfig.named(name) } ?? .edge
        let program = try Assembler(defaultConfig: config).assemble(try Files.text(source), file: source)
        try Files.write(Data(try ProgramFile.encode(program)), to: output)
    }
}
