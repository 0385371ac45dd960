import Foundation

/// Builds readable, unique, ISO/Joliet-safe clip paths:
/// `{case number or yyyy-MM-dd}/{officer}_{deviceSerial}_{yyyyMMdd-HHmmss}_{seq}.{ext}`.
///
/// Joliet allows any Unicode except `* / : ; ? \` and control characters, up to
/// 64 UTF-16 units per name; Rock Ridge keeps full names. Chinese is kept.
/// Quotes, `%`, `<>|` and control characters are removed too, so the names
/// are safe in manifest-sha256.txt, in xorriso argument lists and on Windows.
public struct DiscFileNamer: Sendable {
    public static let maxComponentUTF16 = 64
    private var taken: Set<String> = []
    private let timeZone: TimeZone

    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.timeZone = timeZone
    }

    /// Returns a path below data/ that has not been returned before (case-insensitive).
    public mutating func name(caseNumber: String?, officerName: String, deviceSerial: String,
                              recordedAt: Date, sequence: Int, fileExtension: String) -> String {
        let folder = caseNumber.map(Self.sanitize).flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.format(recordedAt, "yyyy-MM-dd", timeZone)
        let ext = Self.sanitize(fileExtension).lowercased()
        let stem = [Self.sanitize(officerName), Self.sanitize(deviceSerial),
                    Self.format(recordedAt, "yyyyMMdd-HHmmss", timeZone), String(sequence)]
            .filter { !$0.isEmpty }.joined(separator: "_")
        var attempt = 1
        while true {
            let suffix = attempt == 1 ? "" : "-\(attempt)"
            let file = Self.fit(stem: stem, suffix: suffix, ext: ext)
            let path = Self.fit(stem: folder, suffix: "", ext: "") + "/" + file
            if taken.insert(path.lowercased()).inserted { return path }
            attempt += 1
        }
    }

    /// Removes characters that Joliet, Windows or the manifest cannot carry.
    public static func sanitize(_ text: String) -> String {
        let forbidden: Set<Character> = ["*", "/", ":", ";", "?", "\\", "\"", "'", "<", ">", "|", "%", "`"]
        var out = ""
        for char in text {
            if forbidden.contains(char) || char.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                out.append("_")
            } else if char.isWhitespace {
                out.append(" ")
            } else {
                out.append(char)
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return trimmed
    }

    /// Truncates the stem (whole characters) so stem+suffix+"."+ext fits 64 UTF-16 units.
    static func fit(stem: String, suffix: String, ext: String) -> String {
        let tail = suffix + (ext.isEmpty ? "" : "." + ext)
        var head = stem
        while head.utf16.count + tail.utf16.count > maxComponentUTF16, !head.isEmpty {
            head.removeLast()
        }
        return head + tail
    }

    static func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
