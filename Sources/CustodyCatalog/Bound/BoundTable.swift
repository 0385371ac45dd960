import GRDB

/// A catalog table whose rows decide what happens to evidence, and so are bound to the audit
/// chain (provable-catalog issue, item 1): every change to one of its rows is an audit event that
/// carries the row as it is after the change (`RowImage`), so `audit verify` can replay the chain
/// into the state it implies and compare it with the table.
///
/// Every column of a bound table is bound (the image is `SELECT *`), so a column a later migration
/// adds is bound too; that migration must write a baseline of the existing rows
/// (`BoundBaseline.write`), or every old row disagrees with the chain.
struct BoundTable: Sendable, Hashable {
    /// How a key is held in memory during a replay: a million clip keys as 32 bytes, not strings.
    enum KeyKind: Sendable, Hashable {
        /// One INTEGER column (`id`, `revision`).
        case integer
        /// One column holding a SHA-256 in lowercase hex.
        case sha256
        /// Any other text, or several columns joined by "/".
        case text
    }

    /// The table's name in SQL and in the chain (`"table":"clip"`).
    let name: String
    /// The primary key's columns, in the order the key text joins them.
    let keyColumns: [String]
    let keyKind: KeyKind
    /// What a person calls a row of it, in messages (`clip 3f2a9c01: …`).
    let noun: String

    /// `WHERE k1 = ? AND k2 = ?` for one row.
    var whereKey: String { keyColumns.map { "\($0) = ?" }.joined(separator: " AND ") }
    /// The order a scan of the table and a sort of replayed keys agree on.
    var orderBy: String { keyColumns.joined(separator: ", ") }
}

extension BoundTable {
    static let clip = BoundTable(name: "clip", keyColumns: ["sha256"], keyKind: .sha256, noun: "clip")
    static let provenance = BoundTable(name: "provenance", keyColumns: ["id"], keyKind: .integer, noun: "provenance")
    static let annotation = BoundTable(name: "annotation", keyColumns: ["id"], keyKind: .integer, noun: "annotation")
    static let legalCase = BoundTable(name: "legal_case", keyColumns: ["number"], keyKind: .text, noun: "case")
    static let caseEvent = BoundTable(name: "case_event", keyColumns: ["id"], keyKind: .integer, noun: "case event")
    static let longTermMark = BoundTable(name: "long_term_mark", keyColumns: ["id"], keyKind: .integer, noun: "long-term mark")
    static let holdEvent = BoundTable(name: "hold_event", keyColumns: ["id"], keyKind: .integer, noun: "hold")
    static let confidentialityEvent = BoundTable(name: "confidentiality_event", keyColumns: ["id"], keyKind: .integer,
                                                 noun: "confidentiality flag")
    static let disposalProposal = BoundTable(name: "disposal_proposal", keyColumns: ["id"], keyKind: .integer, noun: "disposal proposal")
    static let disposalItem = BoundTable(name: "disposal_item", keyColumns: ["proposal_id", "clip_sha256"], keyKind: .text,
                                         noun: "disposal item")
    static let disposalDecision = BoundTable(name: "disposal_decision", keyColumns: ["proposal_id"], keyKind: .integer,
                                             noun: "disposal decision")
    static let tombstone = BoundTable(name: "tombstone", keyColumns: ["clip_sha256"], keyKind: .sha256, noun: "tombstone")
    static let discSet = BoundTable(name: "disc_set", keyColumns: ["id"], keyKind: .text, noun: "disc set")
    static let discSetItem = BoundTable(name: "disc_set_item", keyColumns: ["set_id", "clip_sha256"], keyKind: .text,
                                        noun: "disc set item")
    static let discCopyEvent = BoundTable(name: "disc_copy_event", keyColumns: ["id"], keyKind: .integer, noun: "disc copy event")
    static let accessRequest = BoundTable(name: "access_request", keyColumns: ["id"], keyKind: .integer, noun: "access request")
    static let accessDecision = BoundTable(name: "access_decision", keyColumns: ["request_id"], keyKind: .integer,
                                           noun: "access decision")
    static let accessUse = BoundTable(name: "access_use", keyColumns: ["id"], keyKind: .integer, noun: "access use")
    static let accessAllowance = BoundTable(name: "access_allowance", keyColumns: ["request_id"], keyKind: .integer,
                                            noun: "access allowance")
    static let officerRevision = BoundTable(name: "officer_revision", keyColumns: ["revision"], keyKind: .integer,
                                            noun: "officer revision")
    static let deviceRevision = BoundTable(name: "device_revision", keyColumns: ["revision"], keyKind: .integer,
                                           noun: "device revision")
    static let handover = BoundTable(name: "handover", keyColumns: ["id"], keyKind: .integer, noun: "handover")
    static let deadlineException = BoundTable(name: "deadline_exception", keyColumns: ["id"], keyKind: .integer,
                                              noun: "deadline exception")
    static let interruption = BoundTable(name: "interruption", keyColumns: ["id"], keyKind: .integer, noun: "interruption note")
    static let clipCorrection = BoundTable(name: "clip_correction", keyColumns: ["id"], keyKind: .integer, noun: "clip correction")

    /// Every bound table, in the order a verification compares them (clips first: the issue's
    /// example is a clip row).
    static let all: [BoundTable] = [
        .clip, .provenance, .annotation, .legalCase, .caseEvent, .longTermMark, .holdEvent, .confidentialityEvent,
        .disposalProposal, .disposalItem, .disposalDecision, .tombstone, .discSet, .discSetItem, .discCopyEvent,
        .accessRequest, .accessDecision, .accessUse, .officerRevision, .deviceRevision, .handover, .deadlineException,
        .interruption, .clipCorrection, .accessAllowance,
    ]

    static let byName: [String: BoundTable] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

/// One row of a bound table named by its key: what an audit event says it changed.
struct BoundRow: Sendable, Hashable {
    let table: BoundTable
    let key: [DatabaseValue]

    init(_ table: BoundTable, _ key: any DatabaseValueConvertible...) {
        self.table = table
        self.key = key.map(\.databaseValue)
    }

    init(table: BoundTable, key: [DatabaseValue]) {
        self.table = table
        self.key = key
    }

    static func clip(_ sha256: String) -> BoundRow { BoundRow(.clip, sha256) }
}
