import Foundation
import Testing
import CustodyCore

/// The bound the deadline watch uses to skip old handovers (performance issue): nothing that
/// starts before it can be due within the watched period, whatever the calendar.
@Suite("Which handovers the deadline watch may skip")
struct DeadlinePolicyBoundTests {
    static let china = TimeZone(identifier: "Asia/Shanghai")!
    /// The 2026 Golden Week: eight days off in a row, with make-up working days around it.
    static let goldenWeek = try! CalendarFile.parse("""
        2026-09-27 workday 国庆调休
        2026-10-01..2026-10-08 holiday 国庆节
        2026-10-10 workday 国庆调休
        """, timeZone: china)

    @Test("no window that starts before the bound is due on or after the watched period's start, holidays included")
    func nothingDueIsSkipped() {
        for (upload, maximum) in [(DeadlineWindow.hours(24), DeadlineWindow.workingDays(3)), (.workingDays(2), nil), (.workingDays(10), .workingDays(15))] {
            var policy = DeadlinePolicy()
            policy.upload = upload
            policy.exceptionMaximum = maximum
            for day in stride(from: 0, through: 40, by: 3) {
                let dueFrom = StationTime.parse("2026-09-20 10:15", timeZone: Self.china)!.addingTimeInterval(Double(day) * 86_400)
                let bound = policy.earliestUploadStart(dueFrom: dueFrom, calendar: Self.goldenWeek)
                // Every start in the 60 days before the bound, every five hours, is due before dueFrom.
                for hour in stride(from: 1, through: 60 * 24, by: 5) {
                    let start = bound.addingTimeInterval(-Double(hour) * 3600)
                    for window in [upload] + (maximum.map { [$0] } ?? []) {
                        #expect(window.due(from: start, calendar: Self.goldenWeek) < dueFrom, "\(window) from \(start) vs \(dueFrom)")
                    }
                }
                // And the bound is not absurdly early: a few windows' length before the period.
                #expect(dueFrom.timeIntervalSince(bound) < 90 * 86_400)
            }
        }
    }
}
