import Foundation

/// Small files some cameras keep at the root of their storage to say who they belong to.
public enum SideFiles {
    /// Names (compared case-insensitively) of files at the storage root that identify a
    /// camera. FAT may present them as "SN.TXT", hence the case-insensitive comparison.
    public static let identityFileNames: [String] = ["sn.txt", "id.txt", "devinfo.txt"]

    /// Whether `fileName` (a bare name, not a path) is one of `identityFileNames`.
    public static func isIdentityFileName(_ fileName: String) -> Bool {
        let folded = FileNameGrammarSet.foldCase(fileName)
        return identityFileNames.contains { FileNameGrammarSet.foldCase($0) == folded }
    }

    /// Longest badge accepted from an sn.txt; anything longer is not a badge but garbage.
    static let maximumBadgeLength = 32

    /// The officer's badge from an sn.txt: the first non-empty line, trimmed of whitespace,
    /// BOM, CR and NUL padding, which must be 1–32 ASCII letters/digits; otherwise nil.
    ///
    /// The file is written by vendor tools and by hand in Notepad, so it may start with a
    /// UTF-8 or UTF-16 byte-order mark and use CRLF or CR line ends. Only the first
    /// non-empty line counts: if it is not a plausible badge the file is rejected rather
    /// than searched for something badge-like, because a wrong badge attributes evidence
    /// to the wrong officer.
    public static func badge(fromSNFile bytes: [UInt8]) -> String? {
        let text = decode(bytes)
        let trimSet = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}\u{0}"))
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline }) {
            let trimmed = line.trimmingCharacters(in: trimSet)
            if trimmed.isEmpty { continue }
            return isBadge(trimmed) ? trimmed : nil
        }
        return nil
    }

    /// Decodes the file honouring a UTF-16 byte-order mark; otherwise UTF-8, where invalid
    /// bytes become U+FFFD and so can never pass the badge check.
    private static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.count >= 2 else { return String(decoding: bytes, as: UTF8.self) }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0xFF, 0xFE): littleEndian = true
        case (0xFE, 0xFF): littleEndian = false
        default: return String(decoding: bytes, as: UTF8.self)
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static func isBadge(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard (1...maximumBadgeLength).contains(scalars.count) else { return false }
        return scalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
            default: return false
            }
        }
    }
}
