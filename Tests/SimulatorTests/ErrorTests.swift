import ISA
import Testing
@testable import Simulator

@Suite struct ErrorTests {
    func error(_ instructions: [Instruction], config: HardwareConfig = testConfig(), segments: [DataSegment] = [],
               mode: SimulationMode = .functional) -> SimulationError? {
        do {
            _ = try run(instructions, config: config, segments: segments, mode: mode)
            return nil
        } catch {
            return error
        }
    }

    @Test func deadlockNamesTheWaitingInstruction() {
        let waiting = gemm(m: 4, k: 4, n: 4, [.popPrevious])
        let failure = error([waiting, halt])
        #expect(failure == .deadlock([.init(index: 0, text: Disassembler.text(of: waiting), reason: "on the compute engine waits for a token from load")]))
        #expect(failure?.description == "deadlock: instruction 0 (\(Disassembler.text(of: waiting))) on the compute engine waits for a token from load")
    }

    @Test func mutualWaitNamesBoth() {
        let failure = error([load(.nbin, dram: 0, address: 0, x: 4, [.popNext, .pushNext]), gemm(m: 4, k: 1, n: 1, [.popPrevious, .pushPrevious]), halt])
        guard case .deadlock(let blocked) = failure else {
            Issue.record("expected a deadlock, got \(String(describing: failure))")
            return
        }
        #expect(blocked.map(\.index) == [0, 1])
        #expect(blocked[0].reason.hasSuffix("waits for a token from compute"))
        #expect(blocked[1].reason.hasSuffix("waits for a token from load"))
    }

    /// With queues of 2, the third store cannot be dispatched while the first waits for a token
    /// that only the matmul behind it in program order would push.
    @Test func fullQueueDeadlock() {
        var config = testConfig()
        config.queueDepth = 2
        let stores = (0..<3).map { store(.nbout, dram: 0, address: 0, x: 1, $0 == 0 ? [.popPrevious] : []) }
        let failure = error(stores + [gemm(m: 1, k: 1, n: 1, [.pushNext]), halt], config: config)
        guard case .deadlock(let blocked) = failure else {
            Issue.record("expected a deadlock, got \(String(describing: failure))")
            return
        }
        #expect(blocked.map(\.index) == [0, 2])
        #expect(blocked[1].reason == "cannot be dispatched: the store queue is full (depth 2)")
    }

    @Test(arguments: [SimulationMode.functional, .timingOnly])
    func bufferOverflowNamesTheInstruction(mode: SimulationMode) {
        let overflowing = load(.nbin, dram: 0, address: 0x7f0, x: 272)
        let failure = error([Instruction(.nop(NoOperation(engine: .load))), overflowing, halt], mode: mode)
        #expect(failure?.description == "instruction 1 (\(Disassembler.text(of: overflowing))): buffer access 0x7f0..0x8ff exceeds nbin capacity 2048 bytes")
    }

    @Test func dramOutOfRange() {
        let failure = error([load(.nbin, dram: 0xffff0, address: 0, x: 32), halt])
        #expect(failure?.description.hasPrefix("instruction 0 (load ") == true)
        #expect(failure?.description.hasSuffix("DRAM access 0xffff0..0x10000f exceeds the DRAM capacity of 1048576 bytes") == true)
    }

    @Test func misalignedAccesses() {
        let failure = error([gemm(m: 1, k: 1, n: 1), gemm(m: 1, k: 1, n: 1, output: 2), halt])
        #expect(failure?.description.hasPrefix("instruction 1 (matmul ") == true)
        #expect(failure?.description.hasSuffix("misaligned output access at nbout 0x2: 4-byte elements need 4-byte alignment") == true)
        let load16 = error([load(.sb, .int16, dram: 0, address: 3, x: 2), halt])
        #expect(load16?.description.contains("misaligned buffer access at sb 0x3") == true)
    }

    @Test func matmulOperandsMustFit() {
        // 16 x 16 int32 accumulators = 1 KiB at 0x600 runs past NBout's 2 KiB.
        let failure = error([gemm(m: 16, k: 1, n: 16, output: 0x600), halt])
        #expect(failure?.description.hasSuffix("output access 0x600..0x9ff exceeds nbout capacity 2048 bytes") == true)
        // In fp16 mode the weights are 2 bytes each: 32 x 64 of them are 4 KiB at SB 0x10.
        let fp16 = error([Instruction(.setDataType(DataTypeSetting(.fp16))), gemm(m: 1, k: 32, n: 64, weights: 0x10), halt])
        #expect(fp16?.description.hasPrefix("instruction 1 ") == true)
        #expect(fp16?.description.hasSuffix("weight access 0x10..0x100f exceeds sb capacity 4096 bytes") == true)
    }

    @Test func otherStaticErrors() {
        let pwl = error([vector(.piecewiseLinear, .int32, .int32, a: 0, destination: 0, columns: 1), halt])
        #expect(pwl?.description.hasSuffix("PWL table 0 is used before any pwl.load fills it") == true)
        let padded = error([store(.nbout, dram: 0, address: 0, x: 1) { $0.xPadBefore = 1 }, halt])
        #expect(padded?.description.hasSuffix("a store takes no padding") == true)
        let badField = error([load(.nbin, dram: 0, address: 0, x: 0), halt])
        #expect(badField?.description.hasSuffix("load: x=0 is out of range (1...65535)") == true)
        let badFlag = error([Instruction(.load(Transfer()), dependencies: [.popPrevious]), halt])
        #expect(badFlag?.description.contains("pop_prev is not available on the load engine") == true)
        // Nothing after `halt` is fetched, so nothing after it is checked.
        #expect(error([halt, load(.nbin, dram: 0, address: 0, x: 0)]) == nil)
    }

    @Test func dataErrorsInFunctionalMode() {
        // A per-channel shift of 99 is outside 0...62: the functional run names the instruction.
        let segments = [DataSegment(address: 0, bytes: bytes([1, 99], as: .int32))]
        let requantize = vector(.requantizePerChannel, .int32, .int8, a: 16, destination: 32, columns: 1) { ($0.bBuffer, $0.bAddress) = (.nbout, 0) }
        let program = [load(.nbout, .int32, dram: 0, address: 0, x: 2, [.pushNext]), Instruction(requantize.operation, dependencies: [.popPrevious]), halt]
        let failure = error(program, segments: segments)
        #expect(failure?.description.hasPrefix("instruction 1 (vrequantc ") == true)
        #expect(failure?.description.hasSuffix("the per-channel shift 99 of column 0 (nbout 0x4) is outside 0...62") == true)
        #expect(error(program, segments: segments, mode: .timingOnly) == nil)

    }

    @Test func invalidConfiguration() {
        var config = testConfig()
        config.array.rows = 0
        #expect(error([halt], config: config) == .invalidConfiguration("invalid configuration: array.rows must be positive, got 0"))
    }

    @Test func dramImage() throws {
        var image = DRAMImage(capacityBytes: 16, segments: [DataSegment(address: 12, bytes: [1, 2, 3, 4, 5, 6])])
        #expect(try image.read(6, at: 10) == [0, 0, 1, 2, 3, 4])  // the segment is clipped at the capacity
        try image.write([9], at: 0)
        #expect(try image.read(2, at: 0) == [9, 0])
        #expect(throws: SimulationError.dramAccessOutOfRange(address: 15, count: 2, capacityBytes: 16)) { try image.read(2, at: 15) }
        #expect(throws: SimulationError.self) { try image.write([1], at: -1) }
        #expect(throws: SimulationError.self) { try DRAMImage(capacityBytes: 16, checking: [DataSegment(address: 12, bytes: [1, 2, 3, 4, 5])]) }
        var small = DRAMImage(capacityBytes: 16), grown = small
        try small.write([7], at: 1)
        try grown.write([0, 7, 0, 0, 0], at: 0)
        #expect(grown.storedBytes == 5 && small.storedBytes == 2)
        #expect(grown == small)  // trailing zeros do not matter
        try grown.write([1], at: 15)
        #expect(grown != small)
    }
}
