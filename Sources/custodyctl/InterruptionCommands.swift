import ArgumentParser
import CustodyAPI
import Foundation

struct Interruptions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Notes on why a recording stopped (中止记录), reviewed by the head of unit.",
                                                    subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record why a recording was interrupted.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The handover it belongs to.") var handover: Int64?
        @Option(help: "The clip it belongs to (hash or prefix).") var clip: String?
        @Option(help: "device-fault, battery, storage-full, weather, obstruction or other.") var reason: String
        @Option(help: "What happened (required for other).") var note: String = ""
        @Option(help: "The head of unit who reviewed it (recorded as your assertion, under your account).") var reviewedBy: String
        func run() async throws {
            try await perform {
                let request = InterruptionRequest(handoverID: handover, clip: clip, reason: reason, note: note, reviewedBy: reviewedBy)
                let (item, raw) = try await options.client.post("/v1/interruptions", request, as: InterruptionItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("interruption note \(item.id) recorded", zh: "已登记中止记录 \(item.id)"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List interruption notes.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/interruptions", as: [InterruptionItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["编号", "交接", "录像", "原因", "说明", "审核人"] : ["ID", "HANDOVER", "CLIP", "REASON", "NOTE", "REVIEWED BY"]
                print(Format.table(headers, items.map {
                    ["\($0.id)", $0.handoverID.map(String.init) ?? "-", $0.clipSHA256.map { String($0.prefix(12)) } ?? "-", $0.reason, $0.note,
                     $0.reviewedBy + L10n.text(" (asserted by \($0.reviewerAssertedBy ?? $0.recordedBy))", zh: "（\($0.reviewerAssertedBy ?? $0.recordedBy) 登记）")]
                }))
            }
        }
    }
}

struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The printed ledger (台账): handovers in a period and what was recorded in each.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "One device.") var device: String?
    @Option(help: "One officer (badge).") var officer: String?
    @Option(help: "Period start (station time); default a month before --to.") var from: String?
    @Option(help: "Period end (station time); default now.") var to: String?
    @Flag(help: "CSV for Excel.") var csv = false
    @OptionGroup var printed: PrintedOutput

    func run() async throws {
        try await perform {
            var query = ["format=\(printed.format ?? (csv ? "csv" : "json"))"]
            if let device { query.append("device=\(escaped(device))") }
            if let officer { query.append("officer=\(escaped(officer))") }
            if let from { query.append("from=\(escaped(from))") }
            if let to { query.append("to=\(escaped(to))") }
            let path = "/v1/ledger?" + query.joined(separator: "&")
            if printed.format != nil || csv { return try await printed.write(options.client, path, refusalAs: LedgerReport.self) }
            let (report, raw) = try await options.client.get(path, as: LedgerReport.self)
            if options.json { return printJSON(raw) }
            let headers = L10n.chinese ? ["领用", "归还", "设备", "警号", "姓名", "录制数", "时长", "标记"]
                                       : ["OUT", "IN", "DEVICE", "BADGE", "NAME", "CLIPS", "DURATION", "FLAGS"]
            print(Format.table(headers, report.rows.map { row in
                [Format.shortTime(row.handover.checkedOutAt), row.handover.checkedInAt.map(Format.shortTime) ?? "-", row.device, row.handover.badge,
                 row.officerName, "\(row.clips)", String(format: "%.0f min", row.recordedSeconds / 60),
                 L10n.chinese ? Vocabulary.flagCounts(row.flags) : row.flags.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")]
            }))
        }
    }
}
