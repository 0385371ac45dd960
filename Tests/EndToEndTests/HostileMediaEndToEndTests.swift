import CustodyAPI
import Foundation
import Glibc
import Testing

/// Hostile media through the real daemon: a real mount (an ext4-backed bind mount, since FAT
/// cannot hold symlinks, FIFOs or device nodes) under the watched root.
@Suite("Hostile media end to end", .serialized)
struct HostileMediaEndToEndTests {
    static func create(_ root: String, _ raw: [UInt8], _ bytes: [UInt8]) {
        var path = Array(root.utf8) + [0x2F] + raw + [0]
        path.withUnsafeMutableBufferPointer { buffer in
            let fd = open(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            precondition(fd >= 0)
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    @Test("links out of the mount, FIFOs, device nodes, control characters, GBK names, empty and truncated clips: each ingested or refused with a reason, the source unchanged")
    func hostileTree() throws {
        let harness = try DaemonHarness()
        let source = try harness.dir.subdirectory("hostile")
        let root = source.path
        try FileManager.default.createDirectory(atPath: root + "/DCIM/100MEDIA", withIntermediateDirectories: true)
        let good = MediaBytes.mp4(creation: Date(timeIntervalSince1970: 1_795_000_000), durationSeconds: 12, payloadBytes: 50_000, seed: 1, moovFirst: true)
        Self.create(root, Array("DCIM/100MEDIA/010203_A7K2931_20261127083015_0001.MP4".utf8), good)
        Self.create(root, Array("DCIM/100MEDIA/010203_A7K2931_20261127083515_0002.MP4".utf8), Array(good.prefix(good.count / 3)))
        Self.create(root, Array("DCIM/100MEDIA/empty.MP4".utf8), [])
        Self.create(root, Array("DCIM/100MEDIA/".utf8) + [0xD6, 0xD0, 0xCE, 0xC4, 0x2E, 0x4D, 0x50, 0x34], [1, 2, 3])  // GBK "中文.MP4"
        Self.create(root, Array("DCIM/100MEDIA/evil\n<6>info forged\u{7}.MP4".utf8), [4, 5])
        Self.create(root, Array("DCIM/100MEDIA/..".utf8) + Array("..MP4".utf8), [6])
        Self.create(root, [UInt8](repeating: 0x41, count: 251) + Array(".MP4".utf8), [7])  // 255-byte name
        try "010203\n".write(toFile: root + "/sn.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/DCIM/passwd.MP4", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root + "/DCIM/escape", withDestinationPath: "../../..")
        #expect(mkfifo(root + "/DCIM/pipe.MP4", 0o644) == 0)
        #expect(mknod(root + "/DCIM/zero.MP4", S_IFCHR | 0o644, dev_t((1 << 8) | 5)) == 0)
        try runChecked("ln", [root + "/sn.txt", root + "/DCIM/hardlink.txt"])
        // 70 nested folders: deeper than the scanner follows (64), refused with a reason.
        let deep = root + "/DCIM/" + Array(repeating: "d", count: 70).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        try Data([9]).write(to: URL(fileURLWithPath: deep + "/buried.MP4"))
        let before = try runCheckedString("bash", ["-c", "cd \(root) && find . -printf '%p %y %s %m\\n' | sort | sha256sum"])

        try harness.start()
        let point = harness.mediaRoot.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        try runChecked("mount", ["--bind", "-o", "ro", root, point.path])
        defer { _ = try? run("umount", [point.path]) }
        #expect(waitUntil(timeout: 60) { (try? harness.dumps().first?.state) == "complete" }, "log:\n\(harness.log().suffix(3000))")
        let clips = try harness.clips()
        let dump = try #require(try harness.dumps().first)
        let refused = Dictionary(dump.issues.map { ($0.sourcePath ?? "", $0.kind) }, uniquingKeysWith: { a, _ in a })
        #expect(refused["DCIM/passwd.MP4"] == "symlink")
        #expect(refused["DCIM/escape"] == "symlink")
        #expect(refused["DCIM/pipe.MP4"] == "fifo")
        #expect(refused["DCIM/zero.MP4"] == "device-node")
        #expect(dump.issues.contains { $0.kind == "too-deep" }, "\(dump.issues)")
        // 7 regular files in DCIM/100MEDIA + sn.txt + the hard link. sn.txt (identity) and empty.MP4 (an
        // empty entry) are side files kept with the dump; the hard link in DCIM is cataloged.
        #expect(dump.filesDone == 9)
        #expect(clips.count == 7, "clips: \(clips.map(\.sourcePath))")
        let side = Dictionary((dump.sideFiles ?? []).map { ($0.sourcePath, $0.kind) }, uniquingKeysWith: { a, _ in a })
        #expect(side == ["sn.txt": "identity", "DCIM/100MEDIA/empty.MP4": "empty"], "\(side)")
        let byPath = Dictionary(clips.map { ($0.sourcePath, $0) }, uniquingKeysWith: { a, _ in a })
        let truncated = try #require(byPath["DCIM/100MEDIA/010203_A7K2931_20261127083515_0002.MP4"])
        #expect(truncated.flags.contains("media-damaged"))
        #expect(truncated.officerBadge == "010203" && truncated.timeSource == "container")
        let whole = try #require(byPath["DCIM/100MEDIA/010203_A7K2931_20261127083015_0001.MP4"])
        #expect(whole.timeSource == "container" && !whole.flags.contains("media-damaged"))
        #expect(byPath["DCIM/100MEDIA/empty.MP4"] == nil && byPath["sn.txt"] == nil)
        #expect(byPath["DCIM/hardlink.txt"] != nil)
        let gbk = try #require(byPath["DCIM/100MEDIA/\\xd6\\xd0\\xce\\xc4.MP4"])
        #expect(gbk.flags.contains("non-utf8-name"))
        let detail = try harness.ctlJSON(["clips", "show", gbk.sha256], as: ClipDetail.self)
        #expect(detail.provenance.first?.sourcePathHex == Array("DCIM/100MEDIA/".utf8).map { String(format: "%02x", $0) }.joined() + "d6d0cec42e4d5034")
        #expect(byPath["DCIM/100MEDIA/evil\\x0a<6>info forged\\x07.MP4"] != nil)
        // No log line was forged by the name.
        #expect(!harness.log().split(separator: "\n").contains { $0.hasPrefix("<6>info forged") })
        // The source is byte-for-byte and entry-for-entry unchanged, and nothing was written outside the store.
        let after = try runCheckedString("bash", ["-c", "cd \(root) && find . -printf '%p %y %s %m\\n' | sort | sha256sum"])
        #expect(before == after)
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    @Test("100,000 photos in one folder: every one cataloged exactly once through group commits, the source unchanged, the chain intact")
    func hundredThousandFilesInOneFolder() throws {
        let count = 100_000
        let harness = try DaemonHarness()
        let source = try harness.dir.subdirectory("crowded")
        let folder = source.path + "/DCIM/100MEDIA"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "010203\n".write(toFile: source.path + "/sn.txt", atomically: false, encoding: .utf8)
        // Camera names one second apart (seq wraps at 10,000, as on a camera); small distinct contents.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        for i in 0..<count {
            let name = "010203_A7K2931_\(formatter.string(from: start.addingTimeInterval(Double(i))))_\(String(format: "%04d", i % 10_000)).JPG"
            Self.create(folder, Array(name.utf8), Array("photo \(i) of \(count)\n".utf8))
        }
        let before = try runCheckedString("bash", ["-c", "cd \(source.path) && find . -printf '%p %y %s %m\\n' | sort | sha256sum"])

        try harness.start()
        let point = harness.mediaRoot.appendingPathComponent("crowded")
        try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        try runChecked("mount", ["--bind", "-o", "ro", source.path, point.path])
        defer { _ = try? run("umount", [point.path]) }
        #expect(waitUntil(timeout: 1200) { (try? harness.dumps().first?.state) == "complete" }, "log:\n\(harness.log().suffix(3000))")
        let dump = try #require(try harness.dumps().first)
        #expect(dump.filesDone == Int64(count + 1) && dump.errors == 0 && dump.issues.isEmpty, "\(dump)")
        // Every photo is a clip; sn.txt is kept with the dump as its identity file.
        #expect(try harness.status().clips.total == count)
        let rows = try IngestEndToEndTests.sqlite(harness, "SELECT count(*), count(DISTINCT source_path_raw), count(DISTINCT clip_sha256) FROM provenance")
        #expect(rows == "\(count)|\(count)|\(count)")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM dump_side_file WHERE kind = 'identity'") == "1")
        let stored = try runCheckedString("bash", ["-c", "find \(harness.storeRoot)/sha256 -type f | wc -l"])
        #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "\(count)")
        #expect(harness.tempFiles.isEmpty)
        let after = try runCheckedString("bash", ["-c", "cd \(source.path) && find . -printf '%p %y %s %m\\n' | sort | sha256sum"])
        #expect(before == after)
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }
}
