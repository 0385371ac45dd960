import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

/// The access register (access issue): requests checked against the rules for their requester
/// kind, approved by a different person, exported as a BagIt bag; confidentiality flags; audit
/// show and checkpoints. Roles: registering and exporting need the clerk, deciding the approver.
extension APIHandlers {
    static let accessRules = AccessPolicyRules.standard

    func postAccess(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        switch route {
        case ["access"]:
            let body = try request.decode(AccessRequestBody.self)
            let access = try accessRequest(body, actor: actor)
            let problems = Self.accessRules.check(access)
            guard problems.isEmpty else {
                throw APIRefusal(.conflict, "access-refused", problems.map(\.message).joined(separator: "; "),
                                 zh: problems.map(\.messageZh).joined(separator: "；"))
            }
            return .json(Self.item(try catalog.registerAccess(access, actor: actor, uid: request.peer.uid)), status: .created)
        case let r where r.count == 3 && r[0] == "access" && (r[2] == "approve" || r[2] == "deny"):
            guard let id = Int64(r[1]) else { throw APIRefusal.notFound("no access request \(r[1])") }
            let body = try request.decode(AccessDecisionBody.self)
            guard let title = ApproverTitle(rawValue: Self.camel(body.title)) else {
                throw APIRefusal(.badRequest, "bad-title", "title must be legal-office-head or agency-head", zh: "审批人职务须为 legal-office-head（法制部门负责人）或 agency-head（单位负责人）")
            }
            let now = try catalog.logTime()
            let entry = try catalog.decideAccess(id: id, approve: r[2] == "approve", title: title.rawValue, note: body.note, actor: actor,
                                                 uid: request.peer.uid) { entry in
                let problems = Self.accessRules.checkApproval(entry.request, requesterUser: entry.request.requester.stationUser,
                                                              clerkUser: entry.registeredBy,
                                                              approval: Approval(approverUser: actor, title: title, approvedAt: now), now: now)
                guard problems.isEmpty else {
                    throw APIRefusal(.conflict, "approval-refused", problems.map(\.message).joined(separator: "; "),
                                     zh: problems.map(\.messageZh).joined(separator: "；"))
                }
            }
            return .json(Self.item(entry))
        case let r where r.count == 3 && r[0] == "access" && r[2] == "export":
            guard let id = Int64(r[1]), let entry = try catalog.accessEntry(id: id) else { throw APIRefusal.notFound("no access request \(r[1])") }
            return .json(try export(entry, to: try request.decode(AccessExportBody.self).target, actor: actor), status: .created)
        case let r where r.count == 3 && r[0] == "clips" && r[2] == "confidential":
            let body = try request.decode(ConfidentialBody.self)
            guard let flag = Confidentiality(rawValue: Self.camel(body.flag)) else {
                throw APIRefusal(.badRequest, "bad-flag", "flag must be state-secret, trade-secret or privacy", zh: "密级须为 state-secret、trade-secret 或 privacy")
            }
            let clip = try existingClip(r[1])
            try catalog.setConfidentiality(target: "clip:\(clip.sha256)", flag: flag, add: !body.remove, actor: actor)
            return try self.clip(clip.sha256)
        case let r where r.count == 3 && r[0] == "cases" && r[2] == "confidential":
            let body = try request.decode(ConfidentialBody.self)
            guard let flag = Confidentiality(rawValue: Self.camel(body.flag)) else {
                throw APIRefusal(.badRequest, "bad-flag", "flag must be state-secret, trade-secret or privacy", zh: "密级须为 state-secret、trade-secret 或 privacy")
            }
            guard let legalCase = try catalog.legalCase(number: r[1]) else { throw APIRefusal.notFound("case \(r[1]) is not registered", zh: "案件 \(r[1]) 未登记") }
            try catalog.setConfidentiality(target: "case:\(legalCase.number)", flag: flag, add: !body.remove, actor: actor)
            return .json(caseItem(legalCase))
        case ["audit", "acknowledge"], ["backup"]:
            return try postIntegrity(route, request)
        case ["audit", "checkpoint"]:
            let head = try integrity.auditHeads.checkpoint(reason: "requested by \(actor)", actor: actor)
            var item = CheckpointItem(treeSize: head.treeSize, root: head.root, reason: "requested by \(actor)", at: head.time)
            item.signedHead = head.line
            item.publicKey = head.publicKey
            item.signature = head.signature
            return .json(item, status: .created)
        default:
            return try postReview(route, request)
        }
    }

    /// Writes the bag for an approved export (or working copy) and registers it with the bag's pin.
    func export(_ entry: AccessRegisterEntry, to target: String, actor: String) throws -> AccessEntryItem {
        let access = entry.request
        guard access.action != .view else {
            throw APIRefusal(.conflict, "view-only", "request \(entry.id) is for viewing only; nothing may be copied or taken out",
                             zh: "申请 \(entry.id) 仅限查看，不得复制或带走")
        }
        try integrity.refuse("export", zh: "导出")
        let approval = entry.decision == "approved"
            ? Approval(approverUser: entry.decidedBy ?? "", title: ApproverTitle(rawValue: entry.approverTitle ?? "") ?? .agencyHead,
                       approvedAt: entry.decidedAt ?? .distantPast) : nil
        // The log's time, not the wall clock: a clock set back does not bring an expired approval back.
        let problems = Self.accessRules.checkApproval(access, requesterUser: access.requester.stationUser, clerkUser: entry.registeredBy,
                                                      approval: approval, now: try catalog.logTime())
        guard entry.decision != "denied", problems.isEmpty else {
            throw APIRefusal(.conflict, "not-approved", "request \(entry.id) cannot be exported: " + (entry.decision == "denied" ? "it was denied" : problems.map(\.message).joined(separator: "; ")),
                             zh: "申请 \(entry.id) 不能导出：" + (entry.decision == "denied" ? "已被驳回" : problems.map(\.messageZh).joined(separator: "；")))
        }
        let target = try exportFolder(target)
        var namer = DiscFileNamer(timeZone: config.station.resolvedTimeZone)
        var history: [String: [AuditItem]] = [:]
        let payload = try access.clips.enumerated().map { index, requested -> BagPayloadItem in
            guard let clip = try catalog.clip(matching: requested.sha256) else { throw APIRefusal.notFound("clip \(requested.sha256) is gone") }
            history[clip.sha256] = try catalog.auditEntries(object: "clip:\(clip.sha256)").map {
                AuditItem(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, object: $0.object, detail: $0.detail, hash: $0.hash)
            }
            let officer = try clip.officerBadge.flatMap { try catalog.officer(badge: $0) }?.name ?? clip.officerBadge ?? "未知"
            let name = namer.name(caseNumber: clip.caseNumber, officerName: officer, deviceSerial: clip.deviceSerial ?? "未知设备",
                                  recordedAt: clip.recordedAt ?? clip.ingestedAt, sequence: index + 1,
                                  fileExtension: (clip.sourcePath as NSString).pathExtension)
            return BagPayloadItem.clip(storeRoot: URL(fileURLWithPath: store.root), sha256: clip.sha256, path: name)
        }
        let stamp = Int(Date().timeIntervalSince1970)
        let bag = URL(fileURLWithPath: target).appendingPathComponent("custody-access-\(entry.id)-\(stamp)")
        let info = BagInfo(sourceOrganization: config.station.unit, baggingDate: Date(), externalIdentifier: "access-\(entry.id)",
                           extraFields: [BagInfoField("Access-Request", String(entry.id)), BagInfoField("Requester", access.requester.name),
                                         BagInfoField("Requester-Unit", access.requester.unit),
                                         BagInfoField("Requester-Kind", access.requester.kind.nameZh),
                                         BagInfoField("Purpose", access.purpose), BagInfoField("Approver", entry.decidedBy ?? "-"),
                                         BagInfoField("Exported-By", actor), BagInfoField("Station", config.station.unit)],
                           timeZone: config.station.resolvedTimeZone)
        let report = String(decoding: try APICoding.encoder().encode(history), as: UTF8.self)
        // The head signed for this export goes into the bag (a tag file), where the catalog cannot take it back.
        let head = try integrity.auditHeads.checkpoint(reason: "export access:\(entry.id)", actor: actor)
        var tags = [BagTagFile(name: "custody-report.json", text: report),
                    BagTagFile(name: "custody-tree-head.txt", text: """
                        Custody signed audit tree head at export / 导出时的签名审计树头
                        \(head.line)
                        Check a later catalog against it / 核对：custodyctl audit verify --against <this bag>

                        """)]
        if let notice = integrity.notice {
            tags.append(BagTagFile(name: "custody-integrity-alarm.txt", text: "\(notice.zh)\n\(notice.en)\n"))
        }
        let receipt: BagReceipt
        do {
            receipt = try BagWriter().write(bagAt: bag, payload: payload, info: info, tagFiles: tags)
        } catch {
            throw APIRefusal(.conflict, "export-failed", error.message, zh: error.messageZh)
        }
        try catalog.recordAccessUse(id: entry.id, what: access.action == .export ? "export" : "copy",
                                    detail: "\(bag.path) tagmanifest-sha256 \(receipt.tagManifestSHA256)", actor: actor)
        return Self.item(try catalog.accessEntry(id: entry.id)!)
    }

    /// Where an export may be written: an existing folder given by its absolute path, never inside
    /// the evidence store (write-once), the disc spool, a watched camera mount root or a drop
    /// folder (Custody never writes to a camera). Found by FuzzHTTP: any writable folder was taken.
    func exportFolder(_ target: String) throws -> String {
        guard target.hasPrefix("/") else {
            throw APIRefusal(.badRequest, "bad-target", "export target \(target) must be an absolute path to a folder (e.g. the mounted USB drive)",
                             zh: "导出位置 \(target) 须为文件夹的绝对路径（例如已挂载的U盘）")
        }
        var st = stat()
        guard let real = Self.realPath(target), stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw APIRefusal(.badRequest, "bad-target", "export target \(target) is not an existing folder; mount the drive and give its folder",
                             zh: "导出位置 \(target) 不是已有的文件夹；请挂载存储介质后指定其中的文件夹")
        }
        let forbidden: [(String, String, String)] = [(store.root, "the evidence store", "证据存储区"), (config.paths.spool, "the disc spool", "光盘刻录暂存区")]
            + config.watch.mountRoots.map { ($0, "a camera mount root", "执法记录仪挂载目录") }
            + config.watch.dropDirs.map { ($0, "a camera drop folder", "执法记录仪投放目录") }
        for (path, what, zh) in forbidden {
            let root = Self.realPath(path) ?? path
            if real == root || real.hasPrefix(root + "/") {
                throw APIRefusal(.badRequest, "bad-target", "export target \(target) is inside \(what) (\(path)); exports go to a separate drive or folder",
                                 zh: "导出位置 \(target) 位于\(zh)（\(path)）内；请导出到单独的介质或文件夹")
            }
        }
        return real
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func accessRequest(_ body: AccessRequestBody, actor: String) throws -> AccessRequest {
        guard let kind = RequesterKind(rawValue: Self.camel(body.requesterKind)) else {
            throw APIRefusal(.badRequest, "bad-kind", "requester kind must be one of \(RequesterKind.allCases.map { Self.kebab($0.rawValue) }.joined(separator: ", "))",
                             zh: "申请人类别须为：" + RequesterKind.allCases.map { "\(Self.kebab($0.rawValue))（\($0.nameZh)）" }.joined(separator: "、"))
        }
        guard let action = AccessAction(rawValue: body.action) else {
            throw APIRefusal(.badRequest, "bad-action", "action must be view, copy or export", zh: "事项须为 view（查看）、copy（复制）或 export（调取）")
        }
        let documents = try body.documents.map { d -> AccessDocument in
            guard let kind = AccessDocumentKind(rawValue: Self.camel(d.kind)) else {
                throw APIRefusal(.badRequest, "bad-document", "document kind \(d.kind) is not one of \(AccessDocumentKind.allCases.map { Self.kebab($0.rawValue) }.joined(separator: ", "))")
            }
            return AccessDocument(kind: kind, reference: d.reference, verified: d.verified)
        }
        let flags = try catalog.confidentialClips()
        let clips = try body.clips.map { prefix -> RequestedClip in
            let clip = try existingClip(prefix)
            let state = try clip.caseNumber.flatMap { try catalog.legalCase(number: $0) }?.state
            return RequestedClip(sha256: clip.sha256, caseNumber: clip.caseNumber ?? "",
                                 caseState: state.map { CaseState(rawValue: $0.rawValue) ?? .open } ?? .open,
                                 confidentiality: flags[clip.sha256] ?? [])
        }
        return AccessRequest(requester: Requester(name: body.requesterName, unit: body.requesterUnit, kind: kind,
                                                  authorityBody: body.authorityBody.flatMap { AuthorityBody(rawValue: Self.camel($0)) },
                                                  stationUser: body.stationUser),
                             documents: documents, clips: clips, purpose: body.purpose, action: action, requestedBy: actor)
    }

    func getAccess(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        switch route {
        case ["access"]:
            let items = try catalog.accessEntries().map(Self.item)
            if request.query["format"] == "html" {
                return APIResponse(status: .ok, contentType: "text/html; charset=utf-8",
                                   body: ByteBuffer(string: AccessRegisterPage(unit: config.station.unit, entries: items,
                                                                               auditHead: try catalog.auditEntries(limit: 1).last?.hash ?? "",
                                                                               seal: ReportSeal(integrity),
                                                                               timeZone: config.station.resolvedTimeZone).html()))
            }
            return .json(items)
        case let r where r.count == 2 && r[0] == "access":
            guard let id = Int64(r[1]), let entry = try catalog.accessEntry(id: id) else { throw APIRefusal.notFound("no access request \(r[1])") }
            return .json(Self.item(entry))
        case ["audit"]:
            let q = request.query
            let filter = AuditFilter(object: q["clip"].map { "clip:" + $0 } ?? q["object"], actor: q["user"], action: q["action"],
                                     from: try q["from"].map { try time($0) }, to: try q["to"].map { try time($0) },
                                     limit: q["limit"].flatMap(Int.init) ?? 1000)
            return .json(try catalog.auditEntries(filter).map {
                AuditItem(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, object: $0.object, detail: $0.detail, hash: $0.hash)
            })
        case ["audit", "checkpoints"]:
            return .json(try catalog.checkpoints().map { c in
                var item = CheckpointItem(treeSize: c.treeSize, root: c.root, reason: c.reason, at: c.at)
                item.signedHead = c.signedHead?.line
                return item
            })
        default:
            return try getReport(route, request)
        }
    }

    static func item(_ e: AccessRegisterEntry) -> AccessEntryItem {
        AccessEntryItem(id: e.id, requesterName: e.request.requester.name, requesterUnit: e.request.requester.unit,
                        requesterKind: kebab(e.request.requester.kind.rawValue),
                        documents: e.request.documents.map { "\($0.kind.nameZh) \($0.reference)\($0.verified ? " ✓" : "")" },
                        clips: e.request.clips.map(\.sha256), purpose: e.request.purpose, action: e.request.action.rawValue,
                        registeredBy: e.registeredBy, registeredAt: e.registeredAt, decision: e.decision,
                        approverTitle: e.approverTitle.map(kebab), decidedBy: e.decidedBy, decidedAt: e.decidedAt,
                        uses: e.uses.map { "\($0.what): \($0.detail)" })
    }

    /// `power-of-attorney` → `powerOfAttorney` (the API takes the CLI's kebab case).
    static func camel(_ text: String) -> String {
        let parts = text.split(separator: "-")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func kebab(_ text: String) -> String {
        text.reduce(into: "") { out, c in if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) } }
    }
}
