import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl report`: compliance per unit, officer and device, as a table, JSON, CSV or printable HTML.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compliance reports: clips, recorded hours, late uploads, annotation, findings per unit, officer and device.",
        subcommands: [Daily.self, Period.self])

    struct Output: ParsableArguments {
        @Option(help: "Which lines: unit, officer, device or all.") var by: String = "all"
        @Flag(help: "CSV for Excel (the late clips follow the table).") var csv = false
        @OptionGroup var printed: PrintedOutput
    }

    struct Daily: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The report for one day (default: yesterday).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var output: Output
        @Option(help: "The day, like 2026-11-29 (station time).") var date: String?
        func run() async throws {
            let day = date ?? Report.yesterday()
            try await Report.show(options, output, query: "date=\(escaped(day))")
        }
    }

    struct Period: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The report for a month (2026-11), quarter (2026Q4), year, or --from/--to.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var output: Output
        @Option(help: "Month, quarter or year.") var period: String?
        @Option(help: "Start (station time).") var from: String?
        @Option(help: "End (station time).") var to: String?
        func run() async throws {
            var query: [String] = []
            if let period { query.append("period=\(escaped(period))") }
            if let from { query.append("from=\(escaped(from))") }
            if let to { query.append("to=\(escaped(to))") }
            guard !query.isEmpty else { throw ValidationError("give --period (2026-11, 2026Q4, 2026) or --from and --to") }
            try await Report.show(options, output, query: query.joined(separator: "&"))
        }
    }

    static func yesterday() -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-86_400))
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func show(_ options: GlobalOptions, _ output: Output, query: String) async throws {
        guard ["all", "unit", "officer", "device"].contains(output.by) else {
            throw ValidationError("--by must be unit, officer, device or all")
        }
        try await perform {
            let format = output.printed.format ?? (output.csv ? "csv" : "json")
            let path = "/v1/reports/compliance?format=\(format)&" + query
            if format != "json" { return try await output.printed.write(options.client, path, refusalAs: ComplianceReportItem.self) }
            let (r, raw) = try await options.client.get(path, as: ComplianceReportItem.self)
            if options.json { return printJSON(raw) }
            let zh = L10n.chinese
            print(L10n.text("Compliance \(Format.shortTime(r.from)) – \(Format.shortTime(r.to)), \(r.unit)",
                            zh: "执法音像记录管理情况 \(Format.shortTime(r.from)) 至 \(Format.shortTime(r.to))，\(r.unit)"))
            let headers = zh ? ["类别", "编号", "名称", "录制", "小时", "超期", "超期率", "最长超期", "标注合格", "问题"]
                             : ["GROUP", "KEY", "NAME", "CLIPS", "HOURS", "LATE", "LATE%", "WORST", "ANNOT%", "FLAGGED"]
            var rows = [line(L10n.text("total", zh: "合计"), r.total)]
            if output.by == "all" || output.by == "unit" { rows += r.units.map { line(L10n.text("unit", zh: "单位"), $0) } }
            if output.by == "all" || output.by == "officer" { rows += r.officers.map { line(L10n.text("officer", zh: "警员"), $0) } }
            if output.by == "all" || output.by == "device" { rows += r.devices.map { line(L10n.text("device", zh: "设备"), $0) } }
            print(Format.table(headers, rows))
            let late = r.lateClips ?? []
            if !late.isEmpty {
                print(L10n.text("late clips (\(late.count)):", zh: "超期上传录像（\(late.count) 条）："))
                print(Format.table(zh ? ["哈希", "警号", "设备", "录制时间", "期限", "超期"] : ["SHA-256", "BADGE", "DEVICE", "RECORDED", "DUE", "LATE BY"],
                                   late.map { [String($0.sha256.prefix(12)), $0.officerBadge ?? "-", $0.deviceSerial ?? "-", Format.shortTime($0.recordedAt),
                                               Format.shortTime($0.dueAt), Deadlines.List.duration($0.lateSeconds)] }))
            }
            print(L10n.text("audit head \(r.auditHead) (\(r.auditRows) rows); made by \(r.preparedBy ?? "-")",
                            zh: "审计链头 \(r.auditHead)（\(r.auditRows) 条）；制表人 \(r.preparedBy ?? "-")"))
        }
    }

    static func line(_ group: String, _ l: ComplianceLineItem) -> [String] {
        [group, l.key.isEmpty ? "-" : l.key, l.name, "\(l.clips)", String(format: "%.1f", l.recordedHours), "\(l.late)",
         String(format: "%.1f", l.latePercent), l.worstLateSeconds > 0 ? Deadlines.List.duration(l.worstLateSeconds) : "-",
         (l.annotationDue ?? 1) == 0 ? "-" : String(format: "%.0f", l.annotationPercent), "\(l.flagged)"]
    }
}

/// `custodyctl review`: spot checks (双随机) drawn reproducibly from a recorded seed.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Spot checks: draw a seeded random sample of clips or officers, record findings, report the outcome.",
        subcommands: [Sample.self, Record.self, Show.self, List.self])

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a sample (the seed is recorded; --seed repeats a draw).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Share of the population, e.g. 0.2.") var ratio: Double
        @Option(help: "Quarter (2026Q4), month (2026-11) or year.") var period: String
        @Option(help: "clips or officers.") var subject: String = "clips"
        @Option(help: "Seed of an earlier draw of this period, to repeat it (new draws take the daemon's seed).") var seed: UInt64?
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/reviews", ReviewRequest(period: period, subject: subject, ratio: ratio, seed: seed),
                                                                as: ReviewItem.self)
                if options.json { return printJSON(raw) }
                Review.print(item)
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the finding for one item of a sample.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Sample number.") var sample: Int64
        @Argument(help: "Item number within the sample.") var item: Int
        @Option(help: "pass or problem.") var outcome: String
        @Option(help: "What was found (required for a problem).") var note: String = ""
        func run() async throws {
            try await perform {
                let (r, raw) = try await options.client.post("/v1/reviews/\(sample)/findings",
                                                             ReviewFindingRequest(item: item, outcome: outcome, note: note), as: ReviewItem.self)
                if options.json { return printJSON(raw) }
                Review.print(r)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a sample with its findings and outcome.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Sample number.") var sample: Int64
        func run() async throws {
            try await perform {
                let (r, raw) = try await options.client.get("/v1/reviews/\(sample)", as: ReviewItem.self)
                if options.json { return printJSON(raw) }
                Review.print(r)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List samples.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/reviews", as: [ReviewItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["编号", "期间", "对象", "比例", "总体", "抽中", "已查", "问题"] : ["ID", "PERIOD", "SUBJECT", "RATIO", "POPULATION", "DRAWN", "REVIEWED", "PROBLEMS"]
                Swift.print(Format.table(headers, items.map {
                    ["\($0.id)", $0.period, $0.subject, "\($0.ratio)", "\($0.population)", "\($0.items.count)", "\($0.reviewed)", "\($0.problems)"]
                }))
            }
        }
    }

    static func print(_ r: ReviewItem) {
        Swift.print(L10n.text("sample \(r.id): \(r.subject) of \(r.period), ratio \(r.ratio), seed \(r.seed), \(r.items.count) of \(r.population) drawn",
                              zh: "抽查 \(r.id)：\(r.period) \(r.subject == "officers" ? "警员" : "录像")，比例 \(r.ratio)，种子 \(r.seed)，从 \(r.population) 个中抽取 \(r.items.count) 个"))
        if let draw = r.draw, let draws = r.drawsOfPeriod, draws > 1 {
            Swift.print(L10n.text("draw \(draw) of \(draws) of this period (every draw is recorded)", zh: "本期第 \(draw) 次抽取，共 \(draws) 次（每次抽取均有记录）"))
        }
        let headers = L10n.chinese ? ["序号", "对象", "结论", "检查人", "说明"] : ["#", "SUBJECT", "OUTCOME", "REVIEWER", "NOTE"]
        Swift.print(Format.table(headers, r.items.map {
            ["\($0.ordinal)", $0.subjectKey.count == 64 ? String($0.subjectKey.prefix(12)) : $0.subjectKey,
             $0.outcome.map { L10n.chinese ? ($0 == "pass" ? "合格" : "有问题") : $0 } ?? "-", $0.reviewer ?? "-", $0.note ?? ""]
        }))
        Swift.print(L10n.text("reviewed \(r.reviewed)/\(r.items.count): \(r.passed) pass, \(r.problems) problem",
                              zh: "已检查 \(r.reviewed)/\(r.items.count)：合格 \(r.passed)，有问题 \(r.problems)"))
    }
}
