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

    /// The independent oracle: coreutils sha256sum.
    static func sha256sum(_ path: String, tool: [String] = ["/usr/bin/sha256sum"]) throws -> String {
        let oracle = Process()
        oracle.executableURL = URL(fileURLWithPath: tool[0])
        oracle.arguments = Array(tool.dropFirst()) + [path]
        let pipe = Pipe()
        oracle.standardOutput = pipe
        try oracle.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        oracle.waitUntilExit()
        return String(String(decoding: output, as: UTF8.self).prefix(64))
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
        #expect(result.sha256 == (try Self.sha256sum(root + "/big.MP4")))
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

    @Test("a nested mount, a bind mount of a medium or of a folder in it, and a mount shadowed by another are part of one medium, never a dump of their own")
    func oneMediumOnce() {
        let text = """
            22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
            98 22 0:50 / /run/custody/media/cam1 ro - fuse.fusefat /dev/fuse ro
            99 98 0:51 / /run/custody/media/cam1/DCIM/extra ro - fuse.fusefat /dev/fuse ro
            100 22 0:50 / /run/custody/media/cam1-again ro - fuse.fusefat /dev/fuse ro
            101 22 0:50 /DCIM /run/custody/media/cam1-dcim ro - fuse.fusefat /dev/fuse ro
            102 22 8:1 /var/tmp/a /run/custody/media/tree-a ro - ext4 /dev/sda1 rw
            103 22 8:1 /var/tmp/b /run/custody/media/tree-b ro - ext4 /dev/sda1 rw
            104 22 0:60 / /run/custody/media/cam2 ro - fuse.fusefat /dev/fuse ro
            105 22 0:61 / /run/custody/media/cam2 ro - fuse.fusefat /dev/fuse ro
            """
        let entries = MountTable.parse(text)
        #expect(entries[4].device == "0:50" && entries[4].fsRoot == "/DCIM")
        let types = CustodyConfig.defaultFilesystemTypes + ["fuse.fusefat", "ext4"]
        let split = MountTable.accepted(entries, roots: ["/run/custody/media"], types: types)
        #expect(split.kept.map(\.mountID) == [98, 102, 103, 105], "one dump per medium: \(split.kept.map(\.mountPoint))")
        #expect(split.setAside.map(\.mountID) == [99, 100, 101, 104])
    }
}

@Suite("Files that change while copied")
struct ChangingFileTests {
    @Test("a file that grows during the copy is reported as changed, so ingest retries it and then flags it")
    func growingFile() throws {
        let root = try ScannerAndCopierTests.tempDir()
        let store = try EvidenceStore(root: root + "/store")
        let path = root + "/growing.MP4"
        ScannerAndCopierTests.put([UInt8](repeating: 0x42, count: 20_000_000), rawPath: Array("growing.MP4".utf8), under: root)
        let stop = StopFlag()
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            while !stop.isSet {
                handle.seekToEndOfFile()
                handle.write(Data([0x43]))
            }
            try? handle.close()
        }
        writer.start()
        defer { stop.set() }
        // Wait until the writer is running.
        var st = stat()
        while stat(path, &st) == 0 && st.st_size == 20_000_000 { usleep(1000) }
        let fd = try DumpScanner().openFile(root: root, path: RawPath("growing.MP4"))
        defer { close(fd) }
        let result = try VerifiedCopier(store: store, bufferBytes: 64 << 10).copy(sourceFD: fd, displayPath: "growing.MP4")
        #expect(result.changedDuringCopy)
        #expect(store.contains(result.sha256), "what was read is still stored, verified")
    }
}

@Suite("The FAT32 size limit")
struct LargeFileTests {
    @Test("a 4 GiB − 1 byte file (the largest FAT32 holds) is copied with 64-bit offsets and verified")
    func fat32MaximumFile() throws {
        let root = try ScannerAndCopierTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = try EvidenceStore(root: root + "/store")
        let size: off_t = 4_294_967_295
        ScannerAndCopierTests.put(Array("head".utf8), rawPath: Array("BIG.MP4".utf8), under: root)
        #expect(truncate(root + "/BIG.MP4", size) == 0)
        // A marker at the very end proves the last bytes are read, not lost at the 32-bit boundary.
        let fd = open(root + "/BIG.MP4", O_WRONLY)
        _ = Array("tail".utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, 4, size - 4) }
        close(fd)
        let source = try DumpScanner().openFile(root: root, path: RawPath("BIG.MP4"))
        defer { close(source) }
        let result = try VerifiedCopier(store: store).copy(sourceFD: source, displayPath: "BIG.MP4")
        #expect(result.size == UInt64(size))
        // openssl rather than coreutils here: same answer, a sixth of the time for 4 GiB.
        let oracle = try ScannerAndCopierTests.sha256sum(root + "/BIG.MP4", tool: ["/usr/bin/openssl", "dgst", "-sha256", "-r"])
        #expect(result.sha256 == oracle)
        #expect(store.size(of: result.sha256) == UInt64(size))
        let stored = open(store.path(for: result.sha256), O_RDONLY)
        var tail = [UInt8](repeating: 0, count: 4)
        _ = pread(stored, &tail, 4, size - 4)
        close(stored)
        #expect(tail == Array("tail".utf8))
    }
}
