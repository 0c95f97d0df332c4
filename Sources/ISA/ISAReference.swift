/// The instruction-set reference, generated from `OpcodeTable` (the README's table is this
/// text; a test keeps the two equal).
public enum ISAReference {
    /// A Markdown table: one row per opcode with its engine, every field as
    /// `name[offset:width]` and a summary.
    public static func markdown() -> String {
        var lines = [
            "All instructions are \(InstructionEncoding.instructionBits) bits, little-endian. Bits 0-5: opcode; "
                + "bits 6-9: `pop_prev`, `pop_next`, `push_prev`, `push_next`. "
                + "Fields are `name[first bit:width]`; optional fields (default in parentheses) may be omitted in assembly.",
            "",
            "| opcode | mnemonic | engine | fields | meaning |",
            "|---|---|---|---|---|",
        ]
        for spec in OpcodeTable.all {
            let fields = zip(spec.fields, spec.fieldOffsets).map { field, offset in
                var text = "`\(field.name)[\(offset):\(field.width)]`"
                if !field.isRequired { text += " (\(defaultText(field)))" }
                return text
            }
            let engine = spec.engine?.description ?? (spec.mnemonic == "nop" ? "named" : "fetch")
            lines.append("| \(spec.opcode) | `\(spec.mnemonic)` | \(engine) | \(fields.joined(separator: " ")) | \(spec.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func defaultText(_ field: AnyField) -> String {
        if case .choice(let names) = field.kind { return names[Int(field.defaultValue)] }
        return String(field.defaultValue)
    }
}
