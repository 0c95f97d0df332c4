import ISA
import Testing
@testable import HostRuntime

struct VectorTests {
    @Test func integerOperationsSaturate() throws {
        let a = Tensor(shape: [3], type: .int8, integers: [100, -100, 5])
        let b = Tensor(shape: [3], type: .int8, integers: [100, 100, -7])
        #expect(try Reference.elementwise(.add, a, b).integers == [127, 0, -2])
        #expect(try Reference.elementwise(.subtract, a, b).integers == [0, -128, 12])
        #expect(try Reference.elementwise(.subtract, a, b, outputType: .int16).integers == [0, -200, 12])
        #expect(try Reference.elementwise(.maximum, a, b).integers == [100, 100, 5])
        #expect(try Reference.elementwise(.minimum, a, b).integers == [100, -100, -7])
    }

    @Test func multiplyRoundsHalfUpByShift() throws {
        let q15 = Tensor(shape: [2], type: .int16, integers: [16384, -32768])
        #expect(try Reference.elementwise(.multiply, q15, q15, shift: 15).integers == [8192, 32767])
        let odd = Tensor(shape: [2], type: .int32, integers: [3, -3])
        #expect(try Reference.elementwise(.multiply, odd, scalar: 1, shift: 1).integers == [2, -1])
    }

    @Test func broadcastsARowAlongTheLastAxis() throws {
        let a = Tensor(shape: [2, 3], type: .int32, integers: [1, 2, 3, 4, 5, 6])
        let row = Tensor(shape: [3], type: .int32, integers: [10, 20, 30])
        #expect(try Reference.elementwise(.add, a, row).integers == [11, 22, 33, 14, 25, 36])
        #expect(try Reference.elementwise(.add, a, row.reshaped(to: [1, 3])).integers == [11, 22, 33, 14, 25, 36])
        #expect(throws: ReferenceError("add", "shapes i32[2,3] and i32[2] do not match (B must have A's shape or be one row of A's last axis)")) {
            try Reference.elementwise(.add, a, Tensor(shape: [2], type: .int32))
        }
    }

    @Test func scalarOperands() throws {
        let a = Tensor(shape: [3], type: .int8, integers: [-3, 0, 120])
        #expect(try Reference.elementwise(.maximum, a, scalar: 0).integers == [0, 0, 120])
        #expect(try Reference.elementwise(.add, a, scalar: 10).integers == [7, 10, 127])
        let f = Tensor(shape: [2], type: .fp16, floats: [0.5, -2])
        #expect(try Reference.elementwise(.multiply, f, scalar: 3).floats == [1.5, -6])
    }

    @Test func floatsComputeInFP32ThenRound() throws {
        let one = Tensor(shape: [1], type: .fp16, floats: [1])
        let tiny = Tensor(shape: [1], type: .fp16, floats: [0x1p-11])
        #expect(try Reference.elementwise(.add, one, tiny).floats == [1])
        #expect(try Reference.elementwise(.add, one, tiny, outputType: .fp32).floats == [1 + 0x1p-11])
        #expect(try Reference.elementwise(.add, Tensor(shape: [1], type: .fp32, floats: [2.5]), scalar: 0, outputType: .int8).integers == [2])
    }

    @Test func rejectsMixedTypesAndFloatShifts() {
        #expect(throws: ReferenceError("add", "operands are i8 and i32; convert one with copy first")) {
            try Reference.elementwise(.add, Tensor(shape: [1], type: .int8), Tensor(shape: [1], type: .int32))
        }
        #expect(throws: ReferenceError("mul", "shift applies to integer types only")) {
            try Reference.elementwise(.multiply, Tensor(shape: [1], type: .fp16), scalar: 2, shift: 1)
        }
    }

    @Test func requantizePerTensor() throws {
        let a = Tensor(shape: [3], type: .int32, integers: [1000, -1000, 100_000])
        let plain = Reference.Requantization(multiplier: 1234, shift: 16)
        // 1000 * 1234 / 2^16 = 18.83 -> 19; -18.83 -> -19; 1882.9 -> 1883, saturated by the i8 store.
        #expect(try Reference.requantize(a, plain, outputType: .int8).integers == [19, -19, 127])
        let clamped = Reference.Requantization(multiplier: 1234, shift: 16, zeroPoint: 5, low: -10, high: 20)
        #expect(try Reference.requantize(a, clamped, outputType: .int8).integers == [20, -10, 20])
    }

    @Test func requantizePerChannel() throws {
        let a = Tensor(shape: [2, 2], type: .int32, integers: [100, 100, -100, 50])
        let scales = [Reference.Requantization.Scale(multiplier: 1, shift: 0), .init(multiplier: 3, shift: 1)]
        let result = try Reference.requantize(a, Reference.Requantization(scales: scales), outputType: .int16)
        #expect(result == Tensor(shape: [2, 2], type: .int16, integers: [100, 150, -100, 75]))
        #expect(throws: ReferenceError("requant", "3 scales for 2 channels")) {
            try Reference.requantize(a, Reference.Requantization(scales: scales + scales.prefix(1)))
        }
    }

    @Test func clampReluCopy() throws {
        let a = Tensor(shape: [4], type: .int16, integers: [-300, -1, 7, 300])
        #expect(try Reference.clamp(a, low: -5, high: 100).integers == [-5, -1, 7, 100])
        #expect(Reference.relu(a).integers == [0, 0, 7, 300])
        #expect(Reference.convert(a, to: .int8).integers == [-128, -1, 7, 127])
        #expect(Reference.convert(a, to: .fp16).floats == [-300, -1, 7, 300])
        let f = Tensor(shape: [3], type: .fp32, floats: [-0.5, 1.5, 2.5])
        #expect(Reference.convert(f, to: .int8).integers == [0, 2, 2])
        #expect(Reference.relu(f).floats == [0, 1.5, 2.5])
    }

    @Test func piecewiseLinearSigmoidInFixedPoint() throws {
        let table = try PWLTable.fit(.init(function: .sigmoid))
        // Q3.12 in, Q0.15 out: 0 -> 0.5; 0.5 on the chord of [0, 1]; the constant ends.
        let x = Tensor(shape: [4], type: .int16, integers: [0, 2048, 32767, -32768])
        let y = try Reference.piecewiseLinear(x, table: table)
        #expect(y.integers == [16384, 20170, 32757, 11])
        #expect(y.integers == x.integers.map(table.evaluate))
    }

    @Test func piecewiseLinearInFloat() throws {
        let table = try Reference.floatPWLTable(.init(function: .sigmoid))
        let x = Tensor(shape: [4], type: .fp32, floats: [0, 0.5, 100, -100])
        let y = try Reference.piecewiseLinear(x, table: table)
        // The chord of the fixed-point table in real units, without its output rounding.
        let slope = Float(121_141.0 / 65536 * 4096 / 32768)
        #expect(y.floats == [0.5, 0.5 + slope * 0.5, Float(32757.0 / 32768), Float(11.0 / 32768)])
        let half = try Reference.piecewiseLinear(Tensor(shape: [1], type: .fp16, floats: [0]), table: table)
        #expect(half == Tensor(shape: [1], type: .fp16, floats: [0.5]))
    }
}
