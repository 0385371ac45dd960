import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// Compliance reports and spot-check samples (deadlines issue, "Reports", "Spot checks").
extension APIHandlers {
    func complianceReport(_ request: APIRequest) throws -> APIResponse {
        let (from, to) = try reportPeriod(request.query)
        let format = try printFormat(request, allowed: ["json", "html", "csv", "pdf"])
        let now = Date()
        let report = ComplianceReport(from: from, to: to, groups: try catalog.reportGroups(from: from, to: to, now: now), now: now,
                                      unitOrder: config.station.unitOrder)
        let stamp = try catalog.stamp(reason: "compliance report", actor: request.peer.auditName, reusing: true)
        var item = ComplianceReportItem(unit: config.station.unit, from: from, to: to, generatedAt: report.generatedAt,
                                        total: Self.line(report.total), units: report.units.map(Self.line),
                                        officers: report.officers.map(Self.line), devices: report.devices.map(Self.line),
                                        auditHead: stamp.headHash, auditRows: stamp.treeSize)
        let rank = Dictionary(config.station.unitOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // Counts cover every clip; the clips behind them are read through the caller's reader.
        item.lateClips = try request.reader.lateClips(from: from, to: to).map(Self.item).enumerated()
            .sorted { (rank[$0.element.unit ?? ""] ?? Int.max, $0.offset) < (rank[$1.element.unit ?? ""] ?? Int.max, $1.offset) }.map(\.element)
        item.preparedBy = Preparer.name(of: request.peer)
        item.stamp = AuditStampItem(stamp)
        let page = CompliancePage(report: item, timeZone: config.station.resolvedTimeZone)
        if format == "csv" { return .csv(page.csv()) }
        return try .printed(page.document(), format: format) ?? .json(item)
    }

    func reviewDetail(_ request: APIRequest) throws -> APIResponse {
        let number = request.parameter("sample")
        guard let id = Int64(number), let sample = try request.reader.reviewSample(id: id) else {
            throw APIRefusal.notFound("no review sample \(number); `custodyctl review list` shows them", zh: "没有编号为 \(number) 的抽查")
        }
        return .json(Self.item(sample))
    }

    func drawReviewSample(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(ReviewRequest.self)
        guard let window = ReviewSampler.period(body.period, timeZone: config.station.resolvedTimeZone) else {
            throw APIRefusal(.badRequest, "bad-period", "period \"\(body.period)\" is not a quarter (2026Q4), month (2026-11) or year (2026)",
                             zh: "期间“\(body.period)”格式不正确，应为 2026Q4、2026-11 或 2026")
        }
        guard body.subject == "clips" || body.subject == "officers" else {
            throw APIRefusal(.badRequest, "bad-subject", "subject must be clips or officers", zh: "抽查对象须为 clips（录像）或 officers（警员）")
        }
        guard body.ratio > 0 && body.ratio <= 1 else {
            throw APIRefusal(.badRequest, "bad-ratio", "ratio must be above 0 and at most 1 (e.g. 0.2)", zh: "抽查比例须大于 0 且不超过 1（如 0.2）")
        }
        let sample = try catalog.drawReviewSample(period: body.period, subject: body.subject, ratio: body.ratio,
                                                  seed: body.seed ?? UInt64.random(in: 1...UInt64.max), repeating: body.seed != nil,
                                                  from: window.from, to: window.to, actor: request.peer.auditName)
        return .json(Self.item(sample), status: .created)
    }

    func recordReviewFinding(_ request: APIRequest) throws -> APIResponse {
        guard let id = Int64(request.parameter("sample")) else { throw APIRefusal.notFound("no review sample \(request.parameter("sample"))") }
        let body = try request.decode(ReviewFindingRequest.self)
        return .json(Self.item(try catalog.recordReviewFinding(sampleID: id, ordinal: body.item, outcome: body.outcome,
                                                               note: body.note, actor: request.peer.auditName)))
    }

    /// `date=2026-11-29` (one day), `period=2026-11|2026Q4|2026`, or `from=…&to=…` (station time).
    func reportPeriod(_ query: [String: String]) throws -> (Date, Date) {
        let zone = config.station.resolvedTimeZone
        if let day = query["date"] {
            guard let start = StationTime.parse(day + " 00:00", timeZone: zone) else {
                throw APIRefusal(.badRequest, "bad-date", "date \"\(day)\" is not a day like 2026-11-29", zh: "日期“\(day)”格式不正确，应如 2026-11-29")
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return (start, calendar.date(byAdding: .day, value: 1, to: start)!)
        }
        if let period = query["period"] {
            guard let window = ReviewSampler.period(period, timeZone: zone) else {
                throw APIRefusal(.badRequest, "bad-period", "period \"\(period)\" is not a month (2026-11), quarter (2026Q4) or year",
                                 zh: "期间“\(period)”格式不正确，应为 2026-11、2026Q4 或 2026")
            }
            return (window.from, window.to)
        }
        let to = try query["to"].map { try time($0) } ?? Date()
        let from = try query["from"].map { try time($0) } ?? to.addingTimeInterval(-86_400)
        return (from, to)
    }

    static func line(_ l: ComplianceLine) -> ComplianceLineItem {
        var item = ComplianceLineItem(key: l.key, name: l.name, clips: l.clips, recordedHours: l.recordedSeconds / 3600, late: l.late,
                                      latePercent: l.latePercent, worstLateSeconds: l.worstLateSeconds, annotatedOnTime: l.annotatedOnTime,
                                      annotationOverdue: l.annotationOverdue, annotationPercent: l.annotationPercent, flagged: l.flagged,
                                      flagCounts: l.flagCounts)
        item.annotationDue = l.annotationDue
        item.unjudged = l.unjudged
        return item
    }

    static func item(_ c: LateClip) -> LateClipItem {
        LateClipItem(sha256: c.sha256, officerBadge: c.officerBadge, officerName: c.officerName, unit: c.unit, deviceSerial: c.deviceSerial,
                     recordedAt: c.recordedAt, dueAt: c.dueAt, ingestedAt: c.ingestedAt, lateSeconds: c.lateSeconds, deadlineRule: c.deadlineRule)
    }

    static func item(_ s: ReviewSample) -> ReviewItem {
        let entries = s.items.map {
            ReviewItem.Entry(ordinal: $0.ordinal, subjectKey: $0.subjectKey, outcome: $0.outcome, note: $0.note,
                             reviewer: $0.reviewer, reviewedAt: $0.reviewedAt)
        }
        var item = ReviewItem(id: s.id, period: s.period, subject: s.subject, ratio: s.ratio, seed: s.seed, population: s.population,
                              drawnBy: s.drawnBy, drawnAt: s.drawnAt, items: entries,
                              reviewed: entries.filter { $0.outcome != nil }.count, passed: entries.filter { $0.outcome == "pass" }.count,
                              problems: entries.filter { $0.outcome == "problem" }.count)
        item.draw = s.draw
        item.drawsOfPeriod = s.drawsOfPeriod
        return item
    }
}
