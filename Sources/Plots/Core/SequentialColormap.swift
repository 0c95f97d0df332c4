/// A perceptually ordered colour scale from low to high values: evenly spaced colour stops,
/// linearly interpolated in sRGB between neighbours.
public struct SequentialColormap: Sendable, Equatable {
    /// The stops, first for the lowest value, last for the highest.
    public let stops: [RGBColor]

    public init(stops: [RGBColor]) {
        precondition(stops.count >= 2, "a colormap needs at least two stops")
        self.stops = stops
    }

    /// Viridis (S. van der Walt and N. Smith, matplotlib 1.5, 2015; public domain, CC0), as the
    /// ten evenly spaced colours of R's `viridisLite::viridis(10)`: perceptually uniform,
    /// readable in greyscale and under colour-vision deficiency.
    public static let viridis = SequentialColormap(stops: [
        "#440154", "#482878", "#3E4A89", "#31688E", "#26828E",
        "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725",
    ].map(RGBColor.init(hex:)))

    /// The colour at `fraction` in 0...1 (clamped): 0 is the first stop, 1 the last.
    public func color(at fraction: Double) -> RGBColor {
        let t = fraction.isNaN ? 0 : Swift.min(Swift.max(fraction, 0), 1)
        let position = t * Double(stops.count - 1)
        let index = Swift.min(Int(position), stops.count - 2)
        let weight = position - Double(index)
        let a = stops[index], b = stops[index + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * weight).rounded())
        }
        return RGBColor(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }
}
