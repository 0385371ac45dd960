import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// The clerk's decisions about attribution (attribution issue): a docking's clock offset,
/// corrections of clips, re-parsing under new grammars. Each is one audited transaction that
/// re-judges the clips it touches; the clerk role is checked by the router.
extension APIHandlers {
    /// The answer to an attribution route, or nil when the route is another.
    /// `POST /v1/dumps/:dump/clock-offset` (clerk): sets or clears a docking's clock offset; its
    /// clips are judged again. Refused while the dump holds a clip the caller may not see.
    func setClockOffset(_ request: APIRequest) throws -> APIResponse {
        let number = request.parameter("dump")
        guard let id = Int64(number), try catalog.dump(id: id) != nil else {
            throw APIRefusal.notFound("no dump \(number); `custodyctl dumps list` shows them", zh: "没有编号为 \(number) 的导入记录")
        }
        try refuseWithheld(.dump(id), request)
        let body = try request.decode(ClockOffsetRequest.self)
        let reason = try Self.requireReason(body.reason)
        guard (body.offsetSeconds == nil) == (body.clear == true), body.offsetSeconds.map({ $0.isFinite && abs($0) < 100 * 365 * 86_400 }) ?? true else {
            throw APIRefusal(.badRequest, "bad-offset", "give either an offset in seconds (camera clock minus station clock) or clear, not both or neither",
                             zh: "请给出时钟偏差（秒，设备减工作站），或选择清除，二者择一")
        }
        let changed = try catalog.setClockOffset(dumpID: id, offsetSeconds: body.offsetSeconds, reason: reason,
                                                 actor: request.peer.auditName, policy: rules.policy)
        return .json(ClipChangeReport(clips: changed.clips, rejudged: changed.rejudged, dump: try item(changed.dump, live: nil)))
    }

    /// A change to many clips at once is refused while it would touch a clip the caller may not
    /// see (no one acts on a clip they are not cleared for; authorization issue).
    func refuseWithheld(_ selection: Catalog.ClipSelection?, _ request: APIRequest) throws {
        let hidden = try request.reader.withheldClips(in: selection)
        guard hidden.isEmpty else {
            throw APIRefusal(.forbidden, "confidential", "\(hidden.count) of these clips are confidential and \(request.peer.auditName) is not cleared for them; nothing was changed (a cleared clerk can make this change)",
                             zh: "其中 \(hidden.count) 条录像涉密，\(request.peer.auditName) 无权处理；未做任何更改（请由有相应权限的人员操作）")
        }
    }

    /// `clips correct` (item 5): one clip or a dump's clips, any of device, officer, time.
    func correctClips(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(ClipCorrectRequest.self)
        let actor = request.peer.auditName
        let reason = try Self.requireReason(body.reason)
        let selection: Catalog.ClipSelection
        switch (body.clip, body.dump) {
        case (let prefix?, nil):
            selection = .clip(try visibleClip(prefix, request).sha256)
        case (nil, let id?):
            guard try catalog.dump(id: id) != nil else {
                throw APIRefusal.notFound("no dump \(id); `custodyctl dumps list` shows them", zh: "没有编号为 \(id) 的导入记录")
            }
            guard body.recordedAt == nil else {
                throw APIRefusal(.badRequest, "time-per-clip", "a recording time is corrected clip by clip; for a whole docking set its clock offset (dumps clock-offset)",
                                 zh: "录制时间须逐条更正；整批导入请设置时钟偏差（dumps clock-offset）")
            }
            try refuseWithheld(.dump(id), request)
            selection = .dump(id)
        default:
            throw APIRefusal(.badRequest, "clip-or-dump", "name one clip (SHA) or one dump (--dump N)", zh: "请指定一条录像（哈希）或一次导入（--dump N）")
        }
        var correction = ClipCorrection(reason: reason)
        correction.device = Self.correctionValue(body.device)
        correction.officer = Self.correctionValue(body.officer)
        if let text = body.recordedAt, text != "-" { correction.recordedAt = .set(try time(text)) } else if body.recordedAt == "-" { correction.recordedAt = .cleared }
        guard !correction.isEmpty else {
            throw APIRefusal(.badRequest, "nothing-to-correct", "say what to correct: --device, --officer and/or --recorded-at",
                             zh: "请指定要更正的内容：--device、--officer 或 --recorded-at")
        }
        let done = try catalog.correct(selection, correction, actor: actor, policy: rules.policy)
        return .json(ClipChangeReport(clips: done.clips, rejudged: done.rejudged))
    }

    /// A request's field as a correction: absent → unchanged, "-" → cleared.
    static func correctionValue(_ text: String?) -> CorrectionValue<String> {
        guard let text = text?.trimmingCharacters(in: .whitespaces) else { return .unchanged }
        return text == "-" ? .cleared : .set(text)
    }

    /// `clips reparse` (item 4): the configured grammars, or one of them, over the clips asked for.
    func reparseClips(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(ReparseRequest.self)
        let actor = request.peer.auditName
        var grammars = config.grammars
        if let name = body.grammar {
            grammars = grammars.filter { $0.name == name }
            guard !grammars.isEmpty else {
                throw APIRefusal.notFound("no grammar \"\(name)\" in the config; the grammars are \(config.grammars.map(\.name).joined(separator: ", "))",
                                          zh: "配置中没有名为“\(name)”的文件名规则")
            }
        }
        if let id = body.dump, try catalog.dump(id: id) == nil {
            throw APIRefusal.notFound("no dump \(id); `custodyctl dumps list` shows them", zh: "没有编号为 \(id) 的导入记录")
        }
        try refuseWithheld(body.dump.map { .dump($0) }, request)
        let set = try FileNameGrammarSet(grammars)
        let outcome = try catalog.reparse(body.dump.map { .dump($0) }, allClips: body.all == true, grammars: set,
                                          grammarNames: grammars.map(\.name), timeZone: config.station.resolvedTimeZone, actor: actor,
                                          policy: rules.policy, dryRun: body.dryRun == true)
        return .json(ReparseReport(grammars: grammars.map(\.name), examined: outcome.examined, changed: outcome.changed,
                                   rejudged: outcome.rejudged, unmatched: outcome.unmatched, byGrammar: outcome.byGrammar,
                                   dryRun: body.dryRun == true))
    }

    /// A clerk's change to evidence records says why; a blank reason is refused.
    static func requireReason(_ reason: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw APIRefusal(.badRequest, "reason-required", "say why (--reason): the change is a decision about evidence and goes into the audit log",
                             zh: "请说明理由（--reason）：此项更改涉及证据，将记入审计日志")
        }
        return trimmed
    }
}
