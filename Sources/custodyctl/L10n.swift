import Foundation

/// Messages and headers for the evidence clerk: Chinese when LANG/LC_ALL say zh, English otherwise.
enum L10n {
    static let chinese: Bool = {
        let env = ProcessInfo.processInfo.environment
        let lang = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_MESSAGES"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        return lang.lowercased().hasPrefix("zh")
    }()

    static func text(_ english: String, zh: String) -> String { chinese ? zh : english }

    /// "Label: value" with the label in the reader's language.
    static func field(_ english: String, _ zh: String, _ value: String) -> String {
        (chinese ? zh + "：" : english + ": ") + value
    }
}
