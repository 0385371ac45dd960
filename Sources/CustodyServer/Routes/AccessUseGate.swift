import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import Synchronization

/// Issue 19 item 7: what may be done under a registered request, decided in one place. Every
/// path that uses a request goes through `admitUse`: the export route (`access export`, copy or
/// export), `POST /v1/access/{id}/viewed` (`access viewed`, a look at the station) and the
/// console's content route when it plays a clip against a request (`?access=ID`). The rule
/// itself is `AccessPolicyRules.checkUse`; `AccessUseGateTests` enumerates the paths.
extension APIHandlers {
    /// Requests with an export being written now. The gate counts copies already registered, and
    /// a bag is registered once written; two exports of one request at once would both pass it.
    /// One at a time per request closes that (one daemon per catalog: the store's owner lock).
    static let exporting = Mutex<Set<Int64>>([])

    /// Runs `body` as the only export of request `id` under way; a second one is refused.
    func oneExportAtATime<T>(_ id: Int64, _ body: () throws -> T) throws -> T {
        guard Self.exporting.withLock({ $0.insert(id).inserted }) else {
            throw APIRefusal(.conflict, "export-under-way", "an export of request \(id) is under way; wait for it and look at the register",
                             zh: "申请 \(id) 正在导出，请等待其完成后查看登记簿")
        }
        defer { _ = Self.exporting.withLock { $0.remove(id) } }
        return try body()
    }

    /// The register's facts about `entry`, as the rules read them.
    static func useFacts(_ entry: AccessRegisterEntry) -> AccessUseFacts {
        let approved = entry.decision.map { $0 == "approved" }
        let approval = approved == true
            ? entry.decider.map { Approval(approver: $0, title: ApproverTitle(rawValue: entry.approverTitle ?? "") ?? .agencyHead,
                                           approvedAt: entry.decidedAt ?? .distantPast) } : nil
        return AccessUseFacts(request: entry.request, clerk: entry.clerk, approved: approved, approval: approval,
                              copiesAllowed: entry.copiesAllowed, copiesMade: entry.copiesMade)
    }

    /// Refuses `use` of `entry` unless the rules allow it now. The log's time, not the wall
    /// clock: a clock set back does not bring an expired approval back.
    func admitUse(_ use: AccessAction, _ entry: AccessRegisterEntry) throws {
        let problems = Self.accessRules.checkUse(use, Self.useFacts(entry), now: try catalog.logTime(), currentName: currentName)
        guard let first = problems.first else { return }
        let verb = use == .view ? "viewed under" : (entry.request.action == .export ? "exported" : "copied")
        let verbZh = use == .view ? "据此查看" : (entry.request.action == .export ? "导出" : "复制")
        throw APIRefusal(.conflict, Self.useRefusalCode(first), "request \(entry.id) cannot be \(verb): " + problems.map(\.message).joined(separator: "; "),
                         zh: "申请 \(entry.id) 不能\(verbZh)：" + problems.map(\.messageZh).joined(separator: "；"))
    }

    /// The refusal code a script reads: the earlier codes (`view-only`, `not-approved`) kept,
    /// expiry and the used-up allowance named.
    static func useRefusalCode(_ problem: AccessProblem) -> String {
        switch problem {
        case .viewOnly, .approvalExpired, .copiesUsedUp: problem.code
        default: "not-approved"
        }
    }

    /// `POST /v1/access/{id}/viewed` (clerk): the requester looked at the footage at the station;
    /// the look is registered (who looked, who recorded it, when) after the same gate as a copy.
    func recordViewing(_ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("request")), let entry = try catalog.accessEntry(id: id) else {
            throw APIRefusal.notFound("no access request \(request.parameter("request"))", zh: "没有编号为 \(request.parameter("request")) 的调阅申请")
        }
        let body = try request.decode(AccessViewedBody.self)
        let withheld = try request.reader.withheld()
        if let hidden = entry.request.clips.first(where: { withheld.clips[$0.sha256] != nil }) {
            throw Self.confidential(hidden.sha256, withheld.clips[hidden.sha256] ?? [], request.peer)
        }
        try admitUse(.view, entry)
        // Nothing is left to look at of a disposed clip (its tombstone says when and why).
        for requested in entry.request.clips {
            if let clip = try catalog.clip(matching: requested.sha256) { try refuseIfDisposed(clip) }
        }
        let viewer = body.viewer.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? entry.request.requester.name
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try catalog.recordAccessUse(id: id, what: "view", detail: "查看人 \(viewer)" + (note.isEmpty ? "" : "；\(note)"),
                                    actor: request.peer.auditName)
        return .json(Self.item(try catalog.accessEntry(id: id)!, now: try catalog.logTime()), status: .created)
    }

    /// The console plays `clip` against request `?access=ID`: the clip must be one of the
    /// request's, the gate must let a look through, and the look is registered once per playback
    /// window (a seek fetches many ranges). Without `access` the content route is unchanged.
    func lookUnderRequest(_ sha256: String, _ request: APIRequest) throws {
        guard let text = request.query["access"] else { return }
        guard let id = Int64(text), let entry = try catalog.accessEntry(id: id) else {
            throw APIRefusal.notFound("no access request \(text)", zh: "没有编号为 \(text) 的调阅申请")
        }
        guard entry.request.clips.contains(where: { $0.sha256 == sha256 }) else {
            throw APIRefusal(.conflict, "not-in-request", "clip \(sha256.prefix(12))… is not named in access request \(id)",
                             zh: "录像 \(sha256.prefix(12))… 不在调阅申请 \(id) 所列范围内")
        }
        try admitUse(.view, entry)
        if playbackLooks.needsAudit(uid: request.peer.uid, sha256: "access:\(id):\(sha256)") {
            try catalog.recordAccessUse(id: id, what: "view", detail: "控制台播放 \(sha256.prefix(12))… 查看人 \(request.peer.auditName)",
                                        actor: request.peer.auditName)
        }
    }
}

extension APIHandlers {
    /// The badge a case handler's request gives, checked against the ledger: the officer must
    /// exist and bear the requester's name (the rule comparing it with the case's handler is in
    /// `AccessPolicyRules`). Other kinds keep a badge only if given.
    func caseHandlerBadge(_ body: AccessRequestBody, _ kind: RequesterKind) throws -> String? {
        guard let badge = body.badge?.trimmingCharacters(in: .whitespaces), !badge.isEmpty else { return nil }
        guard kind == .caseHandler else { return badge }
        guard let officer = try catalog.officer(badge: badge) else {
            throw APIRefusal(.conflict, "access-refused", "badge \(badge) is not in the officer ledger; give the case handler's own badge",
                             zh: "警号 \(badge) 不在警员台账中；请填写承办人本人的警号")
        }
        guard officer.name == body.requesterName.trimmingCharacters(in: .whitespaces) else {
            throw APIRefusal(.conflict, "access-refused", "badge \(badge) belongs to \(officer.name), not \(body.requesterName); give the requester's own badge",
                             zh: "警号 \(badge) 属于\(officer.name)，而非\(body.requesterName)；请填写申请人本人的警号")
        }
        return badge
    }
}
