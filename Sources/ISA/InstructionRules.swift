/// Structural rules an instruction must satisfy beyond each field's own range: which dependency
/// flags its engine has, and relations between fields (a window must fit its input tile, a pitch
/// must hold its row). The encoder, the decoder and the assembler all apply them, so an invalid
/// instruction can neither be written nor read.
public enum InstructionRules {
    public static func check(_ instruction: Instruction) throws(ISAError) {
        let spec = instruction.spec
        for (field, value) in zip(spec.fields, spec.fieldValues(of: instruction.operation)!) {
            guard field.accepts(value) else {
                throw .fieldOutOfRange(mnemonic: spec.mnemonic, field: field.name, value: value, range: field.rangeDescription)
            }
        }
        try checkDependencies(instruction)
        try checkOperands(instruction.operation, mnemonic: spec.mnemonic)
    }

    static func checkDependencies(_ instruction: Instruction) throws(ISAError) {
        let mnemonic = instruction.spec.mnemonic
        guard let engine = instruction.engine else {
            if !instruction.dependencies.isEmpty {
                throw .invalidOperands(mnemonic: mnemonic, "takes no dependency flags (it runs on no engine)")
            }
            return
        }
        for (flag, name) in DependencyFlags.names where instruction.dependencies.contains(flag) {
            let toPrevious = flag == .popPrevious || flag == .pushPrevious
            if (toPrevious ? engine.previous : engine.next) == nil {
                throw .invalidOperands(mnemonic: mnemonic, "\(name) is not available on the \(engine) engine")
            }
        }
    }

    static func checkOperands(_ operation: Operation, mnemonic: String) throws(ISAError) {
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(ISAError) {
            if !condition { throw .invalidOperands(mnemonic: mnemonic, message()) }
        }
        switch operation {
        case .matmul(let tile):
            try require(tile.inputColumnsReached <= tile.inputWidth,
                        "the window reaches \(tile.inputColumnsReached) input columns but in_w is \(tile.inputWidth)")
            try require(tile.inputPitch == 0 || tile.inputPitch >= tile.channels, "in_pitch \(tile.inputPitch) is less than c \(tile.channels)")
            try require(tile.outputPitch == 0 || tile.outputPitch >= tile.outputChannels, "out_pitch \(tile.outputPitch) is less than k \(tile.outputChannels)")
            try require(tile.weightPitch == 0 || tile.weightPitch >= tile.outputChannels, "w_pitch \(tile.weightPitch) is less than k \(tile.outputChannels)")
        case .pool(let pool):
            try require(pool.inputColumnsReached <= pool.inputWidth,
                        "the window reaches \(pool.inputColumnsReached) input columns but in_w is \(pool.inputWidth)")
            try require(pool.inputPitch == 0 || pool.inputPitch >= pool.channels, "in_pitch \(pool.inputPitch) is less than c \(pool.channels)")
            try require(pool.outputPitch == 0 || pool.outputPitch >= pool.channels, "out_pitch \(pool.outputPitch) is less than c \(pool.channels)")
        case .vector(let vector):
            try require(vector.destinationPitch == 0 || vector.destinationPitch >= vector.columns, "dst_pitch is less than x")
            try require(vector.aPitch == 0 || vector.aPitch >= vector.columns, "a_pitch is less than x")
            try require(vector.bPitch == 0 || vector.bPitch >= vector.columns, "b_pitch is less than x")
            if vector.function == .requantize || vector.function == .requantizePerChannel {
                try require(!vector.sourceType.isFloatingPoint, "requantization takes an integer source type")
            }
            if vector.function == .multiply || vector.function == .multiplyImmediate {
                try require(vector.shift == 0 || !vector.sourceType.isFloatingPoint, "shift applies to integer types only")
            }
        default:
            break
        }
    }
}
