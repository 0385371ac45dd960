import Foundation

/// Keys people type (case numbers, badge numbers, device serials), made into one spelling before
/// they are stored or looked up (authorization issue, item 4): NFKC (full-width `Ａ-２０２６` is
/// `A-2026`), surrounding blanks trimmed, serials case-folded (upper case, as cameras print them);
/// a key holding a control or format character (a zero-width space, a right-to-left override) is
/// refused, since it would read like another key. `lookalike` finds an existing key that a new
/// one only looks like (Cyrillic `А` for Latin `A`, a different dash), so it is refused rather
/// than stored beside the real one.
public enum TypedKey {
    public enum Kind: Sendable {
        case caseNumber, badge, serial

        var nameEn: String { self == .caseNumber ? "case number" : self == .badge ? "badge number" : "device serial" }
        var nameZh: String { self == .caseNumber ? "案件编号" : self == .badge ? "警号" : "设备编号" }
    }

    /// Why a typed key was refused, in English and Chinese.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
        public var messageZh: String
    }

    /// The key as stored and compared, or why it cannot be one.
    public static func normalize(_ text: String, _ kind: Kind) -> Result<String, Problem> {
        let folded = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCompatibilityMapping
        if let bad = folded.unicodeScalars.first(where: { [.control, .format, .lineSeparator, .paragraphSeparator,
                                                           .privateUse, .surrogate, .unassigned].contains($0.properties.generalCategory) }) {
            let code = String(format: "U+%04X", bad.value)
            return .failure(Problem(message: "\(kind.nameEn) \"\(text)\" holds an invisible or control character (\(code)); type it again without it",
                                    messageZh: "\(kind.nameZh)“\(text)”含有不可见字符或控制字符（\(code)），请重新输入"))
        }
        return .success(kind == .serial ? folded.uppercased() : folded)
    }

    /// What a key looks like: case-folded, look-alike letters of other scripts and dash-like
    /// characters mapped to one form. Two keys with the same skeleton read the same to a person.
    public static func skeleton(_ key: String) -> String {
        String(String.UnicodeScalarView(key.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars.map {
            confusables[$0] ?? $0
        }))
    }

    /// An existing key that `key` only looks like (same skeleton, different key), if any.
    public static func lookalike(_ key: String, among existing: some Sequence<String>) -> String? {
        let shape = skeleton(key)
        return existing.first { $0 != key && skeleton($0) == shape }
    }

    /// Letters of Cyrillic and Greek that look like Latin ones, and dashes that look like a hyphen
    /// (lower case: `skeleton` folds case first). From Unicode TR 39's confusables, the ones a
    /// case number can hold.
    static let confusables: [Unicode.Scalar: Unicode.Scalar] = {
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        let pairs: [(String, String)] = [
            ("авеікмнорстухѕјԁԛԝ", "abeikmhopctyxsjdqw"),  // Cyrillic
            ("αβεικνορτυχζη", "abeiknoptuxzn"),  // Greek
        ]
        for (from, to) in pairs {
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { map[a] = b }
        }
        for dash in "\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2015}\u{2212}\u{FE58}\u{FE63}\u{FF0D}".unicodeScalars { map[dash] = "-" }
        return map
    }()
}
