import CustodyAPI
import CustodyServer
import Foundation
import Glibc
import Testing

/// Issue 19, item 1, end to end: a disposed clip shows as 已销毁 with its tombstone, is left out
/// of lists and counts unless asked for, refuses every change naming it (the routes enumerated
/// from the route table), `disposal show` says what went and what stayed, and a camera bringing
/// its bytes back is refused and reported on the dump.
@Suite("Disposed clips look disposed", .serialized)
struct DisposedClipEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// Camera files recorded two years ago: past the 12-month routine retention.
    static let oldFiles = RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-730 * 86_400))

    /// A daemon where root proposed and `nobody` approved the disposal of the three old clips;
    /// one recent clip is kept.
    static func disposedStation() throws -> (harness: DaemonHarness, gone: [String], proposal: Int64) {
        let harness = try DaemonHarness(extraConfig: "[api]\nadmin_users = [\"nobody\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        _ = try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "old", files: oldFiles)
        try MatchingEndToEndTests.dock(harness, folder: "new", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-86_400),
                                                                                                 bytes: 70_000))
        let proposal = try harness.ctlJSON(["disposal", "propose"], as: DisposalItem.self)
        let approved = try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.custodyctl, "--socket", harness.socketPath,
                                           "disposal", "approve", "\(proposal.id)"])
        #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
        #expect(proposal.clips.count == 3)
        return (harness, proposal.clips, proposal.id)
    }

    static func zh(_ harness: DaemonHarness, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try harness.ctl(args, env: ["LANG": "zh_CN.UTF-8"])
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    @Test("a disposed clip shows as 已销毁 with its tombstone and no store path; lists and counts leave it out unless asked (--disposed); disposal show says what was removed, what was kept and why")
    func disposedLooksDisposed() throws {
        let (harness, gone, proposal) = try Self.disposedStation()
        defer { harness.stop() }
        let listed = try harness.clips()
        #expect(listed.count == 1 && Set(listed.map(\.sha256)).isDisjoint(with: gone), "clips list leaves disposed clips out")
        let all = try harness.ctlJSON(["clips", "list", "--disposed"], as: [ClipItem].self)
        #expect(all.count == 4 && Set(all.filter { $0.disposedAt != nil }.map(\.sha256)) == Set(gone))
        let status = try harness.status()
        #expect(status.clips.total == 1 && status.clips.disposed == 3, "\(status.clips)")
        #expect(try Self.zh(harness, ["clips", "list", "--disposed"]).out.contains("已销毁"))

        let detail = try harness.ctlJSON(["clips", "show", gone[0]], as: ClipDetail.self)
        #expect(detail.clip.disposedAt != nil && detail.tombstone?.proposalID == proposal && detail.storePath.isEmpty)
        #expect(detail.tombstone?.approvedBy.contains("uid:65534") == true)
        let shown = try Self.zh(harness, ["clips", "show", gone[0]]).out
        #expect(shown.contains("状态：已销毁") && shown.contains("第 \(proposal) 号销毁建议") && shown.contains("存储位置：（已删除）"), "\(shown)")
        #expect(!shown.contains(harness.storeRoot), "a disposed clip shows no store path")
        let kept = try Self.zh(harness, ["clips", "show", listed[0].sha256]).out
        #expect(kept.contains("状态：保存中") && kept.contains(harness.storeRoot))

        let decided = try harness.ctlJSON(["disposal", "show", "\(proposal)"], as: DisposalItem.self)
        let outcomes = try #require(decided.outcomes)
        #expect(Set(outcomes.map(\.sha256)) == Set(gone) && outcomes.allSatisfy(\.disposed))
        #expect(outcomes.allSatisfy { $0.removed == ["store-file"] && $0.kept == ["catalog-row", "tombstone", "audit-rows"] && $0.auditRows >= 2 })
        let text = try Self.zh(harness, ["disposal", "show", "\(proposal)"]).out
        #expect(text.contains("已销毁；删除存储文件；保留目录记录、销毁记录（墓碑）、") && text.contains("原因：超过保存期限"), "\(text)")
        let english = String(decoding: try harness.ctl(["disposal", "show", "\(proposal)"], env: ["LANG": "C"]).stdout, as: UTF8.self)
        #expect(english.contains("disposed; removed store file; kept catalog row, tombstone, "), "\(english)")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        try AttributionEndToEndTests.expectIntact(harness)
    }

    /// The body of each changing route whose body names a clip, naming `clip`.
    static func bodies(clip: String) throws -> [String: Data] {
        let encoder = APICoding.encoder()
        return [
            "/v1/holds": try encoder.encode(HoldRequest(clip: clip, caseNumber: nil, reason: "复议期间", remove: false)),
            "/v1/access": try encoder.encode(AccessRequestBody(requesterName: "王五", requesterUnit: "某区法院", requesterKind: "authority",
                                                              authorityBody: "court", stationUser: nil,
                                                              documents: [.init(kind: "id-document", reference: "法调字 1 号", verified: true)],
                                                              clips: [clip], purpose: "审判需要", action: "view")),
            "/v1/clips/correct": try encoder.encode(ClipCorrectRequest(clip: clip, dump: nil, device: nil, officer: "010203", recordedAt: nil,
                                                                       reason: "台账补录")),
            "/v1/interruptions": try encoder.encode(InterruptionRequest(handoverID: nil, clip: clip, reason: "battery", note: "", reviewedBy: "李四")),
            "/v1/clips/:clip/annotate": try encoder.encode(AnnotateRequest(caseNumber: nil, category: "治安案件", place: "人民路", party: "", description: "")),
            "/v1/clips/:clip/leave-case": try encoder.encode(LeaveCaseRequest(caseNumber: "A-2026-7", reason: "误归")),
            "/v1/clips/:clip/retain": try encoder.encode(RetainRequest(reason: "evidence", note: "")),
            "/v1/clips/:clip/confidential": try encoder.encode(ConfidentialBody(flag: "privacy", remove: false)),
        ]
    }

    /// POST routes that name no single clip: their changes reach clips through a dump, a case, a
    /// handover, a disc set or a proposal, where the catalog leaves disposed clips out.
    static let namesNoClip: Set<String> = [
        "/v1/officers", "/v1/officers/:badge/deactivate", "/v1/devices", "/v1/devices/:serial/retire", "/v1/devices/:serial/checkout",
        "/v1/devices/:serial/checkin", "/v1/import/:table", "/v1/deadlines/exceptions", "/v1/clips/reparse", "/v1/dumps/:dump/clock-offset",
        "/v1/cases", "/v1/cases/:case/close", "/v1/cases/:case/archive", "/v1/cases/:case/reopen", "/v1/reviews", "/v1/reviews/:sample/findings",
        "/v1/disposal/propose", "/v1/disposal/:proposal/approve", "/v1/discs/plan", "/v1/discs/:set/burn", "/v1/discs/:set/verify",
        "/v1/discs/:set/label", "/v1/discs/:set/locate", "/v1/access/:request/approve", "/v1/access/:request/deny",
        "/v1/access/:request/export", "/v1/access/:request/viewed", "/v1/cases/:case/confidential", "/v1/audit/checkpoint", "/v1/audit/acknowledge", "/v1/backup",
    ]

    @Test("generated from the route table: every changing route that names a clip refuses a disposed one with a clear message (Chinese when asked), audited, and changes nothing")
    func everyChangingRouteRefuses() throws {
        let (harness, gone, _) = try Self.disposedStation()
        defer { harness.stop() }
        _ = try L.ok(harness, ["cases", "add", "A-2026-7", "--title", "某某妨害公务案"])
        let clip = gone[0]
        let bodies = try Self.bodies(clip: clip)
        let posts = RouteTable.routes.filter { $0.method == .post }
        let takingClip = posts.filter { $0.parameterNames.contains("clip") || bodies[$0.path] != nil }
        #expect(Set(posts.map(\.path)) == Set(takingClip.map(\.path)).union(Self.namesNoClip),
                "a POST route is neither known to name a clip nor declared to name none: decide and add it here")
        #expect(takingClip.count == 8)
        let before = try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE object = 'clip:\(clip)'")
        for (index, route) in takingClip.enumerated() {
            let body = try #require(bodies[route.path], "no body for \(route.path)")
            let path = route.path.replacingOccurrences(of: ":clip", with: String(clip.prefix(16)))
            let chinese = index % 2 == 0
            var args = ["-s", "-w", "\n%{http_code}", "--unix-socket", harness.socketPath, "-X", "POST", "-H", "Content-Type: application/json",
                        "--data-binary", String(decoding: body, as: UTF8.self)]
            if chinese { args += ["-H", "Accept-Language: zh-CN"] }
            let answer = String(decoding: try runChecked("curl", args + ["http://custody" + path]).stdout, as: UTF8.self)
            let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
            let error = try? APICoding.decoder().decode(ErrorResponse.self, from: Data(lines.dropLast().joined(separator: "\n").utf8))
            #expect(lines.last == "409" && error?.error == "disposed", "POST \(path): \(answer)")
            let message = error?.message ?? ""
            #expect(chinese ? message.contains("已于") && message.contains("销毁") : message.contains("was disposed on"), "POST \(path): \(message)")
        }
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE object = 'clip:\(clip)'") == before,
                "nothing was written on the disposed clip's trail")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND detail LIKE '%was disposed on%'")
                == "\(takingClip.count)", "each refusal is audited")
        // Through the CLI, as a clerk types it, under LANG=zh.
        let hold = try Self.zh(harness, ["hold", "add", "--clip", clip, "--reason", "复议期间"])
        #expect(hold.status == 1 && hold.err.contains("已于") && hold.err.contains("不能再申请调阅、冻结、标注"), "\(hold.err)")
        let annotate = try harness.ctl(["clips", "annotate", clip, "--category", "治安案件"])
        #expect(annotate.status == 1 && String(decoding: annotate.stderr, as: UTF8.self).contains("was disposed on"))
        try AttributionEndToEndTests.expectIntact(harness)
    }

    @Test("a camera bringing back a disposed clip's bytes: refused, not stored or cataloged again, reported on its dump and on the clip's custody report")
    func disposedClipBroughtBack() throws {
        let (harness, gone, proposal) = try Self.disposedStation()
        defer { harness.stop() }
        let dumpsBefore = try harness.dumps().count
        let staging = harness.dir.appending("staging-again")
        for (path, bytes) in Self.oldFiles.prefix(1) {
            let url = staging.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try runChecked("cp", ["-r", staging.path, harness.dropRoot.appendingPathComponent("again").path])
        let done = waitUntil(timeout: 120) {
            guard let dumps = try? harness.dumps(), dumps.count > dumpsBefore, let last = dumps.max(by: { $0.id < $1.id }) else { return false }
            return last.state == "complete" && (try? harness.status().ingest.active) == 0
        }
        #expect(done, "the docking finished")
        let newest = try #require(try harness.dumps().map(\.id).max())
        let dump = try harness.ctlJSON(["dumps", "show", "\(newest)"], as: DumpItem.self)
        let returned = try sha256sum(of: Self.oldFiles[0].1)
        #expect(gone.contains(returned))
        #expect(dump.errors == 1 && dump.issues.contains { $0.kind == "disposed-clip" && $0.message.contains("disposal proposal \(proposal)") },
                "\(dump.issues)")
        let path = harness.storeRoot + "/sha256/\(returned.prefix(2))/\(returned.dropFirst(2).prefix(2))/\(returned)"
        #expect(!FileManager.default.fileExists(atPath: path), "not stored again")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM provenance WHERE clip_sha256 = '\(returned)'") == "1",
                "not cataloged again: the first docking's provenance only")
        #expect(try harness.clips().count == 1)
        let shown = try Self.zh(harness, ["dumps", "show", "\(newest)"]).out
        #expect(shown.contains("已销毁录像再次接入（拒收，未重新存储"), "\(shown)")
        let custody = try harness.ctlJSON(["clips", "custody", returned], as: CustodyReportItem.self)
        #expect(custody.events.contains { $0.stage == "disposal" && $0.title.contains("再次接入") })
        let fsck = try harness.ctlJSON(["fsck"], as: FsckReport.self)
        #expect(fsck.consistent, "\(fsck)")
        try AttributionEndToEndTests.expectIntact(harness)
    }
}
