import ArgumentParser
import CustodyAPI
import Foundation

/// Which ledger table an import/export command works on.
protocol LedgerTableName { static var name: String { get } }
enum OfficersTable: LedgerTableName { static let name = "officers" }
enum DevicesTable: LedgerTableName { static let name = "devices" }
enum HandoversTable: LedgerTableName { static let name = "handovers" }

/// `officers|devices|handovers import FILE [--dry-run]`.
struct LedgerImport<Table: LedgerTableName>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV exported from Excel (UTF-8 or GBK, Chinese or English headers); all or nothing.") }
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The CSV file.") var file: String
    @Flag(help: "Only report what would change.") var dryRun = false

    func run() async throws {
        let table = Table.name
        try await perform {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ClientError(description: L10n.text("cannot read \(file)", zh: "无法读取文件 \(file)"))
            }
            let path = "/v1/import/\(table)" + (dryRun ? "?dryRun=1" : "")
            let answer = try await options.client.send(.POST, path, body: data, contentType: "text/csv")
            guard let report = try? APICoding.decoder().decode(ImportReport.self, from: answer.body) else {
                _ = try options.client.decode(answer, path: path, as: ImportReport.self)
                return
            }
            if options.json { printJSON(answer.body) } else {
                for warning in report.warnings ?? [] {
                    print(L10n.text("WARNING line \(warning.line) (\(warning.column)): \(warning.reason)",
                                    zh: "注意：第 \(warning.line) 行（\(warning.column)）警号 \(warning.reason.split(separator: " ").dropFirst().first ?? "") 位数不足，可能被 Excel 去掉了开头的 0；如是，请将该列设为文本后重新导入"))
                }
                if report.errors.isEmpty {
                    let verb = report.dryRun ? L10n.text("would change", zh: "将变更") : L10n.text("imported", zh: "已导入")
                    print(L10n.text("\(table) \(verb): \(report.added) added, \(report.changed) changed, \(report.unchanged) unchanged (\(report.encoding))",
                                    zh: "\(verb)：新增 \(report.added)，修改 \(report.changed)，未变 \(report.unchanged)（编码 \(report.encoding)）"))
                } else {
                    print(L10n.text("REFUSED: nothing was imported; \(report.errors.count) bad lines:", zh: "导入被拒绝，未做任何更改；有 \(report.errors.count) 行有误："))
                    let headers = L10n.chinese ? ["行号", "列", "原因"] : ["LINE", "COLUMN", "REASON"]
                    print(Format.table(headers, report.errors.map { ["\($0.line)", $0.column, L10n.chinese ? $0.reasonZh ?? $0.reason : $0.reason] }))
                }
            }
            if !report.errors.isEmpty { throw ExitCode(1) }
        }
    }
}

/// `officers|devices|handovers export [--chinese]`: CSV on stdout, UTF-8 with BOM for Excel.
struct LedgerExport<Table: LedgerTableName>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: "Export as CSV (UTF-8 with BOM, opens in Excel).")
    }
    @OptionGroup var options: GlobalOptions
    @Flag(help: "Chinese column headers (default when LANG is zh_*).") var chinese = false

    func run() async throws {
        let table = Table.name
        try await perform {
            let answer = try await options.client.get("/v1/export/\(table)" + (chinese || L10n.chinese ? "?lang=zh" : ""))
            guard answer.status == 200 else { _ = try options.client.decode(answer, path: table, as: [String].self); return }
            FileHandle.standardOutput.write(answer.body)
        }
    }
}
