import Foundation

/// An enforcement matter (案件) clips are filed under. Closing it starts the archive deadline
/// (RULES.md, "Long-term keeping on disc": case files archived within 30 working days).
public struct LegalCase: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case open, closed, archived }

    public var number: String
    public var title: String
    public var unit: String
    public var handlerBadge: String?
    public var openedAt: Date
    public var state: State
    /// When the newest close happened (nil while open).
    public var closedAt: Date?
    public var archivedAt: Date?
    public var clipCount: Int

    public init(number: String, title: String, unit: String, handlerBadge: String?, openedAt: Date,
                state: State = .open, closedAt: Date? = nil, archivedAt: Date? = nil, clipCount: Int = 0) {
        self.number = number; self.title = title; self.unit = unit; self.handlerBadge = handlerBadge
        self.openedAt = openedAt; self.state = state; self.closedAt = closedAt; self.archivedAt = archivedAt
        self.clipCount = clipCount
    }
}

/// One change of a case's state, append-only.
public struct CaseEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case closed, archived, reopened }
    public var kind: Kind
    public var at: Date
    public var note: String
    public var recordedBy: String
    public init(kind: Kind, at: Date, note: String, recordedBy: String) {
        self.kind = kind; self.at = at; self.note = note; self.recordedBy = recordedBy
    }
}

/// What a clerk records about a clip (RULES.md: classified and described within 2 working days:
/// place, main content; storage organised by case and party). A new annotation supersedes the
/// previous one for display; none is edited or deleted.
public struct Annotation: Sendable, Equatable, Codable {
    public var clipSHA256: String
    public var caseNumber: String?
    public var category: String
    public var place: String
    public var party: String
    public var description: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(clipSHA256: String, caseNumber: String?, category: String, place: String, party: String,
                description: String, recordedBy: String = "", recordedAt: Date = Date()) {
        self.clipSHA256 = clipSHA256; self.caseNumber = caseNumber; self.category = category; self.place = place
        self.party = party; self.description = description; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}
