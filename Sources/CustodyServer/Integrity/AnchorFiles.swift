import CustodyCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The station's own anchors (provable-catalog issue, item 2): every signed tree head the daemon
/// makes is appended to `<spool>/anchors/YYYY-MM-DD.txt`, one file a day, outside the catalog, so
/// a catalog copied back from an older file (or re-chained) disagrees with them at the next start.
/// Each line is preceded by a `#` comment saying what it was made for. `verified.txt` holds where
/// the last start check got to, so the next one walks only the rows after it.
struct AnchorFiles: Sendable {
    let folder: String
    let timeZone: TimeZone

    init(spool: String, timeZone: TimeZone) {
        folder = (spool as NSString).appendingPathComponent("anchors")
        self.timeZone = timeZone
    }

    /// Appends a head to the day's file and makes it durable.
    func append(_ head: SignedTreeHead, reason: String) throws {
        try makeFolder()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        let path = (folder as NSString).appendingPathComponent(formatter.string(from: head.time) + ".txt")
        let oneLine = reason.replacingOccurrences(of: "\n", with: " ")
        try appendDurably(path, "# \(SignedTreeHead.format(head.time)) \(oneLine)\n\(head.line)\n")
    }

    /// Every head in the anchor files, with the file it is in.
    func anchors() -> [Anchor] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var out: [Anchor] = []
        for name in names.sorted() where name.hasSuffix(".txt") && name != Self.verifiedName {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            out += SignedTreeHead.find(in: text).map { Anchor(source: "anchor file \(path)", head: $0) }
        }
        return out
    }

    static let verifiedName = "verified.txt"

    /// Where the last check of the whole chain ended: a signed head, the hash of its last row and
    /// the Merkle accumulator's subtree roots there.
    func verified() -> VerifiedPosition? {
        let path = (folder as NSString).appendingPathComponent(Self.verifiedName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let head = SignedTreeHead.find(in: text).first else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let last = fields["last-row-hash"] else { return nil }
        let roots = (fields["subtree-roots"] ?? "").split(separator: ",").map(String.init)
        return VerifiedPosition(head: head, lastRowHash: last, subtreeRoots: roots)
    }

    func saveVerified(_ position: VerifiedPosition) throws {
        try makeFolder()
        let path = (folder as NSString).appendingPathComponent(Self.verifiedName)
        let temp = path + ".part"
        try? FileManager.default.removeItem(atPath: temp)
        try appendDurably(temp, """
            # Where custodyd's last check of the whole audit chain ended; the next start walks only the rows after it.
            \(position.head.line)
            last-row-hash \(position.lastRowHash)
            subtree-roots \(position.subtreeRoots.joined(separator: ","))

            """)
        guard rename(temp, path) == 0 else { throw AnchorFileError(path: path, errno: errno) }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }

    /// The anchors folder, its name durable in the spool.
    private func makeFolder() throws {
        guard !FileManager.default.fileExists(atPath: folder) else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let parent = open((folder as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if parent >= 0 { _ = fsync(parent); close(parent) }
    }

    private func appendDurably(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AnchorFileError(path: path, errno: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw AnchorFileError(path: path, errno: errno) }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}

/// The end of the last full check of the chain.
struct VerifiedPosition: Sendable, Equatable {
    var head: SignedTreeHead
    var lastRowHash: String
    var subtreeRoots: [String]
}

struct AnchorFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot write the audit anchor \(path): \(String(cString: strerror(errno)))" }
}
