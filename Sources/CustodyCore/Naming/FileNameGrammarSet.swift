import Foundation

/// The configured grammars, validated and compiled once, tried in order against clip paths.
///
/// A plain value holding only immutable, `Sendable` state, so one set can be shared by all
/// ingest tasks without a lock.
public struct FileNameGrammarSet: Sendable {
    /// The grammars as configured, in the order they are tried.
    public let grammars: [FileNameGrammar]
    private let compiled: [Entry]

    private struct Entry: Sendable {
        let grammar: FileNameGrammar
        let pattern: GrammarPattern
        /// Case-folded `grammar.importantFolders`.
        let importantFolders: Set<String>
    }

    /// Validates and compiles every grammar. Throws on the first unusable one (unknown
    /// token, empty pattern, empty or duplicate name) so configuration mistakes surface at
    /// start-up.
    public init(_ grammars: [FileNameGrammar]) throws(GrammarError) {
        var names: Set<String> = []
        var compiled: [Entry] = []
        for grammar in grammars {
            if grammar.name.isEmpty {
                throw GrammarError(grammar: grammar.name, token: grammar.pattern, reason: "grammar has no name")
            }
            if !names.insert(grammar.name).inserted {
                // The name is recorded with each clip; two grammars sharing one would make
                // it impossible to tell later which rule identified a clip.
                throw GrammarError(grammar: grammar.name, token: "", reason: "grammar name used more than once")
            }
            let pattern = try GrammarPattern(grammar)
            compiled.append(Entry(
                grammar: grammar, pattern: pattern,
                importantFolders: Set(grammar.importantFolders.map(Self.foldCase))
            ))
        }
        self.grammars = grammars
        self.compiled = compiled
    }

    /// Identifies a clip from its path.
    ///
    /// `relativePath` is relative to the root of the camera's storage, "/"-separated, e.g.
    /// "DCIM/101ANDRO/A7K2931/010203/20261127/20261127083015_0001IMP.MP4". Empty components
    /// (leading, trailing or doubled "/") are ignored. The first grammar, in order, whose
    /// pattern matches the last N components of the path wins; nil if none does.
    public func parse(relativePath: String, timeZone: TimeZone) -> ParsedClipName? {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        for entry in compiled where components.count >= entry.pattern.componentCount {
            let tail = components.suffix(entry.pattern.componentCount).joined(separator: "/")
            guard let captures = entry.pattern.captures(in: tail) else { continue }
            return Self.build(
                grammar: entry.grammar.name, slots: entry.pattern.slots, captures: captures,
                importantFolders: entry.importantFolders, timeZone: timeZone
            )
        }
        return nil
    }

    private static func build(
        grammar: String, slots: [GrammarPattern.Slot], captures: [String?],
        importantFolders: Set<String>, timeZone: TimeZone
    ) -> ParsedClipName {
        var result = ParsedClipName(grammar: grammar)
        var dateTime: String?
        var dateOnly: String?
        var timeOnly: String?
        for (slot, value) in zip(slots, captures) {
            guard let value else { continue }
            switch slot {
            case .badge: result.badge = value
            case .serial: result.serial = value
            case .unit: result.unit = value
            case .sequence: result.sequence = value
            case .dateTime: dateTime = value
            case .dateOnly: dateOnly = value
            case .timeOnly: timeOnly = value
            case .importantMark: result.important = true
            case .folder:
                if importantFolders.contains(foldCase(value)) { result.important = true }
            case .ext, .date: break
            }
        }
        if let dateTime {
            result.recordedAt = wallClockDate(dateTime, timeZone: timeZone)
        } else if let dateOnly, let timeOnly {
            result.recordedAt = wallClockDate(dateOnly + timeOnly, timeZone: timeZone)
        }
        return result
    }

    /// Interprets 14 digits yyyyMMddHHmmss as a wall-clock time in `timeZone`.
    ///
    /// Every field is range-checked by hand before asking `Calendar`, because
    /// `Calendar.date(from:)` silently normalises impossible values (30 February becomes
    /// 2 March), which would put a wrong time on evidence. Uses a fixed Gregorian calendar,
    /// never the process locale. A local time skipped by a daylight-saving jump is rejected
    /// too (irrelevant for China Standard Time, which has none).
    static func wallClockDate(_ digits: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(digits.utf8)
        guard bytes.count == 14, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func number(_ start: Int, _ length: Int) -> Int {
            bytes[start..<(start + length)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let year = number(0, 4), month = number(4, 2), day = number(6, 2)
        let hour = number(8, 2), minute = number(10, 2), second = number(12, 2)
        guard year >= 1, (1...12).contains(month), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: wanted) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day,
              back.hour == hour, back.minute == minute, back.second == second else { return nil }
        return date
    }

    /// ASCII-only case folding, matching how patterns compare letters; avoids Unicode
    /// case mappings (e.g. "ß" → "SS") that FAT never applies.
    static func foldCase(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x61...0x7A).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0x20) ?? scalar : scalar
        }))
    }
}
