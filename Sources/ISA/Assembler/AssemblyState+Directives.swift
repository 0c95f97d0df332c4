import Foundation

extension AssemblyState {
    /// Parses a directive's `key=value` arguments (separated by spaces; values may contain commas).
    private func arguments(_ pieces: ArraySlice<SourceLine.Piece>, _ line: SourceLine, allowed: [String],
                           required: [String]) throws(ISAError) -> [String: SourceLine.Piece] {
        var result: [String: SourceLine.Piece] = [:]
        for piece in pieces {
            let parts = piece.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else { throw error(line, piece, "expected key=value, found '\(piece.text)'") }
            let key = String(parts[0]).lowercased()
            guard allowed.contains(key) else {
                throw error(line, piece, "unknown argument '\(parts[0])' (expected: \(allowed.joined(separator: ", ")))")
            }
            guard result[key] == nil else { throw error(line, piece, "duplicate argument '\(key)'") }
            result[key] = SourceLine.Piece(text: String(parts[1]), column: piece.column + parts[0].count + 1)
        }
        for key in required where result[key] == nil {
            throw error(line, pieces.first ?? SourceLine.Piece(text: "", column: 1), "missing argument '\(key)='")
        }
        return result
    }

    private func double(_ piece: SourceLine.Piece, _ line: SourceLine) throws(ISAError) -> Double {
        guard let value = Double(piece.text), value.isFinite else { throw error(line, piece, "'\(piece.text)' is not a number") }
        return value
    }

    private func name(_ pieces: [SourceLine.Piece], _ line: SourceLine) throws(ISAError) -> SourceLine.Piece {
        guard pieces.count > 1 else { throw error(line, pieces[0], "\(pieces[0].text) needs a name") }
        let name = pieces[1]
        guard let first = name.text.first, first.isLetter || first == "_",
              name.text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw error(line, name, "'\(name.text)' is not a valid name (letters, digits, _)")
        }
        return name
    }

    mutating func directive(_ line: SourceLine, _ head: SourceLine.Piece) throws(ISAError) {
        let pieces = line.pieces(separatedBy: [" ", "\t", "\r"])
        switch head.text.lowercased() {
        case ".config":
            try configDirective(line, head)
        case ".equ":
            let name = try name(pieces, line)
            guard pieces.count == 3 else { throw error(line, head, ".equ takes a name and a value: .equ NAME value") }
            constants[name.text] = try integer(pieces[2].text, line, column: pieces[2].column)
        case ".input", ".output", ".constant":
            let roles: [String: TensorSymbol.Role] = [".input": .input, ".output": .output, ".constant": .constant]
            try symbolDirective(line, pieces, role: roles[head.text.lowercased()]!)
        case ".check":
            let rest = line.rest(after: head)
            guard !rest.text.isEmpty else { throw error(line, head, ".check needs an expression: .check NAME = f(...)") }
            program.checks.append(rest.text)
        case ".layer":
            let name = try name(pieces, line)
            guard pieces.count == 2 else { throw error(line, pieces[2], ".layer takes one name") }
            program.layerNames.append(name.text)
        case ".data":
            try dataDirective(line, pieces)
        case ".pwl":
            try pwlDirective(line, pieces)
        default:
            throw error(line, head, "unknown directive '\(head.text)' (.config, .equ, .input, .output, .constant, .check, .layer, .data, .pwl)")
        }
    }

    private mutating func configDirective(_ line: SourceLine, _ head: SourceLine.Piece) throws(ISAError) {
        let rest = line.rest(after: head)
        guard !rest.text.isEmpty else { throw error(line, head, ".config needs a preset name or inline JSON") }
        if rest.text.hasPrefix("{") {
            do {
                program.config = try HardwareConfig.decode(json: Data(rest.text.utf8), source: "inline .config")
            } catch {
                throw self.error(line, rest, error.description)
            }
        } else if let preset = HardwareConfig.presets.first(where: { $0.name == rest.text }) {
            program.config = preset
        } else {
            throw error(line, rest, "unknown configuration '\(rest.text)' (presets: \(HardwareConfig.presets.map(\.name).joined(separator: ", ")))")
        }
    }

    private mutating func symbolDirective(_ line: SourceLine, _ pieces: [SourceLine.Piece], role: TensorSymbol.Role) throws(ISAError) {
        let name = try name(pieces, line)
        guard !program.symbols.contains(where: { $0.name == name.text }) else {
            throw error(line, name, "tensor '\(name.text)' is already declared")
        }
        let args = try arguments(pieces.dropFirst(2), line, allowed: ["addr", "shape", "type", "scale", "zp", "range"],
                                 required: ["addr", "shape", "type"])
        let address = try integer(args["addr"]!.text, line, column: args["addr"]!.column)
        guard address >= 0 else { throw error(line, args["addr"]!, "addr must not be negative") }
        var shape: [Int] = []
        for dimension in args["shape"]!.text.split(separator: "x", omittingEmptySubsequences: false) {
            guard let value = Int(dimension), value > 0, value <= 1 << 30 else {
                throw error(line, args["shape"]!, "shape must be positive dimensions like 16x32, found '\(args["shape"]!.text)'")
            }
            shape.append(value)
        }
        guard let type = ElementType(name: args["type"]!.text) else {
            throw error(line, args["type"]!, "unknown type '\(args["type"]!.text)' (i8, u8, i16, i32, f16, f32)")
        }
        var quantization: Quantization?
        if let scale = args["scale"] {
            let zeroPoint = try args["zp"].map { (piece) throws(ISAError) in try integer(piece.text, line, column: piece.column) } ?? 0
            quantization = Quantization(scale: try double(scale, line), zeroPoint: Int(zeroPoint))
        } else if let zp = args["zp"] {
            throw error(line, zp, "zp needs scale")
        }
        var range: ClosedRange<Double>?
        if let piece = args["range"] {
            let bounds = piece.text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high, low.isFinite, high.isFinite else {
                throw error(line, piece, "range must be LOW,HIGH with LOW <= HIGH")
            }
            range = low...high
        }
        let symbol = TensorSymbol(name: name.text, role: role, address: Int(address), shape: shape, type: type,
                                  quantization: quantization, fillRange: range)
        guard program.fitsInDRAM(symbol) else {
            throw error(line, name, "tensor '\(name.text)' does not fit in DRAM")
        }
        program.symbols.append(symbol)
    }

    private mutating func dataDirective(_ line: SourceLine, _ pieces: [SourceLine.Piece]) throws(ISAError) {
        let args = try arguments(pieces.dropFirst(), line, allowed: ["dram", "hex", "type", "values"], required: ["dram"])
        let address = try integer(args["dram"]!.text, line, column: args["dram"]!.column)
        guard address >= 0 else { throw error(line, args["dram"]!, "dram must not be negative") }
        var bytes: [UInt8] = []
        if let hex = args["hex"] {
            guard args["values"] == nil, args["type"] == nil else { throw error(line, hex, "give either hex= or type= and values=") }
            let digits = Array(hex.text)
            guard digits.count % 2 == 0 else { throw error(line, hex, "hex data needs an even number of digits") }
            for index in stride(from: 0, to: digits.count, by: 2) {
                guard digits[index].isHexDigit, digits[index + 1].isHexDigit, let byte = UInt8(String(digits[index...index + 1]), radix: 16) else {
                    throw error(line, column: hex.column + index, "'\(digits[index])\(digits[index + 1])' is not a hex byte")
                }
                bytes.append(byte)
            }
        } else if let values = args["values"], let typePiece = args["type"] {
            guard let type = ElementType(name: typePiece.text) else { throw error(line, typePiece, "unknown type '\(typePiece.text)'") }
            var column = values.column
            for item in values.text.split(separator: ",", omittingEmptySubsequences: false) {
                var element = [UInt8](repeating: 0, count: type.byteSize)
                if type.isFloatingPoint {
                    guard let value = Float(item) else { throw error(line, column: column, "'\(item)' is not a number") }
                    element.withUnsafeMutableBytes { ElementCodec.store(float: value, to: $0.baseAddress!, type) }
                } else {
                    let value = try integer(String(item), line, column: column)
                    guard type.integerRange.contains(value) else { throw error(line, column: column, "\(value) does not fit \(type)") }
                    element.withUnsafeMutableBytes { ElementCodec.store(integer: value, to: $0.baseAddress!, type) }
                }
                bytes += element
                column += item.count + 1
            }
        } else {
            throw error(line, pieces[0], ".data needs hex=... or type=... values=...")
        }
        try addSegment(DataSegment(address: Int(address), bytes: bytes), line, pieces[0])
    }

    private mutating func pwlDirective(_ line: SourceLine, _ pieces: [SourceLine.Piece]) throws(ISAError) {
        let keys = ["dram", "fn", "segments", "min", "max", "in_frac", "out_frac", "shift"]
        let args = try arguments(pieces.dropFirst(), line, allowed: keys, required: ["dram", "fn"])
        let address = try integer(args["dram"]!.text, line, column: args["dram"]!.column)
        guard address >= 0 else { throw error(line, args["dram"]!, "dram must not be negative") }
        guard let function = PWLFunction(rawValue: args["fn"]!.text) else {
            throw error(line, args["fn"]!, "unknown function '\(args["fn"]!.text)' (\(PWLFunction.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var parameters = PWLTable.FitParameters(function: function)
        func small(_ key: String, _ range: ClosedRange<Int64>) throws(ISAError) -> Int? {
            guard let piece = args[key] else { return nil }
            let value = try integer(piece.text, line, column: piece.column)
            guard range.contains(value) else { throw error(line, piece, "\(key)=\(value) is out of range (\(range.lowerBound)...\(range.upperBound))") }
            return Int(value)
        }
        parameters.segments = try small("segments", 1...Int64(PWLTable.maximumSegments - 2)) ?? parameters.segments
        parameters.inputFractionBits = try small("in_frac", 0...30) ?? parameters.inputFractionBits
        parameters.outputFractionBits = try small("out_frac", 0...30) ?? parameters.outputFractionBits
        parameters.slopeShift = try small("shift", 0...30) ?? parameters.slopeShift
        if let piece = args["min"] { parameters.minimum = try double(piece, line) }
        if let piece = args["max"] { parameters.maximum = try double(piece, line) }
        let table: PWLTable
        do {
            table = try PWLTable.fit(parameters)
        } catch {
            throw self.error(line, pieces[0], error.description)
        }
        try addSegment(DataSegment(address: Int(address), bytes: table.bytes), line, pieces[0])
    }

    private mutating func addSegment(_ segment: DataSegment, _ line: SourceLine, _ head: SourceLine.Piece) throws(ISAError) {
        guard program.fitsInDRAM(address: segment.address, byteCount: segment.bytes.count) else {
            throw error(line, head, "data at \(segment.address) ends beyond DRAM")
        }
        let end = segment.address + segment.bytes.count
        if let other = program.segments.first(where: { $0.address < end && segment.address < $0.address + $0.bytes.count }) {
            throw error(line, head, "data overlaps the segment at 0x\(String(other.address, radix: 16))")
        }
        program.segments.append(segment)
    }
}
