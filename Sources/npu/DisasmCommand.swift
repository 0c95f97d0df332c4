import Foundation
import ISA

/// `npu disasm FILE.npub`: prints a program file as assembly that assembles back to it.
struct DisasmCommand: Command {
    let name = "disasm"
    let summary = "print a program file as assembly"
    let usage = """
        usage: npu disasm FILE.npub

        Prints the program as assembly on standard output: configuration, symbols, checks,
        data segments and instructions. `npu asm` on the output gives back the same file.
        """

    func run(_ arguments: [String]) throws {
        let parsed = try Arguments(arguments, options: [], flags: [])
        let path = try parsed.requirePositionals(1, "program file")[0]
        let program: Program
        do {
            program = try ProgramFile.decode([UInt8](try Files.read(path)))
        } catch let error as ISAError {
            throw UsageError("\(path): \(error)")
        }
        print(Disassembler.text(of: program), terminator: "")
    }
}
