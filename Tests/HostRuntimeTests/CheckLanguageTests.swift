import ISA
import Testing
@testable import HostRuntime

struct CheckLanguageTests {
    let inputs: [String: Tensor] = [
        "A": Tensor.random(shape: [4, 8], type: .int8, seed: 1),
        "B": Tensor.random(shape: [8, 16], type: .int8, seed: 2),
        "X": Tensor.random(shape: [5, 5, 3], type: .int8, seed: 3),
        "W": Tensor.random(shape: [3, 3, 3, 4], type: .int8, seed: 4),
        "Q": Tensor.random(shape: [6, 4], type: .int16, range: -40000...40000, seed: 5),
        "H": Tensor.random(shape: [2, 8], type: .fp16, seed: 6),
        "P": Tensor(shape: [4, 2], type: .int32, integers: [3, 1, 5, 2, 7, 0, 9, 4]),
    ]

    func evaluate(_ lines: [String]) throws -> [String: Tensor] {
        try CheckProgram(lines: lines).evaluate(inputs: inputs)
    }

    func error(_ lines: [String]) -> String? {
        do {
            _ = try evaluate(lines)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func gemmAndConvolution() throws {
        let results = try evaluate([
            "C = gemm(A, B)",
            "Y = conv2d(X, W, stride=1, pad=1)   # same padding",
            "Z = conv2d(X, W, stride=2,1, pad=1,0,0,1, dilation=1, pad_value=-3, type=i16)",
        ])
        #expect(results["C"] == (try Reference.gemm(inputs["A"]!, inputs["B"]!)))
        #expect(results["Y"] == (try Reference.conv2d(inputs["X"]!, inputs["W"]!, .init(padding: .init(all: 1)))))
        let z = try Reference.conv2d(inputs["X"]!, inputs["W"]!, .init(strideY: 2, strideX: 1, padding: .init(top: 1, bottom: 0, left: 0, right: 1), padValue: -3))
        #expect(results["Z"] == Reference.convert(z, to: .int16))
    }

    @Test func nestedCallsAndEarlierAssignments() throws {
        let results = try evaluate([
            "",
            "; a comment line",
            "Acc = conv2d(X, W, pad=1)",
            "Y = requant(relu(Acc), mult=1234, shift=16, zp=0, lo=-128, hi=127, type=i8)",
            "R = requant(Acc, P, type=i8)",
            "M = maxpool(Y, k=2, stride=2)",
            "S = sumpool(Y, k=2, type=i32)",
        ])
        let accumulators = try Reference.conv2d(inputs["X"]!, inputs["W"]!, .init(padding: .init(all: 1)))
        let y = try Reference.requantize(Reference.relu(accumulators), .init(multiplier: 1234, shift: 16, low: -128, high: 127), outputType: .int8)
        #expect(results["Y"] == y)
        let perChannel = Reference.Requantization(scales: [.init(multiplier: 3, shift: 1), .init(multiplier: 5, shift: 2),
                                                           .init(multiplier: 7, shift: 0), .init(multiplier: 9, shift: 4)])
        #expect(results["R"] == (try Reference.requantize(accumulators, perChannel, outputType: .int8)))
        #expect(results["M"] == (try Reference.pool(y, .init(function: .maximum, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, padValue: -128))))
        #expect(results["S"]?.type == .int32)
        #expect(results["S"]?.shape == [2, 2, 4])
    }

    @Test func lstmStylePrimitives() throws {
        let results = try evaluate([
            "G = slice(Q, axis=1, start=0, len=2)",
            "T = slice(Q, axis=-1, start=2)",
            "S = pwl(G, fn=sigmoid, segments=16, min=-8.0, max=8, in_frac=12, out_frac=15, shift=16, type=i16)",
            "U = pwl(T, fn=tanh)",
            "M = mul(S, U, shift=15, type=i16)",
            "J = concat(M, G, axis=1)",
            "K = add(reshape(J, shape=4x6), 0x10)",
            "L = min(max(K, -0x20), 1000)",
            "N = sub(clamp(L, lo=-5, hi=5), copy(L, type=i16))",
            "F = pwl(H, fn=exp, min=-4, max=0.5e1)",
        ])
        let q = inputs["Q"]!
        let g = try Reference.slice(q, axis: 1, start: 0, length: 2)
        let s = try Reference.piecewiseLinear(g, table: PWLTable.fit(.init(function: .sigmoid)))
        #expect(results["S"] == s)
        let u = try Reference.piecewiseLinear(try Reference.slice(q, axis: 1, start: 2, length: 2), table: PWLTable.fit(.init(function: .tanh)))
        #expect(results["M"] == (try Reference.elementwise(.multiply, s, u, shift: 15)))
        #expect(results["K"]?.shape == [4, 6])
        #expect(results["N"]?.type == .int16)
        let f = try Reference.piecewiseLinear(inputs["H"]!, table: Reference.floatPWLTable(.init(function: .exp, minimum: -4, maximum: 5)))
        #expect(results["F"] == f)
    }

    /// `fill`: a constant tensor (a recurrent layer's initial state), saturated to its type.
    @Test func fillMakesAConstantTensor() throws {
        let results = try evaluate(["Z = fill(shape=2x3, value=-7, type=i8)", "S = fill(shape=4, value=300, type=i8)", "D = fill(shape=2)"])
        #expect(results["Z"] == Tensor(shape: [2, 3], type: .int8, integers: Array(repeating: -7, count: 6)))
        #expect(results["S"] == Tensor(shape: [4], type: .int8, integers: Array(repeating: 127, count: 4)))
        #expect(results["D"] == Tensor(shape: [2], type: .int32, integers: [0, 0]))
        #expect(error(["Z = fill(A, shape=2)"])?.contains("fill") == true)
    }

    @Test func reportsInputsAndAssignedNames() throws {
        let program = try CheckProgram(lines: ["T = relu(X)", "Y = add(T, conv2d(X, W))", "Z = gemm(A, B)"])
        #expect(program.inputNames == ["X", "W", "A", "B"])
        #expect(program.assignedNames == ["T", "Y", "Z"])
    }

    @Test(arguments: [
        (["C = gemm(A, B)", "Y = conv3d(X, W)"],
         "check 2:5: unknown function 'conv3d' (known: add, clamp, concat, conv2d, copy, fill, gemm, max, maxpool, min, mul, pwl, relu, requant, reshape, slice, sub, sumpool)"),
        (["Y = relu(X"], "check 1:11: expected ',' or ')', found the end of the line"),
        (["Y relu(X)"], "check 1:3: expected '=' after 'Y', found 'relu'"),
        (["3 = relu(X)"], "check 1:1: '3' is not a name"),
        (["Y = relu(X) Z"], "check 1:13: expected the end of the line, found 'Z'"),
        (["Y = relu(X) $"], "check 1:13: unexpected character '$'"),
        (["Y = conv2d(X, W, strid=2)"], "check 1:18: conv2d has no argument 'strid': conv2d(X, W, stride=1, pad=0, dilation=1, groups=1, pad_value=0, type=<accumulator type>)"),
        (["Y = conv2d(X, W, pad=1, pad=2)"], "check 1:25: pad is given twice"),
        (["Y = gemm(A)"], "check 1:5: gemm takes 2 arguments, got 1: gemm(A, B, type=<accumulator type>)"),
        (["Y = relu(k=1, X)"], "check 1:15: positional argument after keyword arguments"),
        (["Y = relu(X)", "Y = relu(A)"], "check 2:1: 'Y' is already assigned on line 1"),
        (["Y = relu(Nope)"], "check 1:10: unknown tensor 'Nope' (known here: A, B, H, P, Q, W, X)"),
        (["X = relu(A)"], "check 1:1: 'X' is an input and cannot be assigned"),
        (["C = gemm(A, A)"], "check 1:5: gemm: inner dimensions differ: i8[4,8] x i8[4,8]"),
        (["Y = conv2d(X, W, pad=1,2,3)"], "check 1:18: pad takes 1 or 2 or 4 values, got 3"),
        (["Y = conv2d(X, W, stride=0)"], "check 1:25: stride=0 is outside 1...65535"),
        (["Y = maxpool(X, stride=2)"], "check 1:5: maxpool needs k="),
        (["Y = requant(X, mult=1.5)"], "check 1:21: mult must be an integer, got '1.5'"),
        (["Y = requant(X, P, mult=2)"], "check 1:5: requant takes per-channel pairs P or mult= and shift=, not both"),
        (["Y = add(X, 99999999999999999999)"], "check 1:12: number '99999999999999999999' is out of range"),
        (["Y = add(X, 2.5)"], "check 1:12: add takes an integer immediate (the device's imm field)"),
        (["Y = add(3, X)"], "check 1:9: argument 1 of add must be a tensor, not a number"),
        (["Y = 3"], "check 1:5: 'Y' must be a tensor, not a number"),
        (["Y = copy(X, type=i64)"], "check 1:18: unknown type 'i64' (known: i8, u8, i16, i32, f16, f32)"),
        (["Y = pwl(Q, fn=softmax)"], "check 1:15: unknown function 'softmax' (known: sigmoid, tanh, exp)"),
        (["Y = reshape(X, shape=4xx4)"], "check 1:22: shape must be extents like 4x16, got '4xx4'"),
        (["Y = add(X, Q)"], "check 1:5: add: operands are i8 and i16; convert one with copy first"),
        (["Y = add(X, A)"], "check 1:5: add: shapes i8[5,5,3] and i8[4,8] do not match (B must have A's shape or be one row of A's last axis)"),
        (["Y = relu(X, type=i8, k=relu(X))"], "check 1:24: the value of 'k' must be a name or a number, not a call"),
    ])
    func errorsNameLineAndColumn(lines: [String], message: String) {
        #expect(error(lines) == message)
    }

    @Test func garbageNeverCrashes() {
        var generator = SplitMix64(seed: 99)
        let alphabet = Array("XWABQHP=(),-.#x0123456789 gemconv2dpadstridekypwlfn_;\t\u{e9}$\u{1F600}")
        let valid = ["Y = conv2d(X, W, stride=2, pad=1,0,1,0, dilation=1)", "S = pwl(Q, fn=tanh, min=-2.5e0, max=3)",
                     "M = maxpool(X, k=2, stride=1, pad=1)", "C = add(gemm(A, B), 0x7f)", "G = concat(slice(Q, axis=1, len=1), Q, axis=-1)"]
        for trial in 0..<1500 {
            var line: [Character]
            if trial % 3 == 0 {
                line = (0..<Int(generator.next(below: 40))).map { _ in alphabet[Int(generator.next(below: UInt64(alphabet.count)))] }
            } else {
                line = Array(valid[Int(generator.next(below: UInt64(valid.count)))])
                for _ in 0...Int(generator.next(below: 4)) where !line.isEmpty {
                    let position = Int(generator.next(below: UInt64(line.count)))
                    let character = alphabet[Int(generator.next(below: UInt64(alphabet.count)))]
                    switch generator.next(below: 3) {
                    case 0: line[position] = character
                    case 1: line.insert(character, at: position)
                    default: line.remove(at: position)
                    }
                }
            }
            _ = error([String(line)])
        }
    }
}

extension String {
    /// Lets `error(["..."])` read naturally in the error table.
    init(_ characters: [Character]) { self.init(characters[...]) }
}
