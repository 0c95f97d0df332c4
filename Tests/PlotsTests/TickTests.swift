import Testing
@testable import Plots

struct TickTests {
    @Test func zeroToNinetySevenStepsByTwenty() {
        let ticks = LinearTicks(covering: 0, 97)
        #expect(ticks.values == [0, 20, 40, 60, 80, 100])
        #expect(ticks.step == 20)
    }

    @Test func millionsStepByTwoHundredThousand() {
        let ticks = LinearTicks(covering: 0, 1_234_567)
        #expect(ticks.step == 200_000)
        #expect(ticks.values == [0, 200_000, 400_000, 600_000, 800_000, 1_000_000, 1_200_000, 1_400_000])
        #expect(ticks.values.map { NumberStyle.si.tickLabel($0, step: ticks.step) }
                == ["0", "200k", "400k", "600k", "800k", "1M", "1.2M", "1.4M"])
        #expect(ticks.values.map { NumberStyle.grouped.tickLabel($0, step: ticks.step) }.last == "1,400,000")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let low: Double, high: Double, step: Double, first: Double, last: Double
        var testDescription: String { "\(low)...\(high)" }
    }

    @Test(arguments: [
        Case(low: 0, high: 100, step: 20, first: 0, last: 100),
        Case(low: 0, high: 1, step: 0.2, first: 0, last: 1),
        Case(low: 0.1, high: 0.35, step: 0.05, first: 0.1, last: 0.35),
        Case(low: -3, high: 7, step: 2, first: -4, last: 8),
        Case(low: 12_345, high: 12_999, step: 100, first: 12_300, last: 13_000),
        Case(low: 0, high: 0, step: 0.2, first: 0, last: 1),
        Case(low: 5, high: 5, step: 1, first: 0, last: 5),
    ])
    func niceStepsAndRoundedBounds(_ c: Case) {
        let ticks = LinearTicks(covering: c.low, c.high)
        #expect(abs(ticks.step - c.step) < 1e-12)
        #expect(abs(ticks.lower - c.first) < 1e-9 && abs(ticks.upper - c.last) < 1e-9)
        #expect(ticks.lower <= min(c.low, c.high) && ticks.upper >= max(c.low, c.high))
        for (a, b) in zip(ticks.values, ticks.values.dropFirst()) { #expect(abs(b - a - ticks.step) < 1e-9) }
        let normalized = ticks.step / pow10(Int(log10Approx(ticks.step)))
        #expect([1, 2, 5].contains { abs(normalized - $0) < 1e-9 })
        #expect((4...11).contains(ticks.values.count))
    }

    @Test func decimalTicksHaveExactLabels() {
        let ticks = LinearTicks(covering: 0.1, 0.35)
        #expect(ticks.values.map { NumberStyle.grouped.tickLabel($0, step: ticks.step) }
                == ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"], "one precision per axis")
    }

    @Test func logTicksCoverWholeDecades() {
        let ticks = LogTicks(covering: 0.37, 2_500)
        #expect(ticks.values == [0.1, 1, 10, 100, 1_000, 10_000])
        #expect(ticks.values.map(LogTicks.label) == ["0.1", "1", "10", "100", "1k", "10k"])
        #expect(LogTicks(covering: 100, 100).values == [100, 1_000])
        #expect(LogTicks(covering: 3, 4).values == [1, 10])
        #expect(LogTicks(covering: 0.001, 0.01).values.map(LogTicks.label) == ["0.001", "0.01"])
    }

    @Test func numberFormatting() {
        #expect(NumberFormatting.fixed(2.5, decimals: 2) == "2.50")
        #expect(NumberFormatting.fixed(-0.004, decimals: 2) == "0.00")
        #expect(NumberFormatting.fixed(-1.005, decimals: 1) == "-1.0")
        #expect(NumberFormatting.coordinate(12.3456) == "12.35")
        #expect(NumberFormatting.coordinate(3) == "3")
        #expect(NumberFormatting.si(12_000) == "12k")
        #expect(NumberFormatting.si(3_400_000) == "3.4M")
        #expect(NumberFormatting.si(999_999, decimals: 1) == "1M")
        #expect(NumberFormatting.si(950) == "950")
        #expect(NumberFormatting.grouped(1_234_567.8, decimals: 1) == "1,234,567.8")
        #expect(NumberFormatting.grouped(-1_000) == "-1,000")
        #expect(NumberFormatting.grouped(999) == "999")
        #expect(NumberFormatting.significant(0.012345) == "0.0123")
        #expect(NumberFormatting.significant(1_234_567) == "1,234,567")
        #expect(NumberFormatting.significant(12.5) == "12.5")
    }

    private func pow10(_ exponent: Int) -> Double { NumberFormatting.power10(exponent) }
    private func log10Approx(_ value: Double) -> Double {
        var exponent = 0.0, scaled = value
        while scaled >= 10 { scaled /= 10; exponent += 1 }
        while scaled < 1 { scaled *= 10; exponent -= 1 }
        return exponent
    }
}
