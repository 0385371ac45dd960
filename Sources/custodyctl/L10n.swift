import CustodyAPI
import Foundation

/// Messages and headers for the evidence clerk: Chinese when LANG/LC_ALL say zh, English otherwise.
enum L10n {
    static let chinese: Bool = {
        let env = ProcessInfo.processInfo.environment
        let lang = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_MESSAGES"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        return lang.lowercased().hasPrefix("zh")
    }()

    static func text(_ english: String, zh: String) -> String { chinese ? zh : english }

    /// A code the daemon sent (a flag, a state, a kind) as the reader reads it: its Chinese name
    /// from `Vocabulary` under zh, the code itself otherwise.
    static func code(_ table: [String: String], _ code: String) -> String { chinese ? Vocabulary.name(table, code) : code }

    /// Flags as the reader reads them: "无领用记录、警号不符" or "no-handover,officer-mismatch".
    static func flags(_ codes: [String]) -> String { chinese ? Vocabulary.flagList(codes) : codes.joined(separator: ",") }

    /// "Label: value" with the label in the reader's language.
    static func field(_ english: String, _ zh: String, _ value: String) -> String {
        (chinese ? zh + "：" : english + ": ") + value
    }
}
