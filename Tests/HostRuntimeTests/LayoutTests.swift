import ISA
import Testing
@testable import HostRuntime

struct LayoutTests {
    let matrix = Tensor(shape: [2, 4], type: .int16, integers: [0, 1, 2, 3, 10, 11, 12, 13])

    @Test func slices() throws {
        #expect(try Reference.slice(matrix, axis: 1, start: 1, length: 2) == Tensor(shape: [2, 2], type: .int16, integers: [1, 2, 11, 12]))
        #expect(try Reference.slice(matrix, axis: 0, start: 1, length: 1).integers == [10, 11, 12, 13])
        #expect(try Reference.slice(matrix, axis: -1, start: 3, length: 1).integers == [3, 13])
        #expect(throws: ReferenceError("slice", "elements 3..<5 are outside axis 1 of i16[2,4]")) {
            try Reference.slice(matrix, axis: 1, start: 3, length: 2)
        }
    }

    @Test func concatenatesAndRestoresSlices() throws {
        let left = try Reference.slice(matrix, axis: 1, start: 0, length: 1)
        let right = try Reference.slice(matrix, axis: 1, start: 1, length: 3)
        #expect(try Reference.concat([left, right], axis: 1) == matrix)
        #expect(try Reference.concat([matrix, matrix], axis: 0).shape == [4, 4])
        #expect(throws: ReferenceError("concat", "i16[2,4] does not match i16[2,1] outside axis 0")) {
            try Reference.concat([left, matrix], axis: 0)
        }
    }

    @Test func reshapes() throws {
        #expect(try Reference.reshape(matrix, to: [4, 2]).shape == [4, 2])
        #expect(throws: ReferenceError("reshape", "cannot reshape i16[2,4] (8 elements) to [3, 3]")) {
            try Reference.reshape(matrix, to: [3, 3])
        }
    }
}
