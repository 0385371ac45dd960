import CustodyCore
import Foundation
import Glibc
import Testing
@testable import CustodyIngest

/// `[ingest] read_back` (issue 21): the read-back of a stored copy is compared with the copied
/// bytes by SHA-256 or by XXH3-128; either way a stored copy that differs is refused and never
/// renamed into the store, and the clip's SHA-256 is the camera bytes'.
@Suite("Read-back check: SHA-256 or XXH3-128, a changed copy is refused either way")
struct ReadBackCheckTests {
    private static func workDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("custody-readback-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A source of `size` random bytes, opened for reading.
    private static func source(in dir: String, size: Int) throws -> (path: String, fd: Int32, bytes: Data) {
        var rng = SystemRandomNumberGenerator()
        let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let path = dir + "/clip.mp4"
        try bytes.write(to: URL(fileURLWithPath: path))
        return (path, open(path, O_RDONLY | O_CLOEXEC), bytes)
    }

    /// A random source of `size` bytes staged (copied and hashed, not yet read back) into a new store.
    private static func staged(size: Int, check: ReadBackCheck, threaded: Bool) throws
        -> (dir: String, store: EvidenceStore, copier: PipelinedCopier, source: (path: String, fd: Int32, bytes: Data),
            staged: PipelinedCopier.StagedCopy) {
        let dir = try workDir()
        let store = try EvidenceStore(root: dir + "/store")
        let copier = PipelinedCopier(store: store, bufferBytes: 64 << 10, slots: 3,
                                     pipelineThreshold: threaded ? 1 : .max, readBack: check)
        let src = try source(in: dir, size: size)
        return (dir, store, copier, src, try copier.stage(sourceFD: src.fd, displayPath: "clip.mp4"))
    }

    /// Known answers from `xxhsum -H2` (xxHash 0.8.1), and the same digest whatever the chunks.
    @Test func xxh3MatchesXxhsumInAnyChunking() {
        func digest(_ chunks: [Data]) -> String? {
            var hasher = PassHasher(.xxh3)
            for chunk in chunks { chunk.withUnsafeBytes { hasher.update($0) } }
            return hasher.finalize().xxh3
        }
        #expect(digest([]) == "99aa06d3014798d86001c324468d497f")
        #expect(digest([Data("abc".utf8)]) == "06b05ab6733a618578af5f94892f3950")
        #expect(digest([Data("a".utf8), Data("bc".utf8)]) == "06b05ab6733a618578af5f94892f3950")
        let big = Data((0..<300_000).map { UInt8($0 % 251) })
        #expect(digest([big]) == digest([big.prefix(4096), big.dropFirst(4096).prefix(1), big.dropFirst(4097)]))
    }

    /// While copying with the XXH3-128 check, both digests come from the same pass; SHA-256 alone otherwise.
    @Test func copyingComputesWhatTheCheckNeeds() {
        var both = PassHasher(.copying(.xxh3))
        Data("abc".utf8).withUnsafeBytes { both.update($0) }
        let digest = both.finalize()
        #expect(digest.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.xxh3 == "06b05ab6733a618578af5f94892f3950")
        var sha = PassHasher(.copying(.sha256))
        Data("abc".utf8).withUnsafeBytes { sha.update($0) }
        let alone = sha.finalize()
        #expect(alone.xxh3 == nil && alone.sha256 != nil)
    }

    @Test(arguments: ReadBackCheck.allCases, [false, true])
    func anUnchangedCopyIsStoredUnderItsSHA256(check: ReadBackCheck, threaded: Bool) throws {
        let (dir, store, copier, src, staged) = try Self.staged(size: 1_000_003, check: check, threaded: threaded)
        defer { close(src.fd); try? FileManager.default.removeItem(atPath: dir) }
        #expect(staged.readBack == check)
        let result = try copier.finish(staged, dataDurable: false, syncDirectories: true).result
        var sha = PassHasher(.sha256)  // pinned to the SHA-256 of "abc" above
        src.bytes.withUnsafeBytes { sha.update($0) }
        let expected = sha.finalize().sha256
        #expect(result.sha256 == expected)
        #expect(FileManager.default.contents(atPath: store.path(for: result.sha256)) == src.bytes)
    }

    /// One byte of the temp file changed between the copy and the read-back (a disk that stored
    /// something else): refused, the temp file removed, nothing under the content address.
    @Test(arguments: ReadBackCheck.allCases, [false, true])
    func aChangedCopyIsRefusedAndNotStored(check: ReadBackCheck, threaded: Bool) throws {
        let (dir, store, copier, src, staged) = try Self.staged(size: 700_001, check: check, threaded: threaded)
        defer { close(src.fd); try? FileManager.default.removeItem(atPath: dir) }
        let temp = open(staged.tempPath, O_WRONLY | O_CLOEXEC)
        #expect(temp >= 0)
        var flipped = src.bytes[350_000] ^ 0x01
        #expect(pwrite(temp, &flipped, 1, 350_000) == 1)
        close(temp)
        #expect {
            try copier.finish(staged, dataDurable: false, syncDirectories: true)
        } throws: { error in
            guard case StoreError.verificationFailed(let expected, let got) = error else { return false }
            return expected != got && (check == .sha256 || expected.hasPrefix("xxh3-128 "))
        }
        #expect(!FileManager.default.fileExists(atPath: staged.tempPath))
        #expect(!FileManager.default.fileExists(atPath: store.path(for: staged.sha256)))
    }
}
