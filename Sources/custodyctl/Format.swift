import CustodyAPI
import Foundation
import Synchronization

/// Plain-text tables and values for people.
enum Format {
    /// Columns padded by display width (CJK characters take two cells), fitted to `maxWidth`
    /// (80 by default, the terminal's when it is wider: `COLUMNS`): the last column is cut with "…".
    static func table(_ headers: [String], _ rows: [[String]], maxWidth: Int = terminalWidth) -> String {
        let all = [headers] + rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], width(cell)) } }
        return all.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                if i == row.count - 1 {
                    line += fit(cell, width(line), maxWidth)
                } else {
                    line += cell + String(repeating: " ", count: widths[i] - width(cell)) + "  "
                }
            }
            return line
        }.joined(separator: "\n")
    }

    static var terminalWidth: Int {
        max(80, Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80)
    }

    /// The cell cut so that a line already `used` cells wide stays within `maxWidth`.
    static func fit(_ cell: String, _ used: Int, _ maxWidth: Int) -> String {
        guard used + width(cell) > maxWidth else { return cell }
        var out = ""
        for character in cell {
            if used + width(out + String(character)) > maxWidth - 1 { break }
            out.append(character)
        }
        return out + "…"
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { total, scalar in
            total + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                     || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                     || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Local time to the minute, for table cells (the zone is printed once under the table).
    static func shortTime(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = StationZone.zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// "times: Asia/Shanghai (+08:00)" under a table of short times.
    static var zoneNote: String {
        let zone = StationZone.zone
        let offset = zone.secondsFromGMT()
        let text = String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return L10n.text("times: \(zone.identifier) (\(text))", zh: "时间：\(zone.identifier)（\(text)）")
    }

    /// Local time with its offset, as the clerk reads it.
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = StationZone.zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    /// An audit row's detail for people: the row images a state-changing event carries (the
    /// catalog's proof, for `audit verify`) are summed up as "+N rows", not printed; `--json` has them.
    static func auditDetail(_ detail: String) -> String {
        guard let range = detail.range(of: "\"rows\":[{\"table\":", options: .backwards) else { return detail }
        let rows = detail[range.lowerBound...].components(separatedBy: "{\"table\":").count - 1
        var head = String(detail[..<range.lowerBound])
        if head.hasSuffix(",") { head.removeLast() }
        return head + "}" + L10n.text(" (+\(rows) bound rows)", zh: "（附 \(rows) 行状态）")
    }
}

/// The station's time zone (`[station] time_zone`), learnt from the daemon before the first
/// request (attribution issue, item 8: every time the CLI prints is station time, whatever the
/// terminal's TZ). The system's until the daemon has said.
enum StationZone {
    private static let learnt = Mutex<TimeZone?>(nil)
    private static let asked = Mutex(false)

    static var zone: TimeZone { learnt.withLock { $0 } ?? .current }

    /// Whether the daemon still has to be asked (true once, for the first caller).
    static func shouldAsk() -> Bool {
        asked.withLock { done in
            defer { done = true }
            return !done
        }
    }

    /// Takes the zone from a `/v1/me` answer.
    static func learn(from me: Data) {
        guard let answer = try? APICoding.decoder().decode(CallerItem.self, from: me),
              let zone = TimeZone(identifier: answer.timeZone) else { return }
        learnt.withLock { $0 = zone }
    }
}
