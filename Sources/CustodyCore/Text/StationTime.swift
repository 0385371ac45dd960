import Foundation

/// Times as people type them at the station: wall clock in the station's zone, or ISO 8601.
public enum StationTime {
    /// Parses "2026-11-27 08:30", "2026-11-27 08:30:15", "2026/11/27 8:30", or ISO 8601 with a zone.
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let iso = try? Date.ISO8601FormatStyle().parse(trimmed) { return iso }
        let fields = trimmed.split(whereSeparator: { " -/:T".contains($0) }).map(String.init)
        guard (5...6).contains(fields.count) else { return nil }
        let numbers = fields.compactMap { Int($0) }
        guard numbers.count == fields.count else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3],
                                   minute: numbers[4], second: numbers.count == 6 ? numbers[5] : 0)
        guard let date = calendar.date(from: parts) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day, back.hour == parts.hour,
              back.minute == parts.minute, back.second == parts.second else { return nil }
        return date
    }

    /// The start (00:00, station time) of a day written "2026-11-27" or "2026/11/27"; nil for
    /// anything else, a time of day included, or a day that does not exist.
    public static func day(_ text: String, timeZone: TimeZone) -> Date? {
        let fields = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        let parts = fields.count == 3 ? fields : text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return parse(String(format: "%04d-%02d-%02d 00:00", y, m, d), timeZone: timeZone)
    }

    /// "2026-11-27 08:30" in the station's zone, for messages and reports.
    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
