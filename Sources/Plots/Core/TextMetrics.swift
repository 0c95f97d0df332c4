/// Text sizes for layout without a font engine: the charts name only the generic
/// `sans-serif` family, so widths are estimated, generously, from the character count.
enum TextMetrics {
    /// Average advance of a sans-serif character as a fraction of the font size, set for DejaVu
    /// Sans (the usual Linux fallback, wider than Helvetica or Arial) so that estimates err wide.
    static let averageAdvance = 0.65

    /// Font sizes in pixels.
    static let titleSize = 16.0
    static let labelSize = 12.0
    static let tickSize = 11.0
    static let cellSize = 10.0

    /// How far below a point to put a baseline so that text of `fontSize` is vertically
    /// centred on it (about half the height of a capital letter).
    static func centringShift(_ fontSize: Double) -> Double { fontSize * 0.35 }

    /// Estimated rendered width of `text` at `fontSize`.
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * averageAdvance
    }

    /// `text` cut to at most `maximum` characters, an ellipsis marking the cut.
    static func truncated(_ text: String, to maximum: Int) -> String {
        text.count <= maximum ? text : String(text.prefix(Swift.max(maximum - 1, 1))) + "…"
    }
}
