import CustodyAPI
import Foundation
import Testing

/// Issue 19, item 2, end to end: a stored disc copy is never silently re-burned. Burning over a
/// verified, labelled or located copy is refused; an admin replaces it only with `--replace
/// --reason`, audited; the old copy's record stays as superseded, and the maker of the first burn
/// is on both.
@Suite("A stored disc copy is never silently re-burned", .serialized)
struct DiscReburnEndToEndTests {
    typealias L = LedgerEndToEndTests

    @Test("burning over a verified or stored copy is refused (Chinese under LANG=zh); --replace needs a reason and keeps the first maker; the old copy stays on record as superseded, audited, and the new copy must be labelled and located again")
    func storedCopyIsNeverReburnedSilently() throws {
        let harness = try DaemonHarness(extraConfig: "[discs]\nmedia = \"cd\"\nmaker = \"李四\"")
        try harness.start()
        defer { harness.stop() }
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-3 * 86_400)))
        let clips = try harness.clips()
        for clip in clips { try L.ok(harness, ["retain", clip.sha256, "--reason", "evidence"]) }
        let set = try #require(try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self).sets.first)
        let first = try harness.ctl(["discs", "burn", set.id, "--maker", "赵六"])
        #expect(first.status == 0, "\(String(decoding: first.stdout + first.stderr, as: UTF8.self))")
        #expect(try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self).copies.map(\.state) == ["verified", "verified"])

        // A verified copy, then a labelled and located one: never burned again without --replace.
        let again = try harness.ctl(["discs", "burn", set.id, "--copy", "A"])
        #expect(again.status == 1 && String(decoding: again.stderr, as: UTF8.self).contains("never burned again"),
                "\(String(decoding: again.stderr, as: UTF8.self))")
        #expect(try harness.ctl(["discs", "burn", set.id]).status == 1, "both copies at once: refused too")
        try L.ok(harness, ["discs", "label", set.id, "--copy", "A", "--confirm"])
        try L.ok(harness, ["discs", "locate", set.id, "--copy", "A", "--location", "档案室 3 号柜"])
        let zh = try harness.ctl(["discs", "burn", set.id, "--copy", "A"], env: ["LANG": "zh_CN.UTF-8"])
        let zhError = String(decoding: zh.stderr, as: UTF8.self)
        #expect(zh.status == 1 && zhError.contains("已入库保存，不得重新刻录") && zhError.contains("--replace --reason"), "\(zhError)")
        #expect(try harness.ctl(["discs", "burn", set.id, "--copy", "A", "--replace"]).status == 1, "a replacement needs a reason")
        let otherMaker = try harness.ctl(["discs", "burn", set.id, "--copy", "A", "--replace", "--reason", "光盘划伤", "--maker", "王五"])
        #expect(otherMaker.status == 1 && String(decoding: otherMaker.stderr, as: UTF8.self).contains("赵六"), "the first maker stays")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action IN ('disc.burning', 'disc.superseded')") == "2",
                "nothing was recorded by the refused burns")

        // The admin's explicit replacement.
        let replaced = try harness.ctl(["discs", "burn", set.id, "--copy", "A", "--replace", "--reason", "光盘划伤"])
        #expect(replaced.status == 0, "\(String(decoding: replaced.stdout + replaced.stderr, as: UTF8.self))")
        let after = try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self)
        let a = after.copies[0], b = after.copies[1]
        #expect(a.state == "verified" && a.verified && a.location == nil, "the new copy A is verified, not yet located")
        #expect(b.state == "verified" && (b.superseded ?? []).isEmpty, "copy B is untouched")
        let old = try #require(a.superseded?.first)
        #expect(a.superseded?.count == 1 && old.maker == "赵六" && old.lastState == "stored" && old.location == "档案室 3 号柜"
                && old.reason == "光盘划伤" && old.supersededBy.contains("uid:0") && old.burnedAt != nil, "\(old)")
        let burns = try IngestEndToEndTests.sqlite(harness, "SELECT detail FROM audit WHERE action = 'disc.burning' AND object = 'disc:\(set.id)-A' ORDER BY seq")
        #expect(burns.split(separator: "\n").count == 2 && burns.split(separator: "\n").allSatisfy { $0.contains("maker=赵六") }, "\(burns)")
        let superseded = try IngestEndToEndTests.sqlite(harness, "SELECT detail FROM audit WHERE action = 'disc.superseded'")
        #expect(superseded.contains("reason=光盘划伤") && superseded.contains("maker=赵六") && superseded.contains("was=stored")
                && superseded.contains("location=档案室 3 号柜"), "the audit row holds what rebuilds the record: \(superseded)")
        // The new copy is stored only after its own label is confirmed.
        #expect(try harness.ctl(["discs", "locate", set.id, "--copy", "A", "--location", "档案室 4 号柜"]).status == 1)
        try L.ok(harness, ["discs", "label", set.id, "--copy", "A", "--confirm"])
        try L.ok(harness, ["discs", "locate", set.id, "--copy", "A", "--location", "档案室 4 号柜"])
        let shown = String(decoding: try harness.ctl(["discs", "show", set.id], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(shown.contains("存放于 档案室 4 号柜") && shown.contains("替换：光盘划伤") && shown.contains("原存放于 档案室 3 号柜"), "\(shown)")
        let custody = try harness.ctlJSON(["clips", "custody", clips[0].sha256], as: CustodyReportItem.self)
        #expect(custody.events.contains { $0.title.contains("已被替换") && $0.detail.contains("光盘划伤") })
        // The replacement is replayed from the chain like every other change of a disc copy.
        try AttributionEndToEndTests.expectIntact(harness)
    }
}
