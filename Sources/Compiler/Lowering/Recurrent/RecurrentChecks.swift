import ISA

/// The `.check` lines of a recurrent direction: the device's computation, operation for
/// operation (`RecurrentCode+Cells`), in the check language, over the whole batch and every
/// block at once (`[batch, ...]` tensors; a block, or a GRU's pass, only splits and orders
/// elementwise work). Names carry the time step: `H_5` is the hidden state after step 5 in the
/// output quantization; for a GRU resetting before the matmul, `Q_5` is step 5's `r * h` in that
/// quantization and `RN_5` its n-gate product.
struct RecurrentChecks {
    let direction: RecurrentDirection
    let numerics: RecurrentNumerics
    let elementType: ElementType
    /// The hidden blocks `(j0, width)` when the constants' columns are in the device's block order
    /// (`RecurrentLayout.deviceOrder`; `PP` is then declared `[1, P*H]`); `nil`: the standard order.
    let blocks: [(j0: Int, width: Int)]?
    /// The gates of each pass over the blocks (`RecurrentLayout.passes`: `Wh`'s order in a block).
    let passes: [Range<Int>]

    var lines: [String] {
        let r = direction.recurrent, B = direction.batch, T = direction.steps, N = direction.sequence.channels
        let H = r.hiddenSize, GH = r.gates * H, type = elementType.description
        let q12 = "zp=0, lo=\(RecurrentNumerics.int16Low), hi=\(RecurrentNumerics.int16High), type=i16"
        let out = numerics.output
        func slice(_ tensor: String, gate: Int, count: Int = 1) -> String { "slice(\(tensor), axis=1, start=\(gate * H), len=\(count * H))" }
        func pwl(_ source: String, _ parameters: PWLTable.FitParameters?) -> String {
            let p = parameters!
            return "pwl(\(source), fn=\(p.function.rawValue), segments=\(p.segments), min=\(number(p.minimum)), max=\(number(p.maximum)), "
                + "in_frac=\(p.inputFractionBits), out_frac=\(p.outputFractionBits), shift=\(p.slopeShift), type=i16)"
        }
        let (wx, rx, wh, rh, pp) = blocks == nil ? ("WX", "RX", "WH", "RH", "PP") : ("WXS", "RXS", "WHS", "RHS", "PPS")
        func peephole(_ row: Int) -> String { "slice(\(pp), axis=0, start=\(row), len=1)" }

        var lines = blocks.map { rebuild($0, passes: passes, hidden: H, gates: r.gates, peepholes: r.peepholes) } ?? []
        lines += [
            "PX = requant(gemm(reshape(X, shape=\(B * T)x\(N)), \(wx), type=i32), \(rx), \(q12))",
            "PXR = reshape(PX, shape=\(B)x\(T)x\(GH))",
        ]
        func requant(_ source: String, _ registers: RequantRegisters, type: String) -> String {
            "requant(\(source), mult=\(registers.scale.multiplier), shift=\(registers.scale.shift), zp=\(registers.zeroPoint), "
                + "lo=\(registers.low), hi=\(registers.high), type=\(type))"
        }
        let hasState: Bool = if case .rnn = r.cell { false } else { true }
        // The codes of a given state `[B, H]`, minus their zero point (int8) into int16.
        func given(_ symbol: String, zero: Int) -> String {
            let codes = "reshape(\(symbol), shape=\(B)x\(H))"
            return elementType == .int8 ? "sub(\(codes), \(zero), type=i16)" : codes
        }
        if let initial = numerics.initialHidden {
            let source = given("H0", zero: numerics.initialZero)
            lines.append("H_INIT = \(requant(source, initial, type: type))")
            if let state = numerics.initialState { lines.append("S_INIT = \(requant(source, state, type: "i16"))") }
        } else {
            lines.append("H_INIT = fill(shape=\(B)x\(H), value=\(numerics.outputZero), type=\(type))")
        }
        if let cell = numerics.initialCell {
            lines.append("S_INIT = \(requant(given("C0", zero: numerics.initialCellZero), cell, type: "i16"))")
        } else if hasState && numerics.initialState == nil {
            lines.append("S_INIT = fill(shape=\(B)x\(H), value=0, type=i16)")
        }
        var order: [Int] = []
        for s in 0..<T {
            let t = direction.reverse ? T - 1 - s : s
            let previous = order.last.map { "_\($0)" } ?? "_INIT"
            order.append(t)
            let (h, state) = ("H\(previous)", "S\(previous)")
            // `Wh`'s (and its records') columns of `count` gates from `gate`.
            func gates(_ gate: Int, _ count: Int) -> (weights: String, records: String) {
                ("slice(\(wh), axis=1, start=\(gate * H), len=\(count * H))", "slice(\(rh), axis=0, start=\(gate * H), len=\(count * H))")
            }
            // A GRU resetting before the matmul: R holds r's and z's columns only (n's product reads r * h).
            let (product, records) = r.cell == .gru(resetBeforeMatmul: true) ? gates(0, 2) : (wh, rh)
            lines.append("R_\(t) = requant(gemm(\(h), \(product), type=i32), \(records), \(q12))")
            lines.append("PT_\(t) = reshape(slice(PXR, axis=1, start=\(t), len=1), shape=\(B)x\(GH))")
            let stateValue: String
            switch r.cell {
            case .rnn(let activation):
                let z = "add(R_\(t), PT_\(t))"
                stateValue = activation == .relu ? "relu(\(z))" : pwl(z, numerics.tanh)
            case .lstm(let peepholes, let coupled):
                lines.append("Z_\(t) = add(R_\(t), PT_\(t))")
                let (f, g, o) = coupled ? (0, 1, 2) : (1, 2, 3)
                func gate(_ index: Int, row: Int) -> String {
                    let z = slice("Z_\(t)", gate: index)
                    return peepholes ? "add(\(z), mul(\(state), \(peephole(row)), shift=12))" : z
                }
                lines.append("F_\(t) = \(pwl(gate(f, row: coupled ? 0 : 1), numerics.sigmoid))")
                lines.append(coupled ? "I_\(t) = add(mul(F_\(t), -1), \(Int16.max))" : "I_\(t) = \(pwl(gate(0, row: 0), numerics.sigmoid))")
                lines.append("G_\(t) = \(pwl(slice("Z_\(t)", gate: g), numerics.tanh))")
                lines.append("S_\(t) = add(mul(F_\(t), \(state), shift=15), mul(I_\(t), G_\(t), shift=18))")
                let zo = slice("Z_\(t)", gate: o)
                let oInput = peepholes ? "add(\(zo), mul(S_\(t), \(peephole(coupled ? 1 : 2)), shift=12))" : zo
                lines.append("O_\(t) = \(pwl(oInput, numerics.sigmoid))")
                stateValue = "mul(O_\(t), \(pwl("S_\(t)", numerics.tanh)), shift=15)"
            case .gru(let resetBeforeMatmul):
                lines.append("RZ_\(t) = \(pwl("add(\(slice("R_\(t)", gate: 0, count: 2)), \(slice("PT_\(t)", gate: 0, count: 2)))", numerics.sigmoid))")
                lines.append("RG_\(t) = \(slice("RZ_\(t)", gate: 0))")
                lines.append("ZG_\(t) = \(slice("RZ_\(t)", gate: 1))")
                if resetBeforeMatmul {
                    // r * h requantized like h, the n gate's product operand.
                    let n = gates(2, 1)
                    lines.append("Q_\(t) = \(requant("mul(RG_\(t), \(state), shift=15)", out, type: type))")
                    lines.append("RN_\(t) = requant(gemm(Q_\(t), \(n.weights), type=i32), \(n.records), \(q12))")
                    lines.append("N_\(t) = \(pwl("add(RN_\(t), \(slice("PT_\(t)", gate: 2)))", numerics.tanh))")
                } else {
                    lines.append("N_\(t) = \(pwl("add(mul(RG_\(t), \(slice("R_\(t)", gate: 2)), shift=15), \(slice("PT_\(t)", gate: 2)))", numerics.tanh))")
                }
                lines.append("S_\(t) = add(sub(N_\(t), mul(ZG_\(t), N_\(t), shift=15)), mul(ZG_\(t), \(state), shift=15))")
                stateValue = "S_\(t)"
            }
            // The GRU's state is its Q0.15 hidden state; the others' is computed here.
            let source: String
            if case .gru = r.cell { source = stateValue } else {
                lines.append("V_\(t) = \(stateValue)")
                source = "V_\(t)"
            }
            lines.append("H_\(t) = \(requant(source, out, type: type))")
        }
        let shape = direction.outputShape.dimensions.map(String.init).joined(separator: "x")
        let batched = B == 1 ? shape : "\(B)x\(shape)"
        if r.returnSequences {
            lines.append("Y = reshape(concat(\((0..<T).map { "H_\($0)" }.joined(separator: ", ")), axis=1), shape=\(batched))")
        } else {
            lines.append("Y = reshape(H_\(order.last!), shape=\(batched))")
        }
        return lines
    }

    /// Lines putting the constants' columns back in the standard order (`RecurrentLayout.deviceOrder`
    /// stores them block by block, `WH` flat, block-outer and pass by pass): `WXS` `[N, G*H]`,
    /// `WHS` `[H, G*H]`, `RXS` / `RHS` `[G*H, 3]`, `PPS` `[P, H]`, each gate's (or peephole's)
    /// columns gathered from every block.
    private func rebuild(_ blocks: [(j0: Int, width: Int)], passes: [Range<Int>], hidden H: Int, gates G: Int,
                         peepholes P: Int) -> [String] {
        func gathered(_ name: String, parts: Int, axis: Int) -> String {
            let pieces = (0..<parts).flatMap { part in
                blocks.map { "slice(\(name), axis=\(axis), start=\($0.j0 * parts + part * $0.width), len=\($0.width))" }
            }
            return "concat(\(pieces.joined(separator: ", ")), axis=\(axis))"
        }
        // `WH` is flat, block by block from element `j0 * H * G`, in a block pass by pass: the
        // pass's `[H][gates * width]` from element `H * (first gate) * width`.
        let whPieces = (0..<G).flatMap { g in
            blocks.map { block in
                let pass = passes.first { $0.contains(g) }!, columns = pass.count * block.width
                let start = block.j0 * H * G + H * pass.lowerBound * block.width
                let matrix = "reshape(slice(WH, axis=0, start=\(start), len=\(H * columns)), shape=\(H)x\(columns))"
                return "slice(\(matrix), axis=1, start=\((g - pass.lowerBound) * block.width), len=\(block.width))"
            }
        }
        var lines = ["WXS = \(gathered("WX", parts: G, axis: 1))", "WHS = concat(\(whPieces.joined(separator: ", ")), axis=1)",
                     "RXS = \(gathered("RX", parts: G, axis: 0))", "RHS = \(gathered("RH", parts: G, axis: 0))"]
        if P > 0 { lines.append("PPS = reshape(\(gathered("PP", parts: P, axis: 1)), shape=\(P)x\(H))") }
        return lines
    }

    /// A real as the check language reads it: integers without a fraction.
    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
