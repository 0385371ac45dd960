import Foundation
import Testing
import CustodyCore

/// `adding(workingDays:to:)` counts days in integers (performance issue); it must give what the
/// rule says, stepping day by day on the calendar, for every start.
@Suite("Counting working days")
struct WorkingCalendarTests {
    /// The rule as written: step one calendar day at a time, count the working ones.
    static func stepping(_ calendar: WorkingCalendar, _ count: Int, from start: Date) -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = calendar.timeZone
        var day = start
        var counted = 0
        while counted < count {
            day = gregorian.date(byAdding: .day, value: 1, to: day)!
            if calendar.isWorkingDay(day) { counted += 1 }
        }
        return day
    }

    @Test("over the 2026 Golden Week and its make-up Saturdays, every start and count gives the day-by-day answer")
    func goldenWeek() throws {
        let china = TimeZone(identifier: "Asia/Shanghai")!
        let calendar = try CalendarFile.parse("""
            2026-09-27 workday 国庆调休
            2026-10-01..2026-10-08 holiday 国庆节
            2026-10-10 workday 国庆调休
            """, timeZone: china)
        let first = StationTime.parse("2026-09-20 00:17", timeZone: china)!
        for step in 0..<(30 * 24 / 7) {
            let start = first.addingTimeInterval(Double(step) * 7 * 3600)
            for count in [0, 1, 2, 3, 30] {
                #expect(calendar.adding(workingDays: count, to: start) == Self.stepping(calendar, count, from: start), "\(count) from \(start)")
            }
        }
        // Wednesday 30 September 18:00 + 1 working day: past the eight days off, Friday 9 October.
        #expect(calendar.adding(workingDays: 1, to: StationTime.parse("2026-09-30 18:00", timeZone: china)!)
                == StationTime.parse("2026-10-09 18:00", timeZone: china)!)
    }

    @Test("across a clock change the wall-clock time is kept, as stepping day by day keeps it")
    func clockChange() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let calendar = WorkingCalendar(timeZone: newYork)
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = newYork
        let start = gregorian.date(from: DateComponents(year: 2026, month: 3, day: 5, hour: 18))!  // before 8 March
        for count in [1, 2, 5] {
            #expect(calendar.adding(workingDays: count, to: start) == Self.stepping(calendar, count, from: start))
        }
        #expect(gregorian.component(.hour, from: calendar.adding(workingDays: 3, to: start)) == 18)
    }
}
