import Foundation

/// One thing wrong with a disc or image.
public struct VerificationProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case missing, extra, hashMismatch, sizeMismatch, unreadable
    }

    public var path: String
    public var kind: Kind
    public var expected: String?
    public var actual: String?

    public var description: String {
        switch kind {
        case .missing: return "MISSING \(path)"
        case .extra: return "EXTRA \(path) (not in the catalog)"
        case .hashMismatch: return "HASH MISMATCH \(path): expected \(expected ?? "?"), read \(actual ?? "?")"
        case .sizeMismatch: return "SIZE MISMATCH \(path): expected \(expected ?? "?") bytes, read \(actual ?? "?")"
        case .unreadable: return "UNREADABLE \(path): \(actual ?? "read error")"
        }
    }
}

/// Result of reading every file back from an image or disc.
public struct VerificationReport: Sendable, Equatable {
    /// The image path or drive that was read.
    public var source: String
    public var filesChecked: Int
    public var bytesChecked: Int64
    public var problems: [VerificationProblem]
    /// true when `xorriso -check_md5` confirmed the session MD5 recorded at build time.
    public var md5Passed: Bool
    public var md5Verdict: String
    /// true when manifest-sha256.txt on the disc equals the catalog's manifest.
    public var manifestMatches: Bool

    public var passed: Bool { problems.isEmpty && md5Passed && manifestMatches }

    public var summary: String {
        var lines = ["\(passed ? "PASSED" : "FAILED") \(source): \(filesChecked) files, \(bytesChecked) bytes read back",
                     "session MD5: \(md5Verdict)"]
        if !manifestMatches { lines.append("manifest-sha256.txt on the disc differs from the catalog") }
        lines += problems.map(\.description)
        return lines.joined(separator: "\n")
    }
}
