import Foundation

/// The working-day calendar file (`etc/custody/calendar.txt`): one entry per line,
///
///     2026-10-01..2026-10-07  holiday  国庆节
///     2026-10-10              workday  国庆节调休上班
///
/// `holiday` (or 放假) marks days off, `workday` (or 上班, 调休) weekend days worked; `#` starts a
/// comment. Plain text so a clerk can add next year's dates from the State Council notice with
/// any editor; a wrong line is refused whole with its number, never half-read.
public enum CalendarFile {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) { self.line = line; self.reason = reason }
        public var description: String { line > 0 ? "calendar line \(line): \(reason)" : reason }
    }

    public static func parse(_ text: String, timeZone: TimeZone) throws -> WorkingCalendar {
        var calendar = WorkingCalendar(timeZone: timeZone)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{FEFF}" })
            if fields.isEmpty { continue }
            guard fields.count >= 2 else {
                throw Problem(line: lineNumber, reason: "expected a date or range and a kind (holiday or workday), got \"\(line)\"")
            }
            let name = fields.dropFirst(2).joined(separator: " ")
            let days = try range(String(fields[0]), line: lineNumber)
            switch fields[1].lowercased() {
            case "holiday", "放假", "休":
                for day in days { calendar.holidays[day] = name }
            case "workday", "上班", "调休", "班":
                for day in days { calendar.workdays[day] = name }
            default:
                throw Problem(line: lineNumber, reason: "kind \"\(fields[1])\" is neither holiday (放假) nor workday (上班)")
            }
        }
        if let both = Set(calendar.holidays.keys).intersection(calendar.workdays.keys).min() {
            throw Problem(line: 0, reason: "\(both) is listed both as a holiday and as a working day")
        }
        return calendar
    }

    /// `2026-10-01` or `2026-10-01..2026-10-07`, as `yyyymmdd` days (at most a year long).
    static func range(_ text: String, line: Int) throws -> [WorkingCalendar.Day] {
        let parts = text.components(separatedBy: "..")
        guard parts.count <= 2, let first = date(parts[0]), let last = parts.count == 2 ? date(parts[1]) : first else {
            throw Problem(line: line, reason: "\"\(text)\" is not a date (2026-10-01) or a range (2026-10-01..2026-10-07)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: first), let end = calendar.date(from: last), start <= end,
              end.timeIntervalSince(start) < 366 * 86_400 else {
            throw Problem(line: line, reason: "range \"\(text)\" ends before it starts or is longer than a year")
        }
        var days: [WorkingCalendar.Day] = []
        var cursor = start
        while cursor <= end {
            let c = calendar.dateComponents([.year, .month, .day], from: cursor)
            days.append(c.year! * 10_000 + c.month! * 100 + c.day!)
            cursor = cursor.addingTimeInterval(86_400)
        }
        return days
    }

    /// A real calendar date `yyyy-MM-dd` (2026-02-30 is refused, not rolled into March).
    static func date(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == d, calendar.component(.month, from: date) == m else { return nil }
        return components
    }
}
