import CustodyAPI
import Foundation
import Testing

/// Authorization issue, item 4, end to end: evidence moves between protections only through an
/// action that says so, by someone cleared for what it removes, never under a hold; typed keys
/// have one spelling; spot-check seeds come from the daemon; asserted reviewers say who asserted.
@Suite("Changes that move evidence between protections end to end", .serialized)
struct ProtectionEndToEndTests {
    typealias L = LedgerEndToEndTests
    typealias I = IdentityEndToEndTests

    @Test("a re-annotation without --case keeps the clip in its case and under its hold; leaving a case is said, and refused while held")
    func reannotationKeepsCase() throws {
        let harness = try DaemonHarness()
        try harness.start()
        // Recorded two years ago: past routine retention, so only the case's hold keeps it.
        try MatchingEndToEndTests.dock(harness, folder: "old", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-730 * 86_400)))
        let clip = try #require(try harness.clips().first).sha256
        try L.ok(harness, ["cases", "add", "A-2026-118", "--title", "某某寻衅滋事案"])
        try L.ok(harness, ["cases", "add", "B-2026-7", "--title", "另一案件"])
        try L.ok(harness, ["clips", "annotate", clip, "--case", "A-2026-118", "--category", "治安案件"])
        try L.ok(harness, ["hold", "add", "--case", "A-2026-118", "--reason", "行政复议期间"])
        try L.ok(harness, ["clips", "annotate", clip, "--category", "治安案件", "--description", "补充说明"])
        let shown = try harness.ctlJSON(["clips", "show", clip], as: ClipDetail.self)
        #expect(shown.clip.caseNumber == "A-2026-118" && shown.retention?.held == true)
        #expect(try harness.ctl(["disposal", "propose"]).status == 1, "the held clip is not proposed for disposal")
        // Another case without saying which one it leaves: refused, and audited.
        let refusedBefore = try harness.ctlJSON(["audit", "show", "--action", "api.refused"], as: [AuditItem].self).count
        let unsaid = try harness.ctl(["clips", "annotate", clip, "--case", "B-2026-7", "--category", "治安案件"])
        #expect(unsaid.status == 1 && I.text(unsaid).contains("--leave-case A-2026-118"), "\(I.text(unsaid))")
        let held = try harness.ctl(["clips", "leave-case", clip, "--case", "A-2026-118", "--reason", "误归档"])
        #expect(held.status == 1 && I.text(held).contains("on hold"), "\(I.text(held))")
        let heldMove = try harness.ctl(["clips", "annotate", clip, "--case", "B-2026-7", "--leave-case", "A-2026-118", "--category", "治安案件"])
        #expect(heldMove.status == 1 && I.text(heldMove).contains("on hold"))
        #expect(try harness.ctlJSON(["clips", "show", clip], as: ClipDetail.self).clip.caseNumber == "A-2026-118", "nothing half-done")
        #expect(try harness.ctlJSON(["audit", "show", "--action", "api.refused"], as: [AuditItem].self).count == refusedBefore + 3)
        // Said, and with the hold lifted: the clip moves, audited.
        try L.ok(harness, ["hold", "remove", "--case", "A-2026-118", "--reason", "复议结束"])
        try L.ok(harness, ["clips", "annotate", clip, "--case", "B-2026-7", "--leave-case", "A-2026-118", "--category", "治安案件"])
        #expect(try harness.ctlJSON(["clips", "show", clip], as: ClipDetail.self).clip.caseNumber == "B-2026-7")
        try L.ok(harness, ["clips", "leave-case", clip, "--case", "B-2026-7", "--reason", "与本案无关"])
        #expect(try harness.ctlJSON(["clips", "show", clip], as: ClipDetail.self).clip.caseNumber == nil)
        #expect(try harness.ctlJSON(["audit", "show", "--action", "clip.leave-case"], as: [AuditItem].self).count == 1)
        harness.stop()
    }

    @Test("declassifying needs clearance for the flag it lifts, and a hold keeps the flag; the uncleared never get the clip back in an answer")
    func declassifyingNeedsClearance() throws {
        let users = UnixUsers()
        let clerk = try users.add("c16d"), approver = try users.add("c16v")
        // The approver is a clerk too: flags are a clerk's work; lifting a state secret needs the approver's clearance.
        let harness = try DaemonHarness(extraConfig: "[api]\nclerk_users = [\"\(clerk.name)\", \"\(approver.name)\"]\napprover_users = [\"\(approver.name)\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-3600)))
        let clip = try #require(try harness.clips().first).sha256
        try L.ok(harness, ["cases", "add", "S-2026-1", "--title", "某某案"])
        try L.ok(harness, ["clips", "annotate", clip, "--case", "S-2026-1", "--category", "刑事案件", "--party", "某某某"])
        try L.ok(harness, ["cases", "confidential", "S-2026-1", "--flag", "state-secret"])
        // A clerk, not cleared for state secrets, can neither lift the flag nor see what it covers.
        let lift = try users.ctl(harness, as: clerk, ["cases", "confidential", "S-2026-1", "--flag", "state-secret", "--remove"])
        #expect(lift.status == 1, "\(I.text(lift))")
        let retain = try users.ctl(harness, as: clerk, ["retain", clip, "--reason", "evidence", "--json"])
        #expect(retain.status == 1 && I.text(retain).contains("confidential") && !I.text(retain).contains("某某某"), "\(I.text(retain))")
        // A clerk may flag privacy (cleared for it); the answer is the clip only while they may see it.
        try L.ok(harness, ["cases", "confidential", "S-2026-1", "--flag", "state-secret", "--remove"])
        let privacy = try users.ctl(harness, as: clerk, ["clips", "confidential", clip, "--flag", "privacy", "--json"])
        #expect(privacy.status == 0 && I.text(privacy).contains("某某某"), "cleared for privacy, the clerk sees the clip")
        let addSecret = try users.ctl(harness, as: clerk, ["clips", "confidential", clip, "--flag", "state-secret", "--json"])
        #expect(addSecret.status == 0, "\(I.text(addSecret))")
        let answer = try APICoding.decoder().decode(ClipDetail.self, from: addSecret.stdout)
        #expect(answer.clip.sha256 == clip && answer.clip.sourcePath.contains("withheld") && answer.annotations.isEmpty, "withheld from the now uncleared")
        // Under a hold nobody lifts it, not even the cleared approver; without one the approver may.
        try L.ok(harness, ["hold", "add", "--clip", clip, "--reason", "诉讼期间"])
        let heldLift = try users.ctl(harness, as: approver, ["clips", "confidential", clip, "--flag", "state-secret", "--remove"])
        #expect(heldLift.status == 1 && I.text(heldLift).contains("on hold"), "\(I.text(heldLift))")
        try L.ok(harness, ["hold", "remove", "--clip", clip, "--reason", "诉讼结束"])
        let cleared = try users.ctl(harness, as: approver, ["clips", "confidential", clip, "--flag", "state-secret", "--remove"])
        #expect(cleared.status == 0, "\(I.text(cleared))")
        harness.stop()
    }

    @Test("typed keys: full-width and lower-case spellings are the same key, invisible and control characters refused, look-alikes of an existing case refused")
    func typedKeys() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try L.ok(harness, ["cases", "add", "A-2026-118", "--title", "某某案"])
        for (number, expected) in [("A-2026\u{200B}-118", "U+200B"), ("A-2026-118\u{202E}", "U+202E"), ("\u{0410}-2026-118", "looks like"),
                                   ("A\u{2013}2026-118", "looks like"), ("Ａ-２０２６-１１８", "already registered")] {
            let r = try harness.ctl(["cases", "add", number, "--title", "仿冒"])
            #expect(r.status == 1 && I.text(r).contains(expected), "\(number): \(I.text(r))")
        }
        #expect(try harness.ctlJSON(["cases", "list"], as: [CaseItem].self).map(\.number) == ["A-2026-118"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康威视"])
        try L.ok(harness, ["devices", "add", "a7k2931", "--model", "DSJ-K1"])
        try L.ok(harness, ["officers", "add", "０１０２０３", "--name", "张三", "--unit", "一中队"])
        #expect(try harness.ctlJSON(["devices", "list"], as: [DeviceItem].self).map(\.serial) == ["A7K2931"])
        #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).map(\.badge) == ["010203"])
        let zh = try harness.ctl(["cases", "add", "B\u{200D}1", "--title", "x"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(I.text(zh).contains("不可见字符"))
        harness.stop()
    }

    @Test("spot-check seeds come from the daemon: a seed repeats an earlier draw only, and every draw of a period is counted; an interruption's reviewer is recorded as asserted")
    func seedsAndAssertions() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 5, start: Date().addingTimeInterval(-3 * 3600)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let recorded = try #require(try harness.clips().first?.recordedAt)
        let period = String(calendar.component(.year, from: recorded))
        let chosen = try harness.ctl(["review", "sample", "--ratio", "0.4", "--period", period, "--seed", "12345"])
        #expect(chosen.status == 1 && I.text(chosen).contains("a seed only repeats an earlier draw"), "\(I.text(chosen))")
        let first = try harness.ctlJSON(["review", "sample", "--ratio", "0.4", "--period", period], as: ReviewItem.self)
        let second = try harness.ctlJSON(["review", "sample", "--ratio", "0.4", "--period", period], as: ReviewItem.self)
        #expect(first.draw == 1 && second.draw == 2 && second.drawsOfPeriod == 2)
        let again = try harness.ctlJSON(["review", "sample", "--ratio", "0.4", "--period", period, "--seed", "\(first.seed)"], as: ReviewItem.self)
        #expect(again.items.map(\.subjectKey) == first.items.map(\.subjectKey) && again.draw == 3)
        #expect(String(decoding: try harness.ctl(["review", "show", "\(second.id)"]).stdout, as: UTF8.self).contains("draw 2 of 3"))
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931"])
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203"])
        let handover = try #require(try harness.ctlJSON(["handovers", "list"], as: [HandoverItem].self).first).id
        let note = try harness.ctlJSON(["interruptions", "add", "--handover", "\(handover)", "--reason", "battery", "--reviewed-by", "王队长"],
                                       as: InterruptionItem.self)
        #expect(note.reviewedBy == "王队长" && note.reviewerAssertedBy == "uid:0(root)")
        harness.stop()
    }
}
