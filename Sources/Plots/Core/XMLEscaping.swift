/// XML escaping for text and attribute values in the generated SVG (and in the HTML report that
/// will embed it).
public enum XMLEscaping {
    /// `s` with `&`, `<`, `>`, `"` and `'` replaced by entity references, so it is safe both as
    /// element text and inside a double- or single-quoted attribute. Control characters other
    /// than tab, newline and carriage return are not allowed in XML 1.0 and are dropped.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
