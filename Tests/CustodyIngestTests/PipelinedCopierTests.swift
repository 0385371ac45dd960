import Foundation
import Glibc
import Synchronization
import Testing
@testable import CustodyIngest
import CustodyCore

/// A scratch directory on the same filesystem as a real store would be (not /tmp if it is tmpfs).
private func scratch(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-pipecopy-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func writeRandom(_ path: String, size: Int) throws {
    var words = [UInt64](repeating: 0, count: size / 8 + 1)
    var rng = SystemRandomNumberGenerator()
    for i in words.indices { words[i] = rng.next() }
    try words.withUnsafeBytes { try Data($0.prefix(size)).write(to: URL(fileURLWithPath: path)) }
}

private func openSource(_ path: String) -> Int32 { open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }

/// Small thresholds so the threaded path and several ring wraps / writeback windows run on small files.
private func tinyPipelined(_ store: EvidenceStore) -> PipelinedCopier {
    PipelinedCopier(store: store, bufferBytes: 64 << 10, slots: 3, pipelineThreshold: 1, writebackBytes: 128 << 10)
}

@Suite("Pipelined verified copier: same results as the single-thread copier") struct PipelinedCopierTests {
    static let sizes = [0, 1, 4095, 4096, 4097, (1 << 20) + 1, (9 << 20) + 7]

    @Test(arguments: sizes)
    func sameResultsAsVerifiedCopier(size: Int) throws {
        let dir = try scratch("same")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = dir + "/src.bin"
        try writeRandom(src, size: size)
        let oldStore = try EvidenceStore(root: dir + "/old")
        let fd = openSource(src)
        defer { close(fd) }
        let expected = try VerifiedCopier(store: oldStore).copy(sourceFD: fd, displayPath: src)
        #expect(expected.size == UInt64(size))
        let copiers = [PipelinedCopier(store: try EvidenceStore(root: dir + "/default")),
                       tinyPipelined(try EvidenceStore(root: dir + "/tiny")),
                       PipelinedCopier(store: try EvidenceStore(root: dir + "/small"), pipelineThreshold: .max),
                       PipelinedCopier(store: try EvidenceStore(root: dir + "/buffered"), directWrite: false)]
        for copier in copiers {
            let got = try copier.copy(sourceFD: fd, displayPath: src)
            #expect(got == expected)
            let stored = copier.store.path(for: got.sha256)
            #expect(FileManager.default.contentsEqual(atPath: stored, andPath: src))
            var st = stat()
            #expect(stat(stored, &st) == 0 && st.st_mode & 0o777 == 0o444)
            #expect(copier.store.leftoverTempFiles().isEmpty)
        }
        // The staging workers' compact ring (two 512 KiB slots, many wraps at 9 MiB): the same result.
        let compact = PipelinedCopier(store: try EvidenceStore(root: dir + "/compact"))
        let staged = try compact.stage(sourceFD: fd, displayPath: src, compactRing: true)
        let got = try compact.finish(staged, dataDurable: false, syncDirectories: true).result
        #expect(got == expected)
        #expect(FileManager.default.contentsEqual(atPath: compact.store.path(for: got.sha256), andPath: src))
    }

    @Test func growingSourceIsReportedChanged() throws {
        let dir = try scratch("grow")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = dir + "/src.bin"
        try writeRandom(src, size: 8 << 20)
        let fd = openSource(src)
        defer { close(fd) }
        let store = try EvidenceStore(root: dir + "/store")
        // Append while the copy runs: a second descriptor grows the file between reads.
        let appender = open(src, O_WRONLY | O_APPEND)
        defer { close(appender) }
        let copier = tinyPipelined(store)
        let stop = Flag()
        let writer = Thread {
            let chunk = [UInt8](repeating: 7, count: 4096)
            while !stop.isSet { _ = chunk.withUnsafeBytes { write(appender, $0.baseAddress, 4096) }; usleep(200) }
        }
        writer.start()
        let result = try copier.copy(sourceFD: fd, displayPath: src)
        stop.set()
        usleep(20_000)
        #expect(result.changedDuringCopy)
        #expect(result.size >= 8 << 20)
        #expect(store.contains(result.sha256))
        #expect(store.leftoverTempFiles().isEmpty)
    }

    @Test(arguments: [false, true])
    func shortReadThrowsAndLeavesNoTemp(threaded: Bool) throws {
        // An unchanged regular file whose reads disagree with st_size (what a FAT driver that
        // stops at 2 GiB looks like): /proc files say size 0 and read non-empty. Same check,
        // `offset != st_size` with size and mtime unchanged, so the same error.
        let dir = try scratch("shortread")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        let store = try EvidenceStore(root: dir + "/store")
        let copier = threaded ? tinyPipelined(store) : PipelinedCopier(store: store, pipelineThreshold: .max)
        #expect(throws: CopyError.self) { try copier.copy(sourceFD: fd, displayPath: "/proc/self/status") }
        do {
            _ = try copier.copy(sourceFD: fd, displayPath: "status")
        } catch let error as CopyError {
            guard case .shortRead(_, let expected, let got) = error else { Issue.record("\(error)"); return }
            #expect(expected == 0 && got > 0)
        }
        #expect(store.leftoverTempFiles().isEmpty)
    }

    @Test("a driver that refuses to read past 2 GiB of a larger file is told as a short read, with what to do; any other failed read keeps its errno")
    func refusalAtTheDriverLimitIsAShortRead() {
        let limit: off_t = 1 << 31, clip: off_t = 4_000_000_000
        for code in [EPERM, EFBIG, EOVERFLOW] {
            let error = CopyError.reading("DCIM/BIG.MP4", errno: code, at: limit, size: clip)
            #expect(error == .shortRead(path: "DCIM/BIG.MP4", expected: UInt64(clip), got: UInt64(limit)))
            #expect(error.description.contains("FAT driver handles large files"))
        }
        // Before 2 GiB, at the file's end, or another errno: the read failed as it says.
        #expect(CopyError.reading("a", errno: EPERM, at: limit - 4096, size: clip) == .sourceRead(path: "a", errno: EPERM))
        #expect(CopyError.reading("a", errno: EPERM, at: clip, size: clip) == .sourceRead(path: "a", errno: EPERM))
        #expect(CopyError.reading("a", errno: EIO, at: limit, size: clip) == .sourceRead(path: "a", errno: EIO))
        #expect(CopyError.reading("a", errno: ENOTCONN, at: limit, size: clip).mediumGone)
    }

    @Test func fifoIsNotRegular() throws {
        let dir = try scratch("fifo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/p", 0o600) == 0)
        let fd = open(dir + "/p", O_RDWR | O_CLOEXEC)
        defer { close(fd) }
        let store = try EvidenceStore(root: dir + "/store")
        #expect(throws: CopyError.notRegular(path: "p")) { try PipelinedCopier(store: store).copy(sourceFD: fd, displayPath: "p") }
        #expect(store.leftoverTempFiles().isEmpty)
    }

    @Test(arguments: [false, true])
    func fullDiskIsNoSpaceAndLeavesNoTemp(threaded: Bool) throws {
        guard getuid() == 0 else { return }  // needs mount
        let dir = try scratch("enospc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mnt = dir + "/mnt"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        guard mount("tmpfs", mnt, "tmpfs", 0, "size=2m") == 0 else {
            Issue.record("mount tmpfs failed: errno \(errno)")
            return
        }
        defer { umount2(mnt, 0) }
        let src = dir + "/src.bin"
        try writeRandom(src, size: 3 << 20)
        let fd = openSource(src)
        defer { close(fd) }
        let store = try EvidenceStore(root: mnt + "/store")
        let copier = threaded ? tinyPipelined(store) : PipelinedCopier(store: store, pipelineThreshold: .max)
        #expect {
            try copier.copy(sourceFD: fd, displayPath: src)
        } throws: { error in
            if case StoreError.noSpace = error { return true }
            return false
        }
        #expect(store.leftoverTempFiles().isEmpty)
        // A file that fits still copies fine on the same (tmpfs: O_DIRECT refused or allowed) store.
        let small = dir + "/small.bin"
        try writeRandom(small, size: 300_000)
        let sfd = openSource(small)
        defer { close(sfd) }
        let r = try copier.copy(sourceFD: sfd, displayPath: small)
        #expect(FileManager.default.contentsEqual(atPath: store.path(for: r.sha256), andPath: small))
    }
}

@Suite("The temp file is written with O_DIRECT while it can be, buffered from the first write that cannot")
struct TempWriterTests {
    @Test func unalignedWritesFallBackToBufferedAndKeepEveryByte() throws {
        let dir = try scratch("tempwriter")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.part"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let ring = try Ring(count: 1, slotBytes: 64 << 10)
        var expected: [UInt8] = []
        var writer = TempWriter(fd: fd, path: path, direct: true)
        var offset: off_t = 0
        // Aligned, then a short read's worth (unaligned length), then aligned lengths again at an
        // unaligned offset: the first goes direct where the filesystem allows it; all land in order.
        for (round, length) in [8192, 1000, 4096, 65536, 7].enumerated() {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ round) }
            let chunk = try ring.fill(bytes)
            try writer.write(chunk, at: offset)
            offset += off_t(length)
            expected += bytes
            if round >= 1 { #expect(writer.buffered) }  // never direct again once unaligned
        }
        #expect(Array(FileManager.default.contents(atPath: path) ?? Data()) == expected)
    }

    @Test func directWriteOffIsBufferedFromTheStart() throws {
        let dir = try scratch("tempwriter-off")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fd = open(dir + "/t.part", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        defer { close(fd) }
        #expect(TempWriter(fd: fd, path: dir + "/t.part", direct: false).buffered)
    }
}

extension Ring {
    /// Copies `bytes` into the ring's first (page-aligned) slot, for tests of what writes from it.
    func fill(_ bytes: [UInt8]) throws -> UnsafeRawBufferPointer {
        var chunk: UnsafeRawBufferPointer?
        _ = try run(threaded: false, fill: { buffer, capacity in
            guard chunk == nil else { return 0 }
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: min(capacity, $0.count)) }
            return bytes.count
        }, drain: { chunk = $0 })
        return chunk!
    }
}

final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
