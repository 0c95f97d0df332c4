import HostRuntime

/// The report's "Verification" section: the text `--json`'s `verification` holds
/// (`ExecReport.verificationText`, or "not requested" without `--verify`), with a badge.
enum VerificationSection {
    static func html(_ report: NetworkRun.Report, verify: Bool) -> String {
        let text = verify ? ExecReport.verificationText(report.verification) : "not requested"
        let state: String
        switch (verify, report.verification) {
        case (false, _): state = "neutral"
        case (true, .bitExact): state = "pass"
        case (true, .mismatch): state = "fail"
        case (true, .skipped): state = "neutral"
        }
        let label = ["pass": "verified", "fail": "mismatch", "neutral": "not verified"][state]!
        let explanation = verify
            ? "The device's output compared bit for bit with the integer reference (--verify)."
            : "Run with --verify to compare the device's output bit for bit with the integer reference."
        return HTML.section("verification", "Verification",
                            HTML.element("p", [("class", "verdict")],
                                         HTML.element("span", [("class", "badge " + state)], HTML.escape(label)) + " "
                                             + HTML.element("span", [("id", "verification-text")], HTML.escape(text)))
                                + HTML.element("p", [("class", "note")], HTML.escape(explanation)))
    }
}
