import Foundation

/// Text measuring, line breaking and column widths for printed pages, in millimetres.
///
/// Widths are estimates from the font's shape (a CJK character is one em, Latin letters and digits
/// about 0.6 em), rounded up so text never runs over its cell. The same widths drive the HTML
/// (`<col>` widths) and the PDF, so what a clerk prints from either looks alike.
enum PrintLayout {
    /// Cell padding, left and right.
    static let padding = 1.2
    static let lineFactor = 1.3

    /// Estimated width of `text` at `size` mm.
    static func width(_ text: String, size: Double, mono: Bool = false) -> Double {
        text.unicodeScalars.reduce(0.0) { sum, scalar in
            sum + (scalar.value >= 0x2E80 ? 1.0 : mono ? 0.61 : latinWidth(scalar)) * size
        }
    }

    static func latinWidth(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ": return 0.32
        case "m", "w", "M", "W", "@", "%": return 0.9
        default: return scalar.properties.isUppercase ? 0.68 : 0.58
        }
    }

    /// Breaks `text` into lines no wider than `maxWidth`: at explicit line breaks, at spaces between
    /// Latin words, between Chinese characters, and anywhere inside a word too long for a line (mono
    /// text such as a hash breaks anywhere). A Chinese closing mark never starts a line.
    static func wrap(_ text: String, maxWidth: Double, size: Double, mono: Bool = false) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0.0
            for char in paragraph {
                let w = width(String(char), size: size, mono: mono)
                if lineWidth + w > maxWidth && !line.isEmpty {
                    var carried = ""
                    if !mono, let space = line.lastIndex(of: " "), char.isASCII && !char.isWhitespace,
                       line[line.index(after: space)...].allSatisfy({ $0.isASCII }), space > line.startIndex {
                        carried = String(line[line.index(after: space)...])
                        line = String(line[..<space])
                    } else if closing.contains(char), let last = line.last {
                        carried = String(last)
                        line.removeLast()
                    }
                    lines.append(line)
                    line = carried
                    lineWidth = width(carried, size: size, mono: mono)
                    if char == " " && line.isEmpty { continue }
                }
                line.append(char)
                lineWidth += w
            }
            lines.append(line)
        }
        return lines
    }

    static let closing: Set<Character> = ["，", "。", "、", "；", "：", "）", "」", "》", "！", "？", ")", ",", "."]

    /// Widths of a table's columns filling `available` mm, and the font size they need.
    ///
    /// Every column gets at least its minimum: a number its full width (numbers never wrap), a hash
    /// 16 characters, text the longest of four Chinese characters, half its header and its longest
    /// Latin word (up to 14 characters). What is left goes to the columns whose text would wrap, in
    /// proportion to how much more they want. When even the minimums do not fit, the font shrinks
    /// (down to 2.2 mm) before anything is squeezed.
    static func columnWidths(_ table: PrintTable, available: Double, size preferred: Double) -> (widths: [Double], size: Double) {
        var size = preferred
        while true {
            let (minimum, natural) = bounds(table, size: size)
            let least = minimum.reduce(0, +)
            if least <= available || size <= 2.2 {
                let scale = least > available ? available / least : 1
                var widths = minimum.map { $0 * scale }
                let extra = available - widths.reduce(0, +)
                let wants = zip(natural, widths).map { max(0, $0 - $1) }
                let wanted = wants.reduce(0, +)
                if wanted > 0 && extra > 0 {
                    let share = min(1, extra / wanted)
                    widths = zip(widths, wants).map { $0 + $1 * share }
                }
                let left = available - widths.reduce(0, +)
                if left > 0.01 {
                    let total = widths.reduce(0, +)
                    widths = widths.map { $0 + left * $0 / total }
                }
                return (widths, size)
            }
            size = max(2.2, size * 0.92)
        }
    }

    /// The least and the comfortable width of every column at `size`.
    static func bounds(_ table: PrintTable, size: Double) -> (minimum: [Double], natural: [Double]) {
        var minimum: [Double] = [], natural: [Double] = []
        for (index, column) in table.columns.enumerated() {
            let mono = column.style == .mono
            let cells = table.rows.map { index < $0.count ? $0[index] : "" }
            let headerSize = size
            let longestLine = (cells.flatMap { $0.split(separator: "\n").map(String.init) })
                .map { width($0, size: size, mono: mono) }.max() ?? 0
            let headerWidth = width(column.header, size: headerSize)
            let full = max(longestLine, headerWidth) + 2 * padding
            var least: Double
            switch column.style {
            case .number:
                least = max(longestLine, halfWidth(column.header, size: headerSize)) + 2 * padding
            case .mono:
                least = max(16 * 0.61 * size, halfWidth(column.header, size: headerSize)) + 2 * padding
            case .text:
                least = max(4 * size, halfWidth(column.header, size: headerSize), longestWord(cells, size: size)) + 2 * padding
            }
            least = min(least, full)
            minimum.append(least)
            natural.append(min(full, max(least, 60)))
        }
        return (minimum, natural)
    }

    /// The widest Latin word of `cells` (a path, a serial), at most 14 characters wide.
    static func longestWord(_ cells: [String], size: Double) -> Double {
        var widest = 0.0
        let cap: Double = 14 * 0.6 * size
        for cell in cells {
            for word in cell.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.allSatisfy(\.isASCII) {
                let w: Double = width(String(word), size: size)
                widest = max(widest, min(w, cap))
            }
        }
        return widest
    }

    /// The width of the wider half of a header broken in two.
    static func halfWidth(_ header: String, size: Double) -> Double {
        let characters = Array(header)
        let half = (characters.count + 1) / 2
        return max(width(String(characters.prefix(half)), size: size), width(String(characters.dropFirst(half)), size: size))
    }
}
