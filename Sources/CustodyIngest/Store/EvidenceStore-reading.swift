import Foundation
import Glibc

extension EvidenceStore {
    /// Reads `count` bytes at `offset` of a stored object, read-only (`O_RDONLY | O_NOFOLLOW`):
    /// the web console plays a clip by asking for it range by range, and nothing on that path may
    /// open a stored file for writing. Fewer bytes come back at the end of the object.
    public func read(_ sha256: String, offset: UInt64, count: Int) throws -> [UInt8] {
        let path = path(for: sha256)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(what: "open \(path)", errno: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw StoreError.io(what: "read \(path)", errno: errno) }
            if n == 0 { break }
            done += n
        }
        return Array(bytes.prefix(done))
    }
}
