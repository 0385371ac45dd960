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
            try harness.waitForIngest(clips: fixture.clips.count)
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
