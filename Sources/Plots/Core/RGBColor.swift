/// A colour with 8-bit sRGB channels.
public struct RGBColor: Sendable, Equatable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#RRGGBB`; a malformed literal is a programming error.
    init(hex: String) {
        precondition(hex.count == 7 && hex.hasPrefix("#"), "expected #RRGGBB, got \(hex)")
        let value = UInt32(hex.dropFirst(), radix: 16)!
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        "#" + [red, green, blue].map { channel in
            let digits = String(channel, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Relative luminance per ITU-R BT.709 weights on the (gamma-encoded) channels, 0...1: a
    /// cheap test for whether dark or light text reads better on this colour.
    var approximateLuminance: Double {
        (0.2126 * Double(red) + 0.7152 * Double(green) + 0.0722 * Double(blue)) / 255
    }
}
