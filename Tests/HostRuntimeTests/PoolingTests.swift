import ISA
import Testing
@testable import HostRuntime

struct PoolingTests {
    let sixteen = Tensor(shape: [4, 4, 1], type: .int8, integers: Array(1...16))

    func pooling(_ function: PoolWindow.Function, window: Int, stride: Int, pad: Int = 0, padValue: Int64 = 0) -> Reference.Pooling {
        Reference.Pooling(function: function, windowHeight: window, windowWidth: window, strideY: stride, strideX: stride,
                          padding: .init(all: pad), padValue: padValue)
    }

    @Test func maxAndSum() throws {
        let max = try Reference.pool(sixteen, pooling(.maximum, window: 2, stride: 2))
        #expect(max == Tensor(shape: [2, 2, 1], type: .int8, integers: [6, 8, 14, 16]))
        let sum = try Reference.pool(sixteen, pooling(.sum, window: 2, stride: 2), outputType: .int32)
        #expect(sum == Tensor(shape: [2, 2, 1], type: .int32, integers: [14, 22, 46, 54]))
        let overlapping = try Reference.pool(sixteen, pooling(.maximum, window: 3, stride: 1))
        #expect(overlapping.integers == [11, 12, 15, 16])
    }

    @Test func sumIsExactThenSaturated() throws {
        let hundreds = Tensor(shape: [2, 2, 2], type: .int8, integers: [100, -100, 100, -100, 100, -100, 100, -100])
        #expect(try Reference.pool(hundreds, pooling(.sum, window: 2, stride: 2)).integers == [127, -128])
        #expect(try Reference.pool(hundreds, pooling(.sum, window: 2, stride: 2), outputType: .int16).integers == [400, -400])
    }

    @Test func paddingReadsThePadValue() throws {
        let negative = Tensor(shape: [2, 2, 1], type: .int8, integers: [-5, -6, -7, -8])
        let withMinimum = try Reference.pool(negative, pooling(.maximum, window: 2, stride: 1, pad: 1, padValue: -128))
        #expect(withMinimum.shape == [3, 3, 1])
        #expect(withMinimum.integers == [-5, -5, -6, -5, -5, -6, -7, -7, -8])
        let withZero = try Reference.pool(negative, pooling(.maximum, window: 2, stride: 1, pad: 1))
        #expect(withZero.integers == [0, 0, 0, 0, -5, 0, 0, 0, 0])
        let summed = try Reference.pool(negative, pooling(.sum, window: 2, stride: 1, pad: 1, padValue: 1))
        #expect(summed.integers[0] == -5 + 3)
    }

    @Test func floatSumRoundsToTheOutputType() throws {
        let input = Tensor(shape: [1, 2, 1], type: .fp16, floats: [2048, 1])
        #expect(try Reference.pool(input, pooling(.sum, window: 1, stride: 1).with(width: 2)).floats == [2048])
        #expect(try Reference.pool(input, pooling(.sum, window: 1, stride: 1).with(width: 2), outputType: .fp32).floats == [2049])
        #expect(try Reference.pool(input, pooling(.maximum, window: 1, stride: 1).with(width: 2)).floats == [2048])
    }

    @Test func rejectsAWindowLargerThanTheInput() {
        #expect(throws: ReferenceError("maxpool", "the window reaches 5 row elements but the padded input has 4")) {
            try Reference.pool(sixteen, pooling(.maximum, window: 5, stride: 1))
        }
    }
}

extension Reference.Pooling {
    func with(width: Int) -> Reference.Pooling {
        var copy = self
        copy.windowWidth = width
        return copy
    }
}
