import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// Deadlines, annotations and cases (deadlines issue). Reads need the viewer role, changes the
/// clerk role (checked by the router); a deadline exception also needs the approver role.
extension APIHandlers {
    func postWork(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        switch route {
        case let r where r.count == 3 && r[0] == "clips" && r[2] == "annotate":
            let body = try request.decode(AnnotateRequest.self)
            guard let clip = try catalog.clip(matching: r[1]) else {
                throw APIRefusal.notFound("no single clip matches \(r[1]); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                          zh: "没有唯一匹配 \(r[1]) 的录像")
            }
            guard !body.category.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIRefusal(.badRequest, "category-required", "an annotation needs a category (e.g. 交通违法, 治安案件)",
                                 zh: "标注须填写类别（如 交通违法、治安案件）")
            }
            let saved = try catalog.annotate(Annotation(clipSHA256: clip.sha256, caseNumber: body.caseNumber?.nilIfBlank,
                                                        category: body.category, place: body.place, party: body.party,
                                                        description: body.description), actor: actor, policy: rules.policy)
            return .json(Self.item(saved), status: .created)
        case ["cases"]:
            let body = try request.decode(CaseRequest.self)
            try Self.validateCaseNumber(body.number)
            let legalCase = LegalCase(number: body.number, title: body.title, unit: body.unit ?? config.station.unit,
                                      handlerBadge: body.handlerBadge?.nilIfBlank, openedAt: try time(body.openedAt))
            return .json(caseItem(try catalog.addCase(legalCase, actor: actor)), status: .created)
        case let r where r.count == 3 && r[0] == "cases" && ["close", "archive", "reopen"].contains(r[2]):
            let body = try request.decode(CaseEventRequest.self)
            let kind: CaseEvent.Kind = r[2] == "close" ? .closed : r[2] == "archive" ? .archived : .reopened
            return .json(caseItem(try catalog.recordCaseEvent(number: r[1], kind: kind, at: try time(body.at), note: body.note, actor: actor,
                                                                  policy: rules.policy)))
        case ["deadlines", "exceptions"]:
            if let reason = access.refuseApprover(request.peer) {
                throw APIRefusal(.forbidden, "forbidden", reason,
                                 zh: "\(request.peer.auditName) 没有审批权限，请管理员在配置 [api] approver_users / approver_groups 中授权")
            }
            let body = try request.decode(ExceptionRequest.self)
            guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIRefusal(.badRequest, "reason-required", "an exception needs the reason it was approved for", zh: "延期须填写批准理由")
            }
            let handover = try catalog.grantDeadlineException(handoverID: body.handoverID, reason: body.reason, actor: actor,
                                                              policy: rules.policy)
            return .json(LedgerItems.item(handover), status: .created)
        default:
            return try postRetention(route, request)
        }
    }

    func getWork(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        switch route {
        case ["deadlines"]: return .json(try deadlines())
        case ["cases"]: return .json(try catalog.cases().map(caseItem))
        case let r where r.count == 2 && r[0] == "cases":
            guard let legalCase = try catalog.legalCase(number: r[1]) else {
                throw APIRefusal.notFound("case \(r[1]) is not registered", zh: "案件 \(r[1]) 未登记")
            }
            let events = try catalog.caseEvents(number: r[1]).map {
                CaseEventItem(kind: $0.kind.rawValue, at: $0.at, note: $0.note, recordedBy: $0.recordedBy)
            }
            return .json(CaseDetail(legalCase: caseItem(legalCase), events: events, clips: try catalog.clips(caseNumber: r[1]).map(Self.item)))
        default:
            return try getRetention(route, request)
        }
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
