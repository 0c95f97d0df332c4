import ISA
import Testing
@testable import HostRuntime

/// The check-language forms a layer compiler emits: asymmetric pooling padding with a pad value,
/// and per-channel requantization of feature maps of any rank.
struct CheckLanguageLayerTests {
    /// The 3x3 feature map 1...9, one channel.
    let nine = Tensor(shape: [3, 3, 1], type: .int8, integers: Array(1...9))

    @Test func maxpoolAsymmetricPadding() throws {
        let program = try CheckProgram(lines: [
            "M = maxpool(X, k=2, stride=2, pad=0,1,0,1)",
            "N = maxpool(X, k=2, stride=2, pad=1,0,1,0, pad_value=100)",
        ])
        let results = try program.evaluate(inputs: ["X": nine])
        // Bottom and right padding at the type minimum: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
        #expect(results["M"] == Tensor(shape: [2, 2, 1], type: .int8, integers: [5, 6, 8, 9]))
        // Top and left padding at 100: every window but the last touches the border.
        #expect(results["N"] == Tensor(shape: [2, 2, 1], type: .int8, integers: [100, 100, 100, 9]))
    }

    @Test func sumpoolAsymmetricPaddingAndPadValue() throws {
        let program = try CheckProgram(lines: ["S = sumpool(X, k=2, stride=2, pad=1,0,0,1, pad_value=-1, type=i16)"])
        let results = try program.evaluate(inputs: ["X": nine])
        // Rows padded on top, columns on the right: windows {-1,-1,1,2}, {-1,-1,3,-1}, {4,5,7,8}, {6,-1,9,-1}.
        #expect(results["S"] == Tensor(shape: [2, 2, 1], type: .int16, integers: [1, 0, 24, 13]))
    }

    @Test(arguments: [[6], [3, 6], [2, 3, 6], [1, 2, 2, 6]])
    func perChannelRequantizationBroadcastsAlongTheLastAxis(_ shape: [Int]) throws {
        let channels = shape.last!
        let input = Tensor.random(shape: shape, type: .int32, range: -100_000...100_000, seed: 21)
        var pairs: [Int64] = []
        for channel in 0..<channels { pairs += [Int64(1000 + 77 * channel), Int64(8 + channel)] }
        let parameters = Tensor(shape: [channels, 2], type: .int32, integers: pairs)
        let program = try CheckProgram(lines: ["Y = requant(X, P, zp=-3, lo=-128, hi=127, type=i8)"])
        let result = try #require(try program.evaluate(inputs: ["X": input, "P": parameters])["Y"])
        #expect(result.shape == shape)
        for index in 0..<input.elementCount {
            let channel = index % channels
            let expected = Arithmetic.requantize(input.integer(at: index), multiplier: pairs[2 * channel], shift: Int(pairs[2 * channel + 1]),
                                                 zeroPoint: -3, low: -128, high: 127)
            #expect(result.integer(at: index) == expected)
        }
    }

    @Test func perChannelRequantizationRejectsTheWrongChannelCount() throws {
        let program = try CheckProgram(lines: ["Y = requant(X, P)"])
        let input = Tensor(shape: [2, 2, 3], type: .int32)
        #expect(throws: CheckError.evaluation(line: 1, column: 16, message: "per-channel parameters must be 3 (multiplier, shift[, bias]) records of i32, got i32[2,2]")) {
            try program.evaluate(inputs: ["X": input, "P": Tensor(shape: [2, 2], type: .int32)])
        }
    }
}
