import Foundation

/// Assembles NPUSim assembly text into a `Program`.
///
/// Syntax, one statement per line; `;` or `#` starts a comment:
///
///     mnemonic key=value key=value ... [pop_prev] [pop_next] [push_prev] [push_next]
///     .config edge | .config {"name": ...}      target configuration (preset name or JSON)
///     .equ NAME value                           symbolic constant
///     .input NAME addr=A shape=DxDxD type=T [scale=S zp=Z] [range=LO,HI]
///     .output NAME addr=A shape=DxD type=T [scale=S zp=Z]
///     .constant NAME addr=A shape=DxD type=T    a tensor of the DRAM image that checks may read
///     .check NAME = expression                  reference computation (see `npu exec --help`)
///     .layer NAME                               next layer-table entry (markers: `layer id=N`)
///     .data dram=A hex=00ff...  |  .data dram=A type=i32 values=1,-2,3
///     .pwl dram=A fn=sigmoid|tanh|exp [segments=16 min=-8 max=8 in_frac=12 out_frac=15 shift=16]
///
/// Operands are separated by spaces or commas; values are integers (decimal, `0x` hex, `0b`
/// binary), `.equ` symbols, `+ - *` expressions without spaces, or names for choice fields
/// (`buf=nbin`, `type=i8`). Flag fields may be written bare (`acc`). Errors are thrown as
/// `ISAError.assembly` with the file, line and column; no input makes the assembler crash.
public struct Assembler: Sendable {
    /// Configuration used when the source has no `.config` directive.
    public var defaultConfig: HardwareConfig

    public init(defaultConfig: HardwareConfig = .edge) { self.defaultConfig = defaultConfig }

    public func assemble(_ source: String, file: String = "<input>") throws(ISAError) -> Program {
        var state = AssemblyState(file: file, program: Program(config: defaultConfig))
        var configLine: Int?
        for (index, text) in source.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = SourceLine(number: index + 1, text: String(text))
            guard !line.isBlank else { continue }
            let pieces = line.pieces(separatedBy: [" ", "\t", "\r"])
            let head = pieces[0]
            if head.text.hasPrefix(".") {
                if head.text == ".config" {
                    if let previous = configLine { throw state.error(line, head, "duplicate .config (first on line \(previous))") }
                    configLine = line.number
                }
                try state.directive(line, head)
            } else {
                try state.instruction(line)
            }
        }
        return state.program
    }
}

/// The assembler's working state for one source file.
struct AssemblyState {
    let file: String
    var program: Program
    var constants: [String: Int64] = [:]

    func error(_ line: SourceLine, _ piece: SourceLine.Piece, _ message: String) -> ISAError {
        .assembly(file: file, line: line.number, column: piece.column, message: message)
    }

    func error(_ line: SourceLine, column: Int, _ message: String) -> ISAError {
        .assembly(file: file, line: line.number, column: column, message: message)
    }

    /// Evaluates an integer expression that starts at `column`.
    func integer(_ text: String, _ line: SourceLine, column: Int) throws(ISAError) -> Int64 {
        var evaluator = ExpressionEvaluator(symbols: constants)
        do {
            return try evaluator.evaluate(text)
        } catch {
            throw self.error(line, column: column + error.offset, error.message)
        }
    }

    // MARK: Instructions

    mutating func instruction(_ line: SourceLine) throws(ISAError) {
        let pieces = line.pieces(separatedBy: [" ", "\t", "\r", ","])
        guard let head = pieces.first else {
            throw error(line, column: line.code.prefix { $0 != "," }.count + 1, "expected a mnemonic, found ','")
        }
        guard let spec = OpcodeTable.spec(mnemonic: head.text.lowercased()) else {
            throw error(line, head, "unknown mnemonic '\(head.text)'\(suggestion(for: head.text))")
        }
        var values: [String: Int64] = [:]
        var flags: DependencyFlags = []
        for piece in pieces.dropFirst() {
            if let flag = DependencyFlags.names.first(where: { $0.name == piece.text.lowercased() }) {
                guard !flags.contains(flag.flag) else { throw error(line, piece, "duplicate flag '\(flag.name)'") }
                flags.insert(flag.flag)
                continue
            }
            let parts = piece.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).lowercased()
            guard let field = spec.fields.first(where: { $0.name == key }) else {
                let known = spec.fields.map(\.name) + DependencyFlags.names.map(\.name)
                throw error(line, piece, "'\(spec.mnemonic)' has no operand '\(parts[0])' (operands: \(known.joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw error(line, piece, "duplicate operand '\(key)'") }
            let valueColumn = piece.column + parts[0].count + 1
            if parts.count == 1 {
                guard field.kind == .flag else { throw error(line, piece, "operand '\(key)' needs a value: \(key)=...") }
                values[key] = 1
                continue
            }
            values[key] = try fieldValue(String(parts[1]), field, spec.mnemonic, line, column: valueColumn)
        }
        var ordered: [Int64] = []
        for field in spec.fields {
            if let value = values[field.name] {
                ordered.append(value)
            } else if field.isRequired {
                throw error(line, head, "'\(spec.mnemonic)' is missing operand '\(field.name)' (\(field.summary))")
            } else {
                ordered.append(field.defaultValue)
            }
        }
        let instruction = Instruction(spec.operation(from: ordered), dependencies: flags)
        do {
            try InstructionRules.check(instruction)
        } catch {
            throw self.error(line, head, error.description)
        }
        program.instructions.append(instruction)
    }

    private func fieldValue(_ text: String, _ field: AnyField, _ mnemonic: String, _ line: SourceLine,
                            column: Int) throws(ISAError) -> Int64 {
        let value: Int64
        switch field.kind {
        case .choice(let names):
            guard let index = names.firstIndex(of: text.lowercased()) else {
                throw error(line, column: column, "'\(text)' is not a valid \(field.name) (one of \(names.joined(separator: ", ")))")
            }
            value = Int64(index)
        case .flag:
            switch text.lowercased() {
            case "1", "true": value = 1
            case "0", "false": value = 0
            default: throw error(line, column: column, "'\(field.name)' is a flag: 0, 1, true or false")
            }
        case .signed, .unsigned:
            value = try integer(text, line, column: column)
        }
        guard field.accepts(value) else {
            throw error(line, column: column, "\(field.name)=\(value) is out of range for '\(mnemonic)' (\(field.rangeDescription))")
        }
        return value
    }

    private func suggestion(for word: String) -> String {
        let lower = word.lowercased()
        let close = OpcodeTable.all.map(\.mnemonic).filter { $0.hasPrefix(String(lower.prefix(3))) }
        return close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
    }
}
