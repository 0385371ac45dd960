import Foundation
import Glibc
import Logging

/// Files private whatever starts the daemon (authorization issue, item 5): the store's and the
/// spool's folders 0750 or stricter (their files are evidence), the catalog and its WAL and
/// shared-memory files 0600 (0640 to the daemon's group is accepted). Checked at every start and
/// corrected, with a log line saying what was found, so a store made by hand, by `make run`'s
/// `mkdir -p` or by an older version is private as soon as custodyd runs. New files follow the
/// daemon's umask (027, set in `custodyd`).
public struct StatePermissions: Sendable {
    public let folders: [String]
    public let catalog: String

    public init(store: String, spool: String, catalog: String) {
        folders = [store, spool]; self.catalog = catalog
    }

    /// One correction made: what, and the mode it had.
    public struct Correction: Sendable, CustomStringConvertible {
        public var path: String
        public var was: mode_t
        public var now: mode_t
        public var description: String { "\(path) was \(String(was, radix: 8)), now \(String(now, radix: 8))" }
    }

    /// Checks every folder under the store and spool and the catalog's files; corrects what is
    /// too open and returns each correction.
    public func enforce() throws -> [Correction] {
        var corrections: [Correction] = []
        func tighten(_ path: String, allowed: (mode_t) -> Bool, to: (mode_t) -> mode_t) throws {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let mode = st.st_mode & 0o7777
            guard !allowed(mode) else { return }
            guard chmod(path, to(mode)) == 0 else {
                throw ServerError(description: "\(path) is mode \(String(mode, radix: 8)) and cannot be made private: \(String(cString: strerror(errno)))")
            }
            corrections.append(Correction(path: path, was: mode, now: to(mode)))
        }
        for root in folders {
            try tighten(root, allowed: { $0 & 0o027 == 0 }, to: { $0 & ~0o027 })
            // Folders only, three levels deep (`sha256/ab/cd`): the files in them are not listed, so a
            // store of a million clips is checked in 65,536 stats, not a million.
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = walker.nextObject() as? String {
                guard (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory else { continue }
                if walker.level >= 3 { walker.skipDescendants() }
                try tighten(root + "/" + relative, allowed: { $0 & 0o027 == 0 }, to: { $0 & ~0o027 })
            }
        }
        for file in [catalog, catalog + "-wal", catalog + "-shm"] {
            try tighten(file, allowed: { $0 == 0o600 || $0 == 0o640 }, to: { _ in 0o600 })
        }
        return corrections
    }

    /// Enforces, and says so in the log: one line per kind of thing corrected, with examples.
    public func enforce(logger: Logger) throws {
        let corrections = try enforce()
        guard !corrections.isEmpty else {
            logger.info("state files are private", metadata: ["store+spool": "folders 0750 or stricter", "catalog": "0600"])
            return
        }
        logger.warning("state files were too open and were made private", metadata: [
            "corrected": "\(corrections.count)", "examples": "\(corrections.prefix(5).map(\.description).joined(separator: "; "))"])
    }
}
