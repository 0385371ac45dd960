import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stand-in store files: one small real file per clip at `sha256/ab/cd/<hash>` (mode 0444), whose
/// bytes hash to its name, so the daemon's startup recovery and fixity scrub find a consistent
/// store rather than a million missing files. Not fsynced: the bench does not survive power loss.
enum StoreObjects {
    static func hash(_ bytes: [UInt8]) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in SHA256.hash(data: bytes) {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes every object; returns how many were written. Throws on the first failure.
    static func write(root: String, objects: [(sha256: String, content: [UInt8])]) throws -> Int {
        let base = root + "/sha256"
        var made = Set<String>()
        for dir in [root, base] { mkdir(dir, 0o755) }
        for (sha256, content) in objects {
            let a = String(sha256.prefix(2)), ab = a + "/" + sha256.dropFirst(2).prefix(2)
            if made.insert(ab).inserted {
                mkdir(base + "/" + a, 0o755)
                mkdir(base + "/" + ab, 0o755)
            }
            let path = base + "/" + ab + "/" + sha256
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o444)
            guard fd >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
            let written = content.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == content.count else { throw BenchError("short write to \(path)") }
        }
        return objects.count
    }
}

/// A failure of the bench itself, with what to do about it.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
