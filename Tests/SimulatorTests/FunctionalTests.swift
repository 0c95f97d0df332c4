import ISA
import Testing
@testable import Simulator

@Suite struct FunctionalTests {
    /// [1 -2 3; -4 5 -6] x [7 8; 9 10; 11 12] = [22 24; -49 -54]; a second matmul with acc=1 doubles it.
    @Test func int8Matmul() throws {
        let segments = [DataSegment(address: 0, bytes: bytes([1, -2, 3, -4, 5, -6], as: .int8)),
                        DataSegment(address: 0x100, bytes: bytes([7, 8, 9, 10, 11, 12], as: .int8))]
        let program = [load(.nbin, dram: 0, address: 0, x: 6), load(.sb, dram: 0x100, address: 0, x: 6),
                       gemm(m: 2, k: 3, n: 2), store(.nbout, dram: 0x200, address: 0, x: 4),
                       gemm(m: 2, k: 3, n: 2, accumulate: true), store(.nbout, dram: 0x300, address: 0, x: 4), halt]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 4, .int32, at: 0x200) == [22, 24, -49, -54])
        #expect(try read(result, 4, .int32, at: 0x300) == [44, 48, -98, -108])
    }

    /// int16: three products (-32768)^2 = 2^30 sum to 3 * 2^30, which wraps modulo 2^32 to
    /// -2^30 (a saturating store would give 2^31 - 1).
    @Test func int16MatmulWraps() throws {
        let segments = [DataSegment(address: 0, bytes: bytes([-32768, -32768, -32768], as: .int16))]
        let program = [load(.nbin, .int16, dram: 0, address: 0, x: 3), load(.sb, .int16, dram: 0, address: 0, x: 3),
                       Instruction(.setDataType(DataTypeSetting(.int16))),
                       gemm(m: 1, k: 3, n: 1), store(.nbout, dram: 0x100, address: 0, x: 1), halt]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 1, .int32, at: 0x100) == [-(1 << 30)])
    }

    /// fp16: [1.5 2.25] . [0.5 -4] = -8.25. With acc=1 on an accumulator of 2^24, adding 1 and 1
    /// one at a time rounds back to 2^24 twice (ties to even); summing the products first would give 2^24 + 2.
    @Test func fp16MatmulOrder() throws {
        let segments = [DataSegment(address: 0, bytes: bytes(floats: [1.5, 2.25, 1, 1], as: .fp16)),
                        DataSegment(address: 0x100, bytes: bytes(floats: [0.5, -4, 1, 1], as: .fp16)),
                        DataSegment(address: 0x200, bytes: bytes(floats: [16_777_216], as: .fp32))]
        var config = testConfig(dataType: .fp16)
        config.dataType = .fp16
        let program = [load(.nbin, .fp16, dram: 0, address: 0, x: 4), load(.sb, .fp16, dram: 0x100, address: 0, x: 4),
                       load(.nbout, .fp32, dram: 0x200, address: 4, x: 1),
                       gemm(m: 1, k: 2, n: 1), gemm(m: 1, k: 2, n: 1, input: 4, weights: 4, output: 4, accumulate: true),
                       store(.nbout, .fp32, dram: 0x300, address: 0, x: 2), halt]
        let result = try run(synchronized(program), config: config, segments: segments)
        #expect(floats(try result.dram.read(8, at: 0x300), as: .fp32) == [-8.25, 16_777_216])
    }

    /// A 3x3 convolution of a 3x3 image padded by the load DMA (pad 0): each output is the sum of
    /// its 3x3 neighbourhood.
    @Test func convolutionWithDMAPadding() throws {
        let segments = [DataSegment(address: 0, bytes: bytes(Array(1...9), as: .int8)),
                        DataSegment(address: 0x100, bytes: bytes(Array(repeating: 1, count: 9), as: .int8))]
        let conv = Instruction(.matmul(with(MatrixTile()) {
            ($0.inputWidth, $0.channels, $0.outputHeight, $0.outputWidth, $0.outputChannels) = (5, 1, 3, 3, 1)
            ($0.kernelHeight, $0.kernelWidth) = (3, 3)
        }))
        let padded = load(.nbin, dram: 0, address: 0, x: 3, y: 3) {
            ($0.xPadBefore, $0.xPadAfter, $0.yPadBefore, $0.yPadAfter) = (1, 1, 1, 1)
            $0.padValue = -1
        }
        let program = [padded, load(.sb, dram: 0x100, address: 0, x: 9), conv,
                       store(.nbout, dram: 0x200, address: 0, x: 9), store(.nbin, .int8, dram: 0x300, address: 0, x: 25), halt]
        let result = try run(synchronized(program), segments: segments)
        // With pad value -1: a corner sees 5 padding elements, an edge 3.
        #expect(try read(result, 9, .int32, at: 0x200) == [12 - 5, 21 - 3, 16 - 5, 27 - 3, 45, 33 - 3, 24 - 5, 39 - 3, 28 - 5])
        #expect(try read(result, 25, .int8, at: 0x300) == [-1, -1, -1, -1, -1, -1, 1, 2, 3, -1, -1, 4, 5, 6, -1,
                                                           -1, 7, 8, 9, -1, -1, -1, -1, -1, -1])
    }

    /// A strided, dilated tile: 2 channels, stride 2 and dilation 2 over a 5x5 input, one output channel.
    @Test func stridedDilatedConvolution() throws {
        let input = (0..<50).map { $0 % 7 - 3 }  // 5 x 5 pixels x 2 channels
        let weights = [1, -1, 2, 0, -2, 1, 1, 1]  // [r][s][c][k]: 2 x 2 x 2 x 1
        let tile = with(MatrixTile()) {
            ($0.inputWidth, $0.channels, $0.outputHeight, $0.outputWidth, $0.outputChannels) = (5, 2, 2, 2, 1)
            ($0.kernelHeight, $0.kernelWidth, $0.strideY, $0.strideX, $0.dilationY, $0.dilationX) = (2, 2, 2, 2, 2, 2)
        }
        var expected: [Int] = []
        for oy in 0..<2 {
            for ox in 0..<2 {
                var sum = 0
                for r in 0..<2 {
                    for s in 0..<2 {
                        for c in 0..<2 { sum += input[((oy * 2 + r * 2) * 5 + ox * 2 + s * 2) * 2 + c] * weights[(r * 2 + s) * 2 + c] }
                    }
                }
                expected.append(sum)
            }
        }
        let segments = [DataSegment(address: 0, bytes: bytes(input, as: .int8)), DataSegment(address: 0x100, bytes: bytes(weights, as: .int8))]
        let program = [load(.nbin, dram: 0, address: 0, x: 50), load(.sb, dram: 0x100, address: 0, x: 8),
                       Instruction(.matmul(tile)), store(.nbout, dram: 0x200, address: 0, x: 4), halt]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 4, .int32, at: 0x200) == expected)
    }

    /// 4x4 single-channel input; 2x2 windows, stride 2.
    @Test func pooling() throws {
        let input = [1, 5, -3, 100, 2, 0, 100, 100, -7, -8, 4, 4, -9, -128, 4, 4]
        func pool(_ function: PoolWindow.Function, destinationType: ElementType, destination: Int) -> Instruction {
            Instruction(.pool(with(PoolWindow()) {
                $0.function = function
                ($0.sourceBuffer, $0.destinationBuffer, $0.destinationAddress) = (.nbin, .nbout, destination)
                ($0.inputWidth, $0.outputHeight, $0.outputWidth, $0.windowHeight, $0.windowWidth, $0.strideY, $0.strideX) = (4, 2, 2, 2, 2, 2, 2)
                ($0.sourceType, $0.destinationType) = (.int8, destinationType)
            }))
        }
        let program = [load(.nbin, dram: 0, address: 0, x: 16), pool(.maximum, destinationType: .int8, destination: 0),
                       pool(.sum, destinationType: .int32, destination: 16), pool(.sum, destinationType: .int8, destination: 32),
                       store(.nbout, .int8, dram: 0x100, address: 0, x: 4), store(.nbout, .int32, dram: 0x200, address: 16, x: 4),
                       store(.nbout, .int8, dram: 0x300, address: 32, x: 4), halt]
        let result = try run(synchronized(program), segments: [DataSegment(address: 0, bytes: bytes(input, as: .int8))])
        #expect(try read(result, 4, .int8, at: 0x100) == [5, 100, -7, 4])
        #expect(try read(result, 4, .int32, at: 0x200) == [8, 297, -152, 16])
        #expect(try read(result, 4, .int8, at: 0x300) == [8, 127, -128, 16])  // saturated
    }

    @Test func vectorOperations() throws {
        let a = [100, -100, 7, -7], b = [100, -100, 3, 2]
        let segments = [DataSegment(address: 0, bytes: bytes(a, as: .int8) + bytes(b, as: .int8)),
                        DataSegment(address: 0x100, bytes: bytes(floats: [1.5, -2, 0.25, 3], as: .fp16)),
                        DataSegment(address: 0x200, bytes: bytes([70000, -5, 300, 12], as: .int32))]
        let program: [Instruction] = [
            load(.nbout, dram: 0, address: 0, x: 8), load(.nbout, .fp16, dram: 0x100, address: 64, x: 4),
            load(.nbout, .int32, dram: 0x200, address: 128, x: 4),
            vector(.add, .int8, .int8, a: 0, b: 4, destination: 256, columns: 4),
            vector(.subtract, .int8, .int16, a: 0, b: 4, destination: 260, columns: 4),
            vector(.multiply, .int8, .int16, a: 0, b: 4, destination: 268, columns: 4) { $0.shift = 2 },
            vector(.maximumImmediate, .int8, .int8, a: 0, destination: 276, columns: 4) { $0.immediate = 5 },
            vector(.relu, .int8, .int8, a: 0, destination: 280, columns: 4),
            vector(.copy, .int32, .int8, a: 128, destination: 284, columns: 4),
            vector(.clamp, .int32, .int16, a: 128, destination: 288, columns: 4) { ($0.immediate, $0.immediate2) = (0, 100) },
            vector(.add, .fp16, .fp16, a: 64, b: 64, destination: 296, columns: 4),
            vector(.multiplyImmediate, .fp16, .int8, a: 64, destination: 304, columns: 4) { $0.immediate = 3 },
            vector(.add, .int8, .int8, a: 0, b: 4, destination: 308, columns: 2, rows: 2) { ($0.aPitch, $0.broadcastB) = (2, true) },
            store(.nbout, .int8, dram: 0x400, address: 256, x: 4), store(.nbout, .int16, dram: 0x500, address: 260, x: 8),
            store(.nbout, .int8, dram: 0x600, address: 276, x: 12), store(.nbout, .int16, dram: 0x700, address: 288, x: 4),
            store(.nbout, .fp16, dram: 0x800, address: 296, x: 4), store(.nbout, .int8, dram: 0x900, address: 304, x: 8), halt,
        ]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 4, .int8, at: 0x400) == [127, -128, 10, -5])  // saturating add
        // sub: [0, 0, 4, -9]; mul with shift 2 (round half up): 10000/4 = 2500, 2500, 21/4 -> 5, -14/4 -> -3.5 -> -3
        #expect(try read(result, 8, .int16, at: 0x500) == [0, 0, 4, -9, 2500, 2500, 5, -3])
        // max(a, 5); relu(a); int32 -> int8 saturating copy
        #expect(try read(result, 12, .int8, at: 0x600) == [100, 5, 7, 5, 100, 0, 7, 0, 127, -5, 127, 12])
        #expect(try read(result, 4, .int16, at: 0x700) == [100, 0, 100, 12])
        #expect(floats(try result.dram.read(8, at: 0x800), as: .fp16) == [3, -4, 0.5, 6])
        // 3 * [1.5, -2, 0.25, 3] = [4.5, -6, 0.75, 9] rounded half to even into int8: [4, -6, 1, 9];
        // then the broadcast add: rows [100, -100] and [7, -7] plus B's first row [100, -100].
        #expect(try read(result, 8, .int8, at: 0x900) == [4, -6, 1, 9, 127, -128, 107, -107])
    }

    /// vrequant with mult 3, shift 2, zp 1, clamp [-128, 127]:
    /// 10 -> roundShift(30, 2) = 8 -> 9; -10 -> roundShift(-30, 2) = -7 -> -6; 1000 -> 751 -> 127.
    /// vrequantc with per-column (mult, shift) = (1, 0), (5, 1) and the same zp/clamp registers:
    /// [7, 7] -> [7 + 1, roundShift(35, 1) + 1 = 18 + 1].
    @Test func requantization() throws {
        let parameters = with(RequantizationParameters()) {
            ($0.multiplier, $0.shift, $0.zeroPoint, $0.low, $0.high) = (3, 2, 1, -128, 127)
        }
        let segments = [DataSegment(address: 0, bytes: bytes([10, -10, 1000, 7, 7], as: .int32)),
                        DataSegment(address: 0x100, bytes: bytes([1, 0, 5, 1], as: .int32))]
        let program = [load(.nbout, .int32, dram: 0, address: 0, x: 5), load(.sb, .int32, dram: 0x100, address: 0, x: 4),
                       Instruction(.setRequantization(parameters)),
                       vector(.requantize, .int32, .int8, a: 0, destination: 64, columns: 3),
                       vector(.requantizePerChannel, .int32, .int8, a: 12, destination: 68, columns: 2) {
                           ($0.bBuffer, $0.bAddress, $0.broadcastB) = (.sb, 0, true)
                       },
                       store(.nbout, .int8, dram: 0x200, address: 64, x: 6), halt]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 6, .int8, at: 0x200) == [9, -6, 127, 0, 8, 19])
    }

    /// Table: x < 0 -> -5; x >= 0 -> 10 + roundShift(3 * x, 1). So -4 -> -5, 0 -> 10, 5 -> 10 + 8 = 18.
    @Test func piecewiseLinear() throws {
        let table = PWLTable(segments: [.init(start: Int32.min, slope: 0, intercept: -5), .init(start: 0, slope: 3, intercept: 10)], shift: 1)
        let floatTable = PWLTable(segments: [.init(start: Int32(bitPattern: Float(0).bitPattern), slope: Int32(bitPattern: Float(0.5).bitPattern),
                                                   intercept: Int32(bitPattern: Float(1).bitPattern))], shift: 0)
        let segments = [DataSegment(address: 0, bytes: table.bytes), DataSegment(address: 0x40, bytes: floatTable.bytes),
                        DataSegment(address: 0x100, bytes: bytes([-4, 0, 5], as: .int32)),
                        DataSegment(address: 0x200, bytes: bytes(floats: [2, -1], as: .fp16))]
        func pwlLoad(table: Int, address: Int, segments: Int, shift: Int) -> Instruction {
            Instruction(.loadPWL(with(PWLLoad()) { ($0.table, $0.buffer, $0.address, $0.segments, $0.shift) = (table, .sb, address, segments, shift) }))
        }
        let program = [load(.sb, .int32, dram: 0, address: 0, x: 6), load(.sb, .int32, dram: 0x40, address: 0x40, x: 3),
                       load(.nbout, .int32, dram: 0x100, address: 0, x: 3), load(.nbout, .fp16, dram: 0x200, address: 16, x: 2),
                       pwlLoad(table: 1, address: 0, segments: 2, shift: 1), pwlLoad(table: 2, address: 0x40, segments: 1, shift: 0),
                       vector(.piecewiseLinear, .int32, .int32, a: 0, destination: 32, columns: 3) { $0.table = 1 },
                       vector(.piecewiseLinear, .fp16, .fp32, a: 16, destination: 48, columns: 2) { $0.table = 2 },
                       store(.nbout, .int32, dram: 0x300, address: 32, x: 3), store(.nbout, .fp32, dram: 0x400, address: 48, x: 2), halt]
        let result = try run(synchronized(program), segments: segments)
        #expect(try read(result, 3, .int32, at: 0x300) == [-5, 10, 18])
        // 1 + 0.5 * x: 2 -> 2; -1 -> 0.5 (a single segment applies everywhere).
        #expect(floats(try result.dram.read(8, at: 0x400), as: .fp32) == [2, 0.5])
    }

}
