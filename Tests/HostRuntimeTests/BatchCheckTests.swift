import ISA
import Testing
@testable import HostRuntime

/// The window functions of the check language on an NHWC batch `[N, H, W, C]`: the same result
/// as evaluating each image `[H, W, C]` on its own and stacking the results.
struct BatchCheckTests {
    static let images = 3

    /// Image `n` of a batch, as a rank-3 tensor.
    func image(_ batch: Tensor, _ n: Int) throws -> Tensor {
        try Reference.reshape(Reference.slice(batch, axis: 0, start: n, length: 1), to: Array(batch.shape.dropFirst()))
    }

    /// Evaluates `line` (which assigns `Y` from `X` and the other inputs) on the batch and on each
    /// image; expects the batch result to be the per-image results stacked.
    func expectPerImage(_ line: String, x: Tensor, others: [String: Tensor] = [:],
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let program = try CheckProgram(lines: [line])
        let batched = try program.evaluate(inputs: others.merging(["X": x]) { $1 })["Y"]!
        var stacked: [Tensor] = []
        for n in 0..<x.shape[0] {
            let single = try program.evaluate(inputs: others.merging(["X": try image(x, n)]) { $1 })["Y"]!
            #expect(single.shape.count == 3, sourceLocation: sourceLocation)
            stacked.append(single.reshaped(to: [1] + single.shape))
        }
        #expect(batched == (try Reference.concat(stacked, axis: 0)), "\(line)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        "Y = conv2d(X, W, stride=1, pad=1, pad_value=3)",
        "Y = conv2d(X, W, stride=2,1, pad=1,0,2,1, dilation=2, type=i16)",
    ])
    func convolution(line: String) throws {
        let x = Tensor.random(shape: [Self.images, 7, 6, 4], type: .int8, seed: 1)
        try expectPerImage(line, x: x, others: ["W": Tensor.random(shape: [3, 3, 4, 5], type: .int8, seed: 2)])
    }

    @Test func groupedAndDepthwiseConvolution() throws {
        let x = Tensor.random(shape: [Self.images, 5, 5, 8], type: .int16, seed: 3)
        try expectPerImage("Y = conv2d(X, W, pad=1, groups=4)", x: x, others: ["W": Tensor.random(shape: [3, 3, 2, 12], type: .int16, seed: 4)])
        try expectPerImage("Y = conv2d(X, W, pad=1, groups=8)", x: x, others: ["W": Tensor.random(shape: [3, 3, 1, 8], type: .int16, seed: 5)])
    }

    @Test func fp16Convolution() throws {
        let x = Tensor.random(shape: [2, 4, 4, 3], type: .fp16, seed: 6)
        try expectPerImage("Y = conv2d(X, W, pad=1)", x: x, others: ["W": Tensor.random(shape: [3, 3, 3, 2], type: .fp16, seed: 7)])
    }

    @Test(arguments: [
        "Y = maxpool(X, k=3, stride=2, pad=1)",
        "Y = maxpool(X, k=2)",
        "Y = sumpool(X, k=2,3, stride=1, pad=1, pad_value=5, type=i32)",
        "Y = sumpool(X, k=2)",
    ])
    func pooling(line: String) throws {
        try expectPerImage(line, x: Tensor.random(shape: [Self.images, 7, 6, 4], type: .int8, seed: 8))
    }

    /// A compiled layer's checks on a batch: convolution, per-channel requantization and pooling.
    @Test func layerChecksOnABatch() throws {
        let program = try CheckProgram(lines: [
            "ACC = conv2d(X, W, stride=1,1, pad=1,1,1,1, dilation=1,1, groups=1, pad_value=3)",
            "T = requant(ACC, P, zp=-7, lo=-7, hi=127, type=i8)",
            "Y = maxpool(T, k=2,2, stride=2,2)",
        ])
        let x = Tensor.random(shape: [2, 4, 4, 3], type: .int8, seed: 9)
        let constants = ["W": Tensor.random(shape: [3, 3, 3, 2], type: .int8, seed: 10),
                         "P": Tensor(shape: [2, 3], type: .int32, integers: [1 << 30, 36, 5, 1 << 30, 37, -9])]
        let batched = try program.evaluate(inputs: constants.merging(["X": x]) { $1 })["Y"]!
        #expect(batched.shape == [2, 2, 2, 2])
        for n in 0..<2 {
            let single = try program.evaluate(inputs: constants.merging(["X": try image(x, n)]) { $1 })["Y"]!
            #expect(try image(batched, n) == single)
        }
    }

    @Test func otherRanksAndEmptyBatchesAreRejected() {
        let w = Tensor.random(shape: [1, 1, 2, 2], type: .int8, seed: 11)
        for shape in [[4, 2], [1, 2, 2, 2, 2]] {
            let input = Tensor(shape: shape, type: .int8)
            #expect(throws: ReferenceError("conv2d", "input must be [H, W, C] or [N, H, W, C], got \(input.description)")) {
                _ = try Reference.conv2d(input, w)
            }
        }
        #expect(throws: ReferenceError("maxpool", "the batch i8[0,2,2,2] has no image")) {
            _ = try Reference.pool(Tensor(shape: [0, 2, 2, 2], type: .int8),
                                   .init(function: .maximum, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2))
        }
    }
}
