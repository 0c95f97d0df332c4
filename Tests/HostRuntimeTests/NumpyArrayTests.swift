import Foundation
import Testing
@testable import HostRuntime

/// `.npy` reading and writing, against files NumPy wrote (`scripts/onnx/make_npy_fixtures.py`).
struct NumpyArrayTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/npy")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent("\(name).npy") }

    static func fixtureBytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: fixture(name))) }

    /// A file with the given header text (a version 1.0 length field unless stated) and data.
    static func file(header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let text = Array(header.utf8)
        let length = version == 1 ? [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
            : (0..<4).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) }
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + text + data
    }

    static let float32Header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"

    @Test(arguments: NumpyArray.DType.allCases)
    func roundTripsEveryDTypeAndShape(dtype: NumpyArray.DType) throws {
        for shape in [[], [5], [2, 3, 1, 4], [0, 3]] {
            let count = shape.reduce(1, *)
            let array = dtype.isFloat
                ? try NumpyArray(shape: shape, dtype: dtype, floats: (0..<count).map { Float($0) * 0.375 - 2 })
                : try NumpyArray(shape: shape, dtype: dtype, integers: (0..<count).map { Int64($0 * 7 % 23) })
            let bytes = array.bytes
            #expect((bytes.count - array.elementBytes.count) % 64 == 0)
            let read = try NumpyArray(bytes: bytes)
            #expect(read == array)
            #expect(read.shape == shape && read.dtype == dtype && read.elementCount == count)
            if dtype.isFloat {
                #expect(read.floats == (0..<count).map { Float($0) * 0.375 - 2 })
                #expect(read.integers == nil)
            } else {
                // bool saturates to 0 and 1.
                let values = (0..<count).map { Int64($0 * 7 % 23) }.map { dtype == .bool ? min($0, 1) : $0 }
                #expect(read.integers == values)
                #expect(read.floats == values.map { Float($0) })
            }
        }
    }

    @Test(arguments: ["f4_4d", "f2_special", "f8_1d", "i1_1d", "u1_2d", "b1_1d", "i4_0d", "i8_1d", "f4_empty"])
    func writesTheBytesNumPyWrites(name: String) throws {
        let bytes = try Self.fixtureBytes(name)
        #expect(try NumpyArray(bytes: bytes).bytes == bytes)
    }

    @Test func readsNumPyFiles() throws {
        let f4 = try NumpyArray(contentsOf: Self.fixture("f4_4d"))
        #expect(f4.shape == [2, 3, 4, 5] && f4.dtype == .float32)
        #expect(f4.floats == (0..<120).map { Float($0) * 0.25 - 7 })
        #expect(try NumpyArray(shape: [2, 3, 4, 5], dtype: .float32, floats: f4.floats).bytes == Self.fixtureBytes("f4_4d"))

        let f8 = try NumpyArray(contentsOf: Self.fixture("f8_1d"))
        #expect(f8.dtype == .float64 && f8.floats == [1.5, Float(-0.1 as Double), .infinity, 0x1p-30])

        #expect(try NumpyArray(contentsOf: Self.fixture("i1_1d")).integers == [-128, -1, 0, 1, 127])
        let u1 = try NumpyArray(contentsOf: Self.fixture("u1_2d"))
        #expect(u1.shape == [2, 3] && u1.dtype == .uint8 && u1.integers == [0, 1, 255, 128, 7, 9])
        let scalar = try NumpyArray(contentsOf: Self.fixture("i4_0d"))
        #expect(scalar.shape == [] && scalar.dtype == .int32 && scalar.integers == [-123_456_789])
        let i8 = try NumpyArray(contentsOf: Self.fixture("i8_1d"))
        #expect(i8.integers == [.min, -1, 0, .max, 1 << 53 + 1])
        let empty = try NumpyArray(contentsOf: Self.fixture("f4_empty"))
        #expect(empty.shape == [0, 3] && empty.elementCount == 0 && empty.floats.isEmpty)
    }

    @Test func readsNumPyFloat16CornerCases() throws {
        let half = try NumpyArray(contentsOf: Self.fixture("f2_special"))
        #expect(half.dtype == .float16 && half.shape == [13])
        let values = half.floats
        #expect(Array(values[0..<8]) == [0, 0, 1, -2.5, 65504, -65504, .infinity, -.infinity])
        #expect(values[1].sign == .minus && values[8].isNaN)
        #expect(Array(values[9...]) == [0x1p-24, 0x1p-14, 0.0999755859375, 0.333251953125])
        #expect(try NumpyArray(shape: [13], dtype: .float16, floats: values) == half)
    }

    @Test(arguments: [2, 3])
    func readsFormatVersionsTwoAndThree(version: UInt8) throws {
        let array = try NumpyArray(contentsOf: Self.fixture("f4_v\(version)"))
        #expect(try Self.fixtureBytes("f4_v\(version)")[6] == version)
        #expect(array.shape == [2, 3] && array.floats == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect(try NumpyArray(bytes: Self.file(header: Self.float32Header, data: [UInt8](repeating: 0, count: 8), version: version))
            .floats == [0, 0])
    }

    @Test(arguments: [
        ("f4_fortran", "Fortran-order arrays are not supported"),
        ("f4_bigendian", "big-endian dtype '>f4' is not supported"),
        ("object", "object arrays (dtype 'O') are not supported"),
        ("structured", "structured dtypes are not supported"),
    ])
    func rejectsWhatItDoesNotRepresent(name: String, problem: String) {
        let url = Self.fixture(name)
        #expect {
            try NumpyArray(contentsOf: url)
        } throws: { error in
            let description = (error as? NumpyError)?.description ?? ""
            return description.hasPrefix("\(url.path): \(problem)") && !description.contains("\n")
        }
    }

    @Test(arguments: ["f4_v2", "i4_0d", "f2_special"])
    func everyTruncationThrows(name: String) throws {
        let bytes = try Self.fixtureBytes(name)
        for count in 0..<bytes.count {
            #expect(throws: NumpyError.self) { try NumpyArray(bytes: Array(bytes.prefix(count))) }
        }
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 9, "needs 8"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 7, "needs 8"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }", 0, "negative extent -1 in shape (-1, 3)"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0, "too large to address"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0, "integer too large"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", 20, "'shape' is not a tuple"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [5], }", 20, "'shape' is not a tuple"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ('5',), }", 20, "not an integer"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (5,), }", 20, "'fortran_order' is not True or False"),
        ("{'descr': '<u2', 'fortran_order': False, 'shape': (5,), }", 10, "unsupported dtype \"<u2\""),
        ("{'descr': 5, 'fortran_order': False, 'shape': (5,), }", 20, "'descr' is not a dtype string"),
        ("{'descr': '<f4', 'shape': (5,), }", 20, "lacks one of"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), 'x': 1}", 20, "unexpected or repeated key \"x\""),
        ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (5,)}", 20, "repeated key \"descr\""),
        ("{'descr\n': '<f4'}", 20, "unexpected or repeated key \"descr\\n\""),
        ("[1, 2]", 0, "the header is not a Python dict"),
        ("{1: 2}", 0, "dict key that is not a string"),
        ("{'descr' '<f4'}", 0, "unexpected ''' at offset 9"),
        ("{'descr': '<f4',, }", 0, "unexpected ','"),
        ("{'descr': '<f4'} x", 0, "unexpected 'x'"),
        ("{'descr': '<f4", 0, "unterminated string"),
        ("{'descr': ", 0, "ends before its dict does"),
        ("{'descr': -}", 0, "unexpected '}'"),
        ("{'descr': tru}", 0, "unexpected 't'"),
        ("", 0, "ends before its dict does"),
        (String(repeating: "(", count: 10_000), 0, "nests too deeply"),
    ])
    func malformedHeadersThrow(header: String, dataCount: Int, problem: String) {
        let bytes = Self.file(header: header, data: [UInt8](repeating: 0, count: dataCount))
        #expect {
            try NumpyArray(bytes: bytes)
        } throws: { error in
            let description = (error as? NumpyError)?.description ?? ""
            return description.hasPrefix("npy: ") && description.contains(problem) && !description.contains("\n")
        }
    }

    @Test func malformedPreamblesThrow() {
        let valid = Self.file(header: Self.float32Header, data: [UInt8](repeating: 0, count: 8))
        var badMagic = valid
        badMagic[5] = UInt8(ascii: "Z")
        var badVersion = valid
        badVersion[6] = 4
        var badMinor = valid
        badMinor[7] = 1
        var longHeader = valid
        longHeader[8] = 0xFF
        longHeader[9] = 0xFF
        for (bytes, problem) in [
            (badMagic, "not a .npy file: it does not start with \\x93NUMPY"),
            (Array("PK\u{3}\u{4}".utf8), "not a .npy file"),
            (badVersion, "unsupported .npy format version 4.0"),
            (badMinor, "unsupported .npy format version 1.1"),
            (longHeader, "truncated: the file ends in its header"),
            (Self.file(header: "", version: 2).prefix(11).map { $0 }, "truncated: the file ends in its header length"),
        ] {
            #expect {
                try NumpyArray(bytes: bytes)
            } throws: { error in
                (error as? NumpyError)?.message.hasPrefix(problem) == true
            }
        }
    }

    @Test func acceptsHeaderVariations() throws {
        for (header, shape) in [
            ("{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}", [2]),
            ("{ 'fortran_order' : False ,\t'descr':'<f4', 'shape':( 2 , 1 , ) }\n", [2, 1]),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)}" + String(repeating: " ", count: 50) + "\n", [1, 2]),
        ] {
            let array = try NumpyArray(bytes: Self.file(header: header, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]))
            #expect(array.shape == shape && array.floats == [1, -2])
        }
        let scalar = try NumpyArray(bytes: Self.file(header: "{'descr': '>i1', 'fortran_order': False, 'shape': ()}", data: [0xFF]))
        #expect(scalar.dtype == .int8 && scalar.shape == [] && scalar.integers == [-1])
    }

    @Test func convertsValuesIntoTheDType() throws {
        let floats: [Float] = [2.5, -2.5, 3.5, 300, -300, .nan, 127.5, .infinity]
        #expect(try NumpyArray(shape: [8], dtype: .int8, floats: floats).integers == [2, -2, 4, 127, -128, 0, 127, 127])
        #expect(try NumpyArray(shape: [8], dtype: .uint8, floats: floats).integers == [2, 0, 4, 255, 0, 0, 128, 255])
        #expect(try NumpyArray(shape: [3], dtype: .int32, floats: [3e9, -3e9, 0x1p31 - 128]).integers
            == [Int64(Int32.max), Int64(Int32.min), 2_147_483_520])
        #expect(try NumpyArray(shape: [2], dtype: .int64, floats: [1e19, -1e19]).integers == [.max, .min])
        #expect(try NumpyArray(shape: [3], dtype: .int8, integers: [1000, -1000, 5]).integers == [127, -128, 5])
        #expect(try NumpyArray(shape: [2], dtype: .float16, integers: [70000, 2049]).floats == [.infinity, 2048])
        #expect(throws: NumpyError("3 bytes of data, but shape (2,) of <f2 needs 4")) {
            try NumpyArray(shape: [2], dtype: .float16, elementBytes: [0, 0, 0])
        }
        #expect(throws: NumpyError("negative extent -2 in shape (-2,)")) {
            try NumpyArray(shape: [-2], dtype: .int8, integers: [])
        }
    }

    @Test func writesAtomicallyAndReplaces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        let missing = directory.appendingPathComponent("missing")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let array = try NumpyArray(shape: [3], dtype: .float32, floats: [1, 2, 3])

        #expect(throws: NumpyError.self) { try array.write(to: missing.appendingPathComponent("x.npy")) }
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)

        let url = directory.appendingPathComponent("x.npy")
        try NumpyArray(shape: [1], dtype: .int8, integers: [7]).write(to: url)
        try array.write(to: url)
        #expect(try NumpyArray(contentsOf: url) == array)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["x.npy"])
        #expect(throws: NumpyError.self) { try array.write(to: directory) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["x.npy"])
    }

    @Test func readingAMissingFileNamesIt() {
        let url = Self.fixtures.appendingPathComponent("absent.npy")
        #expect {
            try NumpyArray(contentsOf: url)
        } throws: { error in
            (error as? NumpyError)?.description.hasPrefix("\(url.path): cannot read the file") == true
        }
    }
}
