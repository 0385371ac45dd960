import Foundation

/// `POST /v1/cases`.
public struct CaseRequest: Codable, Sendable, Equatable {
    public var number: String
    public var title: String
    public var unit: String?
    public var handlerBadge: String?
    /// Station time or ISO 8601; now when absent.
    public var openedAt: String?
    public init(number: String, title: String, unit: String?, handlerBadge: String?, openedAt: String?) {
        self.number = number; self.title = title; self.unit = unit; self.handlerBadge = handlerBadge; self.openedAt = openedAt
    }
}

/// `POST /v1/cases/{number}/close|archive|reopen`.
public struct CaseEventRequest: Codable, Sendable, Equatable {
    public var at: String?
    public var note: String
    public init(at: String?, note: String) { self.at = at; self.note = note }
}

public struct CaseItem: Codable, Sendable, Equatable {
    public var number: String
    public var title: String
    public var unit: String
    public var handlerBadge: String?
    public var openedAt: Date
    /// open, closed or archived.
    public var state: String
    public var closedAt: Date?
    public var archivedAt: Date?
    /// Archive by then (closed cases).
    public var archiveDueAt: Date?
    public var clipCount: Int
    public init(number: String, title: String, unit: String, handlerBadge: String?, openedAt: Date, state: String,
                closedAt: Date?, archivedAt: Date?, archiveDueAt: Date?, clipCount: Int) {
        self.number = number; self.title = title; self.unit = unit; self.handlerBadge = handlerBadge; self.openedAt = openedAt
        self.state = state; self.closedAt = closedAt; self.archivedAt = archivedAt; self.archiveDueAt = archiveDueAt
        self.clipCount = clipCount
    }
}

public struct CaseEventItem: Codable, Sendable, Equatable {
    public var kind: String
    public var at: Date
    public var note: String
    public var recordedBy: String
    public init(kind: String, at: Date, note: String, recordedBy: String) {
        self.kind = kind; self.at = at; self.note = note; self.recordedBy = recordedBy
    }
}

/// `GET /v1/cases/{number}`.
public struct CaseDetail: Codable, Sendable, Equatable {
    public var legalCase: CaseItem
    public var events: [CaseEventItem]
    public var clips: [ClipItem]
    public init(legalCase: CaseItem, events: [CaseEventItem], clips: [ClipItem]) {
        self.legalCase = legalCase; self.events = events; self.clips = clips
    }
}
