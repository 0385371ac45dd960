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

    /// What a side file is, when a file on a medium is one.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// `sn.txt`, `id.txt`, `devinfo.txt` at the root: who the camera belongs to.
        case identity
        /// A 0-byte entry (FUSE shows a FAT volume label as an empty file at the root).
        case empty
        /// A camera's or a PC's own small files (settings, logs, index files) at the root or in
        /// `System Volume Information`.
        case bookkeeping
    }

    /// Largest file taken for bookkeeping; anything bigger is cataloged as a clip (flagged), never
    /// put aside, so a recording with an odd name cannot hide as a side file.
    public static let maximumBookkeepingBytes: UInt64 = 1 << 20

    /// Extensions (folded case) of the small files cameras and PCs keep at a medium's root.
    public static let bookkeepingExtensions: Set<String> = ["txt", "ini", "cfg", "conf", "log", "xml", "json", "dat", "inf", "db"]

    /// Whether a file of a medium is a side file (kept with its dump, hash recorded, listed by
    /// `dumps show`) rather than a recording to catalog (attribution issue, item 6). Recordings
    /// are never side files unless empty: only the identity files, empty entries, and small
    /// bookkeeping files at the root or in `System Volume Information` are.
    public static func kind(of path: RawPath, size: UInt64) -> Kind? {
        if size == 0 { return .empty }
        let components = path.bytes.split(separator: 0x2F, omittingEmptySubsequences: true)
        guard let last = components.last else { return nil }
        let name = RawPath(Array(last)).display
        if components.count == 1, isIdentityFileName(name), size <= maximumBookkeepingBytes { return .identity }
        guard size <= maximumBookkeepingBytes else { return nil }
        let systemFolder = components.count > 1
            && FileNameGrammarSet.foldCase(RawPath(Array(components[0])).display) == FileNameGrammarSet.foldCase("System Volume Information")
        guard components.count == 1 || systemFolder else { return nil }
        let ext = FileNameGrammarSet.foldCase((name as NSString).pathExtension)
        return systemFolder || bookkeepingExtensions.contains(ext) ? .bookkeeping : nil
    }

    /// Longest badge accepted from an sn.txt; anything longer is not a badge but garbage.
    static let maximumBadgeLength = 32

    /// The officer's badge from an identity file (`identity(fromFile:)`): the first non-empty line
    /// of a plain sn.txt, or its `badge=`/`警号=` line. Vendor tools and Notepad write these files, so
    /// a byte-order mark, CRLF or CR line ends and NUL padding are allowed; a first line that is not
    /// a plausible badge is rejected rather than searched for something badge-like, because a wrong
    /// badge attributes evidence to the wrong officer.
    public static func badge(fromSNFile bytes: [UInt8]) -> String? {
        identity(fromFile: bytes).badge
    }

    /// Decodes the file honouring a UTF-16 byte-order mark; otherwise UTF-8, where invalid
    /// bytes become U+FFFD and so can never pass the badge check.
    static func decode(_ bytes: [UInt8]) -> String {
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

    static func isBadge(_ text: String) -> Bool {
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
