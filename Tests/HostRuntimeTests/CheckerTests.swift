import ISA
import Testing
@testable import HostRuntime

struct CheckerTests {
    @Test func identicalTensorsPass() {
        let y = Tensor.random(shape: [2, 3], type: .int8, seed: 1)
        #expect(Checker.compare(name: "Y", device: y, reference: y) == nil)
    }

    @Test func namesTheFirstMismatchByIndex() {
        let reference = Tensor(shape: [2, 4, 6], type: .int32, integers: Array(0..<48))
        var device = reference
        device.set(integer: 17, at: 3 * 6 + 5)
        device.set(integer: 0, at: 47)
        let mismatch = Checker.compare(name: "Y", device: device, reference: reference)
        #expect(mismatch?.description == "Y[0,3,5]: device 17, reference 23 (2 of 48 elements differ)")
    }

    @Test func reportsShapeAndTypeDifferences() {
        let a = Tensor(shape: [2, 3], type: .int8)
        #expect(Checker.compare(name: "C", device: a, reference: a.reshaped(to: [3, 2]))?.description
            == "C: device shape [2,3], reference shape [3,2]")
        #expect(Checker.compare(name: "C", device: a, reference: Tensor(shape: [2, 3], type: .int16))?.description
            == "C: device type i8, reference type i16")
    }

    @Test func floatsCompareBitsAndShowThemWhenValuesPrintAlike() {
        let reference = Tensor(shape: [2], type: .fp16, floats: [1.5, 0])
        var device = reference
        device.set(float: -0.0, at: 1)
        #expect(Checker.compare(name: "H", device: device, reference: reference)?.description
            == "H[1]: device -0.0, reference 0.0 (1 of 2 elements differ)")
        var nan = reference
        nan.withUnsafeMutableBytes { $0[2] = 0x01; $0[3] = 0x7E }
        var otherNaN = reference
        otherNaN.withUnsafeMutableBytes { $0[2] = 0x00; $0[3] = 0x7E }
        #expect(Checker.compare(name: "H", device: nan, reference: otherNaN)?.description
            == "H[1]: device nan (0x7e01), reference nan (0x7e00) (1 of 2 elements differ)")
    }
}
