import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

/// Retention, holds, two-person disposal and disc sets (retention issue). The route table declares
/// the roles: marks need the clerk, holds the approver, disposal and discs the admin role.
extension APIHandlers {
    var workshop: DiscWorkshop { DiscWorkshop(config: config, catalog: catalog, store: store, monitor: monitor, logger: logger) }

    func retain(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(RetainRequest.self)
        guard let reason = LongTermReason(rawValue: body.reason) else {
            throw APIRefusal(.badRequest, "bad-reason", "reason must be one of \(LongTermReason.allCases.map(\.rawValue).joined(separator: ", "))",
                             zh: "原因须为：" + LongTermReason.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))
        }
        let clip = try visibleClip(request.parameter("clip"), request)
        try catalog.markLongTerm(sha256: clip.sha256, reason: reason, note: body.note, actor: request.peer.auditName, policy: rules.policy)
        return try clipAnswer(clip.sha256, request)
    }

    func hold(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(HoldRequest.self)
        let target: String
        if let prefix = body.clip { target = "clip:" + (try visibleClip(prefix, request).sha256) } else if let number = try Self.key(body.caseNumber, .caseNumber) { target = "case:" + number } else {
            throw APIRefusal(.badRequest, "bad-target", "name a clip or a case to hold", zh: "请指定要冻结的录像或案件")
        }
        try catalog.setHold(target: target, add: !body.remove, reason: body.reason, actor: request.peer.auditName)
        return .json(["target": target, "held": body.remove ? "no" : "yes"], status: body.remove ? .ok : .created)
    }

    func proposeDisposal(_ request: APIRequest) throws -> APIResponse {
        try integrity.refuse("disposal", zh: "销毁")
        return .json(Self.item(try catalog.proposeDisposal(by: request.peer.person, now: try catalog.logTime())), status: .created)
    }

    func approveDisposal(_ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("proposal")) else { throw APIRefusal.notFound("no disposal proposal \(request.parameter("proposal"))") }
        try integrity.refuse("disposal", zh: "销毁")
        let (proposal, removing) = try catalog.approveDisposal(id: id, by: request.peer.person, currentName: currentName,
                                                               now: try catalog.logTime())
        for hash in removing {
            do {
                try store.removeDisposed(hash)
            } catch {
                // The decision is committed; startup recovery finishes the removal.
                logger.error("could not remove a disposed clip", metadata: ["sha256": "\(hash)", "error": "\(error)"])
                monitor.raiseAlarm("disposed clip \(hash) could not be removed yet: \(error); it is removed at the next start")
            }
        }
        return .json(try disposalOutcomes(Self.item(proposal)))
    }

    func planDiscs(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(DiscPlanRequest.self)
        let media = try body.media.map { name -> DiscMedia in
            guard let media = DiscMedia(rawValue: name) else {
                throw APIRefusal(.badRequest, "bad-media", "media must be one of \(DiscMedia.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return media
        } ?? config.discs.media
        var plan = try workshop.plan(media: media, force: body.force, actor: request.peer.auditName)
        plan.sets = try plan.sets.map { set in try catalog.discSet(id: set.id).map { workshop.item(try request.reader.redacted($0)) } ?? set }
        return .json(plan, status: .created)
    }

    /// `burn`, `verify`, `label` or `locate` one copy (or, for a burn, both) of a disc set.
    func discCopyAction(_ verb: String, _ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(DiscCopyRequest.self)
        let id = request.parameter("set")
        guard let set = try catalog.discSet(id: id) else {
            throw APIRefusal.notFound("no disc set \(id); `custodyctl discs list` shows them", zh: "没有光盘组 \(id)")
        }
        let copies = try (body.copy.map { [$0] } ?? (verb == "burn" ? ["A", "B"] : [])).map { copy -> String in
            guard copy == "A" || copy == "B" else { throw APIRefusal(.badRequest, "bad-copy", "copy must be A or B", zh: "副本须为 A 或 B") }
            return copy
        }
        guard !copies.isEmpty else { throw APIRefusal(.badRequest, "copy-required", "name the copy (A or B)", zh: "请指定 A 盘或 B 盘") }
        return try discAction(verb, set: set, copy: copies, body: body, request)
    }

    func discAction(_ verb: String, set: DiscSetRecord, copy copies: [String], body: DiscCopyRequest, _ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        let reader = request.reader
        let copy = copies[0]
        switch verb {
        case "burn":
            let plan = try workshop.burnPlan(set, copies: copies, body: body)
            let started = try workshop.startBurn(setID: set.id, copies: copies, maker: plan.maker, actor: actor, replacing: plan.replacing,
                                                 reason: body.reason ?? "")
            return .json(workshop.item(try reader.redacted(started)), status: .accepted)
        case "verify":
            guard let source = workshop.writtenSource(set, copy: copy) else {
                throw APIRefusal(.conflict, "not-burned", "copy \(copy) of \(set.id) was never written", zh: "\(set.id) 的 \(copy) 盘尚未刻录")
            }
            try workshop.verify(set, copy: copy, source: source, actor: actor)
        case "label":
            var item = workshop.item(try reader.redacted(set))
            item.paths = try workshop.renderLabels(set, copy: copy)
            if body.confirm == true {
                guard set.verified(copy) else {
                    throw APIRefusal(.conflict, "not-verified", "copy \(copy) of \(set.id) is not verified; a label is confirmed only on a verified copy",
                                     zh: "\(set.id) 的 \(copy) 盘未通过校验，不能确认标签")
                }
                try catalog.recordDiscCopy(setID: set.id, copy: copy, state: "label-confirmed", detail: "label printed and attached", actor: actor)
                item.copies = workshop.item(try catalog.discSet(id: set.id)!).copies
            }
            return .json(item)
        case "locate":
            guard let location = body.location?.nilIfBlank else {
                throw APIRefusal(.badRequest, "location-required", "say where the disc is kept (--location)", zh: "请填写存放位置")
            }
            let states = set.current(copy).map(\.state)
            guard set.verified(copy), states.contains("label-confirmed") else {
                throw APIRefusal(.conflict, "not-ready", "copy \(copy) of \(set.id) needs a verified burn and a confirmed label before it is stored",
                                 zh: "\(set.id) 的 \(copy) 盘须先通过校验并确认标签，才能登记存放位置")
            }
            try catalog.recordDiscCopy(setID: set.id, copy: copy, state: "stored", detail: location, actor: actor)
        default:
            throw APIRefusal.notFound("no such disc action \(verb); use burn, verify, label or locate")
        }
        return .json(workshop.item(try reader.redacted(try catalog.discSet(id: set.id)!)))
    }

    func disposalDetail(_ request: APIRequest) throws -> APIResponse {
        let number = request.parameter("proposal")
        guard let id = Int64(number), let proposal = try catalog.disposalProposal(id: id) else {
            throw APIRefusal.notFound("no disposal proposal \(number)", zh: "没有编号为 \(number) 的销毁建议")
        }
        return .json(try disposalOutcomes(Self.item(proposal)))
    }

    func tombstoneItems() throws -> [TombstoneItem] {
        try catalog.tombstones().map(Self.item)
    }

    func discQueue(_ request: APIRequest) throws -> [DiscQueueItem] {
        try request.reader.discQueue().map { DiscQueueItem(sha256: $0.sha256, sizeBytes: $0.sizeBytes, caseNumber: $0.caseNumber, queuedAt: $0.queuedAt) }
    }

    func discSetDetail(_ request: APIRequest) throws -> APIResponse {
        let id = request.parameter("set")
        guard let set = try request.reader.discSet(id: id) else { throw APIRefusal.notFound("no disc set \(id)", zh: "没有光盘组 \(id)") }
        return .json(workshop.item(set))
    }

    static func item(_ p: DisposalProposal) -> DisposalItem {
        DisposalItem(id: p.id, proposedBy: p.proposedBy, proposedAt: p.proposedAt, clips: p.clips, bytes: p.bytes,
                     decision: p.decision, decidedBy: p.decidedBy, decidedAt: p.decidedAt)
    }
}
