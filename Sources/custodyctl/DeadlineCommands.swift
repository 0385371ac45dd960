import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl deadlines`: overdue and due-soon work, the store's room, open alerts.
struct Deadlines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Overdue and due-soon work: devices not dumped, clips not annotated, cases not archived; store capacity.",
        subcommands: [List.self, Exception.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List overdue and due-soon items (who, which device, since when, how late).")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (r, raw) = try await options.client.get("/v1/deadlines", as: DeadlinesResponse.self)
                if options.json { return printJSON(raw) }
                let zh = L10n.chinese
                let headers = zh ? ["状态", "事项", "警员", "设备/案件", "起算", "期限", "超期"]
                                 : ["STATUS", "ITEM", "OFFICER", "DEVICE/CASE", "SINCE", "DUE", "LATE BY"]
                print(Format.table(headers, r.items.map { item in
                    [Self.status(item.status), Self.kind(item.kind, count: item.count),
                     [item.officerName, item.officerBadge].compactMap { $0 }.joined(separator: " "),
                     item.deviceSerial ?? item.caseNumber ?? "-", Format.shortTime(item.since), Format.shortTime(item.dueAt),
                     item.lateSeconds > 0 ? Self.duration(item.lateSeconds) : "-"]
                }))
                let overdue = r.items.filter { $0.status != "due-soon" }.count
                print(L10n.text("\(overdue) overdue, \(r.items.count - overdue) due soon; ", zh: "超期 \(overdue) 项，即将到期 \(r.items.count - overdue) 项；") + Format.zoneNote)
                print(Capacity.line(r.capacity))
                if r.calendarYears.isEmpty {
                    print(L10n.text("calendar: weekends only (no holiday file)", zh: "工作日历：仅按周末计算（无节假日文件）"))
                } else if let year = Calendar(identifier: .gregorian).dateComponents([.year], from: r.at).year, !r.calendarYears.contains(year) {
                    print(L10n.text("WARNING: the holiday calendar does not cover \(year); add it to calendar.txt",
                                    zh: "警告：节假日日历未包含 \(year) 年，请补充 calendar.txt"))
                }
                if let problem = r.calendarProblem { print(L10n.text("CALENDAR REFUSED: ", zh: "工作日历文件有误：") + problem) }
            }
        }

        static func status(_ s: String) -> String {
            L10n.chinese ? Vocabulary.name(Vocabulary.deadlineStatuses, s) : s.uppercased()
        }

        static func kind(_ k: String, count: Int) -> String {
            switch k {
            case "annotation": return L10n.text("\(count) clips not annotated", zh: "\(count) 条未标注")
            default: return L10n.chinese ? Vocabulary.name(Vocabulary.deadlineKinds, k) : Vocabulary.english("deadlineKinds", k)
            }
        }

        static func duration(_ seconds: Double) -> String {
            let s = Int(seconds)
            if s >= 86_400 { return L10n.text("\(s / 86_400)d \(s % 86_400 / 3600)h", zh: "\(s / 86_400)天\(s % 86_400 / 3600)小时") }
            if s >= 3600 { return L10n.text("\(s / 3600)h \(s % 3600 / 60)m", zh: "\(s / 3600)小时\(s % 3600 / 60)分") }
            return L10n.text("\(s / 60)m \(s % 60)s", zh: "\(s / 60)分\(s % 60)秒")
        }
    }

    struct Exception: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an exception for one handover: its clips get the hard maximum window (approver role).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Handover number (custodyctl handovers list).") var handover: Int64
        @Option(help: "Why the exception was approved.") var reason: String
        @Option(help: "Who asked for it (user name or uid); the approver must be someone else.") var requestedBy: String?
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/deadlines/exceptions",
                                                                ExceptionRequest(handoverID: handover, reason: reason, requestedBy: requestedBy),
                                                                as: HandoverItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("exception recorded for handover \(handover) (device \(item.serial), officer \(item.badge)); its clips were judged again",
                                zh: "已批准交接 \(handover)（设备 \(item.serial)，警号 \(item.badge)）延期，相关录像已重新判定"))
            }
        }
    }
}

enum Capacity {
    static func line(_ c: CapacityItem) -> String {
        let days = c.daysUntilFull.map { String(format: "%.0f", $0) }
        let level = L10n.chinese ? Vocabulary.name(Vocabulary.capacityLevels, c.level) : c.level.uppercased()
        return L10n.text("store: \(Format.bytes(Int64(c.freeBytes))) free of \(Format.bytes(Int64(c.totalBytes))) (\(String(format: "%.1f", c.freePercent)) %), "
                         + "\(Format.bytes(Int64(c.bytesPerDay)))/day, " + (days.map { "full in ~\($0) days" } ?? "no recent ingest") + ", \(level)"
                         + (c.paused ? ", INGEST PAUSED" : ""),
                         zh: "存储：剩余 \(Format.bytes(Int64(c.freeBytes)))/共 \(Format.bytes(Int64(c.totalBytes)))（\(String(format: "%.1f", c.freePercent))%），"
                         + "日均 \(Format.bytes(Int64(c.bytesPerDay)))，" + (days.map { "约 \($0) 天后写满" } ?? "近期无导入") + "，\(level)"
                         + (c.paused ? "，导入已暂停" : ""))
    }
}
