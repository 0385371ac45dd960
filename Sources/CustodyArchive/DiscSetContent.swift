import CustodyCore
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
    /// The audit checkpoint the copy was made at: in AUDIT-HEAD.txt, bag-info.txt, on the labels
    /// and on every index page and evidence sheet, the same on all of them.
    public var stamp: AuditStamp
    /// What is known of each clip on the disc, for the index and the evidence sheets (by SHA-256).
    public var clips: [ClipEvidence]
    /// The station's zone: times on the disc's papers are station times.
    public var timeZone: TimeZone

    public init(setID: String, copy: String, label: DiscLabelFields, files: [DiscFile], stamp: AuditStamp,
                clips: [ClipEvidence] = [], timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.setID = setID
        self.copy = copy
        self.label = label
        self.files = files
        self.stamp = stamp
        self.clips = clips
        self.timeZone = timeZone
    }

    /// The head as one line: `seq N hash H root R`.
    public var auditHead: String { stamp.line }

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

    /// The files in disc-path order, each with what is known of its clip (facts from the file
    /// alone when the catalog gave none).
    public var indexed: [(file: DiscFile, clip: ClipEvidence)] {
        let known = Dictionary(clips.map { ($0.sha256.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return files.sorted { $0.discPath < $1.discPath }.map { file in
            (file, known[file.sha256] ?? ClipEvidence(officerName: "", cameraOperator: "", startTime: label.madeAt, endTime: label.madeAt,
                                                      place: "", deviceBrandModel: "", deviceSerial: "", recordingFormat: "",
                                                      fileName: file.discPath, sha256: file.sha256, sizeBytes: file.sizeBytes))
        }
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
