import ISA
import Testing
@testable import HostRuntime

struct GroupedConvolutionTests {
    @Test(arguments: [
        GroupedCase(height: 5, width: 6, channels: 4, kernel: 3, outputs: 6, groups: 2, stride: 1, pad: 1, type: .int8),
        GroupedCase(height: 6, width: 5, channels: 6, kernel: 3, outputs: 6, groups: 3, stride: 2, pad: 1, type: .int16),
        GroupedCase(height: 4, width: 4, channels: 4, kernel: 3, outputs: 8, groups: 4, stride: 1, pad: 1, type: .fp16),
        // Depthwise, with and without a channel multiplier.
        GroupedCase(height: 7, width: 7, channels: 5, kernel: 3, outputs: 5, groups: 5, stride: 2, pad: 1, type: .int8),
        GroupedCase(height: 6, width: 6, channels: 3, kernel: 3, outputs: 6, groups: 3, stride: 1, pad: 0, type: .int8),
        GroupedCase(height: 5, width: 5, channels: 8, kernel: 3, outputs: 8, groups: 8, stride: 1, pad: 1, type: .fp16),
        GroupedCase(height: 5, width: 5, channels: 8, kernel: 1, outputs: 8, groups: 1, stride: 1, pad: 0, type: .int16),
    ])
    func matchesANaiveLoop(_ c: GroupedCase) throws {
        let input = Tensor.random(shape: [c.height, c.width, c.channels], type: c.type, seed: 11)
        let weights = Tensor.random(shape: [c.kernel, c.kernel, c.channels / c.groups, c.outputs], type: c.type, seed: 12)
        let parameters = Reference.Convolution(strideY: c.stride, strideX: c.stride, padding: .init(all: c.pad), padValue: 2,
                                               groups: c.groups)
        let result = try Reference.conv2d(input, weights, parameters)
        let expected = naiveGroupedConvolution(input, weights, parameters)
        #expect(result == expected)
    }

    /// A MobileNet-sized depthwise layer (112x112x32, 3x3, pad 1), sampled against the formula.
    @Test func largeDepthwiseLayer() throws {
        let input = Tensor.random(shape: [112, 112, 32], type: .int8, seed: 3)
        let weights = Tensor.random(shape: [3, 3, 1, 32], type: .int8, seed: 4)
        let parameters = Reference.Convolution(padding: .init(all: 1), groups: 32)
        let result = try Reference.conv2d(input, weights, parameters)
        #expect(result.shape == [112, 112, 32])
        var generator = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let (oy, ox, k) = (Int(generator.next(below: 112)), Int(generator.next(below: 112)), Int(generator.next(below: 32)))
            let expected = naiveGroupedElement(input, weights, parameters, oy: oy, ox: ox, k: k)
            #expect(result.integer(at: (oy * 112 + ox) * 32 + k) == expected.integer)
        }
    }

    @Test func groupsOfOneAreTheOrdinaryConvolution() throws {
        let input = Tensor.random(shape: [5, 5, 4], type: .int8, seed: 6)
        let weights = Tensor.random(shape: [3, 3, 4, 4], type: .int8, seed: 7)
        let ordinary = try Reference.conv2d(input, weights)
        #expect(try Reference.conv2d(input, weights, .init(groups: 1)) == ordinary)
    }

    @Test func groupsReadOnlyTheirChannels() throws {
        // Two groups, 1x1: output 0 = 2 * channel 0 + 3 * channel 1; output 1 = 5 * channel 2 + 7 * channel 3.
        let input = Tensor(shape: [1, 1, 4], type: .int8, integers: [1, 10, 100, -1])
        let weights = Tensor(shape: [1, 1, 2, 2], type: .int8, integers: [2, 5, 3, 7])
        #expect(try Reference.conv2d(input, weights, .init(groups: 2)).integers == [32, 493])
    }

    @Test func rejectsBadGroups() {
        let input = Tensor(shape: [3, 3, 4], type: .int8)
        #expect(throws: ReferenceError("conv2d", "4 input and 6 output channels are not both divisible by 3 groups")) {
            try Reference.conv2d(input, Tensor(shape: [1, 1, 1, 6], type: .int8), .init(groups: 3))
        }
        #expect(throws: ReferenceError("conv2d", "input has 2 channels per group (2 groups) but weights have 4")) {
            try Reference.conv2d(input, Tensor(shape: [1, 1, 4, 2], type: .int8), .init(groups: 2))
        }
        #expect(throws: ReferenceError("conv2d", "groups must be at least 1, got 0")) {
            try Reference.conv2d(input, Tensor(shape: [1, 1, 4, 2], type: .int8), .init(groups: 0))
        }
    }

    @Test func checkLanguageGroups() throws {
        let input = Tensor.random(shape: [6, 6, 4], type: .int8, seed: 8)
        let weights = Tensor.random(shape: [3, 3, 1, 8], type: .int8, seed: 9)
        let program = try CheckProgram(lines: ["Y = conv2d(X, W, stride=2, pad=1, groups=4)"])
        let result = try program.evaluate(inputs: ["X": input, "W": weights])
        let parameters = Reference.Convolution(strideY: 2, strideX: 2, padding: .init(all: 1), groups: 4)
        #expect(result["Y"] == naiveGroupedConvolution(input, weights, parameters))
        #expect(throws: CheckError.evaluation(line: 1, column: 5, message: "conv2d: input has 4 channels but weights have 1")) {
            try CheckProgram(lines: ["Y = conv2d(X, W)"]).evaluate(inputs: ["X": input, "W": weights])
        }
    }
}

struct GroupedCase: Sendable, CustomTestStringConvertible {
    var height, width, channels, kernel, outputs, groups, stride, pad: Int
    var type: ElementType
    var testDescription: String { "\(type) \(height)x\(width)x\(channels) k\(kernel) K\(outputs) G\(groups) s\(stride) p\(pad)" }
}

/// One output element of a grouped convolution by the formula, with bounds checks instead of a
/// padded copy: an exact integer sum wrapped to 32 bits, or an fp32 sum in r, s, c order.
func naiveGroupedElement(_ input: Tensor, _ weights: Tensor, _ p: Reference.Convolution,
                         oy: Int, ox: Int, k: Int) -> (integer: Int64, float: Float) {
    let (h, w, c) = (input.shape[0], input.shape[1], input.shape[2])
    let (r, s, groupChannels, outputs) = (weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3])
    let group = k / (outputs / p.groups)
    var padElement = Tensor(shape: [], type: input.type)
    padElement.set(integer: p.padValue, at: 0)
    var integerSum: Int64 = 0
    var floatSum: Float = 0
    for rr in 0..<r {
        for ss in 0..<s {
            for cc in 0..<groupChannels {
                let y = oy * p.strideY + rr * p.dilationY - p.padding.top
                let x = ox * p.strideX + ss * p.dilationX - p.padding.left
                let inside = (0..<h).contains(y) && (0..<w).contains(x)
                let inputIndex = (y * w + x) * c + group * groupChannels + cc
                let weightIndex = ((rr * s + ss) * groupChannels + cc) * outputs + k
                if input.type.isFloatingPoint {
                    floatSum += (inside ? input.float(at: inputIndex) : padElement.float(at: 0)) * weights.float(at: weightIndex)
                } else {
                    integerSum += (inside ? input.integer(at: inputIndex) : padElement.integer(at: 0)) * weights.integer(at: weightIndex)
                }
            }
        }
    }
    return (Int64(Int32(truncatingIfNeeded: integerSum)), floatSum)
}

func naiveGroupedConvolution(_ input: Tensor, _ weights: Tensor, _ p: Reference.Convolution) -> Tensor {
    let (h, w) = (input.shape[0], input.shape[1])
    let (r, s, k) = (weights.shape[0], weights.shape[1], weights.shape[3])
    let oh = (h + p.padding.top + p.padding.bottom - p.dilationY * (r - 1) - 1) / p.strideY + 1
    let ow = (w + p.padding.left + p.padding.right - p.dilationX * (s - 1) - 1) / p.strideX + 1
    var output = Tensor(shape: [oh, ow, k], type: input.type.isFloatingPoint ? .fp32 : .int32)
    for oy in 0..<oh {
        for ox in 0..<ow {
            for kk in 0..<k {
                let value = naiveGroupedElement(input, weights, p, oy: oy, ox: ox, k: kk)
                let index = (oy * ow + ox) * k + kk
                if input.type.isFloatingPoint {
                    output.set(float: value.float, at: index)
                } else {
                    output.set(integer: value.integer, at: index)
                }
            }
        }
    }
    return output
}
