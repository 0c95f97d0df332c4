import ISA
import Testing
@testable import Simulator

@Suite struct SystolicTimingTests {
    /// SCALE-Sim 3.0.0's golden case (DESIGN.md §9): AlexNet conv1, 224x224x3, 11x11, 96 filters,
    /// stride 4, on a 32x32 ws array. P = 55*55 = 3025, W = 11*11*3 = 363, K = 96.
    /// folds = ceil(363/32) * ceil(96/32) = 12 * 3 = 36; per fold 2*32 + 32 + 3025 - 2 = 3119;
    /// 36 * 3119 = 112,284 = SCALE-Sim's 112,283 + 1 (it numbers cycles from 0).
    @Test func scaleSimAlexNetConv1() {
        let timing = SystolicTiming(dataflow: .weightStationary, rows: 32, cols: 32, outputPixels: 3025, window: 363, filters: 96)
        #expect(timing.folds == 36)
        #expect(timing.cyclesPerFold == 3119)
        #expect(timing.cycles == 112_283 + 1)
        // Mapping efficiency 363*96 / (36*1024) = 94.53%; utilization 105,415,200 MACs / (112,283 * 1024) = 91.68%.
        #expect(abs(timing.mappingEfficiency - 0.9453) < 0.00005)
        #expect(abs(Double(3025 * 363 * 96) / Double((timing.cycles - 1) * 1024) - 0.9168) < 0.00005)
    }

    /// os: Sr = P = 10, Sc = K = 6, T = W = 20 on 4x4: folds = 3 * 2 = 6; per fold 20 + 4 + 4 - 2 = 26.
    /// is: Sr = W = 20, Sc = P = 10, T = K = 6: folds = 5 * 3 = 15; per fold 8 + 4 + 6 - 2 = 16.
    @Test func outputAndInputStationary() {
        let os = SystolicTiming(dataflow: .outputStationary, rows: 4, cols: 4, outputPixels: 10, window: 20, filters: 6)
        #expect((os.folds, os.cyclesPerFold, os.cycles) == (6, 26, 156))
        #expect(abs(os.mappingEfficiency - 60.0 / 96) < 1e-12)
        let inputStationary = SystolicTiming(dataflow: .inputStationary, rows: 4, cols: 4, outputPixels: 10, window: 20, filters: 6)
        #expect((inputStationary.folds, inputStationary.cyclesPerFold, inputStationary.cycles) == (15, 16, 240))
        #expect(abs(inputStationary.mappingEfficiency - 200.0 / 240) < 1e-12)
    }

    @Test(arguments: [(64, 0, 64, 1), (0x30, 0, 100, 3), (63, 0, 2, 2), (128, 0, 64, 1)])
    func burstCounting(start: Int, unused: Int, length: Int, bursts: Int) {
        #expect(DRAMTiming.bursts(start: start, length: length, burst: 64) == bursts)
    }

    /// Strided rows: 16-byte rows at 0, 40, 80, ... (stride 40): the burst count per row repeats
    /// every 8 rows; the periodic sum must equal the plain one.
    @Test func stridedTrafficMatchesPlainSum() {
        for rows in [1, 7, 8, 9, 100] {
            let transfer = with(Transfer()) { ($0.dramAddress, $0.xSize, $0.ySize, $0.yStride, $0.zSize, $0.zStride) = (8, 16, rows, 40, 3, 1000) }
            var plain = 0
            for z in 0..<3 {
                for y in 0..<rows { plain += DRAMTiming.bursts(start: 8 + z * 1000 + y * 40, length: 16, burst: 64) }
            }
            #expect(DRAMTiming.trafficBytes(transfer, burst: 64) == plain * 64)
        }
        // Rows whose stride equals their length merge into one run: 4 x 16 bytes at 0 = one burst.
        let packed = with(Transfer()) { ($0.xSize, $0.ySize) = (16, 4) }
        #expect(DRAMTiming.trafficBytes(packed, burst: 64) == 64)
    }
}
