import Foundation

/// One line of `/proc/self/mountinfo`.
public struct MountEntry: Sendable, Equatable, Hashable {
    public var mountID: Int
    public var mountPoint: String
    public var fsType: String
    public var source: String
    public var options: String
    /// The filesystem's `major:minor` (a bind mount has its original's) and the folder of that
    /// filesystem mounted here (`/` for a whole medium, the folder for a bind mount of one).
    public var device = ""
    public var fsRoot = "/"

    /// Identity of the medium across re-mounts and daemon restarts (the kernel's mount id is not:
    /// it changes on every mount), used to resume an interrupted dump.
    public var key: String { "\(mountPoint)|\(source)|\(fsType)" }
    public var readOnly: Bool { options.split(separator: ",").contains("ro") }
}

/// Parses the kernel's mount table.
public enum MountTable {
    public static let path = "/proc/self/mountinfo"

    public static func read(from path: String = MountTable.path) -> [MountEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
    public static func parse(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 10, let id = Int(fields[0]),
                  let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 2 < fields.count else { return nil }
            return MountEntry(mountID: id, mountPoint: unescape(fields[4]), fsType: fields[dash + 1],
                              source: unescape(fields[dash + 2]), options: fields[5], device: fields[2], fsRoot: unescape(fields[3]))
        }
    }

    /// The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == 0x5C, i + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Mounts strictly below one of `roots` with an accepted filesystem type, each medium once
    /// (availability issue, item 7: a nested or bind mount under a watched root was a separate dump
    /// of its own): a mount below another accepted mount belongs to that medium (whose scan notes
    /// it as another filesystem, not followed) and is no medium of its own; a second view of a
    /// filesystem folder already watched (a bind mount of the medium, or of a folder in it) is
    /// the same medium, and only the first view is; of two mounts on one point, the upper one.
    public static func candidates(_ entries: [MountEntry], roots: [String], types: [String]) -> [MountEntry] {
        accepted(entries, roots: roots, types: types).kept
    }

    /// The accepted mounts as `candidates` keeps them, and those it sets aside as part of another.
    public static func accepted(_ entries: [MountEntry], roots: [String], types: [String]) -> (kept: [MountEntry], setAside: [MountEntry]) {
        let normalized = roots.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let accepted = entries.enumerated().filter { _, entry in
            types.contains(entry.fsType)
                && normalized.contains { root in entry.mountPoint.hasPrefix(root + "/") }
        }
        func within(_ path: String, _ folder: String) -> Bool { folder == "/" || path.hasPrefix(folder + "/") }
        var kept: [MountEntry] = []
        var setAside: [MountEntry] = []
        for (index, entry) in accepted {
            let partOfAnother = accepted.contains { otherIndex, other in
                guard otherIndex != index else { return false }
                if other.mountPoint == entry.mountPoint { return otherIndex > index }   // mounted over: the upper one
                if within(entry.mountPoint, other.mountPoint) { return true }           // nested in another medium
                guard !other.device.isEmpty, other.device == entry.device else { return false }
                if other.fsRoot == entry.fsRoot { return otherIndex < index }           // the same folder seen twice
                return within(entry.fsRoot, other.fsRoot)                               // a folder of a medium watched whole
            }
            if partOfAnother { setAside.append(entry) } else { kept.append(entry) }
        }
        return (kept, setAside)
    }
}
