import Foundation

/// A grammar pattern translated into an anchored regular expression plus the meaning of
/// each capture group.
///
/// `NSRegularExpression` is used rather than Swift `Regex` because it is immutable,
/// documented thread-safe and declared `Sendable` by Foundation (on Linux and Darwin),
/// so the compiled form can live in a `Sendable` value without `@unchecked` or a lock;
/// Swift's `Regex` is not `Sendable`.
struct GrammarPattern: Sendable {
    /// What a capture group holds.
    enum Slot: Sendable, Equatable {
        case badge, serial, unit, sequence, ext, folder, date
        case dateTime      // {yyyyMMddHHmmss}
        case dateOnly      // {yyyyMMdd}
        case timeOnly      // {HHmmss}
        case importantMark // [IMP]
    }

    let regex: NSRegularExpression
    /// `slots[i]` describes capture group `i + 1`.
    let slots: [Slot]
    /// How many trailing path components the pattern spans.
    let componentCount: Int

    /// Regex fragment and slot for each `{token}`; a nil slot means "not captured".
    /// Variable-length tokens are lazy so a following separator or `[IMP]` wins.
    private static let tokens: [String: (fragment: String, slot: Slot?)] = [
        "badge": ("[A-Za-z0-9]+?", .badge),
        "serial": ("[A-Za-z0-9]+?", .serial),
        "unit": ("[0-9]+?", .unit),
        "seq": ("[0-9]+?", .sequence),
        "ext": ("[A-Za-z0-9]+?", .ext),
        "folder": ("[^/]+?", .folder),
        "date": ("[0-9]{8}", .date),
        "yyyyMMddHHmmss": ("[0-9]{14}", .dateTime),
        "yyyyMMdd": ("[0-9]{8}", .dateOnly),
        "HHmmss": ("[0-9]{6}", .timeOnly),
        "*": ("[^/]*?", nil),
    ]

    /// Slots that fill a single field of `ParsedClipName`, so a second occurrence would be
    /// ambiguous. `{folder}`, `{date}`, `{ext}`, `{*}` and `[IMP]` may repeat.
    private static let singleUse: Set<String> = [
        "badge", "serial", "unit", "seq", "yyyyMMddHHmmss", "yyyyMMdd", "HHmmss",
    ]

    init(_ grammar: FileNameGrammar) throws(GrammarError) {
        func fail(_ token: String, _ reason: String) -> GrammarError {
            GrammarError(grammar: grammar.name, token: token, reason: reason)
        }
        let pattern = grammar.pattern
        if pattern.isEmpty { throw fail("", "the pattern is empty") }

        var source = "\\A"
        var slots: [Slot] = []
        var used: Set<String> = []
        var components = 1
        var componentIsEmpty = true
        var index = pattern.startIndex

        while index < pattern.endIndex {
            let character = pattern[index]
            if character == "{" {
                guard let close = pattern[index...].firstIndex(of: "}") else {
                    throw fail(String(pattern[index...]), "unclosed \"{\"")
                }
                let name = String(pattern[pattern.index(after: index)..<close])
                let written = "{\(name)}"
                guard let token = Self.tokens[name] else {
                    throw fail(written, "unknown token")
                }
                if Self.singleUse.contains(name), !used.insert(name).inserted {
                    throw fail(written, "token used more than once")
                }
                if let slot = token.slot {
                    source += "(\(token.fragment))"
                    slots.append(slot)
                } else {
                    source += "(?:\(token.fragment))"
                }
                componentIsEmpty = false
                index = pattern.index(after: close)
            } else if String(pattern[index...].prefix(5)).lowercased() == "[imp]" {
                source += "(_?[Ii][Mm][Pp])?"
                slots.append(.importantMark)
                componentIsEmpty = false
                index = pattern.index(index, offsetBy: 5)
            } else {
                if character == "/" {
                    if componentIsEmpty { throw fail(pattern, "empty path component") }
                    components += 1
                    componentIsEmpty = true
                    source += "/"
                } else {
                    source += Self.literal(character)
                    componentIsEmpty = false
                }
                index = pattern.index(after: index)
            }
        }
        if componentIsEmpty { throw fail(pattern, "empty path component") }
        source += "\\z"

        do {
            regex = try NSRegularExpression(pattern: source)
        } catch {
            // Only reachable if the translation above is wrong; report it, never crash.
            throw fail(pattern, "could not be compiled (\(error))")
        }
        self.slots = slots
        self.componentCount = components
    }

    /// Regex for a literal character: ASCII letters match either case (FAT upper-cases
    /// names), digits stand for themselves, and everything else is written as a code-point
    /// escape so no character can be mistaken for regex syntax.
    private static func literal(_ character: Character) -> String {
        var out = ""
        for scalar in character.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x41...0x5A, 0x61...0x7A:
                let upper = Character(Unicode.Scalar(UInt8(value & ~0x20)))
                let lower = Character(Unicode.Scalar(UInt8(value | 0x20)))
                out += "[\(upper)\(lower)]"
            case 0x30...0x39:
                out.unicodeScalars.append(scalar)
            default:
                out += "\\x{" + String(value, radix: 16) + "}"
            }
        }
        return out
    }

    /// The captured text of each group for `text`, or nil if the pattern does not match it
    /// as a whole. Groups that did not take part (an absent `[IMP]`) are nil.
    func captures(in text: String) -> [String?]? {
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, options: [.anchored], range: whole) else {
            return nil
        }
        return slots.indices.map { slotIndex in
            let range = match.range(at: slotIndex + 1)
            guard range.location != NSNotFound, let bounds = Range(range, in: text) else { return nil }
            return String(text[bounds])
        }
    }
}
