import ISA

/// One block of one step: the recurrent product of each gate on the array, its requantization
/// to Q3.12 and the projection's addition, then the cell's gates and state update on the vector
/// unit (`RecurrentNumerics` gives the formats), ending with the block's hidden state
/// requantized into the NBin buffer the next step's products read. The operations mirror
/// `RecurrentChecks` line for line.
///
/// **A GRU resetting before the matmul** (`n = tanh(P_n + Wh_n (r * h) + bh_n)`) needs `r * h`
/// of every hidden unit before any block's n-gate product, so its step is two passes over the
/// blocks (`RecurrentLayout.passes`), each block of each pass a unit with its own loads and slot.
/// Pass 1, per block: the r gate's matmul (reading h), its `vrequantc`, `+ P_r`, the sigmoid,
/// `r * h` (`vmul` of r and the Q0.15 state, shift 15) and its `vrequant` to the output
/// quantization into `RecurrentLayout.resetHidden`. Pass 2, per block: the z gate's matmul
/// (reading h) and the n gate's (reading `r * h`); z's `vrequantc`, `+ P_z`, sigmoid and
/// `z * h`, which may overlap n's matmul; then n's `vrequantc`, `+ P_n`, tanh and the update
/// `h' = n - z * n + z * h` (PyTorch's form's). z's product, needing only h, waits for no
/// pass-1 result; the z and n matmuls of pass 2 wait for the last block's pass-1 chain. The
/// matmuls and MACs are PyTorch's form's; the cost is the r chain of pass 1's last block
/// (5 vector operations) between r's products and n's, less the z gate's vector work, which
/// now runs beside n's matmul. A unit holds two of the three gates at most, so blocks can be
/// larger than PyTorch's form's. Measured on diannao (int16, batch 1, 8 steps): H = 16, one
/// block, 236 cycles a step against 233 (`RecurrentCycleTests` derives both); H = 64, `Wh`
/// resident, 2 blocks of 32 against 4 of 16, 1,158 against 1,496; H = 128, `Wh` streamed, 8
/// blocks of 16 in twice as many units, 10,396 against 9,178 (+13%).
extension RecurrentCode {
    typealias Region = (BufferID, Int, Int)

    struct CellOperations {
        var operations: [Operation] = []
        /// Index of the last operation reading the unit's loaded data (its SB slot, its block of `P`).
        var lastSlotReader = 0
    }

    static let sigmoidSlot = 0, tanhSlot = 1

    /// The operations of block `b` of pass `p` (`RecurrentLayout.passes`) of step `s`, its loads in `slot`.
    func cellOperations(step s: Int, pass p: Int, block b: Int, slot: Int) -> CellOperations {
        let (j0, width) = block(b), B = group.count, size = elementType.byteSize
        let pass = layout.passes[p], base = layout.slotBase(slot), pitch = pass.count * width
        func packed(_ address: Int) -> Region { (.nbout, address, 0) }
        // Accumulators, pre-activations and the block of P are `[B][gates * width]` for the pass's
        // gates (the device's column order, `RecurrentLayout.column`): gate g's `[B][width]` starts
        // at column (g - first gate of the pass) * width.
        func accumulators(_ g: Int) -> Region { (.nbout, base + layout.accumulators + (g - pass.lowerBound) * width * 4, pitch) }
        func preactivation(_ g: Int) -> Region { (.nbout, base + layout.preactivations + (g - pass.lowerBound) * width * 2, pitch) }
        func projection(_ g: Int) -> Region { (.nbout, base + layout.projection + (g - pass.lowerBound) * width * 2, pitch) }
        func temporary(_ index: Int) -> Int { base + layout.temporaries[index] }
        let state: Region = (.nbout, layout.state + j0 * 2, hidden)
        var cell = CellOperations()
        func add(_ operation: Operation, readsSlot: Bool = false) {
            if readsSlot { cell.lastSlotReader = cell.operations.count }
            cell.operations.append(operation)
        }
        /// A vector operation on int16 `[B][width]` blocks (`gates` adjacent gates: `[B][gates * width]`).
        func v16(_ function: VectorOperation.Function, _ destination: Region, _ a: Region, _ b: Region? = nil, gates stacked: Int = 1,
                 immediate: Int = 0, shift: Int = 0, table: Int = 0, broadcastB: Bool = false, readsSlot: Bool = false) {
            add(InstructionBuilder.vector(function, destination: destination, a: a, b: b, from: .int16, to: .int16, columns: stacked * width,
                                          rows: B, immediate: immediate, shift: shift, table: table, broadcastB: broadcastB),
                readsSlot: readsSlot)
        }
        func pwl(_ table: Int, _ region: Region, gates stacked: Int = 1, into destination: Region? = nil) {
            v16(.piecewiseLinear, destination ?? region, region, gates: stacked, table: table)
        }

        // R = requant(Wh v + bh) for the pass's gates (v = h; a GRU resetting before the matmul:
        // r * h for its n gate), plus P (all those gates but PyTorch's GRU's n).
        let current = layout.hidden[s % 2]
        var resetBeforeMatmul = false
        if case .gru(let reset) = direction.recurrent.cell { resetBeforeMatmul = reset }
        for g in pass {
            let w = weights(gate: g, of: pass, j0: j0, width: width, slot: slot)
            let operand = resetBeforeMatmul && g == 2 ? layout.resetHidden : current
            add(InstructionBuilder.matmul(input: operand, pixels: B, channels: hidden, weights: w.address, weightPitch: w.pitch,
                                          k: width, output: accumulators(g).1, outputPitch: pitch), readsSlot: true)
        }
        add(InstructionBuilder.requantization(RecurrentNumerics.toQ12))
        /// `R` of `gates` to Q3.12 (`vrequantc`), then `+ P` of the first `projected` of them.
        func preactivations(_ gates: Range<Int>, projected: Int) {
            for g in gates {
                add(InstructionBuilder.vector(.requantizePerChannel, destination: preactivation(g), a: accumulators(g),
                                              b: (.sb, records(gate: g, of: pass, j0: j0, width: width, slot: slot), 0), from: .int32,
                                              to: .int16, columns: width, rows: B, broadcastB: true, withBias: true), readsSlot: true)
            }
            v16(.add, preactivation(gates.lowerBound), preactivation(gates.lowerBound), projection(gates.lowerBound), gates: projected,
                readsSlot: true)
        }
        // (Pass 2 of a GRU resetting before the matmul orders its own, below.)
        if !(resetBeforeMatmul && p == 1) {
            let summed: Int
            if case .gru(resetBeforeMatmul: false) = direction.recurrent.cell { summed = 2 } else { summed = pass.count }
            preactivations(pass, projected: summed)
        }

        let hiddenState: Region
        switch direction.recurrent.cell {
        case .rnn(let activation):
            if activation == .relu { v16(.relu, preactivation(0), preactivation(0)) } else { pwl(Self.tanhSlot, preactivation(0)) }
            hiddenState = preactivation(0)
        case .lstm(let peephole, let coupled):
            // Gate blocks: i f g o, or f g o (coupled, with i = 1 - f in a temporary).
            let (f, g, o) = coupled ? (0, 1, 2) : (1, 2, 3)
            let peepholeRows = coupled ? [(f, 0)] : [(0, 0), (f, 1)]
            if peephole {
                for (gate, row) in peepholeRows {
                    v16(.multiply, packed(temporary(0)), state, (.sb, self.peephole(row, j0: j0, width: width, slot: slot), 0), shift: 12,
                        broadcastB: true, readsSlot: true)
                    v16(.add, preactivation(gate), preactivation(gate), packed(temporary(0)))
                }
            }
            let input: Region
            if coupled {
                pwl(Self.sigmoidSlot, preactivation(f))
                v16(.multiplyImmediate, packed(temporary(1)), preactivation(f), immediate: -1)
                v16(.addImmediate, packed(temporary(1)), packed(temporary(1)), immediate: Int(Int16.max))
                input = packed(temporary(1))
            } else {
                pwl(Self.sigmoidSlot, preactivation(0), gates: 2)
                input = preactivation(0)
            }
            pwl(Self.tanhSlot, preactivation(g))
            if !peephole { pwl(Self.sigmoidSlot, preactivation(o)) }
            v16(.multiply, packed(temporary(0)), preactivation(f), state, shift: 15)      // f * c      (Q3.12)
            v16(.multiply, packed(temporary(2)), input, preactivation(g), shift: 18)      // i * g      (Q3.12)
            v16(.add, state, packed(temporary(0)), packed(temporary(2)))                          // c'
            if peephole {
                v16(.multiply, packed(temporary(0)), state, (.sb, self.peephole(coupled ? 1 : 2, j0: j0, width: width, slot: slot), 0),
                    shift: 12, broadcastB: true, readsSlot: true)
                v16(.add, preactivation(o), preactivation(o), packed(temporary(0)))
                pwl(Self.sigmoidSlot, preactivation(o))
            }
            pwl(Self.tanhSlot, state, into: packed(temporary(2)))                                  // tanh(c')  (Q0.15)
            v16(.multiply, packed(temporary(3)), preactivation(o), packed(temporary(2)), shift: 15)   // h'  (Q0.15)
            hiddenState = packed(temporary(3))
        case .gru(resetBeforeMatmul: true) where p == 0:
            // Pass 1: r (it holds R_r + P_r), then r * h into the NBin buffer pass 2's n-gate products read.
            pwl(Self.sigmoidSlot, preactivation(0))
            v16(.multiply, packed(temporary(0)), preactivation(0), state, shift: 15)                     // r * h  (Q0.15)
            add(InstructionBuilder.requantization(numerics.output))
            add(InstructionBuilder.vector(.requantize, destination: (.nbin, layout.resetHidden + j0 * size, hidden),
                                          a: packed(temporary(0)), from: .int16, to: elementType, columns: width, rows: B))
            return cell
        case .gru(resetBeforeMatmul: true):
            // Pass 2, gate blocks z n: z's work first, beside n's matmul where the scoreboard's
            // one NBout span per instruction misses n's accumulators (with one sequence z's rows
            // do not interleave with n's; `z * h`'s span reaches from the state, which lies below
            // slot 1's accumulators, and then waits).
            preactivations(1..<2, projected: 1)
            pwl(Self.sigmoidSlot, preactivation(1))                                                             // z
            v16(.multiply, packed(temporary(2)), preactivation(1), state, shift: 15)                     // z * h
            preactivations(2..<3, projected: 1)
            pwl(Self.tanhSlot, preactivation(2))                                                                // n  (Q0.15)
            v16(.multiply, packed(temporary(1)), preactivation(1), preactivation(2), shift: 15)          // z * n
            v16(.subtract, packed(temporary(1)), preactivation(2), packed(temporary(1)))                        // n - z * n
            v16(.add, state, packed(temporary(1)), packed(temporary(2)))                                         // h'
            hiddenState = state
        case .gru:
            // Gate blocks r z n: r and z already hold R + P; n's P enters after r * R_n.
            pwl(Self.sigmoidSlot, preactivation(0), gates: 2)
            v16(.multiply, packed(temporary(0)), preactivation(0), preactivation(2), shift: 15)  // r * R_n  (Q3.12)
            v16(.add, packed(temporary(0)), packed(temporary(0)), projection(2), readsSlot: true)
            pwl(Self.tanhSlot, packed(temporary(0)))                                                           // n  (Q0.15)
            v16(.multiply, packed(temporary(1)), preactivation(1), packed(temporary(0)), shift: 15)      // z * n
            v16(.subtract, packed(temporary(1)), packed(temporary(0)), packed(temporary(1)))                     // n - z * n
            v16(.multiply, packed(temporary(2)), preactivation(1), state, shift: 15)                     // z * h
            v16(.add, state, packed(temporary(1)), packed(temporary(2)))                                         // h'
            hiddenState = state
        }
        add(InstructionBuilder.requantization(numerics.output))
        add(InstructionBuilder.vector(.requantize, destination: (.nbin, layout.hidden[(s + 1) % 2] + j0 * size, hidden),
                                         a: hiddenState, from: .int16, to: elementType, columns: width, rows: B))
        return cell
    }
}
