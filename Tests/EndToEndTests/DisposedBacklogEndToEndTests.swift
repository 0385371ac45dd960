import CustodyAPI
import Foundation
import Testing

/// Issue 19, item 1 (the leftover): a disposed clip awaits no annotation, so the annotation
/// backlog (`deadlines`, one item per officer counting the clips awaiting annotation) drops it.
@Suite("The annotation backlog leaves disposed clips out", .serialized)
struct DisposedBacklogEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// The officer's "clips awaiting annotation" in `deadlines`, 0 when no item is listed.
    static func backlog(_ harness: DaemonHarness, badge: String?) throws -> Int {
        let items = try harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self).items
        return items.filter { $0.kind == "annotation" && $0.officerBadge == badge }.map(\.count).reduce(0, +)
    }

    @Test("disposing clips never annotated takes them out of the officer's annotation backlog; the kept clip still awaits one")
    func disposedLeaveBacklog() throws {
        // A horizon long enough that clips ingested now are "due soon" for annotation (2 working days).
        let harness = try DaemonHarness(extraConfig: "[api]\nadmin_users = [\"nobody\"]\n[deadlines]\ndue_soon_hours = 2000")
        try harness.start()
        defer { harness.stop() }
        AccessEndToEndTests.openUp(harness)
        _ = try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "old", files: DisposedClipEndToEndTests.oldFiles)
        try MatchingEndToEndTests.dock(harness, folder: "new", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-86_400),
                                                                                                 bytes: 70_000))
        let badge = try harness.clips().first?.officerBadge
        #expect(try Self.backlog(harness, badge: badge) == 4, "four clips, none annotated")
        let proposal = try harness.ctlJSON(["disposal", "propose"], as: DisposalItem.self)
        #expect(proposal.clips.count == 3)
        let approved = try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.custodyctl, "--socket", harness.socketPath,
                                           "disposal", "approve", "\(proposal.id)"])
        #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
        #expect(try Self.backlog(harness, badge: badge) == 1, "the three disposed clips await no annotation")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }
}
