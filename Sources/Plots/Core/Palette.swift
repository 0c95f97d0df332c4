/// The categorical palette used for series, groups and categories in every chart.
///
/// Okabe & Ito's eight colours, distinguishable under the common forms of colour-vision
/// deficiency: M. Okabe and K. Ito, "Color Universal Design (CUD): How to make figures and
/// presentations that are friendly to colorblind people" (2002/2008), jfly.uni-koeln.de/color.
/// The order puts the darker, most distinct colours first; yellow (weak on white) comes late.
public enum Palette {
    /// Okabe–Ito: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black.
    public static let okabeIto: [String] = [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
    ]

    /// The colour of the `index`-th series; the palette repeats after eight entries, so charts
    /// with more series than that should group the small ones.
    public static func color(_ index: Int) -> String {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }

    /// Neutral colours for axes, grid lines, text and missing data.
    static let axis = "#333333"
    static let grid = "#e5e5e5"
    static let text = "#222222"
    static let missing = "#f0f0f0"
    static let missingStroke = "#bbbbbb"
}
