import CustodyAPI
import Foundation
import Glibc
import Testing

/// The restore drill (provable-catalog issue, item 5): a backup taken online, work done after it,
/// the catalog lost or damaged, an explicit restore that the chain records, clips stored after the
/// backup brought back, and the restored catalog verified against the anchors.
@Suite("Backup and restore drill", .serialized)
struct RestoreDrillEndToEndTests {
    typealias L = LedgerEndToEndTests
    typealias I = IntegrityEndToEndTests

    /// Three clips, a backup, two more clips and a report after it; the daemon stopped.
    static func drill() throws -> (DaemonHarness, backup: String, before: [String], after: [String], report: String) {
        let (harness, before) = try I.station()
        let drive = try harness.drive.subdirectory("backup-drive")
        let backup = try harness.ctlJSON(["backup", "--to", drive.path], as: BackupItem.self)
        #expect(backup.signedHead.contains("size=\(backup.treeSize) ") && backup.copyStore.contains("rsync"))
        #expect(FileManager.default.fileExists(atPath: backup.path + "/catalog.sqlite"))
        try MatchingEndToEndTests.dock(harness, folder: "cam2", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600),
                                                                                                   serial: "B8K1000", badge: "010203"))
        let after = try harness.clips().map(\.sha256).filter { !before.contains($0) }
        #expect(after.count == 2)
        let report = harness.dir.appending("report-after-backup.html").path
        try harness.ctl(["report", "period", "--from", "2020-01-01 00:00", "--to", "2030-01-01 00:00", "--html"]).stdout.write(to: URL(fileURLWithPath: report))
        harness.stop()
        return (harness, backup.path, before, after, report)
    }

    static func restore(_ harness: DaemonHarness, from backup: String) throws -> (status: Int32, stdout: Data, stderr: Data) {
        try run(DaemonHarness.custodyd, ["--config", harness.configPath, "--restore-from", backup, "--reason", "恢复演练"])
    }

    @Test("a damaged catalog restored from an online backup: clips stored after it re-cataloged from the surviving chain, the restore in the chain, the anchors agree")
    func restoreWithSurvivingChain() throws {
        let (harness, backup, before, after, report) = try Self.drill()
        // The clip table damaged, the audit chain intact.
        try runChecked("sqlite3", [harness.catalogPath, "DROP TRIGGER clip_no_delete; PRAGMA foreign_keys = OFF; DELETE FROM clip WHERE sha256 = '\(before[1])'"])
        let restored = try Self.restore(harness, from: backup)
        let out = I.text(restored)
        #expect(restored.status == 0, "\(out)")
        #expect(out.contains("2 re-cataloged from the surviving audit chain, 0 adopted"), "\(out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.dir.path).contains { $0.hasPrefix("catalog.sqlite.replaced-") })
        try harness.start()
        let clips = try harness.clips()
        #expect(Set(clips.map(\.sha256)) == Set(before + after))
        for clip in clips where after.contains(clip.sha256) {
            #expect(clip.officerBadge == "010203" && clip.deviceSerial == "B8K1000" && !clip.flags.contains("adopted-from-store"), "\(clip)")
        }
        #expect(try harness.status().integrity?.state == "ok")
        let verify = try harness.ctl(["audit", "verify"])
        #expect(verify.status == 0, "\(I.text(verify))")
        // The backup's own row came after the copy was taken, so it is in the replaced history; the restore names the backup.
        let actions = try harness.ctlJSON(["audit", "show", "--action", "catalog."], as: [AuditItem].self)
        #expect(actions.map(\.action) == ["catalog.restore", "catalog.recatalog", "catalog.recatalog"], "\(actions.map(\.action))")
        #expect(actions.first?.detail.contains("restored from the backup at checkpoint") == true)
        // The report made after the backup is of the history the restore replaced: superseded, said so, not a rollback.
        let against = try harness.ctl(["audit", "verify", "--against", report])
        #expect(against.status == 0 && I.text(against).contains("replaced by the restore from the backup at checkpoint"), "\(I.text(against))")
        harness.stop()
    }

    @Test("a lost catalog restored: clips stored after the backup are adopted from the store and flagged")
    func restoreWithoutChain() throws {
        let (harness, backup, before, after, _) = try Self.drill()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: harness.catalogPath + suffix) }
        #expect(try harness.ctl(["backup", "--to", "/nonexistent"]).status == 1, "no daemon runs")
        let restored = try Self.restore(harness, from: backup)
        #expect(restored.status == 0, "\(I.text(restored))")
        #expect(I.text(restored).contains("0 re-cataloged from the surviving audit chain, 2 adopted"), "\(I.text(restored))")
        try harness.start()
        let clips = try harness.clips()
        #expect(Set(clips.map(\.sha256)) == Set(before + after))
        #expect(clips.filter { after.contains($0.sha256) }.allSatisfy { $0.flags.contains("adopted-from-store") })
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    @Test("a restore refuses while the daemon runs, and refuses a backup that is not this station's history")
    func restoreRefusals() throws {
        let (harness, backup, _, _, _) = try Self.drill()
        try harness.start()
        let running = try Self.restore(harness, from: backup)
        #expect(running.status == 1 && I.text(running).contains("in use"), "\(I.text(running))")
        harness.stop()
        // The backup's last row altered (its first hex digit changed, whatever it was): its head no longer matches it.
        try runChecked("python3", ["-c", """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("DROP TRIGGER audit_no_update")
            con.execute("UPDATE audit SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) WHERE seq = (SELECT max(seq) FROM audit)")
            con.commit()
            """, backup + "/catalog.sqlite"])
        let forged = try Self.restore(harness, from: backup)
        #expect(forged.status == 1, "\(I.text(forged))")
    }
}
