import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

/// The access register (access issue): requests checked against the rules for their requester
/// kind, approved by a different person, exported as a BagIt bag; confidentiality flags; audit
/// show and checkpoints. The route table declares the roles: registering and exporting need the
/// clerk, deciding the approver.
extension APIHandlers {
    static let accessRules = AccessPolicyRules.standard

    func requestAccess(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(AccessRequestBody.self)
        let access = try accessRequest(body, request)
        let problems = Self.accessRules.check(access)
        guard problems.isEmpty else {
            throw APIRefusal(.conflict, "access-refused", problems.map(\.message).joined(separator: "; "),
                             zh: problems.map(\.messageZh).joined(separator: "；"))
        }
        return .json(Self.item(try catalog.registerAccess(access, clerk: request.peer.person), now: try catalog.logTime()), status: .created)
    }

    /// `approve` or `deny` an access request (approver role; never the requester or the registering clerk).
    func decideAccess(approve: Bool, _ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("request")) else { throw APIRefusal.notFound("no access request \(request.parameter("request"))") }
        let body = try request.decode(AccessDecisionBody.self)
        guard let title = ApproverTitle(rawValue: Self.camel(body.title)) else {
            throw APIRefusal(.badRequest, "bad-title", "title must be legal-office-head or agency-head", zh: "审批人职务须为 legal-office-head（法制部门负责人）或 agency-head（单位负责人）")
        }
        if let copies = body.copies, !(1...AccessPolicyRules.maxCopies).contains(copies) {
            throw APIRefusal(.badRequest, "bad-copies", AccessProblem.badCopies(copies).message, zh: AccessProblem.badCopies(copies).messageZh)
        }
        let approver = request.peer.person
        let now = try catalog.logTime()
        let entry = try catalog.decideAccess(id: id, approve: approve, title: title.rawValue, note: body.note, copies: body.copies,
                                             by: approver) { entry in
            let problems = Self.accessRules.checkApproval(entry.request, clerk: entry.clerk,
                                                          approval: Approval(approver: approver, title: title, approvedAt: now), now: now,
                                                          currentName: currentName)
            guard problems.isEmpty else {
                throw APIRefusal(.conflict, "approval-refused", problems.map(\.message).joined(separator: "; "),
                                 zh: problems.map(\.messageZh).joined(separator: "；"))
            }
        }
        return .json(Self.item(entry, now: now))
    }

    func exportAccess(_ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("request")), let entry = try catalog.accessEntry(id: id) else {
            throw APIRefusal.notFound("no access request \(request.parameter("request"))")
        }
        let withheld = try request.reader.withheld()
        if let hidden = entry.request.clips.first(where: { withheld.clips[$0.sha256] != nil }) {
            throw Self.confidential(hidden.sha256, withheld.clips[hidden.sha256] ?? [], request.peer)
        }
        let target = try request.decode(AccessExportBody.self).target
        return .json(try oneExportAtATime(id) {
            // The entry as it stands once this export is the only one (copies made meanwhile count).
            try export(try catalog.accessEntry(id: id) ?? entry, to: target, actor: request.peer.auditName, preparer: Preparer.name(of: request.peer))
        }, status: .created)
    }

    func setClipConfidentiality(_ request: APIRequest) throws -> APIResponse {
        let flag = try confidentialityFlag(request)
        let clip = try visibleClip(request.parameter("clip"), request)
        try catalog.setConfidentiality(target: "clip:\(clip.sha256)", flag: flag.flag, add: !flag.remove, actor: request.peer.auditName)
        return try clipAnswer(clip.sha256, request)
    }

    func setCaseConfidentiality(_ request: APIRequest) throws -> APIResponse {
        let flag = try confidentialityFlag(request)
        let number = try Self.key(request.parameter("case"), .caseNumber)
        guard let legalCase = try catalog.legalCase(number: number) else { throw APIRefusal.notFound("case \(number) is not registered", zh: "案件 \(number) 未登记") }
        if let flags = try request.reader.withheld().cases[number] {
            throw APIRefusal(.forbidden, "confidential", "case \(number) is confidential (\(flags.map(\.nameEn).sorted().joined(separator: ", "))); \(request.peer.auditName) is not cleared to act on it",
                             zh: "案件 \(number) 涉密（\(flags.map(\.nameZh).sorted().joined(separator: "、"))），\(request.peer.auditName) 无权办理")
        }
        try catalog.setConfidentiality(target: "case:\(legalCase.number)", flag: flag.flag, add: !flag.remove, actor: request.peer.auditName)
        return .json(caseItem(try request.reader.cases().first { $0.number == number } ?? legalCase))
    }

    /// The flag a request sets or lifts. Lifting one needs a role cleared for it (a clerk not
    /// cleared for state secrets cannot declassify a state secret); a hold keeps it (catalog).
    func confidentialityFlag(_ request: APIRequest) throws -> (flag: Confidentiality, remove: Bool) {
        let body = try request.decode(ConfidentialBody.self)
        guard let flag = Confidentiality(rawValue: Self.camel(body.flag)) else {
            throw APIRefusal(.badRequest, "bad-flag", "flag must be state-secret, trade-secret or privacy", zh: "密级须为 state-secret、trade-secret 或 privacy")
        }
        if body.remove && !mayRemove(request)([flag]) {
            throw APIRefusal(.forbidden, "not-cleared", "\(request.peer.auditName) is not cleared for \(flag.nameEn) and so may not lift that flag; a role cleared for it must",
                             zh: "\(request.peer.auditName) 不具备\(flag.nameZh)密级权限，不得解除该密级，须由具备该权限的人员办理")
        }
        return (flag, body.remove)
    }

    func writeCheckpoint(_ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        let stamp = try catalog.stamp(reason: "requested by \(actor)", actor: actor)
        var item = CheckpointItem(treeSize: stamp.treeSize, root: stamp.root, reason: "requested by \(actor)", at: stamp.at)
        item.signedHead = stamp.signedHead
        item.publicKey = stamp.signedHead.flatMap(SignedTreeHead.parse)?.publicKey
        item.signature = stamp.signature
        return .json(item, status: .created)
    }

    /// Writes the bag for an approved export (or working copy) and registers it with the bag's pin.
    func export(_ entry: AccessRegisterEntry, to target: String, actor: String, preparer: String) throws -> AccessEntryItem {
        let access = entry.request
        // Denied, view-only, unapproved, expired or every allowed copy made: the one gate (AccessUseGate).
        try admitUse(access.action == .copy ? .copy : .export, entry)
        try integrity.refuse("export", zh: "导出")
        let target = try exportFolder(target)
        var namer = DiscFileNamer(timeZone: config.station.resolvedTimeZone)
        var history: [String: [AuditItem]] = [:]
        let payload = try access.clips.enumerated().map { index, requested -> BagPayloadItem in
            guard let clip = try catalog.clip(matching: requested.sha256) else { throw APIRefusal.notFound("clip \(requested.sha256) is gone") }
            try refuseIfDisposed(clip)
            history[clip.sha256] = try catalog.auditEntries(object: "clip:\(clip.sha256)").map {
                Self.item($0)
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
        let custody = try custodyTagFiles(access.clips.map(\.sha256), request: entry.id, bag: bag.path, preparer: preparer, actor: actor)
        // The head signed for this export goes into the bag (a tag file), where the catalog cannot take it back.
        let head = try catalog.stamp(reason: "export access:\(entry.id)", actor: actor)
        var tags = [BagTagFile(name: "custody-report.json", text: report)] + custody
        if let signed = head.signedHead {
            tags.append(BagTagFile(name: "custody-tree-head.txt", text: """
                Custody signed audit tree head at export / 导出时的签名审计树头
                \(signed)
                Check a later catalog against it / 核对：custodyctl audit verify --against <this bag>

                """))
        }
        if let alarm = head.integrityAlarm {
            tags.append(BagTagFile(name: "custody-integrity-alarm.txt", text: "完整性告警 / integrity alarm: \(alarm)\n"))
        }
        let receipt: BagReceipt
        do {
            receipt = try BagWriter().write(bagAt: bag, payload: payload, info: info, tagFiles: tags)
        } catch {
            throw APIRefusal(.conflict, "export-failed", error.message, zh: error.messageZh)
        }
        try catalog.recordAccessUse(id: entry.id, what: access.action == .export ? "export" : "copy",
                                    detail: "\(bag.path) tagmanifest-sha256 \(receipt.tagManifestSHA256)", actor: actor)
        return Self.item(try catalog.accessEntry(id: entry.id)!, now: try catalog.logTime())
    }

    /// Where an export may be written: an existing folder given by its absolute path, never inside
    /// the evidence store (write-once), the disc spool, the daemon's own state folders (where its
    /// catalog and socket live), a watched camera mount root or a drop folder (Custody never
    /// writes to a camera). Found by FuzzHTTP: any writable folder was taken.
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
        let forbidden: [(String, String, String)] = [(store.root, "the evidence store", "证据存储区"), (config.paths.spool, "the disc spool", "光盘刻录暂存区"),
                                                     ((config.paths.catalog as NSString).deletingLastPathComponent, "the daemon's state folder", "守护进程的数据目录"),
                                                     ((config.paths.socket as NSString).deletingLastPathComponent, "the daemon's socket folder", "守护进程的套接字目录")]
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

    func accessRequest(_ body: AccessRequestBody, _ request: APIRequest) throws -> AccessRequest {
        let actor = request.peer.auditName
        guard let kind = RequesterKind(rawValue: Self.camel(body.requesterKind)) else {
            throw APIRefusal(.badRequest, "bad-kind", "requester kind must be one of \(RequesterKind.allCases.map { Self.kebab($0.rawValue) }.joined(separator: ", "))",
                             zh: "申请人类别须为：" + RequesterKind.allCases.map { "\(Self.kebab($0.rawValue))（\($0.nameZh)）" }.joined(separator: "、"))
        }
        guard let action = AccessAction(rawValue: body.action) else {
            throw APIRefusal(.badRequest, "bad-action", "action must be view, copy or export", zh: "事项须为 view（查看）、copy（复制）或 export（调取）")
        }
        let documents = try body.documents.map { d -> AccessDocument in
            guard let kind = AccessDocumentKind(rawValue: Self.camel(d.kind)) else {
                throw APIRefusal(.badRequest, "bad-document", "document kind \(d.kind) is not one of \(AccessDocumentKind.allCases.map { Self.kebab($0.rawValue) }.joined(separator: ", "))",
                                 zh: "材料类别 \(d.kind) 不在其列，须为：" + AccessDocumentKind.allCases.map { "\(Self.kebab($0.rawValue))（\($0.nameZh)）" }.joined(separator: "、"))
            }
            return AccessDocument(kind: kind, reference: d.reference, verified: d.verified)
        }
        let flags = try catalog.confidentialClips()
        let clips = try body.clips.map { prefix -> RequestedClip in
            let clip = try visibleClip(prefix, request)
            let legalCase = try clip.caseNumber.flatMap { try catalog.legalCase(number: $0) }
            let handler = try legalCase?.handlerBadge.map { CaseHandler(badge: $0, name: try catalog.officer(badge: $0)?.name ?? "") }
            return RequestedClip(sha256: clip.sha256, caseNumber: clip.caseNumber ?? "",
                                 caseState: legalCase.map { CaseState(rawValue: $0.state.rawValue) ?? .open } ?? .open,
                                 confidentiality: flags[clip.sha256] ?? [], caseHandler: handler)
        }
        return AccessRequest(requester: Requester(name: body.requesterName, unit: body.requesterUnit, kind: kind,
                                                  authorityBody: body.authorityBody.flatMap { AuthorityBody(rawValue: Self.camel($0)) },
                                                  stationUser: try body.stationUser.map { try person($0, as: "the requester's station user", zh: "申请人的本站用户") },
                                                  badge: try caseHandlerBadge(body, kind)),
                             documents: documents, clips: clips, purpose: body.purpose, action: action, requestedBy: actor, copies: body.copies)
    }

    func accessRegister(_ request: APIRequest) throws -> APIResponse {
        let withheld = try request.reader.withheld()
        let now = try catalog.logTime()
        let items = try catalog.accessEntries().map { Self.item($0, withheld: withheld, now: now) }
        let format = try printFormat(request, allowed: ["json", "html", "pdf"])
        guard format != "json" else { return .json(items) }
        let page = AccessRegisterPage(unit: config.station.unit, entries: items, timeZone: config.station.resolvedTimeZone,
                                      preparer: Preparer.name(of: request.peer),
                                      stamp: try catalog.stamp(reason: "access register", actor: request.peer.auditName, reusing: true))
        return try .printed(page.document(), format: format) ?? .json(items)
    }

    func accessDetail(_ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("request")), let entry = try catalog.accessEntry(id: id) else {
            throw APIRefusal.notFound("no access request \(request.parameter("request"))")
        }
        return .json(Self.item(entry, withheld: try request.reader.withheld(), now: try catalog.logTime()))
    }

    func auditRows(_ request: APIRequest) throws -> APIResponse {
        let q = request.query
        let clip = try q["clip"].map { "clip:" + (try namedClip($0, request).sha256) }
        let user = try q["user"].map { try person($0, as: "user", zh: "用户").uid }
        let filter = AuditFilter(object: clip ?? q["object"], actorUID: user, action: q["action"],
                                 from: try q["from"].map { try time($0) }, to: try q["to"].map { try time($0) },
                                 limit: request.page.limit, offset: request.page.offset)
        let rows = try request.reader.auditEntries(filter)
        if rows.confidentialShown > 0 {
            try catalog.audit(actor: request.peer.auditName, action: "audit.view-confidential", object: "audit",
                              detail: ["rows": String(rows.confidentialShown)])
        }
        // The page after this one holds older rows (offset counts from the newest).
        let full = rows.entries.count == request.page.limit
        return .paged(rows.entries.map(Self.item), next: full ? ["offset": String(request.page.offset + request.page.limit)] : nil)
    }

    func checkpointItems() throws -> [CheckpointItem] {
        try catalog.checkpoints().map { c in
            var item = CheckpointItem(treeSize: c.treeSize, root: c.root, reason: c.reason, at: c.at)
            item.signedHead = c.signedHead?.line
            return item
        }
    }

    /// An entry of the register as a reader may see it: for an entry naming a clip the reader may
    /// not see, that clip's hash and the purpose (which may describe it) are withheld.
    static func item(_ e: AccessRegisterEntry, withheld: CatalogReader.Withheld, now: Date) -> AccessEntryItem {
        var item = Self.item(e, now: now)
        guard e.request.clips.contains(where: { withheld.clips[$0.sha256] != nil }) else { return item }
        item.clips = e.request.clips.map { withheld.clips[$0.sha256] == nil ? $0.sha256 : CatalogReader.withheld }
        item.purpose = CatalogReader.withheld
        return item
    }

    static func item(_ e: AccessRegisterEntry, now: Date) -> AccessEntryItem {
        var item = AccessEntryItem(id: e.id, requesterName: e.request.requester.name, requesterUnit: e.request.requester.unit,
                        requesterKind: kebab(e.request.requester.kind.rawValue),
                        documents: e.request.documents.map { "\($0.kind.nameZh) \($0.reference)\($0.verified ? " ✓" : "")" },
                        clips: e.request.clips.map(\.sha256), purpose: e.request.purpose, action: e.request.action.rawValue,
                        registeredBy: e.registeredBy, registeredAt: e.registeredAt,
                        requesterUser: e.request.requester.stationUser?.auditName ?? e.request.requester.unresolvedStationUser,
                        decision: e.decision,
                        approverTitle: e.approverTitle.map(kebab), decidedBy: e.decidedBy, decidedAt: e.decidedAt,
                        uses: e.uses.map { "\($0.what): \($0.detail)" })
        let facts = useFacts(e)
        item.status = accessRules.standing(facts, now: now).rawValue
        item.expiresAt = accessRules.expiry(facts)
        if e.request.action != .view {
            item.copiesAllowed = e.copiesAllowed
            item.copiesMade = e.copiesMade
        }
        item.looks = e.looks.map { AccessLookItem(detail: $0.detail, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt) }
        return item
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
