import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

/// Retention, holds, two-person disposal and disc sets (retention issue). The router has checked
/// the role: marks need the clerk, holds the approver, disposal and discs the admin role.
extension APIHandlers {
    var workshop: DiscWorkshop {
        DiscWorkshop(config: config, catalog: catalog, store: store, monitor: monitor, integrity: integrity, logger: logger)
    }

    func postRetention(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        switch route {
        case let r where r.count == 3 && r[0] == "clips" && r[2] == "retain":
            let body = try request.decode(RetainRequest.self)
            guard let reason = LongTermReason(rawValue: body.reason) else {
                throw APIRefusal(.badRequest, "bad-reason", "reason must be one of \(LongTermReason.allCases.map(\.rawValue).joined(separator: ", "))",
                                 zh: "原因须为：" + LongTermReason.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))
            }
            let clip = try existingClip(r[1])
            try catalog.markLongTerm(sha256: clip.sha256, reason: reason, note: body.note, actor: actor, policy: rules.policy)
            return try self.clip(clip.sha256)
        case ["holds"]:
            let body = try request.decode(HoldRequest.self)
            let target: String
            if let prefix = body.clip { target = "clip:" + (try existingClip(prefix).sha256) } else if let number = body.caseNumber { target = "case:" + number } else {
                throw APIRefusal(.badRequest, "bad-target", "name a clip or a case to hold", zh: "请指定要冻结的录像或案件")
            }
            try catalog.setHold(target: target, add: !body.remove, reason: body.reason, actor: actor)
            return .json(["target": target, "held": body.remove ? "no" : "yes"], status: body.remove ? .ok : .created)
        case ["disposal", "propose"]:
            try integrity.refuse("disposal", zh: "销毁")
            return .json(Self.item(try catalog.proposeDisposal(actor: actor, uid: request.peer.uid, now: try catalog.logTime())),
                         status: .created)
        case let r where r.count == 3 && r[0] == "disposal" && r[2] == "approve":
            guard let id = Int64(r[1]) else { throw APIRefusal.notFound("no disposal proposal \(r[1])") }
            try integrity.refuse("disposal", zh: "销毁")
            let (proposal, removing) = try catalog.approveDisposal(id: id, actor: actor, uid: request.peer.uid, now: try catalog.logTime())
            for hash in removing {
                do {
                    try store.removeDisposed(hash)
                } catch {
                    // The decision is committed; startup recovery finishes the removal.
                    logger.error("could not remove a disposed clip", metadata: ["sha256": "\(hash)", "error": "\(error)"])
                    monitor.raiseAlarm("disposed clip \(hash) could not be removed yet: \(error); it is removed at the next start")
                }
            }
            return .json(Self.item(proposal))
        case ["discs", "plan"]:
            let body = try request.decode(DiscPlanRequest.self)
            let media = try body.media.map { name -> DiscMedia in
                guard let media = DiscMedia(rawValue: name) else {
                    throw APIRefusal(.badRequest, "bad-media", "media must be one of \(DiscMedia.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return media
            } ?? config.discs.media
            return .json(try workshop.plan(media: media, force: body.force, actor: actor), status: .created)
        case let r where r.count == 3 && r[0] == "discs":
            let body = try request.decode(DiscCopyRequest.self)
            guard let set = try catalog.discSet(id: r[1]) else {
                throw APIRefusal.notFound("no disc set \(r[1]); `custodyctl discs list` shows them", zh: "没有光盘组 \(r[1])")
            }
            let copies = try (body.copy.map { [$0] } ?? (r[2] == "burn" ? ["A", "B"] : [])).map { copy -> String in
                guard copy == "A" || copy == "B" else { throw APIRefusal(.badRequest, "bad-copy", "copy must be A or B", zh: "副本须为 A 或 B") }
                return copy
            }
            guard !copies.isEmpty else { throw APIRefusal(.badRequest, "copy-required", "name the copy (A or B)", zh: "请指定 A 盘或 B 盘") }
            return try discAction(r[2], set: set, copy: copies, body: body, actor: actor)
        default:
            return try postAccess(route, request)
        }
    }

    func discAction(_ verb: String, set: DiscSetRecord, copy copies: [String], body: DiscCopyRequest, actor: String) throws -> APIResponse {
        let copy = copies[0]
        switch verb {
        case "burn":
            let started = try workshop.startBurn(setID: set.id, copies: copies, maker: body.maker ?? config.discs.maker, actor: actor)
            return .json(workshop.item(started), status: .accepted)
        case "verify":
            guard let source = workshop.writtenSource(set, copy: copy) else {
                throw APIRefusal(.conflict, "not-burned", "copy \(copy) of \(set.id) was never written", zh: "\(set.id) 的 \(copy) 盘尚未刻录")
            }
            try workshop.verify(set, copy: copy, source: source, actor: actor)
        case "label":
            var item = workshop.item(set)
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
            let states = set.events.filter { $0.copy == copy }.map(\.state)
            guard set.verified(copy), states.contains("label-confirmed") else {
                throw APIRefusal(.conflict, "not-ready", "copy \(copy) of \(set.id) needs a verified burn and a confirmed label before it is stored",
                                 zh: "\(set.id) 的 \(copy) 盘须先通过校验并确认标签，才能登记存放位置")
            }
            try catalog.recordDiscCopy(setID: set.id, copy: copy, state: "stored", detail: location, actor: actor)
        default:
            throw APIRefusal.notFound("no such disc action \(verb); use burn, verify, label or locate")
        }
        return .json(workshop.item(try catalog.discSet(id: set.id)!))
    }

    func getRetention(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        switch route {
        case ["disposal"]: return .json(try catalog.disposalProposals().map(Self.item))
        case let r where r.count == 2 && r[0] == "disposal":
            guard let id = Int64(r[1]), let proposal = try catalog.disposalProposal(id: id) else {
                throw APIRefusal.notFound("no disposal proposal \(r[1])", zh: "没有编号为 \(r[1]) 的销毁建议")
            }
            return .json(Self.item(proposal))
        case ["tombstones"]:
            return .json(try catalog.tombstones().map {
                TombstoneItem(sha256: $0.sha256, sizeBytes: $0.sizeBytes, recordedAt: $0.recordedAt, ingestedAt: $0.ingestedAt,
                              officerBadge: $0.officerBadge, deviceSerial: $0.deviceSerial, proposalID: $0.proposalID,
                              proposedBy: $0.proposedBy, approvedBy: $0.approvedBy, disposedAt: $0.disposedAt)
            })
        case ["retain", "proposals"]: return .json(try catalog.longTermProposals().map(Self.item))
        case ["discs"]: return .json(try catalog.discSets().map(workshop.item))
        case ["discs", "queue"]:
            return .json(try catalog.discQueue().map { DiscQueueItem(sha256: $0.sha256, sizeBytes: $0.sizeBytes, caseNumber: $0.caseNumber, queuedAt: $0.queuedAt) })
        case let r where r.count == 2 && r[0] == "discs":
            guard let set = try catalog.discSet(id: r[1]) else { throw APIRefusal.notFound("no disc set \(r[1])", zh: "没有光盘组 \(r[1])") }
            return .json(workshop.item(set))
        default:
            return try getAccess(route, request)
        }
    }

    func existingClip(_ prefix: String) throws -> Clip {
        guard let clip = try catalog.clip(matching: prefix) else {
            throw APIRefusal.notFound("no single clip matches \(prefix); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                      zh: "没有唯一匹配 \(prefix) 的录像")
        }
        return clip
    }

    static func item(_ p: DisposalProposal) -> DisposalItem {
        DisposalItem(id: p.id, proposedBy: p.proposedBy, proposedAt: p.proposedAt, clips: p.clips, bytes: p.bytes,
                     decision: p.decision, decidedBy: p.decidedBy, decidedAt: p.decidedAt)
    }
}
