import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging

/// Sends each new alert once (deadlines issue, "Alerts"): the catalog remembers what was raised
/// at which level, so a condition is announced when it appears and again when it escalates, not
/// on every scan and not again after a restart. A new alert becomes a warning line with
/// structured fields (journald), an `alert` event on the socket's stream, an audit row (through
/// the catalog), and, when configured, a run of the alert command with the alert as JSON on stdin.
public struct AlertCenter: Sendable {
    let catalog: Catalog
    let monitor: IngestMonitor
    let settings: CustodyConfig.Alerts
    let logger: Logger

    public init(catalog: Catalog, monitor: IngestMonitor, settings: CustodyConfig.Alerts, logger: Logger) {
        self.catalog = catalog; self.monitor = monitor; self.settings = settings; self.logger = logger
    }

    /// Raises `alert` unless it was already raised at its level; returns true when it was new.
    @discardableResult
    public func raise(_ alert: AlertItem) -> Bool {
        var fields: [String: String] = ["kind": alert.kind, "level": alert.level]
        if let v = alert.officerBadge { fields["officer"] = v }
        if let v = alert.deviceSerial { fields["device"] = v }
        if let v = alert.caseNumber { fields["case"] = v }
        if let v = alert.dueAt { fields["due"] = ISO8601DateFormatter().string(from: v) }
        if let v = alert.lateSeconds { fields["lateSeconds"] = String(Int(v)) }
        do {
            guard try catalog.raiseAlert(key: alert.key, level: alert.level, message: alert.message, detail: fields, at: alert.at) else {
                return false
            }
        } catch {
            logger.error("could not record an alert", metadata: ["key": "\(alert.key)", "error": "\(error)"])
            return false
        }
        var metadata: Logger.Metadata = ["alert": "\(alert.key)"]
        for (key, value) in fields { metadata[key] = "\(value)" }
        if alert.level == "critical" || alert.level == "escalated" {
            logger.error("\(alert.message)", metadata: metadata)
        } else {
            logger.warning("\(alert.message)", metadata: metadata)
        }
        var event = CustodyEvent(kind: .alert, at: alert.at, message: alert.message)
        event.payload = try? APICoding.encoder().encode(alert)
        monitor.events.publish(event)
        if !settings.command.isEmpty { runCommand(alert) }
        return true
    }

    /// Runs the configured command without a shell, the alert as JSON on stdin, killed after the
    /// timeout; failures are logged (the alert itself is already recorded and announced).
    func runCommand(_ alert: AlertItem) {
        let command = settings.command
        let timeout = settings.commandTimeoutSeconds
        let logger = self.logger
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // One line of JSON, so a receiving script can read it with `read` or `jq -c`.
        guard let json = try? encoder.encode(alert) else { return }
        Thread.detachNewThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let stdin = Pipe()
            process.standardInput = stdin
            process.standardOutput = FileHandle.nullDevice
            let stderr = Pipe()
            process.standardError = stderr
            do {
                try process.run()
            } catch {
                logger.error("alert command could not start", metadata: ["command": "\(command[0])", "alert": "\(alert.key)", "error": "\(error)"])
                return
            }
            try? stdin.fileHandleForWriting.write(contentsOf: json + Data([0x0A]))
            try? stdin.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                process.terminate()
                Thread.sleep(forTimeInterval: 0.5)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitForExit()
                logger.error("alert command timed out and was killed", metadata: ["command": "\(command[0])", "alert": "\(alert.key)",
                                                                                    "timeoutSeconds": "\(timeout)"])
                return
            }
            process.waitForExit()
            if process.terminationStatus != 0 {
                let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile().prefix(500), as: UTF8.self)
                logger.error("alert command failed", metadata: ["command": "\(command[0])", "alert": "\(alert.key)",
                                                                "status": "\(process.terminationStatus)", "stderr": "\(text)"])
            }
        }
    }
}
