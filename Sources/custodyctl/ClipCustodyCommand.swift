import ArgumentParser
import CustodyAPI
import Foundation
import Glibc

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
        @Flag(help: "Printable Chinese HTML.") var html = false
        @Flag(help: "PDF (A4, Chinese) to print or file.") var pdf = false
        @Option(help: "Write the HTML or PDF to this file instead of standard output.") var output: String?

        func validate() throws {
            if html && pdf { throw ValidationError("give --html or --pdf, not both") }
            if output != nil && !html && !pdf { throw ValidationError("--output needs --html or --pdf") }
            if pdf && output == nil && isatty(STDOUT_FILENO) == 1 {
                throw ValidationError("a PDF is not for the terminal: add --output FILE or redirect standard output")
            }
        }

        func run() async throws {
            try await perform {
                let format = html ? "html" : pdf ? "pdf" : "json"
                let path = "/v1/clips/\(escaped(clip))/custody?format=\(format)"
                if html || pdf {
                    let answer = try await options.client.get(path)
                    guard answer.status == 200 else { _ = try options.client.decode(answer, path: path, as: CustodyReportItem.self); return }
                    if let output {
                        guard FileManager.default.createFile(atPath: output, contents: answer.body) else {
                            throw ClientError(description: L10n.text("cannot write \(output)", zh: "无法写入 \(output)"))
                        }
                        print(L10n.text("custody report written to \(output)", zh: "监管链报告已写入 \(output)"))
                    } else {
                        FileHandle.standardOutput.write(answer.body)
                    }
                    return
                }
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
