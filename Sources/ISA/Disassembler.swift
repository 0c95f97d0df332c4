/// Prints instructions and programs as assembly text that assembles back to the same binary.
public enum Disassembler {
    /// One instruction as one line: the mnemonic, every required field and every optional field
    /// whose value differs from its default as `name=value`, then the dependency flags.
    public static func text(of instruction: Instruction) -> String {
        let spec = instruction.spec
        var parts = [spec.mnemonic]
        for (field, value) in zip(spec.fields, spec.fieldValues(of: instruction.operation)!)
        where field.isRequired || value != field.defaultValue {
            parts.append("\(field.name)=\(spell(value, field))")
        }
        for (flag, name) in DependencyFlags.names where instruction.dependencies.contains(flag) {
            parts.append(name)
        }
        return parts.joined(separator: " ")
    }

    static func spell(_ value: Int64, _ field: AnyField) -> String {
        switch field.kind {
        case .choice(let names): names[Int(value)]
        case .flag: String(value)
        case .unsigned where field.name.contains("addr") || field.name == "dram" || value > 4095:
            "0x" + String(value, radix: 16)
        default: String(value)
        }
    }
}

extension Instruction: CustomStringConvertible {
    public var description: String { Disassembler.text(of: self) }
}

extension Disassembler {
    /// A whole program as assembly: directives for the configuration, layer names, symbols,
    /// checks and data segments, then one instruction per line. Assembling the text gives back
    /// the same program, byte for byte once encoded.
    public static func text(of program: Program) -> String {
        var lines: [String] = []
        if let preset = HardwareConfig.presets.first(where: { $0 == program.config }) {
            lines.append(".config \(preset.name)")
        } else {
            lines.append(".config \(program.config.compactJSON())")
        }
        lines += program.layerNames.map { ".layer \($0)" }
        for symbol in program.symbols {
            var line = ".\(symbol.role) \(symbol.name) addr=0x\(String(symbol.address, radix: 16))"
            line += " shape=\(symbol.shape.map(String.init).joined(separator: "x")) type=\(symbol.type)"
            if let quantization = symbol.quantization { line += " scale=\(quantization.scale) zp=\(quantization.zeroPoint)" }
            if let range = symbol.fillRange { line += " range=\(range.lowerBound),\(range.upperBound)" }
            lines.append(line)
        }
        lines += program.checks.map { ".check \($0)" }
        for segment in program.segments {
            let hex = segment.bytes.map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }.joined()
            lines.append(".data dram=0x\(String(segment.address, radix: 16)) hex=\(hex)")
        }
        lines += program.instructions.map { "    " + text(of: $0) }
        return lines.joined(separator: "\n") + "\n"
    }
}
