import Foundation

/// Small SVG writing helpers (all text is XML-escaped here).
struct SVGText {
    /// CJK font installed by the Makefile (fonts-wqy-microhei) first, then common fallbacks.
    static let fontFamily = "'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', SimHei, sans-serif"
    static let monoFamily = "'WenQuanYi Micro Hei Mono', 'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace"

    private(set) var body = ""

    static func escape(_ text: String) -> String {
        var out = ""
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if char.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\t" }) { out.append(char) }
            }
        }
        return out
    }

    /// Estimated width in em: full-width (CJK) characters 1.0, others 0.55 (0.6 in mono).
    static func ems(_ text: String, mono: Bool = false) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 1.0 : (mono ? 0.6 : 0.55)) }
    }

    /// Adds a text line; shrinks the font so the line fits `maxWidth` (mm).
    mutating func text(_ value: String, x: Double, y: Double, size: Double, maxWidth: Double? = nil,
                       anchor: String = "start", bold: Bool = false, mono: Bool = false) {
        var fontSize = size
        if let maxWidth {
            let estimated = Self.ems(value, mono: mono) * size
            if estimated > maxWidth { fontSize = size * maxWidth / estimated }
        }
        let family = mono ? Self.monoFamily : Self.fontFamily
        body += "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(fontSize))\" font-family=\"\(family)\""
            + " text-anchor=\"\(anchor)\"\(bold ? " font-weight=\"bold\"" : "")>\(Self.escape(value))</text>\n"
    }

    mutating func raw(_ element: String) { body += element + "\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, width: Double = 0.3) {
        raw("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"black\" stroke-width=\"\(f(width))\"/>")
    }

    /// A complete SVG document sized in millimetres.
    func document(width: Double, height: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))mm" height="\(f(height))mm" viewBox="0 0 \(f(width)) \(f(height))">
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
        \(body)</svg>

        """
    }

    func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
