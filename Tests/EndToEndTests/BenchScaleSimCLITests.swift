import Foundation
import Testing

/// `npu bench scalesim`: our timing-only run of a SCALE-Sim topology beside SCALE-Sim's own wall
/// time. The default suite needs no SCALE-Sim: a missing Python, and a fake one that passes the
/// `import scalesim` probe and then hangs, stand in for it. With `NPUSIM_SCALESIM_PYTHON` set to
/// a Python that has SCALE-Sim 3.0.0 (`pip install scalesim==3.0.0 "numpy<2.4"`), one more test
/// runs it on AlexNet and checks its cycles against ours.
@Suite struct BenchScaleSimCLITests {
    static let fixtures = "Tests/Fixtures/scalesim"

    /// A two-layer topology, fast to run.
    static let tinyTopology = """
        Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
        Conv1, 18, 18, 3, 3, 8, 16, 1,
        Conv2, 16, 16, 3, 3, 16, 32, 2,
        """

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Whether process `pid` still runs (a zombie does not).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    @Test func withoutSCALESimPrintsOursAndHowToInstallIt() throws {
        let directory = try Repository.temporaryDirectory("npu-bench-scalesim-test")
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = directory.appendingPathComponent("tiny.csv").path
        try Self.tinyTopology.write(toFile: topology, atomically: true, encoding: .utf8)

        let run = try ToolRun.npu(["bench", "scalesim", "--topology", topology, "--python", "/nonexistent/python"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "tiny (2 layers) on scale_example_run_32x32_ws: 32x32 ws, DRAM ddr4-3200, timing only")
        #expect(lines.contains { $0.hasPrefix("NPUSim") && $0.contains("default") })
        #expect(lines.contains { $0.hasPrefix("NPUSim") && $0.contains("scalesim") })
        #expect(lines.last == #"SCALE-Sim not found (/nonexistent/python -c "import scalesim" failed): install with pip install scalesim==3.0.0 "numpy<2.4""#)

        // The same as JSON; the cycles are those `npu run` gives for the same topology and configuration.
        let json = try ToolRun.npu(["bench", "scalesim", "--topology", topology, "--python", "/nonexistent/python", "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let object = try Self.jsonObject(json.standardOutput)
        #expect(object["scalesim_installed"] as? Bool == false)
        #expect(object["scalesim_finished"] as? Bool == false)
        #expect(object["ratio"] is NSNull)
        #expect(object["scalesim_wall_seconds"] is NSNull)
        #expect(object["dram"] as? String == "ddr4-3200")
        #expect((object["npusim_wall_seconds"] as? Double ?? 0) > 0)
        #expect(object["npusim_cpu_seconds"] is Double && object["cpu_ratio"] is NSNull)
        let config = "\(Self.fixtures)/configs/scale.cfg"
        let mapped = try Self.jsonObject(try ToolRun.npu(["run", topology, "--config", config, "--mapping", "scalesim", "--json"]).standardOutput)
        let simulated = try Self.jsonObject(try ToolRun.npu(["run", topology, "--config", config, "--dram", "ddr4-3200", "--json"]).standardOutput)
        #expect(object["npusim_scalesim_mapping_cycles"] as? Int == mapped["cycles"] as? Int)
        #expect(object["npusim_cycles"] as? Int == simulated["cycles"] as? Int)
        #expect((object["npusim_cycles"] as? Int ?? 0) > 0)
    }

    /// A Python that passes the probe and then sleeps (in a child of its own) is stopped at
    /// `--timeout` with its child, and the ratio is a lower bound.
    @Test func aSCALESimRunPastTheTimeoutIsStoppedWithItsChildren() throws {
        let directory = try Repository.temporaryDirectory("npu-bench-scalesim-test")
        defer { try? FileManager.default.removeItem(at: directory) }
        let topology = directory.appendingPathComponent("tiny.csv").path
        try Self.tinyTopology.write(toFile: topology, atomically: true, encoding: .utf8)
        let python = directory.appendingPathComponent("python").path
        let pids = directory.appendingPathComponent("pids").path
        try """
            #!/bin/sh
            if [ "$1" = "-c" ] && [ "$2" = "import scalesim" ]; then exit 0; fi
            sleep 30 &
            echo $$ $! > \(pids)
            wait
            """.write(toFile: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python)

        let began = Date()
        let run = try ToolRun.npu(["bench", "scalesim", "--topology", topology, "--python", python, "--timeout", "1"], timeout: 20)
        #expect(Date().timeIntervalSince(began) < 10)
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("SCALE-Sim") && $0.contains("> 1 s (stopped at the timeout)") })
        #expect(lines.filter { $0.hasPrefix("NPUSim") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("NPUSim") }.allSatisfy { $0.contains("> ") && $0.hasSuffix("x") })
        #expect(lines.contains("SCALE-Sim: stopped at the timeout (1 s) after 0 of 2 layers"))
        #expect(lines.contains("compute cycles agree with SCALE-Sim: not checked (it finished no layer)"))
        let children = try String(contentsOfFile: pids, encoding: .utf8).split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(children.count == 2)
        for pid in children { #expect(!Self.isRunning(pid), "process \(pid) outlived the timeout") }

        let json = try ToolRun.npu(["bench", "scalesim", "--topology", topology, "--python", python, "--timeout", "0.5", "--json"], timeout: 20)
        let object = try Self.jsonObject(json.standardOutput)
        #expect(object["scalesim_installed"] as? Bool == true)
        #expect(object["scalesim_finished"] as? Bool == false)
        #expect(object["scalesim_wall_seconds"] as? Double == 0.5)
        #expect(object["ratio_is_lower_bound"] as? Bool == true)
        #expect((object["ratio"] as? Double ?? 0) > 0)
        #expect(object["scalesim_cpu_seconds"] is Double && object["cpu_ratio"] is Double)
        #expect(object["cycles_agree"] is NSNull)
    }

    @Test(arguments: [
        (["--timeout", "abc"], "--timeout needs a positive number of seconds, got 'abc'"),
        (["--timeout", "0"], "--timeout needs a positive number of seconds, got '0'"),
        (["--topology", "/nonexistent/topology.csv"], "cannot read '/nonexistent/topology.csv'"),
        (["--config", "edge"], "--config needs a SCALE-Sim .cfg file"),
        (["--topology", "Tests/Fixtures/scalesim/configs/scale.cfg"], "unrecognized header"),
        (["--dram", "ddr9"], "--dram: unknown model 'ddr9'"),
        (["extra"], "unexpected argument 'extra'"),
        (["--python"], "option --python needs a value"),
    ])
    func badArgumentsGiveOneLine(_ arguments: [String], _ fragment: String) throws {
        let run = try ToolRun.npu(["bench", "scalesim"] + arguments + (arguments.contains("--python") ? [] : ["--python", "/nonexistent/python"]))
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(fragment) == true, "\(run.standardError)")
    }

    /// The built-in default inputs are the committed SCALE-Sim files, byte for byte.
    @Test func builtInInputsAreTheFixtures() throws {
        let source = try Repository.text(Repository.root.appendingPathComponent("Sources/npu/BenchScaleSimInputs.swift"))
        for (name, file) in [("topology", "topologies/Resnet50.csv"), ("config", "configs/scale.cfg")] {
            let fixture = try Repository.text(Repository.root.appendingPathComponent("\(Self.fixtures)/\(file)"))
            #expect(source.contains("static let \(name) = \"\"\"\n" + fixture + "\n\"\"\"\n"), "\(file)")
        }
    }

    /// The real SCALE-Sim on AlexNet (several minutes; 16 on a busy 2-core machine): it finishes and its per-layer Total Cycles are ours.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NPUSIM_SCALESIM_PYTHON"] != nil))
    func scaleSimAgreesOnAlexNet() throws {
        let run = try ToolRun.npu(["bench", "scalesim", "--topology", "\(Self.fixtures)/topologies/alexnet.csv", "--timeout", "3600"],
                                  timeout: 3700)
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("compute cycles agree with SCALE-Sim: yes (every layer, Total Cycles per layer)"), "\(run.standardOutput)")
        #expect(!run.standardOutput.contains("stopped at the timeout"))
    }
}
