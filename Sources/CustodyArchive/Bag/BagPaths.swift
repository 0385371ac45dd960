import Foundation

/// Rules for names inside the bag. Paths are checked before anything is
/// written so a bad name fails the export instead of half-writing the drive.
public enum BagPaths {
    /// Characters that FAT and exFAT (the file systems of most USB drives) do
    /// not allow, refused when portable names are asked for.
    static let unportable: Set<Character> = ["<", ">", ":", "\"", "\\", "|", "?", "*"]

    /// Checks a payload path and returns it in NFC, split into components.
    /// Refuses absolute paths, empty, "." and ".." components, NUL, and, when
    /// `portable`, control characters, FAT-forbidden characters, names ending
    /// in a dot or space, and "%": RFC 8493 encodes "%" as "%25" in manifests,
    /// but the reference validator bagit-python (1.9.0, issue #157 of
    /// LibraryOfCongress/bagit-python) does not, so a name with "%" makes a bag
    /// that one side or the other rejects. Readable names never need one.
    public static func components(of path: String, portable: Bool) throws(BagExportError) -> [String] {
        let nfc = path.precomposedStringWithCanonicalMapping
        guard !nfc.isEmpty, !nfc.hasPrefix("/") else { throw .invalidPath(path, reason: .absoluteOrEmpty) }
        let parts = nfc.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty || part == "." || part == ".." { throw .invalidPath(path, reason: .badComponent) }
            if part.unicodeScalars.contains("\0") { throw .invalidPath(path, reason: .controlCharacter) }
            if part.utf8.count > 255 { throw .invalidPath(path, reason: .tooLong) }
            guard portable else { continue }
            if part.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw .invalidPath(path, reason: .controlCharacter)
            }
            if part.contains(where: unportable.contains) { throw .invalidPath(path, reason: .unportableCharacter) }
            if part.hasSuffix(".") || part.hasSuffix(" ") { throw .invalidPath(path, reason: .unportableCharacter) }
            if part.contains("%") { throw .invalidPath(path, reason: .percentSign) }
        }
        return parts
    }

    /// Manifest form of a path (RFC 8493 2.1.3): only CR, LF and "%" are
    /// percent-encoded; spaces and Chinese characters are written as they are.
    public static func manifestEncode(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Inverse of `manifestEncode`; other percent sequences are left alone,
    /// as the RFC encodes nothing else.
    public static func manifestDecode(_ encoded: String) -> String {
        var out = ""
        var scalars = Array(encoded.unicodeScalars)[...]
        while let c = scalars.first {
            if c == "%", scalars.count >= 3 {
                let code = String(String.UnicodeScalarView(scalars.dropFirst().prefix(2))).uppercased()
                let decoded: Unicode.Scalar? = switch code {
                case "25": "%"
                case "0D": "\r"
                case "0A": "\n"
                default: nil
                }
                if let decoded {
                    out.unicodeScalars.append(decoded)
                    scalars = scalars.dropFirst(3)
                    continue
                }
            }
            out.unicodeScalars.append(c)
            scalars = scalars.dropFirst()
        }
        return out
    }

    /// Names the writer owns in the bag's top folder.
    static let reservedTagNames: Set<String> = ["bagit.txt", "bag-info.txt", "fetch.txt", "data"]

    static func checkTagFileName(_ name: String) throws(BagExportError) {
        let lower = name.lowercased()
        let bad = name.isEmpty || name.contains("/") || name.hasPrefix(".")
            || reservedTagNames.contains(lower) || lower.hasPrefix("manifest-") || lower.hasPrefix("tagmanifest-")
            || name.unicodeScalars.contains(where: { $0.value < 0x20 })
        if bad { throw .invalidTagFileName(name) }
    }
}
