import CustodyArchive
import Foundation
import Testing

@Suite("Exporting a bag", .serialized)
struct BagWriterTests {
    @Test("a bag with Chinese names and spaces passes the reference validator, and a flipped byte fails it")
    func referenceValidator() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip(BagFixture.clipBytes(1, count: 3_000_000))
        let b = try f.addClip(BagFixture.clipBytes(2, count: 1234))
        let c = try f.addClip(BagFixture.clipBytes(3, count: 0))
        let payload = [
            BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: "案件 A-2024-001/执法记录仪 片段 1.mp4"),
            BagPayloadItem.clip(storeRoot: f.store, sha256: b, path: "案件 A-2024-001/完成 录像 (2).mp4"),
            BagPayloadItem.clip(storeRoot: f.store, sha256: c, path: "空文件.txt"),
        ]
        var phases: [BagProgress.Phase] = []
        var last: BagProgress?
        let receipt = try BagWriter().write(bagAt: f.bag, payload: payload, info: BagFixture.info,
                                            tagFiles: [BagFixture.report]) { p in
            if phases.last != p.phase { phases.append(p.phase) }
            last = p
        }
        #expect(receipt.payloadOxum == "3001234.3")
        #expect(phases == [.copying, .writingTags, .verifying, .done])
        #expect(last?.bytesDone == 3_001_234 && last?.bytesTotal == 3_001_234)
        #expect(Set(receipt.tagFiles.map(\.path)) ==
            ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "custody-report.json"])

        let manifest = try String(contentsOf: f.bag.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        #expect(manifest.contains("\(b)  data/案件 A-2024-001/完成 录像 (2).mp4\n"))
        let info = try String(contentsOf: f.bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        #expect(info.contains("Payload-Oxum: 3001234.3\n"))
        #expect(info.contains("Bagging-Date: 2025-06-15\n"))
        #expect(info.contains("Requester: 李律师 (某某律师事务所)\n"))

        let good = try ReferenceValidator.validate(f.bag)
        #expect(good.status == 0, "\(good.output)")

        let victim = f.bag.appendingPathComponent("data/案件 A-2024-001/执法记录仪 片段 1.mp4")
        var bytes = try Data(contentsOf: victim)
        bytes[1_500_000] ^= 0x40
        try bytes.write(to: victim)
        let bad = try ReferenceValidator.validate(f.bag)
        #expect(bad.status != 0 && bad.status != -1, "\(bad.output)")
        #expect(BagVerifier.verify(bagAt: f.bag).map(\.message) ==
            ["data/案件 A-2024-001/执法记录仪 片段 1.mp4 does not match its checksum"])
    }

    @Test("an existing bag folder is never overwritten")
    func refusesOverwrite() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1, 2, 3])
        try FileManager.default.createDirectory(at: f.bag, withIntermediateDirectories: false)
        #expect(throws: BagExportError.bagExists(f.bag.path)) {
            try BagWriter().write(bagAt: f.bag, payload: [.clip(storeRoot: f.store, sha256: a, path: "a.mp4")],
                                  info: BagFixture.info)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.bag.path).isEmpty)
    }

    @Test("a symbolic link in the store is refused")
    func refusesSymlink() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1, 2, 3])
        let link = f.root.appendingPathComponent("link.mp4")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: ContentStore.url(storeRoot: f.store, sha256: a))
        #expect(throws: BagExportError.symlinkRefused(link.path)) {
            try BagWriter().write(bagAt: f.bag, payload: [BagPayloadItem(source: link, path: "a.mp4")], info: BagFixture.info)
        }
        #expect(!FileManager.default.fileExists(atPath: f.bag.path))
    }

    @Test("no component of the bag's path is a link followed: a target folder reached through a link is refused, nothing written there")
    func refusesLinkedTarget() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1, 2, 3])
        let elsewhere = f.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let link = f.root.appendingPathComponent("drive")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)
        #expect(throws: BagExportError.symlinkRefused(link.path)) {
            try BagWriter().write(bagAt: link.appendingPathComponent("bag"), payload: [.clip(storeRoot: f.store, sha256: a, path: "a.mp4")],
                                  info: BagFixture.info)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test("a damaged store file is not exported, and no half-written bag is left")
    func refusesDamagedClip() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1, 2, 3])
        let b = try f.addClip([4, 5, 6])
        try Data([9, 9, 9]).write(to: ContentStore.url(storeRoot: f.store, sha256: b))
        let payload = [BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: "ok.mp4"),
                       BagPayloadItem.clip(storeRoot: f.store, sha256: b, path: "rotten.mp4")]
        do {
            _ = try BagWriter().write(bagAt: f.bag, payload: payload, info: BagFixture.info)
            Issue.record("a damaged clip was exported")
        } catch {
            guard case .sourceHashMismatch = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.messageZh.contains("已损坏"))
        }
        #expect(!FileManager.default.fileExists(atPath: f.bag.path))
    }

    @Test("bad names and bad bag-info fields are refused before the drive is touched")
    func refusesBadInput() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1])
        let writer = BagWriter()
        for path in ["../escape.mp4", "/abs.mp4", "a//b.mp4", "a?.mp4", "dup.mp4"] {
            let items = [BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: "DUP.mp4"),
                         BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: path)]
            #expect(throws: BagExportError.self) { try writer.write(bagAt: f.bag, payload: items, info: BagFixture.info) }
        }
        var info = BagFixture.info
        info.extraFields.append(BagInfoField("Payload-Oxum", "1.1"))
        #expect(throws: BagExportError.invalidInfoField("Payload-Oxum")) {
            try writer.write(bagAt: f.bag, payload: [.clip(storeRoot: f.store, sha256: a, path: "a")], info: info)
        }
        #expect(throws: BagExportError.invalidTagFileName("bagit.txt")) {
            try writer.write(bagAt: f.bag, payload: [.clip(storeRoot: f.store, sha256: a, path: "a")],
                             info: BagFixture.info, tagFiles: [BagTagFile(name: "bagit.txt", text: "")])
        }
        #expect(throws: BagExportError.emptyPayload) { try writer.write(bagAt: f.bag, payload: [], info: BagFixture.info) }
        #expect(!FileManager.default.fileExists(atPath: f.bag.path))
    }

    @Test("a missing target folder (drive not mounted) is reported as such")
    func missingTarget() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([1])
        let bag = f.root.appendingPathComponent("not-mounted/bag")
        #expect(throws: BagExportError.targetFolderMissing(f.root.appendingPathComponent("not-mounted").path)) {
            try BagWriter().write(bagAt: bag, payload: [.clip(storeRoot: f.store, sha256: a, path: "a")], info: BagFixture.info)
        }
    }

    @Test("manifest paths percent-encode only CR, LF and %; a line break in a name still validates")
    func manifestEncoding() throws {
        #expect(BagPaths.manifestEncode("a%b\r\nc 中.mp4") == "a%25b%0D%0Ac 中.mp4")
        #expect(BagPaths.manifestDecode("a%25b%0D%0Ac 中%20.mp4") == "a%b\r\nc 中%20.mp4")
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([7, 7, 7])
        let item = BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: "line\nbreak 中.mp4")
        _ = try BagWriter(requirePortableNames: false).write(bagAt: f.bag, payload: [item], info: BagFixture.info)
        let manifest = try String(contentsOf: f.bag.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        #expect(manifest == "\(a)  data/line%0Abreak 中.mp4\n")
        let result = try ReferenceValidator.validate(f.bag)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a % in a name is written as %25 when allowed, and refused by default because bagit-python disagrees")
    func percentSign() throws {
        let f = try BagFixture()
        defer { f.remove() }
        let a = try f.addClip([8, 8])
        let item = BagPayloadItem.clip(storeRoot: f.store, sha256: a, path: "100% 完成.mp4")
        #expect(throws: BagExportError.invalidPath("100% 完成.mp4", reason: .percentSign)) {
            try BagWriter().write(bagAt: f.bag, payload: [item], info: BagFixture.info)
        }
        _ = try BagWriter(requirePortableNames: false).write(bagAt: f.bag, payload: [item], info: BagFixture.info)
        let manifest = try String(contentsOf: f.bag.appendingPathComponent("manifest-sha256.txt"), encoding: .utf8)
        #expect(manifest == "\(a)  data/100%25 完成.mp4\n")
        #expect(BagVerifier.verify(bagAt: f.bag).isEmpty)
    }
}
