// MountTable.swift — parse /proc/self/mountinfo (Linux).

import Foundation

/// One line of /proc/self/mountinfo.
public struct MountEntry: Sendable, Hashable, CustomStringConvertible {
    public let mountID: Int
    public let parentID: Int
    /// Mount point, with the kernel's octal escapes (\040 etc.) decoded.
    public let mountPoint: String
    public let mountOptions: String
    /// e.g. "fuse.fusefat", "fuse.vfat", "fuseblk", "ext4".
    public let fsType: String
    /// e.g. "fusefat", "/dev/loop3".
    public let source: String
    public let superOptions: String

    public var isFuse: Bool { fsType == "fuse" || fsType == "fuseblk" || fsType.hasPrefix("fuse.") }
    public var isReadOnly: Bool { mountOptions.split(separator: ",").contains("ro") }

    public var description: String { "\(mountPoint) type \(fsType) source \(source) (\(mountOptions))" }
}

public enum MountTable {
    /// All entries of /proc/self/mountinfo (or the file given).
    public static func entries(path: String = "/proc/self/mountinfo") throws -> [MountEntry] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { parse(String($0)) }
    }

    /// The top-most entry whose mount point is exactly `dir` (nil if not a mount point).
    public static func entry(at dir: URL) -> MountEntry? {
        let path = canonicalPath(dir)
        return (try? entries())?.last { $0.mountPoint == path }
    }

    /// Entries at or below `dir`, deepest first (the order to unmount them in).
    public static func entries(under dir: URL) -> [MountEntry] {
        let root = canonicalPath(dir)
        let all = (try? entries()) ?? []
        let below = all.enumerated().filter { _, e in
            e.mountPoint == root || e.mountPoint.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
        // Deepest path first; for the same path, the later (upper) mount first.
        return below.sorted { a, b in
            let da = a.element.mountPoint.split(separator: "/").count
            let db = b.element.mountPoint.split(separator: "/").count
            return da != db ? da > db : a.offset > b.offset
        }.map(\.element)
    }

    /// Parses one mountinfo line:
    /// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
    public static func parse(_ line: String) -> MountEntry? {
        let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard f.count >= 10, let sep = f.firstIndex(of: "-"), sep >= 6, f.count >= sep + 3,
              let id = Int(f[0]), let parent = Int(f[1]) else { return nil }
        return MountEntry(
            mountID: id,
            parentID: parent,
            mountPoint: unescape(f[4]),
            mountOptions: f[5],
            fsType: f[sep + 1],
            source: unescape(f[sep + 2]),
            superOptions: f.count > sep + 3 ? f[sep + 3] : ""
        )
    }

    /// Decodes the kernel's `\ooo` escapes (space, tab, newline, backslash).
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = [UInt8]()
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count {
                let digits = b[(i + 1)..<min(i + 4, b.count)]
                if digits.count == 3, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                    let v = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                    out.append(UInt8(truncatingIfNeeded: v))
                    i += 4
                    continue
                }
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Absolute, symlink-resolved, no trailing slash — the form mountinfo uses.
public func canonicalPath(_ url: URL) -> String {
    var p = url.standardizedFileURL.resolvingSymlinksInPath().path
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    return p
}
