import Foundation

/// The station's integrity (provable-catalog issue): `status` and `audit acknowledge`.
public struct IntegrityItem: Codable, Sendable, Equatable {
    /// checking (the check at start is running), ok, alarm, or acknowledged (findings stand, an
    /// admin acknowledged them: disposal and exports go on).
    public var state: String
    public var problems: [String]
    /// Not alarms: e.g. audit rows dated before the row they follow (the clock was set back).
    public var warnings: [String]
    public var checkedAt: Date?
    /// The station's Ed25519 public key, hex (`custodyctl audit key`).
    public var publicKey: String
    public var acknowledgedBy: String?
    public var acknowledgedReason: String?
    public init(state: String, problems: [String], warnings: [String], checkedAt: Date?, publicKey: String) {
        self.state = state; self.problems = problems; self.warnings = warnings; self.checkedAt = checkedAt; self.publicKey = publicKey
    }
}

/// `GET /v1/audit/key`.
public struct StationKeyItem: Codable, Sendable, Equatable {
    public var publicKey: String
    public var keyID: String
    public init(publicKey: String, keyID: String) { self.publicKey = publicKey; self.keyID = keyID }
}

/// `POST /v1/audit/acknowledge`.
public struct AcknowledgeRequest: Codable, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// `GET /v1/audit/consistency?head=LINE`: one signed tree head from outside the catalog checked
/// against today's log (`custodyctl audit verify --against FILE`).
public struct ConsistencyItem: Codable, Sendable, Equatable {
    /// Where the head was found (the file the CLI read).
    public var source: String
    public var head: String
    /// consistent, rolled-back, rechained, bad-signature, foreign-key or superseded.
    public var verdict: String
    public var valid: Bool
    public var message: String
    public var headSize: Int64
    public var headRoot: String
    public var headTime: Date
    public var currentSize: Int64
    public var currentRoot: String
    /// The RFC 6962 consistency proof from the head's tree to today's (hex nodes), so anyone can
    /// check it with the two roots.
    public var proof: [String]
    public init(source: String, head: String, verdict: String, valid: Bool, message: String, headSize: Int64, headRoot: String,
                headTime: Date, currentSize: Int64, currentRoot: String, proof: [String]) {
        self.source = source; self.head = head; self.verdict = verdict; self.valid = valid; self.message = message
        self.headSize = headSize; self.headRoot = headRoot; self.headTime = headTime; self.currentSize = currentSize
        self.currentRoot = currentRoot; self.proof = proof
    }
}

/// `POST /v1/backup` (`custodyctl backup --to DIR`).
public struct BackupRequest: Codable, Sendable, Equatable {
    public var target: String
    public init(target: String) { self.target = target }
}

/// A catalog backup made: where, the checkpoint it is at (signed), and how to copy the store.
public struct BackupItem: Codable, Sendable, Equatable {
    public var path: String
    public var treeSize: Int64
    public var root: String
    public var signedHead: String
    public var store: String
    /// The command that copies the store beside the backup (it is write-once: new files only).
    public var copyStore: String
    public init(path: String, treeSize: Int64, root: String, signedHead: String, store: String, copyStore: String) {
        self.path = path; self.treeSize = treeSize; self.root = root; self.signedHead = signedHead; self.store = store
        self.copyStore = copyStore
    }
}
