import ArgumentParser
import CustodyAPI
import Foundation

extension Clips {
    /// `custodyctl clips custody SHA [--html|--pdf] [--output FILE]`: the clip's chain of custody.
    struct Custody: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The chain-of-custody report of one clip: every event from the camera to today, with the audit checkpoint it was made at.",
            discussion: """
                Docking, copy, verification, ledger matching, annotations, marks, holds, disc copies and where they are kept, \
                every request, look and export, disposal: each line names the audit row behind it. --html and --pdf give the \
                printable Chinese report (A4, page numbers, 制表人, signature lines) for the case file; making one is audited.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256, or a unique prefix of at least 8 hex digits.") var clip: String
        @OptionGroup var printed: PrintedOutput

        func validate() throws {
            if printed.output != nil && printed.format == nil { throw ValidationError("--output needs --html or --pdf") }
        }

        func run() async throws {
            try await perform {
                let path = "/v1/clips/\(escaped(clip))/custody?format=\(printed.format ?? "json")"
                if printed.format != nil { return try await printed.write(options.client, path, refusalAs: CustodyReportItem.self) }
                let (report, raw) = try await options.client.get(path, as: CustodyReportItem.self)
                if options.json { return printJSON(raw) }
                Self.show(report)
            }
        }

        static func show(_ report: CustodyReportItem) {
            Swift.print(L10n.text("Chain of custody of \(report.clip.sha256)", zh: "录像 \(report.clip.sha256) 的监管链"))
            for row in report.summary where row.count == 2 && row[0] != "录像 SHA-256" {
                Swift.print("  \(row[0])：\(row[1].replacingOccurrences(of: "\n", with: "；"))")
            }
            let headers = L10n.chinese ? ["时间", "审计", "事件", "操作人", "说明"] : ["TIME", "AUDIT", "EVENT", "ACTOR", "DETAIL"]
            Swift.print(Format.table(headers, report.events.map {
                [Format.shortTime($0.at), $0.seq.map { "#\($0)" } ?? "-", $0.title, $0.actor, $0.detail]
            }))
            Swift.print(L10n.text("made at audit row \(report.stamp.treeSize), head \(report.stamp.headHash.prefix(16)), root \(report.stamp.root.prefix(16)); ",
                                  zh: "制表于审计日志第 \(report.stamp.treeSize) 条，链头 \(report.stamp.headHash.prefix(16))，Merkle 根 \(report.stamp.root.prefix(16))；")
                        + Format.zoneNote)
        }
    }
}
