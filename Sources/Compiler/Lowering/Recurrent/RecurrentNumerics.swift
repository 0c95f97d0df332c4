import Foundation
import ISA

/// How a recurrent direction's integers are computed.
///
/// **Formats.** Gate pre-activations and the LSTM cell state are int16 Q3.12 (real = q / 4096,
/// the sigmoid / tanh tables' input, |value| < 8); gate values and `tanh` outputs are Q0.15
/// (the tables' output); the hidden state is Q0.15 (LSTM, GRU, tanh RNN) or Q3.12 (ReLU RNN)
/// until it is requantized to the layer's output quantization (int8 affine `(s_y, z_y)` or
/// int16 Q.fy), which is also the quantization the recurrent product reads it in. This is the
/// split of TFLite's integer LSTM (8-bit matrix operands, 16-bit gates and cell state).
///
/// **Matrices.** `Wx` (input quantization) and `Wh` (output quantization) are quantized as
/// convolution weights (`QuantizedWeights`: int8 per column, int16 with the largest safe fraction
/// bits), each with its own bias (`bx`, `bh`) folded into the records of one `vrequantc bias`
/// that takes the accumulators to Q3.12: column k's scale is `accumulatorScale[k] * 4096`. So
/// `P = requant(Wx x + bx)` (all steps at once) and `R = requant(Wh h + bh)` (per step) are
/// both Q3.12 and the pre-activation is their saturating int16 sum, as GRU's `n` gate needs
/// them apart anyway.
///
/// **A GRU resetting before the matmul** (`Recurrent.Cell.gru(resetBeforeMatmul: true)`) forms
/// `r * h` as a `vmul` of the Q0.15 gate and the Q0.15 state with shift 15, requantized like the
/// hidden state (`output`): it is the n gate's matmul operand, read with the same `Wh` records
/// (zero-point correction and `bh` included) as `h` is.
///
/// **Peepholes** are Q3.12 (`round(p * 4096)`, saturated to int16): `p * c` is a `vmul` of two
/// Q3.12 values with shift 12.
struct RecurrentNumerics: Sendable {
    static let q12 = 12, q15 = 15
    static let int16Low = Int(Int16.min), int16High = Int(Int16.max)

    /// `cfg.requant` of the products' `vrequantc` (to Q3.12: zero point 0, the int16 range).
    static let toQ12 = RequantRegisters(scale: FixedPointScale(multiplier: 1, shift: 0), zeroPoint: 0, low: int16Low, high: int16High)

    /// Fraction bits of the hidden state before the output requantization (15, or 12 for ReLU).
    var stateFraction: Int
    /// `cfg.requant` of the hidden state to the output quantization.
    var output: RequantRegisters
    /// The output's code of a real 0 (the initial hidden state).
    var outputZero: Int
    var sigmoid: PWLTable.FitParameters?
    var tanh: PWLTable.FitParameters?
    /// A given initial hidden state `h_0` (quantized `(s_0, z_0)`, or Q.f0): its zero point
    /// (subtracted first, into int16, for int8), the requantization of `h_0 - z_0` to the output
    /// quantization (`s_0 / s_y`; int16: `2^(fy - f0)`), and for a GRU to its Q0.15 state
    /// (`s_0 * 32768`; int16: `2^(15 - f0)`).
    var initialZero = 0
    var initialHidden: RequantRegisters?
    var initialState: RequantRegisters?
    /// An LSTM's given initial cell state `c_0` (quantized `(s_c, z_c)`, or Q.fc): its zero point
    /// (subtracted first, into int16, for int8) and the requantization of `c_0 - z_c` to the Q3.12
    /// cell state (`s_c * 4096`; int16: `2^(12 - fc)`), saturated to int16 (|c| < 8) as the cell
    /// state always is.
    var initialCellZero = 0
    var initialCell: RequantRegisters?

    // Constants (nil for timing-only programs).
    var inputWeights: [Int]?
    var recurrentWeights: [Int]?
    /// `vrequantc bias` records `[G*H][3]` of `P` and `R`.
    var inputRecords: [Int]?
    var recurrentRecords: [Int]?
    /// `[P][H]` Q3.12.
    var peepholes: [Int]?
    var sigmoidTable: PWLTable?
    var tanhTable: PWLTable?

    init(_ direction: RecurrentDirection, parameters: LayerParameters?, dataType: DataType,
         input qx: Quantization, output qy: Quantization, initial q0: Quantization? = nil,
         initialCell qc: Quantization? = nil) throws(CompilerError) {
        func fail(_ message: String) -> CompilerError { .invalidLayer(layer: direction.name, message) }
        let recurrent = direction.recurrent
        let type = dataType.operandType
        let (typeLow, typeHigh) = (Int(type.integerRange.lowerBound), Int(type.integerRange.upperBound))
        guard dataType == .int8 || dataType == .int16 else { throw fail("recurrent layers support int8 and int16, not \(dataType)") }
        guard [qx.scale, qy.scale].allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("quantization scales must be positive") }
        guard type.integerRange.contains(Int64(qx.zeroPoint)), type.integerRange.contains(Int64(qy.zeroPoint)) else {
            throw fail("zero points must lie in the \(type) range")
        }
        let int8 = dataType == .int8
        if !int8 && (qx.zeroPoint != 0 || qy.zeroPoint != 0) { throw fail("int16 fixed point has zero points 0") }
        let fx = Int((-log2(qx.scale)).rounded()), fy = Int((-log2(qy.scale)).rounded())

        var relu = false
        if case .rnn(let activation) = recurrent.cell { relu = activation == .relu }
        stateFraction = relu ? Self.q12 : Self.q15
        let low = relu ? max(typeLow, int8 ? qy.zeroPoint : 0) : typeLow
        output = int8
            ? RequantRegisters(scale: FixedPointScale(1 / (pow2(stateFraction) * qy.scale)), zeroPoint: qy.zeroPoint, low: low, high: typeHigh)
            : RequantRegisters(scale: .powerOfTwo(fy - stateFraction), zeroPoint: 0, low: low, high: typeHigh)
        outputZero = int8 ? qy.zeroPoint : 0
        func fractionBits(_ q: Quantization, _ name: String) throws(CompilerError) -> Int {
            guard q.scale > 0, q.scale.isFinite, type.integerRange.contains(Int64(q.zeroPoint)), int8 || q.zeroPoint == 0 else {
                throw fail("the \(name)'s quantization is invalid")
            }
            return Int((-log2(q.scale)).rounded())
        }
        if let q0 {
            let f0 = try fractionBits(q0, "initial state")
            initialZero = int8 ? q0.zeroPoint : 0
            initialHidden = RequantRegisters(scale: int8 ? FixedPointScale(q0.scale / qy.scale) : .powerOfTwo(fy - f0),
                                             zeroPoint: outputZero, low: typeLow, high: typeHigh)
            if case .gru = recurrent.cell {
                initialState = RequantRegisters(scale: int8 ? FixedPointScale(q0.scale * pow2(Self.q15)) : .powerOfTwo(Self.q15 - f0),
                                                zeroPoint: 0, low: Self.int16Low, high: Self.int16High)
            }
        }
        if let qc {
            guard case .lstm = recurrent.cell, q0 != nil else { throw fail("only an LSTM takes an initial cell state, with an initial state") }
            let fc = try fractionBits(qc, "initial cell state")
            initialCellZero = int8 ? qc.zeroPoint : 0
            initialCell = RequantRegisters(scale: int8 ? FixedPointScale(qc.scale * pow2(Self.q12)) : .powerOfTwo(Self.q12 - fc),
                                           zeroPoint: 0, low: Self.int16Low, high: Self.int16High)
        }

        try direction.tables.validate(direction.name)
        switch recurrent.cell {
        case .rnn(let activation):
            sigmoid = nil
            tanh = activation == .tanh ? direction.tables.parameters(.tanh) : nil
        case .lstm, .gru:
            sigmoid = direction.tables.parameters(.sigmoid)
            tanh = direction.tables.parameters(.tanh)
        }

        guard let parameters else { return }
        let N = direction.sequence.channels, H = recurrent.hiddenSize, GH = recurrent.gates * H
        let real = parameters.weights.map(Double.init)
        let bias = parameters.bias.map { $0.map(Double.init) } ?? [Double](repeating: 0, count: 2 * GH)
        let wx = Array(real[0..<(N * GH)]), wh = Array(real[(N * GH)..<((N + H) * GH)])
        let (bx, bh) = (Array(bias[0..<GH]), Array(bias[GH..<(2 * GH)]))
        func quantize(_ weights: [Double], rows: Int, bias: [Double], _ q: Quantization, fraction: Int) -> QuantizedWeights {
            int8 ? QuantizedWeights.int8(weights, window: rows, columns: GH, bias: bias, input: q)
                 : QuantizedWeights.int16(weights, window: rows, columns: GH, bias: bias, inputFractionBits: fraction)
        }
        let x = quantize(wx, rows: N, bias: bx, qx, fraction: fx), h = quantize(wh, rows: H, bias: bh, qy, fraction: fy)
        func records(_ quantized: QuantizedWeights) -> [Int] {
            int8 ? quantized.records { FixedPointScale(quantized.accumulatorScales[$0] * pow2(Self.q12)) }
                 : quantized.records { _ in .powerOfTwo(Self.q12 - Int((-log2(quantized.accumulatorScales[0])).rounded())) }
        }
        inputWeights = x.weights
        recurrentWeights = h.weights
        inputRecords = records(x)
        recurrentRecords = records(h)
        if recurrent.peepholes > 0 {
            peepholes = real[((N + H) * GH)...].map { min(max(Int(($0 * pow2(Self.q12)).rounded()), Self.int16Low), Self.int16High) }
        }
        do {
            sigmoidTable = try sigmoid.map(PWLTable.fit)
            tanhTable = try tanh.map(PWLTable.fit)
        } catch {
            throw fail("activation table: \(error)")
        }
    }
}
