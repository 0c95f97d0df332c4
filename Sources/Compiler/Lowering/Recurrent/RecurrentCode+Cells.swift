import ISA

/// One block of one step: the recurrent product of each gate on the array, its requantization
/// to Q3.12 and the projection's addition, then the cell's gates and state update on the vector
/// unit (`RecurrentNumerics` gives the formats), ending with the block's hidden state
/// requantized into the NBin buffer the next step's products read. The operations mirror
/// `RecurrentChecks` line for line.
extension RecurrentCode {
    typealias Region = (BufferID, Int, Int)

    struct CellOperations {
        var operations: [Operation] = []
        /// Index of the last operation reading the unit's loaded data (its SB slot, its block of `P`).
        var lastSlotReader = 0
    }

    static let sigmoidSlot = 0, tanhSlot = 1

    func cellOperations(step s: Int, block b: Int, slot: Int) -> CellOperations {
        let (j0, width) = block(b), B = group.count, size = elementType.byteSize
        let base = layout.slotBase(slot), pitch = gates * width
        func packed(_ address: Int) -> Region { (.nbout, address, 0) }
        // Accumulators, pre-activations and the block of P are `[B][G * width]` (the device's
        // column order, `RecurrentLayout.column`): gate g's `[B][width]` starts at column g * width.
        func accumulators(_ g: Int) -> Region { (.nbout, base + layout.accumulators + g * width * 4, pitch) }
        func preactivation(_ g: Int) -> Region { (.nbout, base + layout.preactivations + g * width * 2, pitch) }
        func projection(_ g: Int) -> Region { (.nbout, base + layout.projection + g * width * 2, pitch) }
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

        // R = requant(Wh h + bh) for every gate, plus P (all gates but GRU's n).
        let current = layout.hidden[s % 2]
        for g in 0..<gates {
            let w = weights(gate: g, j0: j0, width: width, slot: slot)
            add(InstructionBuilder.matmul(input: current, pixels: B, channels: hidden, weights: w.address, weightPitch: w.pitch,
                                          k: width, output: accumulators(g).1, outputPitch: pitch), readsSlot: true)
        }
        add(InstructionBuilder.requantization(RecurrentNumerics.toQ12))
        for g in 0..<gates {
            add(InstructionBuilder.vector(.requantizePerChannel, destination: preactivation(g), a: accumulators(g),
                                          b: (.sb, records(gate: g, j0: j0, width: width, slot: slot), 0), from: .int32, to: .int16,
                                          columns: width, rows: B, broadcastB: true, withBias: true), readsSlot: true)
        }
        let summed: Int
        if case .gru = direction.recurrent.cell { summed = 2 } else { summed = gates }
        v16(.add, preactivation(0), preactivation(0), projection(0), gates: summed, readsSlot: true)

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
