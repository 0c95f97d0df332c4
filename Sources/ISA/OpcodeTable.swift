/// The description of one opcode: its number, mnemonic, engine and field layout.
///
/// This table is the single definition of the instruction set: encoding, decoding, the
/// assembler, the disassembler and the README's ISA reference all read it.
public struct OpcodeSpec: Sendable {
    public let opcode: Int
    public let mnemonic: String
    /// The engine whose queue executes it (`nil`: consumed by the fetch unit; `nop` names its own).
    public let engine: Engine?
    public let summary: String
    /// Fields in layout order; the first starts at bit `InstructionEncoding.headerBits`.
    public let fields: [AnyField]
    let values: @Sendable (Operation) -> [Int64]?
    let make: @Sendable ([Int64]) -> Operation

    init<Payload: Sendable>(_ opcode: Int, _ mnemonic: String, _ engine: Engine?, _ summary: String,
                  _ fields: [Field<Payload>], empty: Payload,
                  make: @escaping @Sendable (Payload) -> Operation,
                  match: @escaping @Sendable (Operation) -> Payload?) {
        self.opcode = opcode
        self.mnemonic = mnemonic
        self.engine = engine
        self.summary = summary
        self.fields = fields.map(\.erased)
        self.values = { operation in match(operation).map { payload in fields.map { $0.read(payload) } } }
        self.make = { values in
            var payload = empty
            for (field, value) in zip(fields, values) { field.write(&payload, value) }
            return make(payload)
        }
    }

    /// Field values of `operation` in layout order, or nil if it is not this opcode's operation.
    public func fieldValues(of operation: Operation) -> [Int64]? { values(operation) }

    /// Builds the operation from field values in layout order (already range-checked).
    public func operation(from values: [Int64]) -> Operation { make(values) }

    /// Bit offset of each field.
    public var fieldOffsets: [Int] {
        var offsets: [Int] = []
        var offset = InstructionEncoding.headerBits
        for field in fields {
            offsets.append(offset)
            offset += field.width
        }
        return offsets
    }

    /// Bits used by the header and all fields.
    public var usedBits: Int { InstructionEncoding.headerBits + fields.reduce(0) { $0 + $1.width } }
}

/// The instruction set: every opcode with its field layout.
public enum OpcodeTable {
    /// Widths shared by several formats.
    static let bufferAddressBits = 26  // 64 MiB per buffer (TPU v1's 24 MiB unified buffer fits)
    static let dramAddressBits = 36  // 64 GiB of DRAM
    static let extentBits = 16
    static let pitchBits = 16

    public static let all: [OpcodeSpec] = [
        OpcodeSpec(0, "halt", nil, "End of the instruction stream; the run ends when every queue has drained.",
                   [Field<Int>](), empty: 0, make: { _ in .halt },
                   match: { if case .halt = $0 { return 0 } else { return nil } }),
        OpcodeSpec(1, "layer", nil, "Attribute the following instructions to layer `id` (statistics only, no cycles).",
                   [Field("id", 16, \LayerMarker.id, "layer number, an index into the program's layer table")],
                   empty: LayerMarker(), make: { .layer($0) },
                   match: { if case .layer(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(2, "nop", nil, "No operation on the named engine; carries dependency flags.",
                   [Field("engine", 2, \NoOperation.engine, "queue that executes it")],
                   empty: NoOperation(), make: { .nop($0) },
                   match: { if case .nop(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(3, "load", .load, "DMA DRAM -> buffer: a 3-D strided box, zero/constant padding generated on the way.",
                   loadFields, empty: Transfer(), make: { .load($0) },
                   match: { if case .load(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(4, "store", .store, "DMA buffer -> DRAM: a dense buffer region to a 3-D strided box.",
                   storeFields, empty: Transfer(), make: { .store($0) },
                   match: { if case .store(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(5, "matmul", .compute, "Convolution / GEMM tile on the systolic array, implicit im2col window.",
                   matmulFields, empty: MatrixTile(), make: { .matmul($0) },
                   match: { if case .matmul(let p) = $0 { return p } else { return nil } }),
        poolSpec(6, "pool.max", .maximum, "Max over each pooling window."),
        poolSpec(7, "pool.sum", .sum, "Exact sum over each pooling window (average = sum, then vrequant)."),
        vectorSpec(8, "vadd", .add, "dst = sat(a + b)"),
        vectorSpec(9, "vsub", .subtract, "dst = sat(a - b)"),
        vectorSpec(10, "vmul", .multiply, "dst = sat(roundShift(a * b, shift))"),
        vectorSpec(11, "vmax", .maximum, "dst = max(a, b)"),
        vectorSpec(12, "vmin", .minimum, "dst = min(a, b)"),
        vectorSpec(13, "vaddi", .addImmediate, "dst = sat(a + imm)"),
        vectorSpec(14, "vsubi", .subtractImmediate, "dst = sat(a - imm)"),
        vectorSpec(15, "vmuli", .multiplyImmediate, "dst = sat(roundShift(a * imm, shift))"),
        vectorSpec(16, "vmaxi", .maximumImmediate, "dst = max(a, imm)"),
        vectorSpec(17, "vmini", .minimumImmediate, "dst = min(a, imm)"),
        vectorSpec(18, "vrequant", .requantize, "dst = clamp(zp + roundShift(a * mult, shift), lo, hi), registers from cfg.requant"),
        vectorSpec(19, "vrequantc", .requantizePerChannel, "as vrequant, (mult, shift[, bias]) per column from int32 records at b"),
        vectorSpec(20, "vclamp", .clamp, "dst = min(max(a, lo), hi)"),
        vectorSpec(21, "vrelu", .relu, "dst = max(a, 0)"),
        vectorSpec(22, "vcopy", .copy, "dst = a, converted to dst_type"),
        vectorSpec(23, "vpwl", .piecewiseLinear, "dst = PWL table `table` evaluated at a (sigmoid, tanh, exp, ...)"),
        OpcodeSpec(24, "cfg.dtype", .compute, "Set the matrix unit's arithmetic: int8 (i32 acc), int16 fixed point (i32 acc), fp16 (f32 acc).",
                   [Field("dtype", 2, \DataTypeSetting.dataType, "operand type of following matmuls")],
                   empty: DataTypeSetting(), make: { .setDataType($0) },
                   match: { if case .setDataType(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(25, "cfg.requant", .compute, "Set the requantization registers read by vrequant.",
                   [Field("mult", 32, \RequantizationParameters.multiplier, signed: true, "multiplier"),
                    Field("shift", 6, \RequantizationParameters.shift, maximum: 62, "right shift with rounding"),
                    Field("zp", 32, \RequantizationParameters.zeroPoint, signed: true, required: false, "zero point added after the shift"),
                    Field("lo", 32, \RequantizationParameters.low, signed: true, required: false, default: Int64(Int32.min), "lower clamp bound"),
                    Field("hi", 32, \RequantizationParameters.high, signed: true, required: false, default: Int64(Int32.max), "upper clamp bound")],
                   empty: RequantizationParameters(), make: { .setRequantization($0) },
                   match: { if case .setRequantization(let p) = $0 { return p } else { return nil } }),
        OpcodeSpec(26, "pwl.load", .compute, "Load a piecewise-linear function table from a buffer into a table slot.",
                   [Field("table", 2, \PWLLoad.table, "table slot 0...3"),
                    Field("buf", 2, \PWLLoad.buffer, required: false, default: BufferID.sb, "buffer holding the table"),
                    Field("addr", bufferAddressBits, \PWLLoad.address, "byte address of the table"),
                    Field("segments", 7, \PWLLoad.segments, minimum: 1, maximum: Int64(PWLTable.maximumSegments), "number of segments"),
                    Field("shift", 6, \PWLLoad.shift, maximum: 62, required: false, "fraction bits of the slopes")],
                   empty: PWLLoad(), make: { .loadPWL($0) },
                   match: { if case .loadPWL(let p) = $0 { return p } else { return nil } }),
    ]

    private static let transferCommonFields: [Field<Transfer>] = [
        Field("buf", 2, \.buffer, "on-chip buffer"),
        Field("type", 3, \.type, "element type"),
        Field("dram", dramAddressBits, \.dramAddress, "DRAM byte address of element (0,0,0)"),
        Field("addr", bufferAddressBits, \.bufferAddress, "buffer byte address"),
        Field("x", extentBits, \.xSize, minimum: 1, "elements per row (contiguous in DRAM)"),
        Field("y", extentBits, \.ySize, minimum: 1, required: false, default: 1, "rows"),
        Field("z", extentBits, \.zSize, minimum: 1, required: false, default: 1, "planes"),
        Field("ystride", 24, \.yStride, required: false, "DRAM elements between rows (0 = x)"),
        Field("zstride", 32, \.zStride, required: false, "DRAM elements between planes (0 = y * ystride)"),
    ]
    private static let padBits = 6
    static let loadFields: [Field<Transfer>] = transferCommonFields + [
        Field("xpad0", padBits, \.xPadBefore, required: false, "padding elements before each row"),
        Field("xpad1", padBits, \.xPadAfter, required: false, "padding elements after each row"),
        Field("ypad0", padBits, \.yPadBefore, required: false, "padding rows before each plane"),
        Field("ypad1", padBits, \.yPadAfter, required: false, "padding rows after each plane"),
        Field("zpad0", padBits, \.zPadBefore, required: false, "padding planes before the box"),
        Field("zpad1", padBits, \.zPadAfter, required: false, "padding planes after the box"),
        Field("pad_value", 32, \.padValue, signed: true, required: false, "value of padding elements"),
    ]
    static let storeFields: [Field<Transfer>] = transferCommonFields

    static let matmulFields: [Field<MatrixTile>] = [
        Field("in", bufferAddressBits, \.inputAddress, "NBin byte address of the input tile"),
        Field("w", bufferAddressBits, \.weightAddress, "SB byte address of the weights [r][s][c][k]"),
        Field("out", bufferAddressBits, \.outputAddress, "NBout byte address of the accumulators [oy][ox][k]"),
        Field("in_w", extentBits, \.inputWidth, minimum: 1, "input tile width in pixels"),
        Field("in_pitch", pitchBits, \.inputPitch, required: false, "elements per input pixel (0 = c)"),
        Field("c", extentBits, \.channels, minimum: 1, "input channels reduced"),
        Field("out_h", extentBits, \.outputHeight, minimum: 1, required: false, default: 1, "output tile height"),
        Field("out_w", extentBits, \.outputWidth, minimum: 1, "output tile width"),
        Field("k", extentBits, \.outputChannels, minimum: 1, "output channels"),
        Field("out_pitch", pitchBits, \.outputPitch, required: false, "elements per output pixel in NBout (0 = k)"),
        Field("w_pitch", pitchBits, \.weightPitch, required: false, "elements per weight row in SB (0 = k)"),
        Field("kh", 6, \.kernelHeight, minimum: 1, required: false, default: 1, "kernel height R"),
        Field("kw", 6, \.kernelWidth, minimum: 1, required: false, default: 1, "kernel width S"),
        Field("sy", 5, \.strideY, minimum: 1, required: false, default: 1, "vertical stride"),
        Field("sx", 5, \.strideX, minimum: 1, required: false, default: 1, "horizontal stride"),
        Field("dy", 5, \.dilationY, minimum: 1, required: false, default: 1, "vertical dilation"),
        Field("dx", 5, \.dilationX, minimum: 1, required: false, default: 1, "horizontal dilation"),
        Field("acc", flag: \.accumulate, "accumulate into NBout instead of overwriting"),
        Field("df", 2, \.dataflow, required: false, default: .array,
              "dataflow: the array's configured one, or ws|os|is (another than the configured one needs a flexible array)"),
    ]

    private static func poolSpec(_ opcode: Int, _ mnemonic: String, _ function: PoolWindow.Function,
                                 _ summary: String) -> OpcodeSpec {
        let fields: [Field<PoolWindow>] = [
            Field("dst_buf", 2, \.destinationBuffer, required: false, default: BufferID.nbout, "destination buffer"),
            Field("dst", bufferAddressBits, \.destinationAddress, "destination byte address"),
            Field("src_buf", 2, \.sourceBuffer, required: false, default: BufferID.nbin, "source buffer"),
            Field("src", bufferAddressBits, \.sourceAddress, "source byte address"),
            Field("c", extentBits, \.channels, minimum: 1, "channels"),
            Field("in_w", extentBits, \.inputWidth, minimum: 1, "input tile width in pixels"),
            Field("in_pitch", pitchBits, \.inputPitch, required: false, "elements per input pixel (0 = c)"),
            Field("out_h", extentBits, \.outputHeight, minimum: 1, required: false, default: 1, "output height"),
            Field("out_w", extentBits, \.outputWidth, minimum: 1, "output width"),
            Field("out_pitch", pitchBits, \.outputPitch, required: false, "elements per output pixel (0 = c)"),
            Field("kh", 8, \.windowHeight, minimum: 1, "window height"),
            Field("kw", 8, \.windowWidth, minimum: 1, "window width"),
            Field("sy", 6, \.strideY, minimum: 1, required: false, default: 1, "vertical stride"),
            Field("sx", 6, \.strideX, minimum: 1, required: false, default: 1, "horizontal stride"),
            Field("type", 3, \.sourceType, "source element type"),
            Field("dst_type", 3, \.destinationType, "destination element type"),
        ]
        var empty = PoolWindow()
        empty.function = function
        return OpcodeSpec(opcode, mnemonic, .compute, summary, fields, empty: empty, make: { .pool($0) },
                          match: { if case .pool(let p) = $0, p.function == function { return p } else { return nil } })
    }

    private static func vectorSpec(_ opcode: Int, _ mnemonic: String, _ function: VectorOperation.Function,
                                   _ summary: String) -> OpcodeSpec {
        var fields: [Field<VectorOperation>] = [
            Field("dst_buf", 2, \.destinationBuffer, required: false, default: BufferID.nbout, "destination buffer"),
            Field("dst", bufferAddressBits, \.destinationAddress, "destination byte address"),
            Field("a_buf", 2, \.aBuffer, required: false, default: BufferID.nbout, "buffer of operand A"),
            Field("a", bufferAddressBits, \.aAddress, "byte address of operand A"),
        ]
        if function.readsB {
            fields += [
                Field("b_buf", 2, \.bBuffer, required: false, default: BufferID.nbout, "buffer of operand B"),
                Field("b", bufferAddressBits, \.bAddress, "byte address of operand B"),
            ]
        }
        fields += [
            Field("type", 3, \.sourceType, "element type of A (and B)"),
            Field("dst_type", 3, \.destinationType, "destination element type"),
            Field("x", extentBits, \.columns, minimum: 1, "elements per row"),
            Field("y", extentBits, \.rows, minimum: 1, required: false, default: 1, "rows"),
            Field("dst_pitch", pitchBits, \.destinationPitch, required: false, "destination row pitch in elements (0 = x)"),
            Field("a_pitch", pitchBits, \.aPitch, required: false, "A row pitch in elements (0 = x)"),
        ]
        if function.readsB {
            fields += [
                Field("b_pitch", pitchBits, \.bPitch, required: false, "B row pitch in elements (0 = x)"),
                Field("b_bcast", flag: \.broadcastB, "use B's first row for every row"),
            ]
        }
        switch function {
        case .addImmediate, .subtractImmediate, .maximumImmediate, .minimumImmediate:
            fields.append(Field("imm", 32, \.immediate, signed: true, "immediate operand"))
        case .multiplyImmediate:
            fields.append(Field("imm", 32, \.immediate, signed: true, "immediate operand"))
            fields.append(Field("shift", 6, \.shift, maximum: 62, required: false, "fraction bits dropped after the product"))
        case .multiply:
            fields.append(Field("shift", 6, \.shift, maximum: 62, required: false, "fraction bits dropped after the product"))
        case .clamp:
            fields.append(Field("lo", 32, \.immediate, signed: true, "lower bound"))
            fields.append(Field("hi", 32, \.immediate2, signed: true, "upper bound"))
        case .piecewiseLinear:
            fields.append(Field("table", 2, \.table, "PWL table slot"))
        case .requantizePerChannel:
            fields.append(Field("bias", flag: \.withBias, "records are (mult, shift, bias): add the bias first"))
        default:
            break
        }
        var empty = VectorOperation()
        empty.function = function
        return OpcodeSpec(opcode, mnemonic, .compute, summary, fields, empty: empty, make: { .vector($0) },
                          match: { if case .vector(let p) = $0, p.function == function { return p } else { return nil } })
    }

    private static let byOpcode: [Int: OpcodeSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.opcode, $0) })
    private static let byMnemonic: [String: OpcodeSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.mnemonic, $0) })

    /// The spec with opcode number `opcode`, if any.
    public static func spec(opcode: Int) -> OpcodeSpec? { byOpcode[opcode] }
    /// The spec with mnemonic `mnemonic`, if any.
    public static func spec(mnemonic: String) -> OpcodeSpec? { byMnemonic[mnemonic] }
    /// The spec describing `operation`: a direct lookup by opcode number (the vector functions
    /// and pool functions are numbered in their enums' order from their first opcode).
    public static func spec(for operation: Operation) -> OpcodeSpec {
        let opcode = switch operation {
        case .halt: 0
        case .layer: 1
        case .nop: 2
        case .load: 3
        case .store: 4
        case .matmul: 5
        case .pool(let pool): 6 + pool.function.rawValue
        case .vector(let vector): 8 + vector.function.rawValue
        case .setDataType: 24
        case .setRequantization: 25
        case .loadPWL: 26
        }
        return all[opcode]
    }
}
