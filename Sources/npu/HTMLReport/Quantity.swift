import Plots

/// Times, byte counts and energies written in a unit that suits their size, so that a LeNet
/// run (microseconds, kilobytes, microjoules) reads as well as a ResNet-50 run (milliseconds,
/// megabytes, millijoules). Decimal units: 1 kB = 1,000 bytes, as the text report's MB.
enum Quantity {
    static func time(seconds: Double) -> String {
        seconds >= 1e-3 ? HTML.fixed(seconds * 1e3, 3) + " ms" : HTML.fixed(seconds * 1e6, 2) + " µs"
    }

    static func bytes(_ count: Int) -> String {
        let value = Double(count)
        if value >= 1e6 { return HTML.fixed(value / 1e6, 2) + " MB" }
        if value >= 1e3 { return HTML.fixed(value / 1e3, 1) + " kB" }
        return "\(count) B"
    }

    static func energy(pJ: Double) -> String {
        if pJ >= 1e9 { return HTML.fixed(pJ / 1e9, 3) + " mJ" }
        if pJ >= 1e6 { return HTML.fixed(pJ / 1e6, 2) + " µJ" }
        return HTML.fixed(pJ / 1e3, 1) + " nJ"
    }
}
