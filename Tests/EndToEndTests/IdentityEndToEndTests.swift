import CustodyAPI
import Foundation
import Testing

/// Authorization issue, item 1, with real Unix users against a real daemon: people are accounts
/// (uid + the name at the time), whatever spelling the clerk typed; every "not the same person"
/// rule compares accounts, and refuses an account renamed since it was recorded.
@Suite("People are identities end to end", .serialized)
struct IdentityEndToEndTests {
    typealias L = LedgerEndToEndTests

    static func text(_ r: (status: Int32, stdout: Data, stderr: Data)) -> String {
        String(decoding: r.stderr, as: UTF8.self) + String(decoding: r.stdout, as: UTF8.self)
    }

    static func request(user: String, clip: String) -> [String] {
        ["access", "request", "--name", "内部调阅", "--unit", "本局", "--kind", "agency-staff", "--user", user, "--clip", clip,
         "--purpose", "核查", "--action", "view", "--json"]
    }

    @Test("self-approval is refused for every spelling of the requester (name, uid, uid:N(name)); unknown names and uids without an account are refused at registration; each refusal audited")
    func selfApproval() throws {
        let users = UnixUsers()
        let clerk = try users.add("c16k"), approver = try users.add("c16a")
        let harness = try DaemonHarness(extraConfig: "[api]\nclerk_users = [\"\(clerk.name)\"]\napprover_users = [\"\(approver.name)\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-3600)))
        let clip = try #require(try harness.clips().first).sha256
        for spelling in [approver.name, String(approver.uid), "uid:\(approver.uid)(\(approver.name))", " \(approver.name) "] {
            let registered = try users.ctl(harness, as: clerk, Self.request(user: spelling, clip: clip))
            #expect(registered.status == 0, "\(Self.text(registered))")
            let entry = try APICoding.decoder().decode(AccessEntryItem.self, from: registered.stdout)
            #expect(entry.requesterUser == "uid:\(approver.uid)(\(approver.name))", "--user \(spelling) is the account")
            let refused = try users.ctl(harness, as: approver, ["access", "approve", "\(entry.id)", "--title", "agency-head"])
            #expect(refused.status == 1, "--user \(spelling): self-approval must be refused")
            #expect(Self.text(refused).contains("no one approves their own request"), "\(Self.text(refused))")
            let zh = try users.ctl(harness, as: approver, ["access", "approve", "\(entry.id)"], env: ["LANG": "zh_CN.UTF-8"])
            #expect(zh.status == 1 && Self.text(zh).contains("不得审批本人的申请"), "\(Self.text(zh))")
        }
        // A name or uid with no account is refused, naming what was given; nothing is registered.
        let before = try harness.ctlJSON(["access", "list"], as: [AccessEntryItem].self).count
        let unknown = try users.ctl(harness, as: clerk, Self.request(user: "nosuch" + users.suffix, clip: clip))
        #expect(unknown.status == 1 && Self.text(unknown).contains("no account is named \"nosuch\(users.suffix)\""), "\(Self.text(unknown))")
        let orphan = UnixUsers.unusedUID()
        let noAccount = try users.ctl(harness, as: clerk, Self.request(user: String(orphan), clip: clip), env: ["LANG": "zh_CN.UTF-8"])
        #expect(noAccount.status == 1 && Self.text(noAccount).contains("本站没有 uid 为 \(orphan) 的账户"), "\(Self.text(noAccount))")
        #expect(try harness.ctlJSON(["access", "list"], as: [AccessEntryItem].self).count == before)
        // Every refusal is an audit row of the account that was refused.
        let refusals = try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--user", approver.name], as: [AuditItem].self)
        #expect(refusals.count == 8 && refusals.allSatisfy { $0.actor == "uid:\(approver.uid)(\(approver.name))" })
        #expect(try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--user", String(clerk.uid)], as: [AuditItem].self).count == 2)
        // Another approver may: the clerk approves nothing they registered, the requester is someone else.
        let other = try users.ctl(harness, as: clerk, ["access", "approve", "1"])
        #expect(other.status == 1, "the clerk holds no approver role")
        harness.stop()
    }

    @Test("an account renamed after it was recorded is refused for the two-person rules (usermod -l), with a message and an audit row")
    func renamedAccount() throws {
        let users = UnixUsers()
        var proposer = try users.add("c16p")
        let approver = try users.add("c16q"), requester = try users.add("c16r")
        let harness = try DaemonHarness(extraConfig: """
            [api]
            admin_users = ["\(proposer.name)", "\(approver.name)"]
            approver_users = ["\(approver.name)"]
            """)
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        try MatchingEndToEndTests.dock(harness, folder: "old", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-730 * 86_400)))
        let proposal = try users.ctl(harness, as: proposer, ["disposal", "propose", "--json"])
        #expect(proposal.status == 0, "\(Self.text(proposal))")
        let id = try APICoding.decoder().decode(DisposalItem.self, from: proposal.stdout).id
        let registered = try harness.ctlJSON(Self.request(user: requester.name, clip: try harness.clips()[0].sha256).dropLast(), as: AccessEntryItem.self)
        try users.rename(&proposer, to: "c16x")
        let refused = try users.ctl(harness, as: approver, ["disposal", "approve", "\(id)"])
        #expect(refused.status == 1 && Self.text(refused).contains("is now named \(proposer.name)"), "\(Self.text(refused))")
        #expect(try harness.clips().count == 2, "nothing was disposed")
        // The same for an access request whose requester's account was renamed.
        var renamed = requester
        try users.rename(&renamed, to: "c16y")
        let approval = try users.ctl(harness, as: approver, ["access", "approve", "\(registered.id)"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(approval.status == 1 && Self.text(approval).contains("无法判断是否同一人"), "\(Self.text(approval))")
        let audited = try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--user", String(approver.uid)], as: [AuditItem].self)
        #expect(audited.count == 2 && audited.allSatisfy { $0.detail.contains("uid:\(requester.uid)") || $0.detail.contains("uid:\(proposer.uid)") })
        harness.stop()
    }

    @Test("a deadline exception is not approved by the person who asked for it; an unknown asker is refused")
    func exceptionRequester() throws {
        let users = UnixUsers()
        let approver = try users.add("c16e"), asker = try users.add("c16f")
        let harness = try DaemonHarness(extraConfig: "[api]\napprover_users = [\"\(approver.name)\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康威视", "--model", "DSJ-K1"])
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203"])
        let handover = try #require(try harness.ctlJSON(["handovers", "list"], as: [HandoverItem].self).first).id
        let own = try users.ctl(harness, as: approver, ["deadlines", "exception", "--handover", "\(handover)", "--reason", "异地执勤",
                                                        "--requested-by", String(approver.uid)])
        #expect(own.status == 1 && Self.text(own).contains("no one approves an exception they asked for"), "\(Self.text(own))")
        let unknown = try users.ctl(harness, as: approver, ["deadlines", "exception", "--handover", "\(handover)", "--reason", "异地执勤",
                                                            "--requested-by", "nosuch" + users.suffix])
        #expect(unknown.status == 1 && Self.text(unknown).contains("no account is named"))
        let granted = try users.ctl(harness, as: approver, ["deadlines", "exception", "--handover", "\(handover)", "--reason", "异地执勤",
                                                            "--requested-by", asker.name])
        #expect(granted.status == 0, "\(Self.text(granted))")
        let rows = try harness.ctlJSON(["audit", "show", "--action", "deadline.exception"], as: [AuditItem].self)
        #expect(rows.count == 1 && rows[0].detail.contains("uid:\(asker.uid)(\(asker.name))"))
        harness.stop()
    }

    @Test("audit show --user is one account, exactly: uid N never matches uid N0")
    func exactUserFilter() throws {
        let users = UnixUsers()
        var base: UInt32 = 21_000 + UInt32.random(in: 0..<900)
        while getpwuid(base) != nil || getpwuid(base * 10) != nil { base += 1 }
        let short = try users.add("c16s", uid: base), long = try users.add("c16l", uid: base * 10)
        let harness = try DaemonHarness()
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        _ = try users.ctl(harness, as: short, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        _ = try users.ctl(harness, as: long, ["officers", "add", "010204", "--name", "李四", "--unit", "一中队"])
        let rows = try harness.ctlJSON(["audit", "show", "--user", String(base)], as: [AuditItem].self)
        // Each user's refused calls (custodyctl asks for the station's zone first): every row is theirs, none the other's.
        let said: [String] = rows.map { (row: AuditItem) -> String in "\(row.actor) \(row.action) \(row.object)" }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.actor == "uid:\(base)(\(short.name))" }, "\(said)")
        let longRows = try harness.ctlJSON(["audit", "show", "--user", long.name], as: [AuditItem].self)
        #expect(longRows.count == rows.count && longRows.allSatisfy { $0.actor == "uid:\(base * 10)(\(long.name))" })
        let unknown = try harness.ctl(["audit", "show", "--user", "nosuch" + users.suffix])
        #expect(unknown.status == 1 && Self.text(unknown).contains("no account is named"))
        harness.stop()
    }

    @Test("a config naming a group or user that does not exist stops the daemon, naming the key and the name, audited")
    func missingGroup() throws {
        let suffix = String(UInt32.random(in: 0x1000_0000...0xffff_ffff), radix: 36)
        for (key, name, what) in [("clerk_groups", "nogroup" + suffix, "no group"), ("approver_users", "nouser" + suffix, "no account")] {
            let harness = try DaemonHarness(extraConfig: "[api]\n\(key) = [\"\(name)\"]")
            try harness.start(waitForSocket: false)
            harness.reap()
            #expect(harness.log().contains("[api] \(key) names \"\(name)\", which is \(what) on this station"), "\(harness.log().suffix(600))")
            #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'daemon.refused'") == "1")
        }
    }
}
