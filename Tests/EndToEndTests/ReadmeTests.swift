import Foundation
import ISA
import Testing

/// The README's generated parts stay true: the ISA table and the worked example's output.
@Suite struct ReadmeTests {
    private let readme = (try? Repository.text(Repository.root.appendingPathComponent("README.md"))) ?? ""

    private func section(between start: String, and end: String) -> String? {
        guard let lower = readme.range(of: start), let upper = readme.range(of: end, range: lower.upperBound..<readme.endIndex) else {
            return nil
        }
        return String(readme[lower.upperBound..<upper.lowerBound])
    }

    @Test func isaReferenceMatchesTheFieldTable() throws {
        let table = try #require(section(between: "<!-- BEGIN ISA REFERENCE -->\n", and: "<!-- END ISA REFERENCE -->"))
        #expect(table == ISAReference.markdown(), "regenerate the README table with `npu isa`")
    }

    @Test func workedExampleShowsTheRealOutput() throws {
        let command = "$ swift run -c release npu exec kernels/conv3x3.s\n"
        let shown = try #require(section(between: command, and: "```"))
        let run = try ToolRun.npu(["exec", "kernels/conv3x3.s"])
        #expect(run.status == 0)
        #expect(shown == run.standardOutput, "update the README's worked example with the tool's output")
    }

    @Test func layerExampleShowsTheRealOutput() throws {
        let command = "$ swift run -c release npu layer conv --input 56x56x64 --filters 64 --kernel 3 --pad 1 --activation relu --verify\n"
        let shown = try #require(section(between: command, and: "```"))
        let arguments = command.split(separator: " ").dropFirst(6).map { $0.trimmingCharacters(in: .newlines) }
        let run = try ToolRun.npu(Array(arguments))
        #expect(run.status == 0)
        #expect(shown == run.standardOutput, "run scripts/update-readme")
    }

    @Test func readmeGivesTheTwoCommands() {
        #expect(readme.contains("swift run -c release npu run resnet50 --verify"))
        #expect(readme.contains("swift run -c release npu exec kernels/conv3x3.s"))
        #expect(readme.contains("swift test"))
    }
}
