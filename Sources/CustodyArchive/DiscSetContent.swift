import Foundation

/// One enforcement activity or case shown on the label.
public struct DiscActivity: Sendable, Equatable, Codable {
    public var caseNumber: String?
    public var name: String

    public init(caseNumber: String? = nil, name: String) {
        self.caseNumber = caseNumber
        self.name = name
    }

    /// "name（caseNumber）" or just the name.
    public var display: String {
        guard let number = caseNumber, !number.isEmpty else { return name }
        return "\(name)（\(number)）"
    }
}

/// Fields printed on the disc label and written to bag-info.txt.
public struct DiscLabelFields: Sendable, Equatable, Codable {
    /// 制作单位
    public var unit: String
    /// 制作人
    public var maker: String
    /// 制作时间
    public var madeAt: Date
    public var activities: [DiscActivity]

    public init(unit: String, maker: String, madeAt: Date, activities: [DiscActivity]) {
        self.unit = unit
        self.maker = maker
        self.madeAt = madeAt
        self.activities = activities
    }
}

/// A clip to put on the disc.
public struct DiscFile: Sendable, Equatable, Codable {
    /// Absolute path of the clip in the content-addressed store.
    public var sourcePath: String
    public var sha256: String
    public var sizeBytes: Int64
    /// Path below `data/` on the disc, e.g. "A2026-001/张三_SN001_20260101-101010_1.mp4".
    public var relativePath: String

    public init(sourcePath: String, sha256: String, sizeBytes: Int64, relativePath: String) {
        self.sourcePath = sourcePath
        self.sha256 = sha256.lowercased()
        self.sizeBytes = sizeBytes
        self.relativePath = relativePath
    }

    /// Path relative to the disc root, as listed in manifest-sha256.txt.
    public var discPath: String { "data/" + relativePath }
}

/// Everything needed to build one copy of one disc set.
public struct DiscSetContent: Sendable, Equatable, Codable {
    /// e.g. "DS-2026-0007"
    public var setID: String
    /// "A" or "B"
    public var copy: String
    public var label: DiscLabelFields
    public var files: [DiscFile]
    /// Head of the audit chain when the set was made, e.g. "seq 1234 hash abcd…".
    public var auditHead: String
    /// The signed tree head made for this copy (`Custody-Tree-Head v1 …`), which `custodyctl
    /// audit verify --against` checks a later catalog against.
    public var treeHead: String?
    /// The integrity alarm standing when the copy was made, if any (it says so on the disc).
    public var integrityNotice: String?

    public init(setID: String, copy: String, label: DiscLabelFields, files: [DiscFile], auditHead: String) {
        self.setID = setID
        self.copy = copy
        self.label = label
        self.files = files
        self.auditHead = auditHead
    }

    /// "DS-2026-0007-A"
    public var externalIdentifier: String { "\(setID)-\(copy)" }

    /// ISO 9660 volume id: upper case d-characters, at most 32.
    public var volumeID: String {
        let raw = externalIdentifier.uppercased().unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) ? c : "_"
        }
        return String(String(raw).prefix(32))
    }

    /// The expected catalog of clips (disc paths under data/).
    public var expectedFiles: [ExpectedFile] {
        files.map { ExpectedFile(path: $0.discPath, sha256: $0.sha256, sizeBytes: $0.sizeBytes) }
    }
}

/// A file that must be on the disc with this hash and size.
public struct ExpectedFile: Sendable, Equatable, Codable {
    /// Disc-relative path, e.g. "data/2026-01-01/x.mp4".
    public var path: String
    public var sha256: String
    public var sizeBytes: Int64

    public init(path: String, sha256: String, sizeBytes: Int64) {
        self.path = path
        self.sha256 = sha256.lowercased()
        self.sizeBytes = sizeBytes
    }
}
