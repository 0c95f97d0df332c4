import ISA
import Testing
@testable import Simulator

/// A matmul's `df` field on fixed and flexible arrays (`MatmulDataflow`).
@Suite struct MatmulDataflowTests {
    /// The 4x4 test array, able to run any dataflow.
    static let flexible = with(testConfig()) { $0.array.flexibleDataflow = true }

    static func gemm(_ dataflow: MatmulDataflow) -> Instruction {
        let instruction = MatmulDataflowTests.tile(dataflow)
        return Instruction(.matmul(instruction))
    }

    static func tile(_ dataflow: MatmulDataflow) -> MatrixTile {
        with(MatrixTile()) {
            ($0.inputWidth, $0.outputWidth, $0.channels, $0.outputChannels) = (8, 8, 8, 6)
            $0.dataflow = dataflow
        }
    }

    /// The GEMM [8 x 8] x [8 x 6] of `TimingTests.gemmTileCycles` (fetched by cycle 14), in each
    /// dataflow on the flexible 4x4 array, derived by hand (`SystolicTiming`'s table):
    /// - ws: Sr = W = 8, Sc = K = 6, T = P = 8: 2 * 2 folds of 2*4 + 4 + 8 - 2 = 18: 72, ends at 86;
    /// - os: Sr = P = 8, Sc = K = 6, T = W = 8: 2 * 2 folds of 8 + 4 + 4 - 2 = 14: 56, ends at 70;
    /// - is: Sr = W = 8, Sc = P = 8, T = K = 6: 2 * 2 folds of 2*4 + 4 + 6 - 2 = 16: 64, ends at 78.
    /// `array` is the flexible array's default, weight-stationary.
    @Test(arguments: [(MatmulDataflow.array, 86), (.weightStationary, 86), (.outputStationary, 70), (.inputStationary, 78)])
    func eachDataflowHasItsCycles(_ dataflow: MatmulDataflow, _ cycles: Int) throws {
        let result = try run([Self.gemm(dataflow), halt], config: Self.flexible)
        #expect(result.statistics.cycles == cycles)
        #expect(result.statistics.macs == 8 * 8 * 6)
    }

    /// The dataflow changes which operand is re-read per fold (`SRAMTraffic`): ws and is both
    /// fold 2 x 2 here; ws re-reads the input (P x W = 64 B) per column fold and reads the weights
    /// (W x K = 48 B) once; is reads the input once and the weights per column fold.
    @Test func sramTrafficFollowsTheDataflow() throws {
        let ws = try run([Self.gemm(.weightStationary), halt], config: Self.flexible).statistics.sram
        let inputStationary = try run([Self.gemm(.inputStationary), halt], config: Self.flexible).statistics.sram
        #expect((ws.nbin.bytesRead, ws.sb.bytesRead) == (128, 48))
        #expect((inputStationary.nbin.bytesRead, inputStationary.sb.bytesRead) == (64, 96))
    }

    /// On a fixed array, a matmul may name only the array's own dataflow.
    @Test func aFixedArrayRejectsAnotherDataflow() throws {
        #expect(try run([Self.gemm(.weightStationary), halt]).statistics.cycles == 86)
        do {
            _ = try run([Self.gemm(.outputStationary), halt])
            Issue.record("a ws array ran a df=os matmul")
        } catch {
            #expect("\(error)".contains("df=os on a ws array"), "\(error)")
        }
        let os = with(testConfig()) { $0.array.dataflow = .outputStationary }
        #expect(try run([Self.gemm(.outputStationary), halt], config: os).statistics.cycles == 70)
    }

    /// The result does not depend on the dataflow: the same values in every one.
    @Test func valuesDoNotDependOnTheDataflow() throws {
        var outputs: [[Int]] = []
        for dataflow in MatmulDataflow.allCases {
            let program = [load(.nbin, dram: 0, address: 0, x: 64), load(.sb, dram: 64, address: 0, x: 48),
                           Instruction(.matmul(Self.tile(dataflow))), store(.nbout, dram: 0x200, address: 0, x: 48), halt]
            let segments = [DataSegment(address: 0, bytes: (0..<112).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) })]
            let result = try run(synchronized(program), config: Self.flexible, segments: segments)
            outputs.append(try read(result, 48, .int32, at: 0x200))
        }
        #expect(Set(outputs).count == 1)
    }
}
