import CustodyCore
import Foundation
import Testing
@testable import CustodyCatalog

@Suite("Cataloging clips")
struct ClipCatalogTests {
    static func clip(_ hash: String, path: String) -> Clip {
        Clip(sha256: hash, sizeBytes: 10, mediaKind: "video", format: "mp4", recordedAt: Date(timeIntervalSince1970: 1_800_000_000),
             durationSeconds: 30, timeSource: "container", deviceSerial: "A7K2931", officerBadge: "010203",
             ingestedAt: Date(), dueAt: nil, late: false, flags: [], sourcePath: path)
    }

    @Test("the same bytes seen twice are one clip with two provenance rows, each audited")
    func sameBytesTwice() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        let hash = String(repeating: "ab", count: 32)
        let first = try catalog.startDump(sourceKind: "mount", mountPoint: "/m/a", mountSource: "/dev/sdb1", fsType: "vfat", mountKey: "a", mountID: 1)
        let second = try catalog.startDump(sourceKind: "mount", mountPoint: "/m/b", mountSource: "/dev/sdc1", fsType: "vfat", mountKey: "b", mountID: 2)
        let a = try catalog.record(IngestedFile(dumpID: first.id, sourcePath: RawPath("DCIM/A.MP4"), sourceSize: 10, sourceMtime: nil, clip: Self.clip(hash, path: "DCIM/A.MP4"), grammar: nil))
        let b = try catalog.record(IngestedFile(dumpID: second.id, sourcePath: RawPath("DCIM/B.MP4"), sourceSize: 10, sourceMtime: nil, clip: Self.clip(hash, path: "DCIM/B.MP4"), grammar: nil))
        let again = try catalog.record(IngestedFile(dumpID: second.id, sourcePath: RawPath("DCIM/B.MP4"), sourceSize: 10, sourceMtime: nil, clip: Self.clip(hash, path: "DCIM/B.MP4"), grammar: nil))
        #expect(a == .newClip && b == .knownClip && again == .alreadyRecorded)
        #expect(try catalog.clipCount() == 1)
        #expect(try catalog.provenance(sha256: hash).count == 2)
        let actions = try catalog.auditEntries(object: "clip:\(hash)").map(\.action)
        #expect(actions == ["clip.ingest", "clip.seen-again"])
    }

    @Test("a source name that is not UTF-8 keeps its raw bytes and shows them escaped")
    func rawNames() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        let dump = try catalog.startDump(sourceKind: "mount", mountPoint: "/m", mountSource: "s", fsType: "vfat", mountKey: "k", mountID: 1)
        let raw = RawPath([0x44, 0x43, 0x49, 0x4D, 0x2F, 0xB0, 0xA1, 0x0A, 0x2E, 0x4D, 0x50, 0x34])  // "DCIM/" + GBK "啊" + newline + ".MP4"
        let hash = String(repeating: "cd", count: 32)
        try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: raw, sourceSize: 10, sourceMtime: nil, clip: Self.clip(hash, path: raw.display), grammar: nil))
        let provenance = try #require(try catalog.provenance(sha256: hash).first)
        #expect(provenance.sourcePath == "DCIM/\\xb0\\xa1\\x0a.MP4")
        #expect(provenance.sourcePathHex == "4443494d2fb0a10a2e4d5034")
        #expect(try catalog.recordedSources(dumpID: dump.id)[raw] == [RecordedSource(size: 10, sha256: hash)])
    }

    @Test("clips are never deleted from the catalog")
    func noDelete() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        let dump = try catalog.startDump(sourceKind: "mount", mountPoint: "/m", mountSource: "s", fsType: "vfat", mountKey: "k", mountID: 1)
        let hash = String(repeating: "ef", count: 32)
        try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath("x"), sourceSize: 10, sourceMtime: nil, clip: Self.clip(hash, path: "x"), grammar: nil))
        #expect(throws: (any Error).self) { try catalog.pool.write { try $0.execute(sql: "DELETE FROM clip") } }
    }
}
