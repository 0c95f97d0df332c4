/// Top-1 agreement between a reference and a device output of `rows` rows of `classes` scores
/// each (a batch of classifier outputs): how often the two pick the same class.
public struct TopOneAgreement: Equatable, Sendable {
    /// Rows whose argmax is the same in both outputs.
    public var matching: Int
    /// Rows compared.
    public var rows: Int
    /// `matching / rows` (1 for no rows).
    public var rate: Double { rows == 0 ? 1 : Double(matching) / Double(rows) }

    /// Compares `reference` and `device`, both `rows * classes` values, row-major.
    public init(reference: [Float], device: [Float], classes: Int) {
        precondition(classes > 0 && reference.count % classes == 0 && device.count == reference.count,
                     "\(reference.count) reference and \(device.count) device values are not rows of \(classes) classes")
        rows = reference.count / classes
        matching = (0..<rows).filter { row in
            let range = (row * classes)..<((row + 1) * classes)
            return Self.argmax(reference[range]) == Self.argmax(device[range])
        }.count
    }

    /// The index of the largest value, the first on ties (NaN never wins), as `numpy.argmax`
    /// returns for finite data.
    public static func argmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] || values[best].isNaN { best = index }
        return best - values.startIndex
    }
}
