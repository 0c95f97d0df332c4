import Testing
@testable import ISA

/// `AreaModel` on the edge preset, derived by hand from its documented figures.
@Suite struct AreaModelTests {
    /// edge: 32x32 int8, double-buffered; 256 + 256 + 128 KiB; 32 vector lanes; queues of 64.
    /// - PE: 8-bit multiplier 6,350 * 64 / 1024 = 396.875 µm², adder 278, registers
    ///   (8 streaming + 2 x 8 stationary + 32 partial sum) = 56 bits x 5.98 = 334.88: 1,009.755 µm²;
    ///   x 1,024 = 1.034 mm².
    /// - Buffers: 655,360 B x 8 = 5,242,880 bits x 0.484 µm² = 2.5376 mm².
    /// - Vector: 32 x (6,350 + 278 + 64 x 5.98 = 7,010.72) = 0.2243 mm².
    /// - Control: 3 x 64 x 256 bits x 5.98 = 0.2939 mm².
    @Test func edgeByHand() {
        let area = AreaModel.estimate(.edge)
        #expect(abs(area.array - 1_024 * 1_009.755e-6) < 1e-9)
        #expect(abs(area.buffers - 5_242_880 * 0.484e-6) < 1e-9)
        #expect(abs(area.vector - 32 * 7_010.72e-6) < 1e-9)
        #expect(abs(area.control - 49_152 * 5.98e-6) < 1e-9)
        #expect(abs(area.total - (area.array + area.buffers + area.vector + area.control)) < 1e-12)
    }

    /// Area grows with each resource: array size, buffers, operand width.
    @Test func growsWithResources() {
        var bigger = HardwareConfig.edge
        bigger.array.rows = 64
        #expect(AreaModel.estimate(bigger).array == 2 * AreaModel.estimate(.edge).array)
        bigger = .edge
        bigger.sb.capacityBytes *= 2
        #expect(AreaModel.estimate(bigger).buffers > AreaModel.estimate(.edge).buffers)
        #expect(AreaModel.estimate(.edge, dataType: .int16).array > AreaModel.estimate(.edge).array)
    }
}
