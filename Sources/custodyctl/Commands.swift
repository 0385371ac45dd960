import ArgumentParser
import CustodyAPI
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Path of custodyd's Unix socket.")
    var socket: String = ProcessInfo.processInfo.environment["CUSTODY_SOCKET"] ?? "/run/custody/custodyd.sock"

    @Flag(name: .long, help: "Print JSON for scripts instead of a table.")
    var json = false

    var client: SocketClient { SocketClient(socketPath: socket) }
}

/// Runs a command body, mapping failures to exit code 1 with the message on stderr.
func perform(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ClientError {
        FileHandle.standardError.write(Data("custodyctl: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

func printJSON(_ data: Data) {
    FileHandle.standardOutput.write(data)
    if data.last != UInt8(ascii: "\n") { print() }
}

@main
struct Custodyctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodyctl",
        abstract: "Talk to custodyd, the evidence-room daemon, over its Unix socket.",
        version: "0.1.0",
        subcommands: [Status.self, Clips.self, Dumps.self, Officers.self, Devices.self, Handovers.self, Interruptions.self, Ledger.self, Deadlines.self, Cases.self, Report.self, Review.self, Retain.self, Hold.self, Disposal.self, Discs.self, Access.self, Watch.self, Audit.self, Fsck.self, Jobs.self, Backup.self])

    /// The interface contract puts global options first (`custodyctl --socket PATH status --json`);
    /// ArgumentParser reads options on the subcommand that declares them, so they move to the end.
    static func main() async {
        let arguments = hoistGlobalOptions(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The interface contract: 2 for a usage error (ArgumentParser's default is 64).
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    static func hoistGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            if first == "--socket", rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--socket=") || first == "--json" {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        return Array(rest) + leading
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the daemon is doing.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await perform {
            let (status, raw) = try await options.client.get("/v1/status", as: StatusResponse.self)
            if options.json { return printJSON(raw) }
            let free: String = status.store.freeBytes.map { Format.bytes(Int64($0)) } ?? "?"
            var lines: [String] = []
            lines.append(L10n.field("Version", "版本", status.version))
            lines.append(L10n.field("Unit", "单位", status.unit))
            lines.append(L10n.field("Dumps being ingested", "正在导入", "\(status.ingest.active)"))
            lines.append(L10n.field("Clips", "声像资料总数", "\(status.clips.total)"))
            lines.append(L10n.field("Store free", "存储剩余空间", free))
            lines.append(L10n.field("Audit log", "审计日志", L10n.text("\(status.auditRows) rows, head \(status.auditHead.prefix(16))",
                                                              zh: "\(status.auditRows) 条，链头 \(status.auditHead.prefix(16))")))
            if let reason = status.ingest.pausedReason {
                lines.append(L10n.text("INGEST PAUSED: ", zh: "导入已暂停：") + reason)
            }
            for alarm in status.alarms { lines.append(L10n.text("ALARM: ", zh: "警报：") + alarm) }
            if let integrity = status.integrity { lines += Self.integrityLines(integrity) }
            if let capacity = status.capacity { lines.append(Capacity.line(capacity)) }
            for alert in status.openAlerts ?? [] { lines.append(L10n.text("ALERT: ", zh: "提醒：") + alert.message) }
            if let problem = status.calendarProblem { lines.append(L10n.text("CALENDAR REFUSED: ", zh: "工作日历文件有误：") + problem) }
            for job in status.jobs ?? [] { lines.append(L10n.text("JOB: ", zh: "后台任务：") + Jobs.line(job)) }
            print(lines.joined(separator: "\n"))
        }
    }

    /// The audit chain against the catalog and the anchors: one line when all is well.
    static func integrityLines(_ i: IntegrityItem) -> [String] {
        let names = ["ok": ("intact: chain, rows and anchors agree", "完整：审计链、目录与签名锚点一致"),
                     "checking": ("checking (the check at start is running)", "检查中（启动时的完整性检查正在进行）"),
                     "alarm": ("INTEGRITY ALARM: disposal and exports refused until an admin acknowledges", "完整性告警：管理员确认前拒绝销毁和导出"),
                     "acknowledged": ("findings acknowledged by \(i.acknowledgedBy ?? "?"): \(i.acknowledgedReason ?? "")",
                                      "问题已由 \(i.acknowledgedBy ?? "?") 确认：\(i.acknowledgedReason ?? "")")]
        let name = names[i.state] ?? (i.state, i.state)
        return [L10n.field("Integrity", "完整性", L10n.text(name.0, zh: name.1))]
            + i.problems.map { "  " + $0 } + i.warnings.map { L10n.text("  warning: ", zh: "  注意：") + $0 }
    }
}
