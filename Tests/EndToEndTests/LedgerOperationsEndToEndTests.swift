import CustodyAPI
import Foundation
import Glibc
import Testing

@Suite("Ledger operations end to end", .serialized)
struct LedgerOperationsEndToEndTests {
    typealias L = LedgerEndToEndTests

    @Test("ledger changes need the clerk role: a non-clerk is refused, nothing changes, and the refusal is audited")
    func clerkRole() throws {
        let harness = try DaemonHarness(extraConfig: "[api]\nviewer_users = [\"nobody\"]")
        try harness.start()
        chmod(harness.dir.path, 0o755)
        chmod(harness.socketPath, 0o666)
        func asNobody(_ args: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
            try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.custodyctl, "--socket", harness.socketPath] + args)
        }
        #expect(try asNobody(["officers", "list"]).status == 0, "a viewer may read")
        let add = try asNobody(["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        #expect(add.status == 1)
        #expect(String(decoding: add.stderr, as: UTF8.self).contains("clerk role"))
        #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).isEmpty)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND actor LIKE 'uid:65534%' AND object = 'POST /v1/officers'") == "1")
        harness.stop()
    }

    @Test("interruption notes attach to a handover or a clip with a reason and the reviewing head of unit")
    func interruptions() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931"])
        let handover = try harness.ctlJSON(["devices", "checkout", "A7K2931", "--officer", "010203"], as: HandoverItem.self)
        try L.ok(harness, ["interruptions", "add", "--handover", "\(handover.id)", "--reason", "battery", "--note", "电量耗尽", "--reviewed-by", "王队长"])
        let bad = try harness.ctl(["interruptions", "add", "--handover", "\(handover.id)", "--reason", "lunch", "--reviewed-by", "王队长"])
        #expect(bad.status == 1 && String(decoding: bad.stderr, as: UTF8.self).contains("device-fault, battery"))
        let other = try harness.ctl(["interruptions", "add", "--handover", "\(handover.id)", "--reason", "other", "--reviewed-by", "王队长"])
        #expect(other.status == 1 && String(decoding: other.stderr, as: UTF8.self).contains("needs a note"))
        let notes = try harness.ctlJSON(["interruptions", "list"], as: [InterruptionItem].self)
        #expect(notes.count == 1 && notes.first?.reason == "battery" && notes.first?.reviewedBy == "王队长")
        // Nothing is deleted: a deactivated officer keeps every revision.
        let refused = try harness.ctl(["officers", "deactivate", "010203"])
        #expect(refused.status == 1, "an officer who still has a device cannot be deactivated")
        try L.ok(harness, ["devices", "checkin", "A7K2931"])
        try L.ok(harness, ["officers", "deactivate", "010203"])
        let detail = try harness.ctlJSON(["officers", "show", "010203"], as: OfficerDetail.self)
        #expect(detail.history.map(\.active) == [true, false] && !detail.officer.active)
        harness.stop()
    }

    @Test("the time-set file is written to the camera only when a device profile enables it, and audited")
    func timesetOnlyWhenEnabled() throws {
        for enabled in [false, true] {
            let profile = enabled ? "[[device_profile]]\nbrand = \"海康\"\ntimeset_file = \"TIMESET.txt\"" : ""
            let harness = try DaemonHarness(extraConfig: profile)
            try harness.start()
            try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
            try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康"])
            let fixture = CameraFixture.standard(clipCount: 4, seed: 11)
            let image = harness.dir.appending("camera.img")
            try fixture.makeFAT32Image(at: image, sizeMB: 40, label: nil)
            let before = try sha256sum(of: image)
            let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"), readOnly: false)
            try harness.waitForIngest(clips: fixture.mediaClips.count)
            harness.stop()
            try mount.unmount()
            let timeset = try run("mtype", ["-i", image.path, "::/TIMESET.TXT"], env: ["MTOOLS_SKIP_CHECK": "1"])
            if enabled {
                #expect(timeset.status == 0)
                let text = String(decoding: timeset.stdout, as: UTF8.self)
                #expect(text.hasPrefix(L.wall(Date(), "yyyy-MM-dd")), "TIMESET.txt: \(text)")
                #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'device.timeset'") == "1")
            } else {
                #expect(timeset.status != 0)
                #expect(try sha256sum(of: image) == before, "a writable camera is not written without a profile")
            }
        }
    }
}

@Suite("Ledger import errors end to end", .serialized)
struct LedgerImportErrorTests {
    /// Every way a CSV from Excel can be wrong, each sent through the real daemon: refused as a
    /// whole, the bad line named, nothing changed.
    static let cases: [(table: String, csv: String, line: Int, says: String)] = [
        ("officers", "警号,姓名,单位\n010203,张三,一中队\n010203,李四,二中队\n", 3, "010203"),
        ("officers", "badge,name,unit\n010203,\"张三,一中队\n", 2, "quote"),
        ("officers", "badge,name,unit\n010203,张三,一中队,extra,more\n", 2, "fields"),
        ("officers", "badge,name,unit,active\n010203,张三,一中队,maybe\n", 2, "maybe"),
        ("officers", "badge,name\n010203,张三\n", 1, "unit"),
        ("officers", "badge,name,unit\n0102 03,张三,一中队\n", 2, "0102 03"),
        ("devices", "serial,brand,model,unit,status\nA7K2931,海康,K1,一中队,broken\n", 2, "broken"),
        ("devices", "serial,brand,model,unit\nA7K2931,海康,K1,一中队\na7k2931,海康,K1,一中队\n", 3, "line 2"),
        ("handovers", "serial,badge,checked out\nA7K2931,010203,2026-02-30 08:00\n", 2, "2026-02-30"),
        ("handovers", "serial,badge,checked out,offsite\nA7K2931,010203,2026-11-27 08:00,perhaps\n", 2, "perhaps"),
        ("handovers", "serial,badge,checked out\nA7K2931,010203,yesterday\n", 2, "yesterday"),
    ]

    @Test("each broken CSV is refused whole with its line named and nothing imported")
    func brokenFiles() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try LedgerEndToEndTests.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try LedgerEndToEndTests.ok(harness, ["devices", "add", "A7K2931"])
        let before = try IngestEndToEndTests.sqlite(harness, "SELECT (SELECT count(*) FROM officer_revision)||'|'||(SELECT count(*) FROM device_revision)||'|'||(SELECT count(*) FROM handover)")
        let file = harness.dir.appending("bad.csv")
        for item in Self.cases {
            try Data(item.csv.utf8).write(to: file)
            let result = try harness.ctl([item.table, "import", file.path, "--json"])
            #expect(result.status == 1, "accepted: \(item.csv)")
            let report = try APICoding.decoder().decode(ImportReport.self, from: result.stdout)
            #expect(report.errors.contains { $0.line == item.line && ($0.reason + $0.column).contains(item.says) },
                    "\(item.csv) → \(report.errors)")
            #expect(!report.accepted)
        }
        // UTF-16 (Excel's "Unicode Text") and binary files are refused as a whole.
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("badge,name,unit\n010204,李四,一中队\n".data(using: .utf16LittleEndian)!)
        try utf16.write(to: file)
        #expect(try harness.ctl(["officers", "import", file.path]).status == 1)
        let after = try IngestEndToEndTests.sqlite(harness, "SELECT (SELECT count(*) FROM officer_revision)||'|'||(SELECT count(*) FROM device_revision)||'|'||(SELECT count(*) FROM handover)")
        #expect(before == after, "a refused import changed the ledger")
        harness.stop()
    }
}
