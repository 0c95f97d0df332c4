import Foundation
import Testing
@testable import ONNX

/// The host kernels against hand-computed values, on shapes whose axes differ in size so that a
/// wrong axis order shows, and their one-line errors for shapes and parameters that do not fit.
struct HostKernelTests {
    typealias Operand = HostOperands.Operand
    typealias M = ImportTestModels

    /// The kernel of an `op` node on `operands` (inputs named `in0`, `in1`, ...).
    static func kernel(_ op: String, _ operands: [Operand], _ attributes: [String: ONNXAttribute.Value] = [:],
                       opset: Int64 = 17) throws -> HostKernel {
        let node = M.node(op, operands.indices.map { "in\($0)" }, ["out"], name: "k", attributes)
        let context = NodeContext(node: node, name: "k", opset: opset)
        return try #require(try HostKernels.kernel(context, HostOperands(operands: operands, context: context)))
    }

    /// The error of building that kernel.
    static func error(_ op: String, _ operands: [Operand], _ attributes: [String: ONNXAttribute.Value] = [:],
                      opset: Int64 = 17) -> String? {
        do {
            _ = try kernel(op, operands, attributes, opset: opset)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A kernel's output shape and values on `values` (one array per operand; constants included).
    static func run(_ op: String, _ operands: [Operand], _ values: [[Float]], _ attributes: [String: ONNXAttribute.Value] = [:],
                    opset: Int64 = 17) throws -> (dims: [Int], values: [Float]) {
        let kernel = try kernel(op, operands, attributes, opset: opset)
        return (kernel.outputDims, kernel.compute(values))
    }

    static func ints(_ values: [Int64]) -> Operand { .constant(ConstantTensor(dims: [values.count], values: .integers(values))) }
    static func ramp(_ count: Int) -> [Float] { (0..<count).map(Float.init) }

    @Test func transposeMovesAxesAsPermuted() throws {
        // [2, 1, 3] with perm [2, 0, 1]: out[k][i][0] = in[i][0][k] = 3i + k.
        let moved = try Self.run("Transpose", [.computed(dims: [2, 1, 3])], [Self.ramp(6)], ["perm": .ints([2, 0, 1])])
        #expect(moved.dims == [3, 2, 1] && moved.values == [0, 3, 1, 4, 2, 5])
        let reversed = try Self.run("Transpose", [.computed(dims: [2, 3])], [Self.ramp(6)])
        #expect(reversed.dims == [3, 2] && reversed.values == [0, 3, 1, 4, 2, 5])
        #expect(Self.error("Transpose", [.computed(dims: [2, 3])], ["perm": .ints([0, 0])])
            == "node 'k' (Transpose): perm [0, 0] is no permutation of the 2 axes")
    }

    @Test func gatherPicksAlongTheAxis() throws {
        // [[0, 1, 2], [3, 4, 5]], columns 2 and -3 (= 0).
        let columns = try Self.run("Gather", [.computed(dims: [2, 3]), Self.ints([2, -3])], [Self.ramp(6), [2, -3]], ["axis": .int(1)])
        #expect(columns.dims == [2, 2] && columns.values == [2, 0, 5, 3])
        let row = try Self.run("Gather", [.computed(dims: [2, 3]), .constant(ConstantTensor(dims: [], values: .integers([-1])))],
                               [Self.ramp(6), [-1]])
        #expect(row.dims == [3] && row.values == [3, 4, 5], "a scalar index drops the axis")
        #expect(Self.error("Gather", [.computed(dims: [2, 3]), Self.ints([3])], ["axis": .int(1)])
            == "node 'k' (Gather): index 3 is out of range for axis 1 of size 3")
        #expect(Self.error("Gather", [.computed(dims: [2, 3]), .computed(dims: [1])])?.contains("indices (input 1) must be a constant") == true)
    }

    @Test func expandBroadcastsBothWays() throws {
        // [3, 1] to [2, 1, 4]: [2, 3, 4], each value four times, the block twice.
        let expanded = try Self.run("Expand", [.computed(dims: [3, 1]), Self.ints([2, 1, 4])], [[1, 2, 3], [2, 1, 4]])
        #expect(expanded.dims == [2, 3, 4])
        let block: [Float] = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
        #expect(expanded.values == block + block)
        #expect(Self.error("Expand", [.computed(dims: [3, 2]), Self.ints([4])]) == "node 'k' (Expand): cannot expand [3, 2] to [4]")
    }

    @Test func reshapesKeepTheRowMajorOrder() throws {
        let reshaped = try Self.run("Reshape", [.computed(dims: [2, 3]), Self.ints([3, -1])], [Self.ramp(6), [3, -1]])
        #expect(reshaped.dims == [3, 2] && reshaped.values == Self.ramp(6))
        #expect(try Self.kernel("Flatten", [.computed(dims: [2, 3, 4])], ["axis": .int(2)]).outputDims == [6, 4])
        #expect(try Self.kernel("Squeeze", [.computed(dims: [1, 3, 1]), Self.ints([-1])]).outputDims == [1, 3])
        #expect(try Self.kernel("Unsqueeze", [.computed(dims: [3])], ["axes": .ints([0, 2])], opset: 11).outputDims == [1, 3, 1])
        #expect(Self.error("Reshape", [.computed(dims: [2, 3]), Self.ints([4, 2])])?.contains("cannot reshape [2, 3]") == true)
    }

    @Test(arguments: [("constant", [9, 9, 1, 2, 3, 9] as [Float]), ("reflect", [3, 2, 1, 2, 3, 2]), ("edge", [1, 1, 1, 2, 3, 3])])
    func padFillsByMode(_ mode: String, _ expected: [Float]) throws {
        // [1, 3]: 2 before and 1 after on the last axis.
        let padded = try Self.run("Pad", [.computed(dims: [1, 3]), Self.ints([0, 2, 0, 1]), .constant(ConstantTensor(dims: [], values: .floats([9])))],
                                  [[1, 2, 3], [], [9]], ["mode": .string(mode)])
        #expect(padded.dims == [1, 6] && padded.values == expected)
    }

    @Test func padOnGivenAxesAndCropping() throws {
        // Opset 18: pads for the axes listed only; a negative pad crops.
        let padded = try Self.run("Pad", [.computed(dims: [2, 3]), Self.ints([1, -1]), .absent, Self.ints([-1])],
                                  [Self.ramp(6), [], [], []], opset: 18)
        #expect(padded.dims == [2, 3] && padded.values == [0, 0, 1, 0, 3, 4])
        #expect(Self.error("Pad", [.computed(dims: [1, 3]), Self.ints([0, 3, 0, 0])], ["mode": .string("reflect")])
            == "node 'k' (Pad): reflect pads [0, 3, 0, 0] reach past axis 1 of size 3")
        #expect(Self.error("Pad", [.computed(dims: [1, 3]), Self.ints([0, 0, 0, 0])], ["mode": .string("wrap")])
            == "node 'k' (Pad): mode 'wrap'; the host pads in modes constant, reflect and edge")
    }

    @Test func sliceClampsAndStepsBackwards() throws {
        // [[0..4], [5..9]]: row 1, columns from the last backwards in steps of 2.
        let sliced = try Self.run("Slice", [.computed(dims: [2, 5]), Self.ints([1, -1]), Self.ints([2, -100]), Self.ints([0, 1]),
                                            Self.ints([1, -2])], [Self.ramp(10), [], [], [], []])
        #expect(sliced.dims == [1, 3] && sliced.values == [9, 7, 5])
        // Opset 9: attributes, an end of INT64_MAX meaning "to the end".
        let old = try Self.run("Slice", [.computed(dims: [2, 5])], [Self.ramp(10)],
                               ["starts": .ints([3]), "ends": .ints([Int64.max]), "axes": .ints([1])], opset: 9)
        #expect(old.dims == [2, 2] && old.values == [3, 4, 8, 9])
        #expect(Self.error("Slice", [.computed(dims: [2, 5]), Self.ints([0]), Self.ints([1]), Self.ints([0]), Self.ints([0])])
            == "node 'k' (Slice): steps must not be 0")
    }

    @Test func concatenatesOnAnyAxis() throws {
        let rows = try Self.run("Concat", [.computed(dims: [1, 2]), .computed(dims: [2, 2])], [[0, 1], [2, 3, 4, 5]], ["axis": .int(0)])
        #expect(rows.dims == [3, 2] && rows.values == [0, 1, 2, 3, 4, 5])
        let columns = try Self.run("Concat", [.computed(dims: [2, 1]), .computed(dims: [2, 2])], [[0, 1], [2, 3, 4, 5]], ["axis": .int(-1)])
        #expect(columns.dims == [2, 3] && columns.values == [0, 2, 3, 1, 4, 5])
        #expect(Self.error("Concat", [.computed(dims: [2, 1]), .computed(dims: [3, 2])], ["axis": .int(1)])
            == "node 'k' (Concat): inputs of shapes [2, 1], [3, 2] do not concatenate along axis 1")
    }

    @Test func binaryOperatorsBroadcast() throws {
        // [2, 1] - [3]: [[10 - 1, 10 - 2, 10 - 3], [20 - 1, ...]].
        let difference = try Self.run("Sub", [.computed(dims: [2, 1]), .computed(dims: [3])], [[10, 20], [1, 2, 3]])
        #expect(difference.dims == [2, 3] && difference.values == [9, 8, 7, 19, 18, 17])
        #expect(try Self.run("Pow", [.computed(dims: [3]), .computed(dims: [1])], [[1, 2, 3], [2]]).values == [1, 4, 9])
        #expect(try Self.run("Div", [.computed(dims: [1]), .computed(dims: [2])], [[1], [4, -2]]).values == [0.25, -0.5])
        let largest = try Self.run("Max", [.computed(dims: [3]), .computed(dims: [1]), .computed(dims: [3])], [[1, 5, 2], [3], [0, 0, 4]])
        #expect(largest.values == [3, 5, 4])
        #expect(try Self.run("Min", [.computed(dims: [2])], [[1, -1]]).values == [1, -1])
        #expect(Self.error("Add", [.computed(dims: [2, 3]), .computed(dims: [4])])
            == "node 'k' (Add): inputs of shapes [2, 3], [4] do not broadcast")
    }

    /// Each unary operator on inputs and its values there (default attributes).
    static let unaryCases: [(op: String, input: [Float], expected: [Float])] = {
        let e = Float(M_E), selu = HostKernels.seluGamma * HostKernels.seluAlpha * (1 / e - 1)
        return [
            ("HardSwish", [-4, -1, 0, 1, 4], [0, -1 / 3, 0, 2 / 3, 4]), ("HardSigmoid", [-3, 0, 1, 3], [0, 0.5, 0.7, 1]),
            ("Elu", [-1, 0, 2], [1 / e - 1, 0, 2]), ("Selu", [-1, 2], [selu, 2 * HostKernels.seluGamma]),
            ("Softplus", [-100, 0, 100], [0, Float(M_LN2), 100]), ("Softsign", [-3, 1], [-0.75, 0.5]),
            ("Exp", [0, 1], [1, e]), ("Log", [1, e * e], [0, 2]), ("Sqrt", [4, 9], [2, 3]),
            ("Abs", [-2, 3], [2, 3]), ("Neg", [-2, 3], [2, -3]), ("Reciprocal", [4, -0.5], [0.25, -2]),
            ("Erf", [0, 1], [0, 0.8427007]), ("Floor", [-1.5, 1.5], [-2, 1]), ("Ceil", [-1.5, 1.5], [-1, 2]),
            ("Relu", [-1, 2], [0, 2]), ("Sigmoid", [0], [0.5]), ("Tanh", [0], [0]), ("LeakyRelu", [-1, 2], [-0.01, 2]),
        ]
    }()

    @Test(arguments: unaryCases)
    func unaryFunctions(_ op: String, _ input: [Float], _ expected: [Float]) throws {
        let output = try Self.run(op, [.computed(dims: [input.count])], [input])
        #expect(output.dims == [input.count])
        #expect(zip(output.values, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(output.values)")
    }

    @Test func clipBoundsFromInputsOrAttributes() throws {
        let bounds = try Self.run("Clip", [.computed(dims: [3]), .constant(ConstantTensor(dims: [], values: .floats([-1]))), .absent],
                                  [[-5, 0, 5], [-1], []])
        #expect(bounds.values == [-1, 0, 5])
        let old = try Self.run("Clip", [.computed(dims: [3])], [[-5, 0, 5]], ["min": .float(-2), "max": .float(2)], opset: 6)
        #expect(old.values == [-2, 0, 2])
    }

    @Test func reductionsOverAxes() throws {
        // [[0, 1, 2], [3, 4, 5]].
        let mean = try Self.run("ReduceMean", [.computed(dims: [2, 3])], [Self.ramp(6)], ["axes": .ints([1])])
        #expect(mean.dims == [2, 1] && mean.values == [1, 4])
        let sum = try Self.run("ReduceSum", [.computed(dims: [2, 3]), Self.ints([0])], [Self.ramp(6), [0]], ["keepdims": .int(0)], opset: 13)
        #expect(sum.dims == [3] && sum.values == [3, 5, 7])
        let largest = try Self.run("ReduceMax", [.computed(dims: [2, 3])], [Self.ramp(6)])
        #expect(largest.dims == [1, 1] && largest.values == [5], "no axes: all of them")
        let none = try Self.run("ReduceMean", [.computed(dims: [2, 3])], [Self.ramp(6)], ["noop_with_empty_axes": .int(1)], opset: 18)
        #expect(none.dims == [2, 3] && none.values == Self.ramp(6))
    }

    /// A 3x3 map 1...9 under a 2x2 window, stride 1, padding 1 on top and left.
    @Test(arguments: [
        ("AveragePool", 0, [1, 1.5, 2.5, 2.5, 3, 4, 5.5, 6, 7] as [Float]),
        ("AveragePool", 1, [0.25, 0.75, 1.25, 1.25, 3, 4, 2.75, 6, 7]),
        ("MaxPool", 0, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ])
    func poolingWithPadding(_ op: String, _ includePad: Int, _ expected: [Float]) throws {
        var attributes: [String: ONNXAttribute.Value] = ["kernel_shape": .ints([2, 2]), "pads": .ints([1, 1, 0, 0])]
        if op == "AveragePool" { attributes["count_include_pad"] = .int(Int64(includePad)) }
        let pooled = try Self.run(op, [.computed(dims: [1, 1, 3, 3])], [(1...9).map(Float.init)], attributes)
        #expect(pooled.dims == [1, 1, 3, 3] && pooled.values == expected)
    }

    @Test func poolingInCeilModeAndDilated() throws {
        let map = (1...9).map(Float.init)
        // Ceil mode: a 2x2 output whose last windows hang past the edge and average what they cover.
        let ceil = try Self.run("AveragePool", [.computed(dims: [1, 1, 3, 3])], [map],
                                ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "ceil_mode": .int(1)])
        #expect(ceil.dims == [1, 1, 2, 2] && ceil.values == [3, 4.5, 7.5, 9])
        let dilated = try Self.run("AveragePool", [.computed(dims: [1, 1, 3, 3])], [map], ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])])
        #expect(dilated.dims == [1, 1, 1, 1] && dilated.values == [5])
        let same = try Self.kernel("MaxPool", [.computed(dims: [1, 2, 5, 4])],
                                   ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")])
        #expect(same.outputDims == [1, 2, 3, 2])
        #expect(Self.error("AveragePool", [.computed(dims: [1, 3, 3])], ["kernel_shape": .ints([2])])
            == "node 'k' (AveragePool): input of shape [1, 3, 3]; the host pools [N, C, H, W]")
    }

    @Test func softmaxOverOneAxisOrTheTrailingOnes() throws {
        let third = Float(log(3.0))
        let rows = try Self.run("Softmax", [.computed(dims: [2, 2])], [[0, third, 0, 0]], ["axis": .int(1)])
        #expect(zip(rows.values, [0.25, 0.75, 0.5, 0.5]).allSatisfy { abs($0 - $1) < 1e-6 })
        let columns = try Self.run("Softmax", [.computed(dims: [2, 2])], [[0, third, 0, 0]], ["axis": .int(0)])
        #expect(zip(columns.values, [0.5, 0.75, 0.5, 0.25]).allSatisfy { abs($0 - $1) < 1e-6 })
        let all = try Self.run("Softmax", [.computed(dims: [2, 2])], [[0, third, 0, 0]], ["axis": .int(0)], opset: 11)
        #expect(zip(all.values, [1.0 / 6, 0.5, 1.0 / 6, 1.0 / 6]).allSatisfy { abs($0 - $1) < 1e-6 }, "opset 11: axes 0 and 1 together")
    }
}
