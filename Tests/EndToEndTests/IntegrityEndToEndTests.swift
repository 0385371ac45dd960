import CustodyAPI
import Foundation
import Glibc
import Testing

/// Provable-catalog issue, end to end with the real daemon: rows bound to the chain, signed heads
/// kept outside the catalog, alarms at start, and what an alarm stops.
@Suite("A catalog that proves itself, end to end", .serialized)
struct IntegrityEndToEndTests {
    typealias L = LedgerEndToEndTests

    static func text(_ r: (status: Int32, stdout: Data, stderr: Data)) -> String {
        String(decoding: r.stdout + r.stderr, as: UTF8.self)
    }

    /// Three clips of an officer's camera, the first marked long-term.
    static func station(_ extraConfig: String = "") throws -> (DaemonHarness, [String]) {
        let harness = try DaemonHarness(extraConfig: extraConfig)
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-7200)))
        let clips = try harness.clips().map(\.sha256)
        try L.ok(harness, ["retain", clips[0], "--reason", "evidence"])
        return (harness, clips)
    }

    @Test("an edited clip row (officer, recording time, retention class) is named by audit verify and by fsck; disposal and export refuse until an admin acknowledges")
    func editedClipRowIsNamed() throws {
        let (harness, clips) = try Self.station()
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        #expect(try harness.status().integrity?.state == "ok")
        harness.stop()
        try runChecked("sqlite3", [harness.catalogPath, """
            DROP TRIGGER clip_source_fixed;
            UPDATE clip SET retention_class = 'routine' WHERE sha256 = '\(clips[0])';
            UPDATE clip SET officer_badge = '999999' WHERE sha256 = '\(clips[1])';
            UPDATE clip SET recorded_at = recorded_at - 86400 WHERE sha256 = '\(clips[2])';
            """])
        try harness.start()
        let verify = try harness.ctl(["audit", "verify"])
        let fsck = try harness.ctl(["fsck"])
        for (name, r) in [("audit verify", verify), ("fsck", fsck)] {
            let out = Self.text(r)
            #expect(r.status == 1, "\(name) passed an edited catalog")
            #expect(out.contains("clip \(clips[0].prefix(8)): retention_class is \"routine\", the chain says \"long-term\" (row "), "\(name): \(out)")
            #expect(out.contains("clip \(clips[1].prefix(8)): officer_badge is \"999999\", the chain says \"010203\""), "\(name): \(out)")
            #expect(out.contains("clip \(clips[2].prefix(8)): recorded_at is "), "\(name): \(out)")
        }
        // The alarm was raised at start: status, the journal (the daemon's log), the alert list.
        let status = try harness.status()
        #expect(status.integrity?.state == "alarm")
        #expect(status.integrity?.problems.contains { $0.contains("retention_class") } == true)
        #expect(harness.log().contains("integrity alarm"))
        #expect(status.openAlerts?.contains { $0.kind == "integrity" && $0.level == "critical" } == true)
        // Disposal and export refuse while it stands; ingest is not touched.
        let propose = try harness.ctl(["disposal", "propose"])
        #expect(propose.status == 1 && Self.text(propose).contains("integrity alarm"), "\(Self.text(propose))")
        #expect(try harness.ctl(["audit", "acknowledge", "--reason", ""]).status == 1)
        try L.ok(harness, ["audit", "acknowledge", "--reason", "张三的记录被误改，已报告，待从备份恢复"])
        #expect(try harness.status().integrity?.state == "acknowledged")
        let after = try harness.ctl(["disposal", "propose"])
        #expect(!Self.text(after).contains("integrity alarm"), "\(Self.text(after))")
        #expect(try harness.ctlJSON(["audit", "show", "--action", "integrity.acknowledge"], as: [AuditItem].self).count == 1)
        harness.stop()
    }

    @Test("a catalog rolled back to an older copy fails audit verify --against a later checkpoint and report, and raises the alarm at start")
    func rollbackIsCaught() throws {
        let (harness, clips) = try Self.station()
        let key = try harness.ctlJSON(["audit", "key"], as: StationKeyItem.self)
        #expect(key.publicKey.count == 64)
        harness.stop()
        let old = harness.dir.appending("old-catalog.sqlite").path
        try FileManager.default.copyItem(atPath: harness.catalogPath, toPath: old)
        try harness.start()
        try L.ok(harness, ["cases", "add", "A-2026-5", "--title", "某某案"])
        try L.ok(harness, ["clips", "annotate", clips[1], "--case", "A-2026-5", "--category", "治安案件"])
        // More rows than the old copy writes of its own after its restart (its start, the alarm,
        // alerts): else the restarted log could reach the heads' size and read as re-chained.
        for n in 6...13 { try L.ok(harness, ["cases", "add", "A-2026-\(n)", "--title", "某某案\(n)"]) }
        let checkpoint = harness.dir.appending("checkpoint.json").path
        let cp = try harness.ctl(["audit", "checkpoint", "--json"])
        try cp.stdout.write(to: URL(fileURLWithPath: checkpoint))
        #expect(try APICoding.decoder().decode(CheckpointItem.self, from: cp.stdout).signedHead?.contains("key=\(key.publicKey)") == true)
        let report = harness.dir.appending("report.html").path
        try harness.ctl(["report", "period", "--from", "2020-01-01 00:00", "--to", "2030-01-01 00:00", "--html"]).stdout.write(to: URL(fileURLWithPath: report))
        // The same report as the PDF that is printed and filed: its pages' feet carry the head.
        let pdf = harness.dir.appending("report.pdf").path
        try L.ok(harness, ["report", "period", "--from", "2020-01-01 00:00", "--to", "2030-01-01 00:00", "--pdf", "--output", pdf])
        #expect(try harness.ctl(["audit", "verify", "--against", checkpoint]).status == 0)
        #expect(try harness.ctl(["audit", "verify", "--against", report]).status == 0)
        let fromPDF = try harness.ctl(["audit", "verify", "--against", pdf])
        #expect(fromPDF.status == 0 && Self.text(fromPDF).contains("✓"), "\(Self.text(fromPDF))")
        harness.stop()
        // The older copy put back, as someone with the file would.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: harness.catalogPath + suffix) }
        try FileManager.default.copyItem(atPath: old, toPath: harness.catalogPath)
        try harness.start()
        let status = try harness.status()
        #expect(status.integrity?.state == "alarm")
        #expect(status.integrity?.problems.contains { $0.contains("rolled back") && $0.contains("anchor file") } == true,
                "\(status.integrity?.problems ?? [])")
        for file in [checkpoint, report, pdf] {
            let r = try harness.ctl(["audit", "verify", "--against", file])
            #expect(r.status == 1 && Self.text(r).contains("rolled back") && Self.text(r).contains(file), "\(Self.text(r))")
        }
        #expect(try harness.ctl(["audit", "verify"]).status == 1)
        harness.stop()
    }

    @Test("a re-chained log fails against an earlier disc and an earlier report")
    func rechainIsCaught() throws {
        let (harness, _) = try Self.station("[discs]\nmedia = \"cd\"\nmaker = \"李四\"")
        let plan = try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self)
        let set = try #require(plan.sets.first)
        try L.ok(harness, ["discs", "burn", set.id])
        let iso = harness.dir.appending("spool/discs/\(set.id)-A.iso").path
        #expect(waitUntil(timeout: 60) { (try? harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self).copies.allSatisfy(\.verified)) == true })
        let report = harness.dir.appending("report.csv").path
        try harness.ctl(["report", "period", "--from", "2020-01-01 00:00", "--to", "2030-01-01 00:00", "--csv"]).stdout.write(to: URL(fileURLWithPath: report))
        #expect(try harness.ctl(["audit", "verify", "--against", iso]).status == 0, "a fresh disc agrees with the log")
        harness.stop()
        // Row 3 rewritten and every hash after it recomputed: the chain is valid again, its root is not.
        try runChecked("python3", ["-c", """
            import sqlite3, hashlib, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("DROP TRIGGER audit_no_update")
            prev = "0" * 64
            for seq, at, actor, action, obj, detail in con.execute("SELECT seq, at_ms, actor, action, object, detail FROM audit ORDER BY seq").fetchall():
                if seq == 3: actor = "mallory"
                text = prev + "\\n" + str(seq) + "\\n" + str(at)
                for f in (actor, action, obj, detail): text += "\\n" + str(len(f.encode())) + ":" + f
                h = hashlib.sha256(text.encode()).hexdigest()
                con.execute("UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?", (actor, prev, h, seq))
                prev = h
            con.commit()
            """, harness.catalogPath])
        try harness.start()
        #expect(try harness.status().integrity?.state == "alarm")
        for file in [iso, report] {
            let r = try harness.ctl(["audit", "verify", "--against", file])
            #expect(r.status == 1 && Self.text(r).contains("rewritten"), "\(file): \(Self.text(r))")
        }
        harness.stop()
    }
}
