import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

/// The chain-of-custody report of one clip (issue "Lifecycle and paperwork", item 6): every event
/// from the camera to today, read from the audit log, in Chinese, with the checkpoint it was made
/// at. `GET /v1/clips/{sha}/custody?format=json|html|pdf`; also written into every export bag.
extension APIHandlers {
    func custody(_ id: String, _ request: APIRequest) throws -> APIResponse {
        let format = try printFormat(request, allowed: ["json", "html", "pdf"])
        guard let clip = try viewableClip(id, request) else {
            throw APIRefusal.notFound("no single clip matches \(id); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                      zh: "没有唯一匹配 \(id) 的录像")
        }
        let report = try custodyReport(clip, preparer: Preparer.name(of: request.peer), actor: request.peer.auditName)
        return try .printed(custodyDocument(report), format: format) ?? .json(report)
    }

    /// The report of `clip` now. Making it is itself audited (`clip.custody-report`), then a
    /// checkpoint is written; the report holds the rows up to that checkpoint.
    func custodyReport(_ clip: Clip, preparer: String, actor: String, purpose: String = "") throws -> CustodyReportItem {
        try catalog.audit(actor: actor, action: "clip.custody-report", object: "clip:\(clip.sha256)",
                          detail: purpose.isEmpty ? [:] : ["purpose": purpose])
        let stamp = try catalog.stamp(reason: "custody report clip:\(clip.sha256)", actor: actor)
        let trail = try catalog.custodyTrail(of: clip)
        let zone = config.station.resolvedTimeZone
        let entries = trail.entries.filter { $0.seq <= stamp.treeSize }
        var events: [CustodyReportItem.Event] = []
        let start = clip.correctedRecordedAt ?? clip.recordedAt
        if let start {
            let seconds = Int(clip.durationSeconds ?? 0)
            events.append(.init(seq: nil, at: start, stage: "recording", title: "记录仪录制",
                                actor: clip.claimedBadge.map { "警号 \($0)（文件名）" } ?? "—",
                                detail: "设备 \(clip.deviceSerial ?? "未知")，时长 \(seconds / 60)分\(String(format: "%02d", seconds % 60))秒，"
                                    + "时间来源：\(Vocabulary.name(Vocabulary.timeSources, clip.timeSource))", hash: nil))
        }
        let rematches = entries.filter { $0.action == "clip.rematch" }
        let handovers = Dictionary(try clip.deviceSerial.map { try catalog.handovers(serial: $0) }?.map { ($0.id, $0) } ?? [],
                                   uniquingKeysWith: { first, _ in first })
        for entry in entries {
            let detail = JSONText.decodeDictionary(entry.detail)
            for words in CustodyEventText.words(entry, detail: detail, zone: zone, handovers: handovers) {
                events.append(.init(seq: entry.seq, at: words.happenedAt ?? entry.at, stage: words.stage, title: words.title, actor: entry.actor,
                                    detail: words.detail, hash: entry.hash))
            }
            if entry.action == "clip.ingest" && !events.contains(where: { $0.stage == "matching" && $0.seq == entry.seq }) {
                events.append(.init(seq: entry.seq, at: entry.at, stage: "matching", title: "台账匹配（入库时）",
                                    actor: entry.actor, detail: try firstMatch(clip, rematched: rematches.first), hash: entry.hash))
            }
        }
        events.sort { ($0.at, $0.seq ?? 0) < ($1.at, $1.seq ?? 0) }
        let copies = trail.discSets.flatMap { set in
            ["A", "B"].map { copy in
                CustodyReportItem.DiscCopy(setID: set.id, copy: copy, state: set.state(of: copy), verified: set.verified(copy),
                                           location: set.events.last { $0.copy == copy && $0.state == "stored" }?.detail,
                                           discPath: "data/" + (set.items.first { $0.sha256 == clip.sha256 }?.discPath ?? ""))
            }
        }
        let access = trail.access.map { e in
            CustodyReportItem.Access(id: e.id, requester: e.request.requester.name, requesterUnit: e.request.requester.unit,
                                     requesterKind: CustodyEventText.kebab(e.request.requester.kind.rawValue), action: e.request.action.rawValue,
                                     purpose: e.request.purpose, decision: e.decision, decidedBy: e.decidedBy,
                                     uses: e.uses.map { "\(PaperTime.minute($0.recordedAt, zone)) \(Vocabulary.name(Vocabulary.accessActions, $0.what))：\($0.detail)" })
        }
        return CustodyReportItem(unit: config.station.unit, clip: Self.item(clip), summary: try custodySummary(clip, copies: copies),
                                 events: events, discCopies: copies, access: access, preparedBy: preparer, generatedAt: stamp.at,
                                 stamp: AuditStampItem(stamp))
    }

    /// The custody report of every exported clip, as printable HTML and PDF tag files of the bag
    /// (`custody-report-1-3f2a9c01e4b7.html`, `.pdf`): the court receives the clip's history with it,
    /// ending with this export.
    func custodyTagFiles(_ hashes: [String], request: Int64, bag: String, preparer: String, actor: String) throws -> [BagTagFile] {
        try hashes.enumerated().flatMap { index, sha256 -> [BagTagFile] in
            guard let clip = try catalog.clip(matching: sha256) else { return [] }
            var report = try custodyReport(clip, preparer: preparer, actor: actor, purpose: "export access:\(request)")
            report.events.append(.init(seq: nil, at: report.generatedAt, stage: "export", title: "调取导出（调阅申请第 \(request) 号，本报告随附）",
                                       actor: actor, detail: "导出至 \(bag)", hash: nil))
            let document = custodyDocument(report)
            let name = "custody-report-\(index + 1)-\(sha256.prefix(12))"
            return [BagTagFile(name: name + ".html", text: document.html()),
                    BagTagFile(name: name + ".pdf", contents: try PDFRenderer.data(pages: document.svgPages(), madeAt: document.preparedAt))]
        }
    }

    /// The device and officer the clip was matched to when it was cataloged (the officer before the
    /// first re-match, if it was re-matched later).
    func firstMatch(_ clip: Clip, rematched: AuditEntry?) throws -> String {
        let device = try clip.deviceSerial.flatMap { try catalog.device(serial: $0) }
        let badge = rematched.map { JSONText.decodeDictionary($0.detail)["was"] ?? "" } ?? clip.officerBadge ?? ""
        let officer = badge.isEmpty ? nil : try catalog.officer(badge: badge)
        var parts = ["设备 \(clip.deviceSerial ?? "未识别")" + (device.map { " \([$0.brand, $0.model].filter { !$0.isEmpty }.joined(separator: " "))" } ?? "")]
        parts.append(badge.isEmpty ? "未匹配到警员" : "警员 \(badge) \(officer?.name ?? "")")
        if rematched == nil {
            if let handover = clip.handoverID { parts.append("依据第 \(handover) 号交接") }
            let flags = clip.flags.filter { $0 != "late" }
            if !flags.isEmpty { parts.append("标记：" + Vocabulary.flagList(flags)) }
        }
        return parts.joined(separator: "，")
    }

    func custodySummary(_ clip: Clip, copies: [CustodyReportItem.DiscCopy]) throws -> [[String]] {
        let zone = config.station.resolvedTimeZone
        let officer = try clip.officerBadge.flatMap { try catalog.officer(badge: $0) }
        let device = try clip.deviceSerial.flatMap { try catalog.device(serial: $0) }
        let legalCase = try clip.caseNumber.flatMap { try catalog.legalCase(number: $0) }
        let annotation = try catalog.annotations(sha256: clip.sha256).last
        let retention = try catalog.retentionState(sha256: clip.sha256)
        let flags = try catalog.confidentiality(sha256: clip.sha256)
        let provenance = try catalog.provenance(sha256: clip.sha256).map {
            "导入 \($0.dumpID)：\($0.mountPoint)/\($0.sourcePath)（\(PaperTime.minute($0.copiedAt, zone)) 复制）"
        }
        let start = clip.correctedRecordedAt ?? clip.recordedAt
        let end = start.map { $0.addingTimeInterval(clip.durationSeconds ?? 0) }
        var rows: [[String]] = [
            ["录像 SHA-256", clip.sha256],
            ["原始文件（记录仪内）", provenance.isEmpty ? clip.sourcePath : provenance.joined(separator: "\n")],
            ["录制起止", "\(PaperTime.second(start, zone)) 至 \(PaperTime.second(end, zone))（\(Vocabulary.name(Vocabulary.timeSources, clip.timeSource))）"],
            ["设备", [clip.deviceSerial ?? "未识别", device?.brand ?? "", device?.model ?? ""].filter { !$0.isEmpty }.joined(separator: " ")],
            ["警员", [clip.officerBadge ?? "未匹配", officer?.name ?? "", officer?.unit ?? ""].filter { !$0.isEmpty }.joined(separator: " ")],
            ["文件", "\(Vocabulary.name(Vocabulary.mediaKinds, clip.mediaKind)) \(clip.format.uppercased())，\(clip.sizeBytes) 字节"],
            ["入库时间", PaperTime.second(clip.ingestedAt, zone) + (clip.late ? "（超期上传）" : "")],
            ["案件", legalCase.map { "\($0.number) \($0.title)（\(Vocabulary.name(Vocabulary.caseStates, $0.state.rawValue))）" } ?? "未归入案件"],
            ["标注", annotation.map { [$0.category, $0.place, $0.description].filter { !$0.isEmpty }.joined(separator: "，") } ?? "未标注"],
        ]
        if let retention {
            var keep = Vocabulary.name(Vocabulary.retentionClasses, retention.retentionClass)
            if let until = retention.retainUntil { keep += "，保存至 \(PaperTime.day(until, zone))" }
            if !retention.longTermReasons.isEmpty {
                keep += "；长期保存原因：" + retention.longTermReasons.map { Vocabulary.name(Vocabulary.longTermReasons, $0) }.joined(separator: "、")
            }
            if retention.held { keep += "；法律保全：" + retention.holdReasons.joined(separator: "、") }
            rows.append(["保存", keep])
        }
        if !flags.isEmpty { rows.append(["密级", flags.map(\.nameZh).sorted().joined(separator: "、")]) }
        let findings = clip.flags.filter { $0 != "late" }
        rows.append(["标记", findings.isEmpty ? "无" : Vocabulary.flagList(findings)])
        let disposed = retention?.disposedAt
        rows.append(["当前状态", disposed.map { "已销毁（\(PaperTime.minute($0, zone))），目录记录和墓碑保留" }
                        ?? "在库：\(store.path(for: clip.sha256))"])
        let discs = copies.map { "\($0.setID) \($0.copy)盘 \(Vocabulary.name(Vocabulary.discCopyStates, $0.state))" + ($0.location.map { "（\($0)）" } ?? "") }
        rows.append(["光盘副本", discs.isEmpty ? "无" : discs.joined(separator: "\n")])
        return rows
    }
}

/// 制表人: the person behind a Unix account, as the system names them (the full name in
/// /etc/passwd, then the login), never a name typed into the request.
enum Preparer {
    static func name(of peer: PeerIdentity) -> String {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 4096)
        var result: UnsafeMutablePointer<passwd>?
        let login = peer.userName ?? "uid \(peer.uid)"
        guard getpwuid_r(peer.uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let gecos = entry.pw_gecos else { return login }
        let full = String(cString: gecos).split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return full.isEmpty || full == login ? login : "\(full)（\(login)）"
    }
}
