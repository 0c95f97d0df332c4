import Foundation
import Testing
@testable import ISA

/// The matmul's `df` field and the configuration's `"dataflow": "any"`.
@Suite struct MatmulDataflowFieldTests {
    /// `df=os` assembles, encodes, decodes and disassembles back; without `df` the field is `array`.
    @Test func dataflowFieldRoundTrips() throws {
        let program = try Assembler().assemble("""
            matmul in=0 w=0 out=0 in_w=4 c=8 out_w=4 k=4 df=os
            matmul in=0 w=0 out=0 in_w=4 c=8 out_w=4 k=4
            halt
            """)
        guard case .matmul(let explicit) = program.instructions[0].operation,
              case .matmul(let unnamed) = program.instructions[1].operation else {
            Issue.record("not matmuls")
            return
        }
        #expect(explicit.dataflow == .outputStationary && unnamed.dataflow == .array)
        for instruction in program.instructions {
            #expect(try InstructionEncoding.decode(InstructionEncoding.encode(instruction)) == instruction)
        }
        #expect(Disassembler.text(of: program.instructions[0]).contains("df=os"))
        #expect(!Disassembler.text(of: program.instructions[1]).contains("df="))
        #expect(throws: (any Error).self) { try Assembler().assemble("matmul in=0 w=0 out=0 in_w=4 c=8 out_w=4 k=4 df=xs\nhalt\n") }
    }

    /// `array` resolves to the configured dataflow; the others name theirs.
    @Test func resolution() {
        #expect(MatmulDataflow.array.resolved(.inputStationary) == .inputStationary)
        #expect(MatmulDataflow.outputStationary.resolved(.weightStationary) == .outputStationary)
        #expect(Dataflow.allCases.map { MatmulDataflow($0).explicit } == Dataflow.allCases)
    }

    /// `"dataflow": "any"` is a flexible array whose default is ws, and is written back as `any`.
    @Test func anyDataflowInJSON() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: HardwareConfig.edge.jsonData()) as? [String: Any])
        var array = try #require(object["array"] as? [String: Any])
        array["dataflow"] = "any"
        object["array"] = array
        let config = try HardwareConfig.decode(json: try JSONSerialization.data(withJSONObject: object), source: "any.json")
        #expect(config.array.flexibleDataflow && config.array.dataflow == .weightStationary)
        #expect(config.array.dataflows == Dataflow.allCases && config.array.dataflowName == "any")
        let written = try #require(try JSONSerialization.jsonObject(with: config.jsonData()) as? [String: Any])
        #expect((written["array"] as? [String: Any])?["dataflow"] as? String == "any")
        #expect(try HardwareConfig.decode(json: config.jsonData(), source: "x.json") == config)

        array["dataflow"] = "rs"
        object["array"] = array
        #expect(throws: ISAError.invalidConfiguration(
            "bad.json: invalid value at 'array.dataflow': dataflow must be ws, os, is or any, got 'rs'")) {
            try HardwareConfig.decode(json: try JSONSerialization.data(withJSONObject: object), source: "bad.json")
        }
    }
}
