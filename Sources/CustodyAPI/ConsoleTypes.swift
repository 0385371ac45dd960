import Foundation

/// `GET /v1/me`: who the daemon takes the caller for (from `SO_PEERCRED`) and the roles it
/// holds, so a console can hide what the caller may not do. Hiding is a courtesy: every call is
/// still checked by the daemon.
public struct CallerItem: Codable, Sendable, Equatable {
    public var uid: UInt32
    public var name: String?
    /// `viewer`, `clerk`, `approver`, `admin`, `auditor`, least to most trusted.
    public var roles: [String]
    public var unit: String
    /// The station's time zone (IANA name): times are shown in it, whatever the browser's zone.
    public var timeZone: String
    public init(uid: UInt32, name: String?, roles: [String], unit: String, timeZone: String) {
        self.uid = uid; self.name = name; self.roles = roles; self.unit = unit; self.timeZone = timeZone
    }
}

/// `GET /v1/vocabulary`: the words for every code the API carries, by table (`flags`,
/// `dumpStates`, `roles`, `accessDocuments`, …; `Vocabulary.tables`), in Chinese and English. The
/// web console words codes from it, so a state reads on screen as it reads on paper.
public struct VocabularyItem: Codable, Sendable, Equatable {
    public var zh: [String: [String: String]]
    public var en: [String: [String: String]]
    public init(zh: [String: [String: String]], en: [String: [String: String]]) { self.zh = zh; self.en = en }
}
