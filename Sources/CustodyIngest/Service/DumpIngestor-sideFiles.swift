import Crypto
import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

extension DumpIngestor {
    /// What keeping a medium's side files did, for the dump's counters.
    struct SideFileTally {
        var files: Int64 = 0
        var bytes: Int64 = 0
        var errors: Int64 = 0
    }

    /// The files of a scan that are side files (attribution issue, item 6), with their kind.
    static func sideFiles(of scan: ScanResult) -> [(ScannedFile, SideFiles.Kind)] {
        scan.files.compactMap { file in SideFiles.kind(of: file.path, size: file.size).map { (file, $0) } }
    }

    /// Keeps each side file with the dump: its bytes read whole, hashed and recorded in the
    /// catalog with its kind, audited; never cataloged as a recording. A file that cannot be read
    /// is a dump issue like any other (nothing is skipped silently); a medium that went away
    /// ends the dump as interrupted, as for recordings.
    func keepSideFiles(_ files: [(ScannedFile, SideFiles.Kind)], dumpID: Int64) throws -> SideFileTally {
        var tally = SideFileTally()
        for (file, kind) in files {
            tally.files += 1
            tally.bytes += Int64(file.size)
            do {
                let bytes = try readWhole(file)
                let sha256 = Hex.string(SHA256.hash(data: bytes))
                if try catalog.keepSideFile(dumpID: dumpID, path: file.path, kind: kind, content: bytes, sha256: sha256) {
                    logger.info("side file kept with the dump", metadata: ["dump": "\(dumpID)", "path": "\(file.path.display)", "kind": "\(kind.rawValue)"])
                }
            } catch let error as CopyError where !error.mediumGone {
                tally.errors += 1
                try catalog.recordIssue(dumpID: dumpID, path: file.path, kind: "copy-failed", message: error.description)
            }
        }
        return tally
    }

    /// A side file's bytes (at most `SideFiles.maximumBookkeepingBytes`), opened as recordings are.
    private func readWhole(_ file: ScannedFile) throws -> [UInt8] {
        let fd = try DumpScanner().openFile(root: medium.root, path: file.path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CopyError.sourceRead(path: file.path.display, errno: errno) }
        let size = UInt64(max(0, st.st_size))
        guard size <= SideFiles.maximumBookkeepingBytes else {
            throw CopyError.shortRead(path: file.path.display, expected: file.size, got: size)
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CopyError.sourceRead(path: file.path.display, errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        guard filled == bytes.count else {
            throw CopyError.shortRead(path: file.path.display, expected: size, got: UInt64(filled))
        }
        return bytes
    }
}
