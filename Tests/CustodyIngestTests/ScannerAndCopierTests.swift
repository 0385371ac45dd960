import CustodyCore
import Foundation
import Glibc
import Testing
@testable import CustodyIngest

/// Hostile media: the scanner never follows links, never leaves the medium, refuses what is
/// not a regular file with a reason, and keeps raw names.
@Suite("Scanning and copying hostile media")
struct ScannerAndCopierTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-ingest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func put(_ bytes: [UInt8], rawPath: [UInt8], under root: String) {
        let full = Array(root.utf8) + [0x2F] + rawPath + [0]
        full.withUnsafeBufferPointer { buffer in
            let fd = open(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            precondition(fd >= 0, "cannot create fixture")
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    @Test("symlinks, FIFOs and device nodes are refused with reasons; odd names are kept byte for byte")
    func hostileTree() throws {
        let root = try Self.tempDir()
        try FileManager.default.createDirectory(atPath: root + "/DCIM", withIntermediateDirectories: true)
        Self.put([1, 2, 3], rawPath: Array("DCIM/ok.MP4".utf8), under: root)
        Self.put([], rawPath: Array("DCIM/empty.MP4".utf8), under: root)
        Self.put([9], rawPath: Array("DCIM/".utf8) + [0xB0, 0xA1, 0x2E, 0x4D, 0x50, 0x34], under: root)  // GBK name
        Self.put([7], rawPath: Array("DCIM/line\nbreak\u{1B}[31m.MP4".utf8), under: root)
        Self.put([5], rawPath: Array("DCIM/..hidden..MP4".utf8), under: root)
        try FileManager.default.createSymbolicLink(atPath: root + "/DCIM/passwd", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root + "/DCIM/up", withDestinationPath: "../..")
        try FileManager.default.createSymbolicLink(atPath: root + "/DCIM/loop", withDestinationPath: "loop")
        #expect(mkfifo(root + "/DCIM/fifo", 0o644) == 0)
        #expect(mknod(root + "/DCIM/null", S_IFCHR | 0o644, dev_t((1 << 8) | 3)) == 0)

        let scan = try DumpScanner().scan(root: root)
        let files = Set(scan.files.map(\.path))
        #expect(files.contains(RawPath("DCIM/ok.MP4")))
        #expect(files.contains(RawPath("DCIM/empty.MP4")))
        #expect(files.contains(RawPath(Array("DCIM/".utf8) + [0xB0, 0xA1, 0x2E, 0x4D, 0x50, 0x34])))
        #expect(files.contains(RawPath("DCIM/line\nbreak\u{1B}[31m.MP4")))
        #expect(files.contains(RawPath("DCIM/..hidden..MP4")))
        #expect(scan.files.count == 5)
        let refused = Dictionary(scan.refusals.map { ($0.path.display, $0.kind) }, uniquingKeysWith: { a, _ in a })
        #expect(refused["DCIM/passwd"] == "symlink")
        #expect(refused["DCIM/up"] == "symlink")
        #expect(refused["DCIM/loop"] == "symlink")
        #expect(refused["DCIM/fifo"] == "fifo")
        #expect(refused["DCIM/null"] == "device-node")
        #expect(scan.rootNames == ["DCIM"])
        // Display text escapes control characters so a name cannot forge a log line.
        #expect(RawPath("DCIM/line\nbreak\u{1B}[31m.MP4").display == "DCIM/line\\x0abreak\\x1b[31m.MP4")
    }

    @Test("opening a scanned file refuses a symlink swapped in after the scan")
    func swappedForSymlink() throws {
        let root = try Self.tempDir()
        Self.put([1], rawPath: Array("clip.MP4".utf8), under: root)
        let scan = try DumpScanner().scan(root: root)
        #expect(scan.files.count == 1)
        unlink(root + "/clip.MP4")
        try FileManager.default.createSymbolicLink(atPath: root + "/clip.MP4", withDestinationPath: "/etc/passwd")
        #expect(throws: CopyError.self) { _ = try DumpScanner().openFile(root: root, path: RawPath("clip.MP4")) }
    }

    @Test("a verified copy lands read-only at its content address with the same SHA-256 as sha256sum")
    func verifiedCopy() throws {
        let root = try Self.tempDir()
        let store = try EvidenceStore(root: root + "/store")
        var bytes = [UInt8](repeating: 0, count: 5_000_000)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        Self.put(bytes, rawPath: Array("big.MP4".utf8), under: root)
        let fd = try DumpScanner().openFile(root: root, path: RawPath("big.MP4"))
        defer { close(fd) }
        let result = try VerifiedCopier(store: store, bufferBytes: 1 << 20).copy(sourceFD: fd, displayPath: "big.MP4")
        let oracle = Process()
        oracle.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        oracle.arguments = [root + "/big.MP4"]
        let pipe = Pipe()
        oracle.standardOutput = pipe
        try oracle.run()
        oracle.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(result.sha256 == String(expected))
        #expect(result.size == 5_000_000)
        #expect(!result.changedDuringCopy)
        var st = stat()
        #expect(stat(store.path(for: result.sha256), &st) == 0)
        #expect(st.st_mode & 0o777 == 0o444)
        #expect(store.leftoverTempFiles().isEmpty)
        // The same bytes again: one object, no temp file left.
        let again = try VerifiedCopier(store: store).copy(sourceFD: fd, displayPath: "big.MP4")
        #expect(again.sha256 == result.sha256)
        #expect(store.storedHashes() == [result.sha256])
        #expect(store.leftoverTempFiles().isEmpty)
    }

    @Test("mountinfo lines with escaped spaces parse, and only accepted types under watched roots count")
    func mountTable() {
        let text = """
            22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
            98 22 0:50 / /run/custody/media/cam\\0401 ro,nosuid,nodev - fuse.vfat /dev/loop3p1 ro,user_id=0
            99 22 0:51 / /run/custody/media/stick ro - iso9660 /dev/sr0 ro
            100 22 0:52 / /media/elsewhere rw - vfat /dev/sdb1 rw
            """
        let entries = MountTable.parse(text)
        #expect(entries.count == 4)
        #expect(entries[1].mountPoint == "/run/custody/media/cam 1")
        #expect(entries[1].readOnly)
        let candidates = MountTable.candidates(entries, roots: ["/run/custody/media/"], types: CustodyConfig.defaultFilesystemTypes)
        #expect(candidates.map(\.mountPoint) == ["/run/custody/media/cam 1"])
    }
}
