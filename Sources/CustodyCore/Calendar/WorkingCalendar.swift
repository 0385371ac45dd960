import Foundation

/// Which days are working days (工作日): Monday to Friday, less public holidays (放假), plus the
/// make-up working days (调休上班) that move a weekend day into the week (DESIGN.md, "Time").
///
/// Deadlines in working days count on this calendar; deadlines in hours count real elapsed time.
/// Pure value: the daemon reads it from the calendar file (`CalendarFile`) and swaps in a new one
/// when the file changes.
public struct WorkingCalendar: Sendable, Equatable {
    /// A calendar day as `yyyymmdd` (20261005), in the station's zone.
    public typealias Day = Int

    public var timeZone: TimeZone
    /// Weekdays that are days off, with their holiday names.
    public var holidays: [Day: String]
    /// Weekend days that are working days, with what they make up for.
    public var workdays: [Day: String]

    public init(timeZone: TimeZone, holidays: [Day: String] = [:], workdays: [Day: String] = [:]) {
        self.timeZone = timeZone; self.holidays = holidays; self.workdays = workdays
    }

    /// Years the calendar file says something about; a year outside them counts weekends only.
    public var years: [Int] { Set((Array(holidays.keys) + Array(workdays.keys)).map { $0 / 10_000 }).sorted() }

    var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    public func day(of date: Date) -> Day {
        let c = gregorian.dateComponents([.year, .month, .day], from: date)
        return c.year! * 10_000 + c.month! * 100 + c.day!
    }

    /// Whether `date`'s calendar day (station zone) is a working day.
    public func isWorkingDay(_ date: Date) -> Bool {
        let key = day(of: date)
        if workdays[key] != nil { return true }
        if holidays[key] != nil { return false }
        let weekday = gregorian.component(.weekday, from: date)  // 1 = Sunday, 7 = Saturday
        return weekday != 1 && weekday != 7
    }

    /// The same for a day counted from 1970-01-01, in integers: no `Calendar` per day, so the
    /// deadline watch can count 30 working days for a thousand cases in a scan.
    func isWorkingDay(daysSince1970 n: Int) -> Bool {
        // Civil date from a day count (H. Hinnant's algorithm), proleptic Gregorian.
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let key = (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10_000 + m * 100 + d
        if workdays[key] != nil { return true }
        if holidays[key] != nil { return false }
        let weekday = ((n % 7) + 11) % 7  // 1970-01-01 was a Thursday (4); 0 = Sunday, 6 = Saturday
        return weekday != 0 && weekday != 6
    }

    /// `start` moved forward by `count` working days at the same wall-clock time: the day of `start`
    /// itself never counts, each following working day counts one. Friday 18:00 + 2 working days is
    /// Tuesday 18:00, or Wednesday 18:00 when Monday is a holiday.
    public func adding(workingDays count: Int, to start: Date) -> Date {
        let calendar = gregorian
        // Without a clock change ahead, count the days in integers and move the date once (same
        // wall-clock time, as below). Across a clock change, step day by day as the rule is written.
        let offset = Double(timeZone.secondsFromGMT(for: start))
        let today = Int(((start.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
        var days = 0
        var found = 0
        while found < max(count, 0) && days < 3_660 {
            days += 1
            if isWorkingDay(daysSince1970: today + days) { found += 1 }
        }
        if let moved = calendar.date(byAdding: .day, value: days, to: start),
           timeZone.nextDaylightSavingTimeTransition(after: start).map({ $0 > moved }) ?? true {
            return moved
        }
        var day = start
        var counted = 0
        var guardDays = 0
        while counted < max(count, 0) && guardDays < 3_660 {
            // Adding days keeps the wall-clock time across DST changes (none in China, but zones are settings).
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
            if isWorkingDay(day) { counted += 1 }
            guardDays += 1
        }
        return day
    }

    /// Working days from `start` to `end` as a fraction: whole working days between them, counting
    /// only the working hours of the clock (used to say "late by 1.5 working days").
    public func workingDays(from start: Date, to end: Date) -> Double {
        guard end > start else { return 0 }
        var whole = 0
        var cursor = start
        while true {
            let next = adding(workingDays: 1, to: cursor)
            if next > end { break }
            whole += 1
            cursor = next
            if whole > 3_660 { break }
        }
        let next = adding(workingDays: 1, to: cursor)
        return Double(whole) + end.timeIntervalSince(cursor) / next.timeIntervalSince(cursor)
    }
}
