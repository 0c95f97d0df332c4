/// How far a dequantized device output is from the fp32 reference, element by element
/// (computed in Double).
public struct QuantizationError: Equatable, Sendable {
    /// The largest `|reference - device|`.
    public var maxAbsError: Double
    /// The mean of `|reference - device|`.
    public var meanAbsError: Double
    /// `<reference, device> / (|reference| |device|)`: 1 when both are zero, 0 when only one is.
    public var cosineSimilarity: Double

    public init(maxAbsError: Double, meanAbsError: Double, cosineSimilarity: Double) {
        self.maxAbsError = maxAbsError
        self.meanAbsError = meanAbsError
        self.cosineSimilarity = cosineSimilarity
    }

    /// Compares two outputs of the same length (a different length is a caller's bug). Empty
    /// outputs compare as identical.
    public init(reference: [Float], device: [Float]) {
        precondition(reference.count == device.count, "reference has \(reference.count) values, device \(device.count)")
        var maxAbs = 0.0, sumAbs = 0.0, dot = 0.0, referenceNorm = 0.0, deviceNorm = 0.0
        for (r, d) in zip(reference, device) {
            let (a, b) = (Double(r), Double(d))
            let error = abs(a - b)
            maxAbs = max(maxAbs, error)
            sumAbs += error
            dot += a * b
            referenceNorm += a * a
            deviceNorm += b * b
        }
        let cosine: Double = switch (referenceNorm == 0, deviceNorm == 0) {
        case (true, true): 1
        case (false, false): min(max(dot / (referenceNorm * deviceNorm).squareRoot(), -1), 1)
        default: 0
        }
        self.init(maxAbsError: maxAbs, meanAbsError: reference.isEmpty ? 0 : sumAbs / Double(reference.count),
                  cosineSimilarity: cosine)
    }
}
