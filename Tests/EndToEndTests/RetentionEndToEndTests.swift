import CustodyAPI
import Foundation
import Glibc
import Testing

/// Retention issue, end to end: long-term marks, disc sets burned twice to the spool and
/// verified, labels, holds, and two-person disposal with tombstones.
@Suite("Retention and discs end to end", .serialized)
struct RetentionEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// Camera files recorded at `start` + i minutes, named by the default grammar.
    static func files(count: Int, start: Date, serial: String = "A7K2931", badge: String = "010203", bytes: Int = 60_000) -> [(String, [UInt8])] {
        (0..<count).map { i in
            let at = start.addingTimeInterval(Double(i) * 60)
            return (MatchingEndToEndTests.name(badge: badge, serial: serial, at: at, seq: i + 1),
                    MediaBytes.mp4(creation: at, durationSeconds: 30, payloadBytes: bytes + i * 997, seed: UInt64(1000 + i)))
        }
    }

    @Test("long-term clips burn to two spool ISOs that extract and pass sha256sum -c; one flipped byte fails that copy only; labels render")
    func discsToSpool() throws {
        let harness = try DaemonHarness(extraConfig: "[discs]\nmedia = \"cd\"\nmaker = \"李四\"")
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: Self.files(count: 6, start: Date().addingTimeInterval(-3 * 86_400)))
        let clips = try harness.clips()
        try L.ok(harness, ["cases", "add", "A-2026-7", "--title", "某某妨害公务案"])
        for clip in clips.prefix(3) {
            try L.ok(harness, ["clips", "annotate", clip.sha256, "--case", "A-2026-7", "--category", "治安案件", "--place", "人民路"])
        }
        let bad = try harness.ctl(["retain", clips[0].sha256, "--reason", "because"])
        #expect(bad.status == 1 && String(decoding: bad.stderr, as: UTF8.self).contains("coercive-measure"))
        for (i, clip) in clips.prefix(5).enumerated() {
            try L.ok(harness, ["retain", clip.sha256, "--reason", i < 3 ? "evidence" : "obstruction"])
        }
        let detail = try harness.ctlJSON(["clips", "show", clips[0].sha256], as: ClipDetail.self)
        #expect(detail.retention?.retentionClass == "long-term" && detail.retention?.longTermReasons == ["evidence"])
        #expect(try harness.ctlJSON(["discs", "queue"], as: [DiscQueueItem].self).count == 5)
        // Five small clips do not fill a CD: nothing is planned unless forced.
        #expect(try harness.ctlJSON(["discs", "plan"], as: DiscPlanResponse.self).sets.isEmpty)
        let plan = try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self)
        let set = try #require(plan.sets.first)
        #expect(plan.sets.count == 1 && set.files.count == 5 && set.media == "cd")
        #expect(set.files.filter { $0.discPath.hasPrefix("data/A-2026-7/") }.count == 3, "\(set.files.map(\.discPath))")
        let burn = try harness.ctl(["discs", "burn", set.id])
        #expect(burn.status == 0, "\(String(decoding: burn.stdout + burn.stderr, as: UTF8.self))")
        let burned = try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self)
        #expect(burned.copies.map(\.state) == ["verified", "verified"])
        let spool = harness.dir.appending("spool/discs").path
        let isos = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".iso") }.sorted()
        #expect(isos == ["\(set.id)-A.iso", "\(set.id)-B.iso"])
        for iso in isos {
            let out = harness.dir.appending("extract-\(iso)").path
            try runChecked("xorriso", ["-osirrox", "on", "-indev", spool + "/" + iso, "-extract", "/", out])
            let check = try run("sh", ["-c", "cd '\(out)' && sha256sum -c manifest-sha256.txt"])
            #expect(check.status == 0, "\(String(decoding: check.stdout + check.stderr, as: UTF8.self))")
            #expect(String(decoding: check.stdout, as: UTF8.self).components(separatedBy: ": OK").count - 1 == 5)
            let info = try String(contentsOfFile: out + "/bag-info.txt", encoding: .utf8)
            #expect(info.contains("测试市公安局测试分局") && info.contains("李四") && info.contains("某某妨害公务案"))
            #expect(FileManager.default.fileExists(atPath: out + "/README.txt") && FileManager.default.fileExists(atPath: out + "/AUDIT-HEAD.txt"))
        }
        // Flip one byte of a clip inside copy B's image.
        let isoB = spool + "/\(set.id)-B.iso"
        var image = try Data(contentsOf: URL(fileURLWithPath: isoB))
        let storePath = harness.storeRoot + "/sha256/\(clips[0].sha256.prefix(2))/\(clips[0].sha256.dropFirst(2).prefix(2))/\(clips[0].sha256)"
        let clipBytes = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let range = try #require(image.range(of: clipBytes.suffix(4096)))
        image[range.lowerBound + 100] ^= 0xFF
        try image.write(to: URL(fileURLWithPath: isoB))
        let verifyB = try harness.ctl(["discs", "verify", set.id, "--copy", "B"])
        #expect(verifyB.status == 1, "a flipped byte must fail copy B")
        #expect(try harness.ctl(["discs", "verify", set.id, "--copy", "A"]).status == 0, "copy A is untouched")
        // A copy that cannot be read at all (disc out of the drive) is a refusal saying so, not a failed copy.
        let isoA = spool + "/\(set.id)-A.iso"
        try FileManager.default.moveItem(atPath: isoA, toPath: isoA + ".out")
        let unreadable = try harness.ctl(["discs", "verify", set.id, "--copy", "A"])
        #expect(unreadable.status == 1 && String(decoding: unreadable.stderr, as: UTF8.self).contains("could not be read"),
                "\(String(decoding: unreadable.stderr, as: UTF8.self))")
        try FileManager.default.moveItem(atPath: isoA + ".out", toPath: isoA)
        #expect(try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self).copies[0].verified, "copy A stays verified")
        // Labels: SVG + PDF with the Chinese fields, rendered to PNG for a person to look at.
        let labels = try harness.ctlJSON(["discs", "label", set.id, "--copy", "A"], as: DiscSetItem.self)
        let face = try #require(labels.paths.first { $0.hasSuffix("-face.pdf") })
        #expect(labels.paths.contains { $0.contains("-sheet-") && $0.hasSuffix(".pdf") }, "evidence sheets for the case's clips")
        let svg = try String(contentsOfFile: face.replacingOccurrences(of: ".pdf", with: ".svg"), encoding: .utf8)
        #expect(svg.contains("测试市公安局测试分局") && svg.contains("李四") && svg.contains("A-2026-7"))
        try runChecked("pdftoppm", ["-png", "-r", "60", "-singlefile", face, harness.dir.appending("face").path])
        #expect(((try? FileManager.default.attributesOfItem(atPath: harness.dir.appending("face.png").path)[.size] as? Int) ?? 0) > 10_000)
        if let keep = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"] {
            try? FileManager.default.copyItem(atPath: harness.dir.appending("face.png").path, toPath: keep + "/disc-face.png")
        }
        // A copy is stored only once verified and its label confirmed.
        #expect(try harness.ctl(["discs", "locate", set.id, "--copy", "B", "--location", "档案室"]).status == 1)
        #expect(try harness.ctl(["discs", "label", set.id, "--copy", "B", "--confirm"]).status == 1, "copy B failed verification")
        try L.ok(harness, ["discs", "label", set.id, "--copy", "A", "--confirm"])
        let stored = try harness.ctlJSON(["discs", "locate", set.id, "--copy", "A", "--location", "档案室 3 号柜"], as: DiscSetItem.self)
        #expect(stored.copies.first?.state == "stored" && stored.copies.first?.location == "档案室 3 号柜")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    @Test("disposal: same-user approval refused; two users remove exactly the listed files and leave tombstones; held and long-term clips are never proposed")
    func twoPersonDisposal() throws {
        let harness = try DaemonHarness(extraConfig: "[api]\nadmin_users = [\"nobody\"]")
        try harness.start()
        chmod(harness.dir.path, 0o755)
        chmod(harness.socketPath, 0o666)
        // Recorded two years ago: past the 12-month routine retention.
        try MatchingEndToEndTests.dock(harness, folder: "old", files: Self.files(count: 5, start: Date().addingTimeInterval(-730 * 86_400)))
        try MatchingEndToEndTests.dock(harness, folder: "new", files: Self.files(count: 2, start: Date().addingTimeInterval(-86_400), bytes: 70_000))
        let old = try harness.clips().filter { ($0.recordedAt ?? Date()) < Date().addingTimeInterval(-700 * 86_400) }
        #expect(old.count == 5)
        try L.ok(harness, ["hold", "add", "--clip", old[0].sha256, "--reason", "复议期间"])
        try L.ok(harness, ["retain", old[1].sha256, "--reason", "objection"])
        let proposal = try harness.ctlJSON(["disposal", "propose"], as: DisposalItem.self)
        let expected = Set(old.dropFirst(2).map(\.sha256))
        #expect(Set(proposal.clips) == expected, "held, long-term and recent clips are not proposed")
        let same = try harness.ctl(["disposal", "approve", "\(proposal.id)"])
        #expect(same.status == 1 && String(decoding: same.stderr, as: UTF8.self).contains("different person"))
        for hash in expected { #expect(FileManager.default.fileExists(atPath: harness.storeRoot + "/sha256/\(hash.prefix(2))/\(hash.dropFirst(2).prefix(2))/\(hash)")) }
        let approved = try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.custodyctl, "--socket", harness.socketPath,
                                           "disposal", "approve", "\(proposal.id)"])
        #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
        let stored = Set(try FileManager.default.subpathsOfDirectory(atPath: harness.storeRoot + "/sha256").map { ($0 as NSString).lastPathComponent }.filter { $0.count == 64 })
        let all = Set(try harness.clips().map(\.sha256))
        #expect(stored == all.subtracting(expected), "exactly the listed files are gone")
        let tombstones = try harness.ctlJSON(["disposal", "tombstones"], as: [TombstoneItem].self)
        #expect(Set(tombstones.map(\.sha256)) == expected)
        #expect(tombstones.allSatisfy { $0.proposedBy.contains("uid:0") && $0.approvedBy.contains("uid:65534") && $0.deviceSerial == "A7K2931" })
        #expect(try harness.ctlJSON(["clips", "list", "--disposed"], as: [ClipItem].self).count == all.count + expected.count, "catalog rows stay")
        let custody = try harness.ctlJSON(["clips", "custody", expected.first!], as: CustodyReportItem.self)
        #expect(custody.events.contains { $0.stage == "disposal" && $0.actor.contains("uid:65534") }, "the custody report ends with the disposal")
        #expect(custody.summary.contains { $0.first == "当前状态" && $0.last?.hasPrefix("已销毁") == true })
        let fsck = try harness.ctlJSON(["fsck"], as: FsckReport.self)
        #expect(fsck.consistent, "\(fsck)")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'clip.dispose'") == "3")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND object LIKE '%approve%'") == "1",
                "the same-person approval is refused and audited")
        #expect(try harness.ctl(["disposal", "propose"]).status == 1, "nothing left to propose")
        harness.stop()
    }
}
