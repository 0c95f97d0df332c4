import ISA
import Testing
@testable import HostRuntime

struct ConvolutionTests {
    /// The 3x3 input 1...9 and an all-ones 3x3 kernel, one channel.
    let nine = Tensor(shape: [3, 3, 1], type: .int8, integers: Array(1...9))
    let ones = Tensor(shape: [3, 3, 1, 1], type: .int8, integers: Array(repeating: 1, count: 9))

    @Test func gemmInt8() throws {
        let a = Tensor(shape: [2, 3], type: .int8, integers: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], type: .int8, integers: [7, 8, 9, 10, 11, 12])
        let c = try Reference.gemm(a, b)
        #expect(c == Tensor(shape: [2, 2], type: .int32, integers: [58, 64, 139, 154]))
    }

    @Test func gemmInt8ExtremesDoNotSaturate() throws {
        let a = Tensor(shape: [1, 2], type: .int8, integers: [-128, -128])
        #expect(try Reference.gemm(a, a.reshaped(to: [2, 1])).integers == [32768])
    }

    @Test func int16AccumulatorsWrapModulo2To32() throws {
        let a = Tensor(shape: [1, 3], type: .int16, integers: [32767, 32767, 32767])
        // 3 * 32767^2 = 3_221_028_867 wraps to 3_221_028_867 - 2^32.
        #expect(try Reference.gemm(a, a.reshaped(to: [3, 1])).integers == [-1_073_938_429])
        let b = Tensor(shape: [1, 2], type: .int16, integers: [-32768, -32768])
        #expect(try Reference.gemm(b, b.reshaped(to: [2, 1])).integers == [Int64(Int32.min)])
    }

    @Test func fp16SumsInROrderSOrderCOrderFromZero() throws {
        // Products in (s, c) order: 2^24, -2^24, 1, 0. In that order the sum is exactly 1; summing
        // c outermost instead would give 2^24 + 1 = 2^24 (ties to even), then 0.
        let input = Tensor(shape: [1, 2, 2], type: .fp16, floats: [4096, -4096, 1, 0])
        let weights = Tensor(shape: [1, 2, 2, 1], type: .fp16, floats: [4096, 4096, 1, 1])
        let result = try Reference.conv2d(input, weights)
        #expect(result == Tensor(shape: [1, 1, 1], type: .fp32, floats: [1]))
        // Along c alone: 2^24 + 1 rounds to 2^24, then - 2^24 gives 0 (not 1).
        let a = Tensor(shape: [1, 3], type: .fp16, floats: [4096, 1, -4096])
        let b = Tensor(shape: [3, 1], type: .fp16, floats: [4096, 1, 4096])
        #expect(try Reference.gemm(a, b).floats == [0])
    }

    @Test func paddingReadsThePadValue() throws {
        let same = try Reference.conv2d(nine, ones, .init(padding: .init(all: 1)))
        #expect(same.shape == [3, 3, 1])
        #expect(same.integers == [12, 21, 16, 27, 45, 33, 24, 39, 28])
        let padOne = try Reference.conv2d(nine, ones, .init(padding: .init(all: 1), padValue: 1))
        #expect(padOne.integers == [17, 24, 21, 30, 45, 36, 29, 42, 33])
    }

    @Test func asymmetricPaddingAndStride() throws {
        let strided = try Reference.conv2d(nine, ones, .init(strideY: 2, strideX: 2, padding: .init(all: 1)))
        #expect(strided.shape == [2, 2, 1])
        #expect(strided.integers == [12, 16, 24, 28])
        // Only the bottom and right borders: outputs (0,0), (0,1), (1,0), (1,1) of the 3x3 case shifted.
        let corner = try Reference.conv2d(nine, ones, .init(padding: .init(top: 0, bottom: 1, left: 0, right: 1)))
        #expect(corner.shape == [2, 2, 1])
        #expect(corner.integers == [45, 33, 39, 28])
    }

    @Test func dilation() throws {
        let input = Tensor(shape: [5, 5, 1], type: .int8, integers: Array(0..<25))
        // Taps at rows and columns 0, 2, 4: sum of 5y + x.
        #expect(try Reference.conv2d(input, ones, .init(dilationY: 2, dilationX: 2)).integers == [108])
        let padded = try Reference.conv2d(nine, ones, .init(dilationY: 2, dilationX: 2, padding: .init(all: 2)))
        #expect(padded.shape == [3, 3, 1])
        #expect(padded.integers[0] == 1 + 3 + 7 + 9)
        #expect(padded.integers[4] == 5)
    }

    @Test(arguments: [
        ConvolutionCase(height: 5, width: 6, channels: 3, kernel: 3, outputs: 4, stride: 2, dilation: 1, pad: 1, type: .int8),
        ConvolutionCase(height: 7, width: 5, channels: 2, kernel: 2, outputs: 3, stride: 1, dilation: 2, pad: 2, type: .int16),
        ConvolutionCase(height: 4, width: 4, channels: 5, kernel: 3, outputs: 2, stride: 1, dilation: 1, pad: 1, type: .fp16),
        // Above the parallel threshold (3.6 M MACs).
        ConvolutionCase(height: 16, width: 16, channels: 32, kernel: 3, outputs: 64, stride: 1, dilation: 1, pad: 0, type: .int8),
    ])
    func matchesANaiveLoop(_ c: ConvolutionCase) throws {
        let input = Tensor.random(shape: [c.height, c.width, c.channels], type: c.type, seed: 1)
        let weights = Tensor.random(shape: [c.kernel, c.kernel, c.channels, c.outputs], type: c.type, seed: 2)
        let parameters = Reference.Convolution(strideY: c.stride, strideX: c.stride, dilationY: c.dilation, dilationX: c.dilation,
                                               padding: .init(all: c.pad), padValue: 3)
        #expect(try Reference.conv2d(input, weights, parameters) == naiveConvolution(input, weights, parameters))
    }

    @Test func rejectsBadOperands() {
        let int16 = Tensor(shape: [3, 3, 1], type: .int16)
        #expect(throws: ReferenceError("conv2d", "operands are i16 and i8; the matrix unit multiplies i8 x i8, i16 x i16 or f16 x f16")) {
            try Reference.conv2d(int16, ones)
        }
        #expect(throws: ReferenceError("conv2d", "input has 2 channels but weights have 1")) {
            try Reference.conv2d(Tensor(shape: [3, 3, 2], type: .int8), ones)
        }
        #expect(throws: ReferenceError("conv2d", "the window reaches 3 row elements but the padded input has 2")) {
            try Reference.conv2d(Tensor(shape: [2, 3, 1], type: .int8), ones)
        }
        #expect(throws: ReferenceError("gemm", "inner dimensions differ: i8[2,3] x i8[2,3]")) {
            try Reference.gemm(Tensor(shape: [2, 3], type: .int8), Tensor(shape: [2, 3], type: .int8))
        }
    }
}

struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    var height, width, channels, kernel, outputs, stride, dilation, pad: Int
    var type: ElementType
    var testDescription: String { "\(type) \(height)x\(width)x\(channels) k\(kernel) K\(outputs) s\(stride) d\(dilation) p\(pad)" }
}

/// The convolution formula written out with bounds checks instead of a padded copy.
func naiveConvolution(_ input: Tensor, _ weights: Tensor, _ p: Reference.Convolution) -> Tensor {
    let (h, w, c) = (input.shape[0], input.shape[1], input.shape[2])
    let (r, s, k) = (weights.shape[0], weights.shape[1], weights.shape[3])
    let oh = (h + p.padding.top + p.padding.bottom - p.dilationY * (r - 1) - 1) / p.strideY + 1
    let ow = (w + p.padding.left + p.padding.right - p.dilationX * (s - 1) - 1) / p.strideX + 1
    let isFloat = input.type == .fp16
    var padElement = Tensor(shape: [], type: input.type)
    padElement.set(integer: p.padValue, at: 0)
    var output = Tensor(shape: [oh, ow, k], type: isFloat ? .fp32 : .int32)
    for oy in 0..<oh {
        for ox in 0..<ow {
            for kk in 0..<k {
                var integerSum: Int64 = 0
                var floatSum: Float = 0
                for rr in 0..<r {
                    for ss in 0..<s {
                        for cc in 0..<c {
                            let y = oy * p.strideY + rr * p.dilationY - p.padding.top
                            let x = ox * p.strideX + ss * p.dilationX - p.padding.left
                            let inside = (0..<h).contains(y) && (0..<w).contains(x)
                            let weightIndex = ((rr * s + ss) * c + cc) * k + kk
                            if isFloat {
                                let a = inside ? input.float(at: (y * w + x) * c + cc) : padElement.float(at: 0)
                                floatSum += a * weights.float(at: weightIndex)
                            } else {
                                let a = inside ? input.integer(at: (y * w + x) * c + cc) : padElement.integer(at: 0)
                                integerSum += a * weights.integer(at: weightIndex)
                            }
                        }
                    }
                }
                let index = (oy * ow + ox) * k + kk
                if isFloat {
                    output.set(float: floatSum, at: index)
                } else {
                    output.set(integer: Int64(Int32(truncatingIfNeeded: integerSum)), at: index)
                }
            }
        }
    }
    return output
}
