import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// Deadlines, annotations and cases (deadlines issue). The route table declares the roles: reads
/// the viewer, changes the clerk, a deadline exception the approver.
extension APIHandlers {
    func annotate(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(AnnotateRequest.self)
        let clip = try visibleClip(request.parameter("clip"), request)
        guard !body.category.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIRefusal(.badRequest, "category-required", "an annotation needs a category (e.g. 交通违法, 治安案件)",
                             zh: "标注须填写类别（如 交通违法、治安案件）")
        }
        let saved = try catalog.annotate(Annotation(clipSHA256: clip.sha256, caseNumber: try Self.key(body.caseNumber?.nilIfBlank, .caseNumber),
                                                    category: body.category, place: body.place, party: body.party,
                                                    description: body.description),
                                         leavingCase: try Self.key(body.leaveCase?.nilIfBlank, .caseNumber),
                                         actor: request.peer.auditName, policy: rules.policy, mayRemove: mayRemove(request))
        return .json(Self.item(saved), status: .created)
    }

    func leaveCase(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(LeaveCaseRequest.self)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIRefusal(.badRequest, "reason-required", "say why the clip leaves its case (--reason)", zh: "请说明移出案件的原因（--reason）")
        }
        let clip = try visibleClip(request.parameter("clip"), request)
        try catalog.leaveCase(sha256: clip.sha256, caseNumber: try Self.key(body.caseNumber, .caseNumber), reason: body.reason,
                              actor: request.peer.auditName, policy: rules.policy, mayRemove: mayRemove(request))
        return try clipAnswer(clip.sha256, request)
    }

    /// Whether the caller is cleared for every flag a change would remove (a case the clip leaves,
    /// a flag lifted): no one takes away a protection they are not cleared for.
    func mayRemove(_ request: APIRequest) -> @Sendable (Set<Confidentiality>) -> Bool {
        let (clearance, roles) = (clearance, request.roles)
        return { flags in clearance.mayView(flags, roles: roles) }
    }

    func addCase(_ request: APIRequest) throws -> APIResponse {
        var body = try request.decode(CaseRequest.self)
        body.number = try Self.key(body.number, .caseNumber)
        try Self.validateCaseNumber(body.number)
        if let existing = TypedKey.lookalike(body.number, among: try catalog.cases().map(\.number)) {
            throw APIRefusal(.conflict, "lookalike-key", "case number \(body.number) only looks like the registered case \(existing); use \(existing), or a number nobody can mistake for it",
                             zh: "案件编号 \(body.number) 与已登记的案件 \(existing) 看起来相同但并不相同；请使用 \(existing)，或换一个不会混淆的编号")
        }
        let legalCase = LegalCase(number: body.number, title: body.title, unit: body.unit ?? config.station.unit,
                                  handlerBadge: try Self.key(body.handlerBadge?.nilIfBlank, .badge), openedAt: try time(body.openedAt))
        return .json(caseItem(try catalog.addCase(legalCase, actor: request.peer.auditName)), status: .created)
    }

    /// `close`, `archive` or `reopen` a case (one route each in the table).
    func recordCaseEvent(_ kind: CaseEvent.Kind, _ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(CaseEventRequest.self)
        return .json(caseItem(try catalog.recordCaseEvent(number: try Self.key(request.parameter("case"), .caseNumber), kind: kind, at: try time(body.at), note: body.note,
                                                          actor: request.peer.auditName, policy: rules.policy)))
    }

    func grantException(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(ExceptionRequest.self)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIRefusal(.badRequest, "reason-required", "an exception needs the reason it was approved for", zh: "延期须填写批准理由")
        }
        let requester = try body.requestedBy.map { try person($0, as: "the person who asked for the exception", zh: "延期申请人") }
        let handover = try catalog.grantDeadlineException(handoverID: body.handoverID, reason: body.reason, requestedBy: requester,
                                                          by: request.peer.person, currentName: currentName, policy: rules.policy)
        return .json(LedgerItems.item(handover), status: .created)
    }

    func caseDetail(_ request: APIRequest) throws -> APIResponse {
        let number = try Self.key(request.parameter("case"), .caseNumber)
        guard let legalCase = try catalog.legalCase(number: number) else {
            throw APIRefusal.notFound("case \(number) is not registered", zh: "案件 \(number) 未登记")
        }
        let flags = try catalog.confidentialTargets().cases[number] ?? []
        if !flags.isDisjoint(with: request.reader.hidden) {
            throw APIRefusal(.forbidden, "confidential", "case \(number) is confidential (\(flags.map(\.nameEn).sorted().joined(separator: ", "))); \(request.peer.auditName) is not cleared to see it",
                             zh: "案件 \(number) 涉密（\(flags.map(\.nameZh).sorted().joined(separator: "、"))），\(request.peer.auditName) 无权查看")
        }
        if !flags.isEmpty {
            try catalog.audit(actor: request.peer.auditName, action: "case.view-confidential", object: "case:\(number)",
                              detail: ["flags": flags.map(\.rawValue).sorted().joined(separator: ",")])
        }
        let events = try catalog.caseEvents(number: number).map {
            CaseEventItem(kind: $0.kind.rawValue, at: $0.at, note: $0.note, recordedBy: $0.recordedBy)
        }
        return .json(CaseDetail(legalCase: caseItem(legalCase), events: events, clips: try request.reader.clips(caseNumber: number).map(Self.item)))
    }

    func deadlines(now: Date = Date()) throws -> DeadlinesResponse {
        let policy = rules.policy
        let items = try catalog.deadlineItems(now: now, policy: policy, lookbackDays: config.alerts.lookbackDays)
        return DeadlinesResponse(at: now, items: items.map(DeadlineAlertText.entry), capacity: try capacityGauge.measure(now: now),
                                 openAlerts: try openAlertItems(), calendarYears: policy.calendar.years,
                                 calendarProblem: rules.calendarProblem)
    }

    func openAlertItems() throws -> [AlertItem] {
        try catalog.openAlerts().map {
            AlertItem(key: $0.key, level: $0.level, kind: String($0.key.prefix { $0 != ":" }), message: $0.message,
                      messageZh: $0.message, at: $0.raisedAt)
        }
    }

    var capacityGauge: CapacityGauge { CapacityGauge(catalog: catalog, store: store, monitor: monitor, config: config) }

    func caseItem(_ c: LegalCase) -> CaseItem {
        let due = c.state == .closed ? c.closedAt.map { rules.policy.deadlines.caseArchive.due(from: $0, calendar: rules.policy.calendar) } : nil
        return CaseItem(number: c.number, title: c.title, unit: c.unit, handlerBadge: c.handlerBadge, openedAt: c.openedAt,
                        state: c.state.rawValue, closedAt: c.closedAt, archivedAt: c.archivedAt, archiveDueAt: due,
                        clipCount: c.clipCount)
    }

    static func item(_ a: Annotation) -> AnnotationItem {
        AnnotationItem(caseNumber: a.caseNumber, category: a.category, place: a.place, party: a.party,
                       description: a.description, recordedBy: a.recordedBy, recordedAt: a.recordedAt)
    }

    static func validateCaseNumber(_ number: String) throws {
        guard (1...64).contains(number.count), !number.contains("/"), !number.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw APIRefusal(.badRequest, "bad-case-number", "case number \"\(number)\" must be 1–64 characters without spaces or slashes",
                             zh: "案件编号“\(number)”须为 1–64 个字符，不含空格或斜杠")
        }
    }
}

extension String {
    var nilIfBlank: String? { trimmingCharacters(in: .whitespaces).isEmpty ? nil : self }
}
