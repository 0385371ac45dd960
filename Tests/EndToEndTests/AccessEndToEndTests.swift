import CustodyAPI
import Foundation
import Glibc
import Testing

/// Access issue, end to end: roles per call, the access register with BagIt export, the
/// tamper-evident audit log, the fixity scrub.
@Suite("Access and audit end to end", .serialized)
struct AccessEndToEndTests {
    typealias L = LedgerEndToEndTests

    static func asNobody(_ harness: DaemonHarness, _ args: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.custodyctl, "--socket", harness.socketPath] + args)
    }

    static func openUp(_ harness: DaemonHarness) {
        chmod(harness.dir.path, 0o755)
        chmod(harness.socketPath, 0o666)
    }

    @Test("a viewer-only user cannot annotate, mark, export or approve: each is refused with a clear message and shows in audit show")
    func viewerIsRefused() throws {
        let harness = try DaemonHarness(extraConfig: "[api]\nviewer_users = [\"nobody\"]")
        try harness.start()
        Self.openUp(harness)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600)))
        let clip = try #require(try harness.clips().first).sha256
        try L.ok(harness, ["access", "request", "--name", "王五", "--unit", "某区法院", "--kind", "authority", "--body", "court",
                           "--doc", "letter-of-introduction:法函12号:verified", "--doc", "id-document:法官证001:verified",
                           "--clip", clip, "--purpose", "审理需要", "--action", "export"])
        let attempts: [(String, [String])] = [
            ("annotate", ["clips", "annotate", clip, "--category", "治安"]),
            ("mark", ["retain", clip, "--reason", "evidence"]),
            ("export", ["access", "export", "1", "--to", harness.dir.path]),
            ("approve", ["access", "approve", "1"]),
        ]
        for (what, args) in attempts {
            let r = try Self.asNobody(harness, args)
            #expect(r.status == 1, "\(what) must be refused")
            let message = String(decoding: r.stderr, as: UTF8.self)
            #expect(message.contains("does not have the") && message.contains("role"), "\(what): \(message)")
        }
        #expect(try Self.asNobody(harness, ["clips", "list"]).status == 0, "a viewer may still read")
        let refused = try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--user", "65534"], as: [AuditItem].self)
        #expect(refused.count == 4, "\(refused.map(\.object))")
        #expect(Set(refused.map(\.object)) == ["POST /v1/clips/\(clip)/annotate", "POST /v1/clips/\(clip)/retain", "POST /v1/access/1/export", "POST /v1/access/1/approve"])
        // A confidential clip is left out of the viewer's list and refused to them; a cleared look is registered.
        try L.ok(harness, ["clips", "confidential", clip, "--flag", "privacy"])
        let seen = try APICoding.decoder().decode([ClipItem].self, from: try Self.asNobody(harness, ["clips", "list", "--json"]).stdout)
        #expect(seen.count == 1 && !seen.contains { $0.sha256 == clip })
        let show = try Self.asNobody(harness, ["clips", "show", clip])
        #expect(show.status == 1 && String(decoding: show.stderr, as: UTF8.self).contains("confidential"))
        // Every cleared look is audited (the answer to `clips confidential` is one too).
        let looks = try harness.ctlJSON(["audit", "show", "--action", "clip.view-confidential"], as: [AuditItem].self).count
        try L.ok(harness, ["clips", "show", clip])
        #expect(try harness.ctlJSON(["audit", "show", "--action", "clip.view-confidential"], as: [AuditItem].self).count == looks + 1)
        harness.stop()
    }

    @Test("a lawyer's request without a power of attorney is refused; with it, approved by another user, the export bag validates with bagit.py and the register shows it")
    func lawyerExport() throws {
        let harness = try DaemonHarness(extraConfig: "[api]\napprover_users = [\"nobody\"]")
        try harness.start()
        Self.openUp(harness)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-7200)))
        let clips = try harness.clips().map(\.sha256)
        try L.ok(harness, ["cases", "add", "A-2026-9", "--title", "某某纠纷案"])
        for clip in clips.prefix(2) { try L.ok(harness, ["clips", "annotate", clip, "--case", "A-2026-9", "--category", "民事纠纷"]) }
        try L.ok(harness, ["cases", "close", "A-2026-9", "--note", "调解结案"])
        let base = ["access", "request", "--name", "赵律师", "--unit", "某某律师事务所", "--kind", "lawyer", "--purpose", "代理诉讼",
                    "--action", "export", "--doc", "letter-of-introduction:所函3号:verified", "--doc", "id-document:身份证:verified",
                    "--doc", "lawyer-licence:执业证1101:verified"] + clips.prefix(2).flatMap { ["--clip", $0] }
        let without = try harness.ctl(base)
        #expect(without.status == 1)
        #expect(String(decoding: without.stderr, as: UTF8.self).lowercased().contains("power of attorney"), "\(String(decoding: without.stderr, as: UTF8.self))")
        let zh = try harness.ctl(base, env: ["LANG": "zh_CN.UTF-8"])
        #expect(String(decoding: zh.stderr, as: UTF8.self).contains("授权委托书"))
        let entry = try harness.ctlJSON(base + ["--doc", "power-of-attorney:委托书7号:verified"], as: AccessEntryItem.self)
        // The clerk who registered it (root) may not approve it; another user with the approver role may.
        let selfApproval = try harness.ctl(["access", "approve", "\(entry.id)"])
        #expect(selfApproval.status == 1)
        let early = try harness.ctl(["access", "export", "\(entry.id)", "--to", harness.dir.path])
        #expect(early.status == 1, "no export before approval")
        let approved = try Self.asNobody(harness, ["access", "approve", "\(entry.id)", "--title", "agency-head"])
        #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
        // Never into the write-once store, the spool or a camera's folders; never a relative path.
        // Nor into the daemon's own state folder (its catalog's folder; `usb` below is elsewhere).
        _ = try harness.dir.subdirectory("beside-the-catalog")
        for bad in [harness.storeRoot, harness.storeRoot + "/sha256", harness.mediaRoot.path, harness.dropRoot.path, "usb", harness.dir.path + "/missing",
                    harness.dir.path, harness.dir.path + "/beside-the-catalog"] {
            let refused = try harness.ctl(["access", "export", "\(entry.id)", "--to", bad])
            #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("export target"),
                    "export to \(bad): \(String(decoding: refused.stderr, as: UTF8.self))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.storeRoot).sorted() == ["OWNER", "sha256", "tmp"])
        let drive = try TempDir()
        defer { drive.cleanup() }
        let usb = try drive.subdirectory("usb")
        let exported = try harness.ctlJSON(["access", "export", "\(entry.id)", "--to", usb.path], as: AccessEntryItem.self)
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: usb.path).first)
        let validate = try run("bagit.py", ["--validate", usb.path + "/" + bag])
        #expect(validate.status == 0, "\(String(decoding: validate.stderr, as: UTF8.self))")
        let info = try String(contentsOfFile: usb.path + "/" + bag + "/bag-info.txt", encoding: .utf8)
        #expect(info.contains("赵律师") && info.contains("uid:65534"))
        #expect(exported.uses.count == 1 && exported.uses[0].contains(bag))
        let register = String(decoding: try harness.ctl(["access", "list", "--html"]).stdout, as: UTF8.self)
        #expect(register.contains("赵律师") && register.contains("批准") && register.contains(bag))
        #expect(try harness.ctlJSON(["audit", "show", "--action", "access."], as: [AuditItem].self).map(\.action) == ["access.request", "access.approve", "access.export"])
        harness.stop()
    }

    @Test("a large answer arrives whole: 3,000 officers and their audit rows, listed in one response each")
    func largeAnswers() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let csv = harness.dir.appending("officers.csv")
        let lines = ["警号,姓名,单位"] + (0..<3000).map { String(format: "%06d,警员%04d,第%d中队", 100_000 + $0, $0, $0 % 9) }
        try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        try L.ok(harness, ["officers", "import", csv.path])
        for _ in 0..<5 {
            #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).count == 3000)
            #expect(try harness.ctlJSON(["audit", "show", "--limit", "5000"], as: [AuditItem].self).count >= 3000)
        }
        harness.stop()
    }

    @Test("editing, deleting or swapping audit rows in the SQLite file makes audit verify fail and name the row")
    func tamperedAuditIsNamed() throws {
        for (name, sql) in [
            ("edit", "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 3;"),
            ("delete", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;"),
            ("swap", "DROP TRIGGER audit_no_update; UPDATE audit SET seq = -3 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -3;"),
        ] {
            let harness = try DaemonHarness()
            try harness.start()
            try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
            try L.ok(harness, ["officers", "add", "010204", "--name", "李四", "--unit", "一中队"])
            #expect(try harness.ctl(["audit", "verify"]).status == 0)
            harness.stop()
            try runChecked("sqlite3", [harness.catalogPath, sql])
            try harness.start()
            let verify = try harness.ctl(["audit", "verify"])
            let text = String(decoding: verify.stdout, as: UTF8.self)
            #expect(verify.status == 1, "\(name) not detected")
            #expect(text.contains("row 3"), "\(name): \(text)")
            harness.stop()
        }
    }

    @Test("one flipped byte in a stored clip is reported by the next scrub pass and by fsck")
    func scrubFindsFlippedByte() throws {
        let harness = try DaemonHarness(extraConfig: "[scrub]\nrate_mb_per_s = 200\nperiod_days = 0")
        try harness.start()
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-3600)))
        let clip = try #require(try harness.clips().last).sha256
        let path = harness.storeRoot + "/sha256/\(clip.prefix(2))/\(clip.dropFirst(2).prefix(2))/\(clip)"
        chmod(path, 0o644)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 1000)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 1000)
        try handle.write(contentsOf: Data([byte[0] ^ 0x01]))
        try handle.close()
        #expect(waitUntil(timeout: 20) {
            (try? IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'scrub.changed' AND object = 'clip:\(clip)'")) == "1"
        }, "the scrub did not report the flipped byte")
        #expect(try harness.status().alarms.contains { $0.contains(clip) && $0.contains("fixity scrub") })
        #expect(try harness.status().openAlerts?.contains { $0.key == "fixity:\(clip)" } == true)
        let fsck = try harness.ctl(["fsck", "--json"])
        #expect(fsck.status == 1)
        let report = try APICoding.decoder().decode(FsckReport.self, from: fsck.stdout)
        #expect(report.changed == [clip])
        harness.stop()
    }

    @Test("a station with the fixity scrub turned off keeps running: it ingests, answers and stops cleanly")
    func scrubTurnedOffKeepsDaemonRunning() throws {
        let harness = try DaemonHarness(extraConfig: "[scrub]\nenabled = false")
        try harness.start()
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600)))
        #expect(try harness.clips().count == 2)
        #expect(harness.process?.isRunning == true, "custodyd stopped: \(harness.log())")
        #expect(!harness.log().contains("finished unexpectedly"), "\(harness.log())")
        #expect(harness.stop() == 0, "custodyd did not stop cleanly: \(harness.log())")
    }
}
