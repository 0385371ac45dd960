import Foundation

/// Small text normalisations shared by import and export. They exist because
/// ledgers are typed by hand with a Chinese IME and round-tripped through Excel.
public enum LedgerText {
    /// Trims ASCII and ideographic (U+3000) whitespace; clerks pad cells with both.
    static func trim(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Folds full-width ASCII (Ａ１２３, typed with the IME in full-width mode)
    /// to plain ASCII, so badges and serials compare equal however they were typed.
    static func halfWidth(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if (0xFF01...0xFF5E).contains(scalar.value), let folded = Unicode.Scalar(scalar.value - 0xFEE0) {
                out.append(folded)
            } else if scalar.value == 0x3000 {
                out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Key for matching header names and vocabulary words: half-width,
    /// lower-cased, with spaces, "_" and "-" removed, so "Badge Number",
    /// "badge_number" and "in-service"/"In Service" all match their aliases.
    static func key(_ s: String) -> String {
        let folded = halfWidth(s).lowercased()
        return String(folded.unicodeScalars.filter {
            !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}"
        })
    }

    /// Undoes Excel's text-forcing wrapper `="0123"`, which clerks use to keep
    /// leading zeros in badge numbers from being eaten.
    static func unwrapExcelText(_ s: String) -> String {
        guard s.count >= 3, s.hasPrefix("=\""), s.hasSuffix("\"") else { return s }
        return String(s.dropFirst(2).dropLast())
    }

    /// Characters that make Excel evaluate a cell as a formula. Free text from
    /// the field (names, notes) must not become a formula on a clerk's desktop.
    private static let formulaLeads: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Export side of the formula guard: prefix a `'` so Excel shows text. Every CSV the station
    /// hands out goes through it (ledger exports, reports, disc indexes).
    public static func guardFormula(_ s: String) -> String {
        guard let first = s.first, formulaLeads.contains(first) else { return s }
        return "'" + s
    }

    /// Import side of the formula guard, so export → import is lossless.
    static func unguardFormula(_ s: String) -> String {
        guard s.hasPrefix("'"), let second = s.dropFirst().first, formulaLeads.contains(second) else { return s }
        return String(s.dropFirst())
    }

    /// True when the text contains anything outside ASCII (used to choose
    /// Chinese or English names for missing columns).
    static func hasNonASCII(_ s: String) -> Bool {
        s.unicodeScalars.contains { !$0.isASCII }
    }
}
