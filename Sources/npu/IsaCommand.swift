import ISA

/// `npu isa`: prints the instruction-set reference generated from the field table.
struct IsaCommand: Command {
    let name = "isa"
    let summary = "print the instruction-set reference (Markdown)"
    let usage = """
        usage: npu isa

        Prints every opcode with its engine, field layout (bit offset and width, defaults of
        optional fields) and meaning, generated from the one field table the assembler,
        disassembler, encoder and decoder use.
        """

    func run(_ arguments: [String]) throws {
        _ = try Arguments(arguments, options: [], flags: []).requirePositionals(0, "")
        print(ISAReference.markdown(), terminator: "")
    }
}
