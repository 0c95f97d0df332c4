import Testing

/// Runs `npu arguments` and expects what every bad input must give: exit status 1 and exactly one
/// line on standard error, containing `fragment`.
func expectOneLineError(_ arguments: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let run = try ToolRun.npu(arguments)
    #expect(run.status == 1, "exit status \(run.status) for \(arguments)", sourceLocation: sourceLocation)
    let lines = run.standardError.split(separator: "\n")
    #expect(lines.count == 1, "stderr: \(run.standardError)", sourceLocation: sourceLocation)
    #expect(run.standardError.contains(fragment), "stderr: \(run.standardError)", sourceLocation: sourceLocation)
}
