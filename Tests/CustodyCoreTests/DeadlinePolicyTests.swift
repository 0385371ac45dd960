import Foundation
import Testing
import CustodyCore

private let china = TimeZone(identifier: "Asia/Shanghai")!

private func at(_ text: String) -> Date { StationTime.parse(text, timeZone: china)! }

private func handover(out: String, back: String?, offsite: Bool) -> Handover {
    Handover(id: 7, serial: "A7K2931", badge: "010203", checkedOutAt: at(out), checkedInAt: back.map(at), offsite: offsite, note: "")
}

@Suite("Upload deadline and the working-day calendar")
struct DeadlinePolicyTests {
    /// Monday 2026-11-30 made a holiday for the test.
    let mondayHoliday = try! CalendarFile.parse("2026-11-30 holiday test-holiday\n", timeZone: china)

    @Test("clip recorded Friday 18:00 is late by 1 h when ingested Saturday 19:00 under the 24-hour rule")
    func twentyFourHours() {
        let policy = DeadlinePolicy()
        let verdict = policy.judgeUpload(recordingEnd: at("2026-11-27 18:00"), handover: nil, exceptionGranted: false,
                                         ingestedAt: at("2026-11-28 19:00"), calendar: WorkingCalendar(timeZone: china))
        #expect(verdict.dueAt == at("2026-11-28 18:00"))
        #expect(verdict.late && verdict.lateSeconds == 3600)
        #expect(verdict.rule == "recording-end+24h")
    }

    @Test("under the 2-working-day rule with Monday a holiday, the same clip is on time until Wednesday 18:00")
    func twoWorkingDaysOverAHoliday() {
        var policy = DeadlinePolicy()
        policy.upload = .workingDays(2)
        let onTime = policy.judgeUpload(recordingEnd: at("2026-11-27 18:00"), handover: nil, exceptionGranted: false,
                                        ingestedAt: at("2026-12-02 18:00"), calendar: mondayHoliday)
        #expect(onTime.dueAt == at("2026-12-02 18:00"))
        #expect(!onTime.late && onTime.rule == "recording-end+2wd")
        let late = policy.judgeUpload(recordingEnd: at("2026-11-27 18:00"), handover: nil, exceptionGranted: false,
                                      ingestedAt: at("2026-12-02 18:01"), calendar: mondayHoliday)
        #expect(late.late && late.lateSeconds == 60)
        // Without the holiday, Tuesday 18:00.
        let plain = policy.judgeUpload(recordingEnd: at("2026-11-27 18:00"), handover: nil, exceptionGranted: false,
                                       ingestedAt: at("2026-11-28 10:00"), calendar: WorkingCalendar(timeZone: china))
        #expect(plain.dueAt == at("2026-12-01 18:00"))
    }

    @Test("a make-up Saturday (调休) counts as a working day: the shipped 2026 calendar")
    func makeUpSaturday() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/custody/calendar.txt")
        let calendar = try CalendarFile.parse(try String(contentsOf: file, encoding: .utf8), timeZone: china)
        #expect(calendar.years == [2026])
        #expect(calendar.isWorkingDay(at("2026-02-14 12:00")))       // Saturday, make-up day
        #expect(!calendar.isWorkingDay(at("2026-02-16 12:00")))      // Monday, Spring Festival
        #expect(!calendar.isWorkingDay(at("2026-02-21 12:00")))      // Saturday, plain weekend
        // Friday 18:00 + 1 working day lands on the make-up Saturday.
        #expect(calendar.adding(workingDays: 1, to: at("2026-02-13 18:00")) == at("2026-02-14 18:00"))
        // Saturday 14th + 1 working day skips the whole festival to Tuesday 24th.
        #expect(calendar.adding(workingDays: 1, to: at("2026-02-14 18:00")) == at("2026-02-24 18:00"))
        // National Day: Wednesday 30 Sep + 3 working days = Thursday 8 Oct, Friday 9, Saturday 10 (make-up).
        #expect(calendar.adding(workingDays: 3, to: at("2026-09-30 09:00")) == at("2026-10-10 09:00"))
    }

    @Test("an off-site handover checked in Monday 09:00 gives its clips until Tuesday 09:00 whatever their recording time")
    func offsiteCheckIn() {
        let policy = DeadlinePolicy()
        let trip = handover(out: "2026-11-23 08:00", back: "2026-11-30 09:00", offsite: true)
        for recorded in ["2026-11-23 09:00", "2026-11-27 18:00", "2026-11-30 08:30"] {
            let verdict = policy.judgeUpload(recordingEnd: at(recorded), handover: trip, exceptionGranted: false,
                                             ingestedAt: at("2026-12-01 08:59"), calendar: WorkingCalendar(timeZone: china))
            #expect(verdict.dueAt == at("2026-12-01 09:00"))
            #expect(!verdict.late && verdict.rule == "checkin+24h")
        }
        let still = policy.judgeUpload(recordingEnd: at("2026-11-24 09:00"), handover: handover(out: "2026-11-23 08:00", back: nil, offsite: true),
                                       exceptionGranted: false, ingestedAt: at("2026-11-29 09:00"), calendar: WorkingCalendar(timeZone: china))
        #expect(still.dueAt == nil && !still.late && still.rule == "offsite-open")
    }

    @Test("an approved exception extends the window to the hard maximum of 3 working days")
    func exception() {
        let policy = DeadlinePolicy()
        let verdict = policy.judgeUpload(recordingEnd: at("2026-11-27 18:00"), handover: nil, exceptionGranted: true,
                                         ingestedAt: at("2026-12-01 10:00"), calendar: WorkingCalendar(timeZone: china))
        #expect(verdict.dueAt == at("2026-12-02 18:00") && !verdict.late)
        #expect(verdict.rule == "exception:recording-end+3wd")
    }

    @Test("a device checked in without a dump is due soon before its window ends, then overdue, then escalated")
    func deviceStatus() {
        let policy = DeadlinePolicy()
        let h = handover(out: "2026-11-30 08:00", back: "2026-11-30 17:00", offsite: false)
        let cal = WorkingCalendar(timeZone: china)
        #expect(DeadlineStatusRule.handoverItem(h, officerName: nil, now: at("2026-11-30 18:00"), policy: policy, calendar: cal) == nil)
        let soon = DeadlineStatusRule.handoverItem(h, officerName: "张三", now: at("2026-12-01 05:00"), policy: policy, calendar: cal)
        #expect(soon?.status == .dueSoon && soon?.kind == .deviceNotDumped && soon?.dueAt == at("2026-12-01 08:00"))
        let late = DeadlineStatusRule.handoverItem(h, officerName: "张三", now: at("2026-12-01 09:00"), policy: policy, calendar: cal)
        #expect(late?.status == .overdue && late?.lateSeconds == 3600)
        let worse = DeadlineStatusRule.handoverItem(h, officerName: "张三", now: at("2026-12-02 08:00"), policy: policy, calendar: cal)
        #expect(worse?.status == .escalated)
    }

    @Test("a calendar file with a bad line is refused whole, naming the line")
    func badCalendar() {
        #expect(throws: CalendarFile.Problem(line: 2, reason: "\"2026-02-30\" is not a date (2026-10-01) or a range (2026-10-01..2026-10-07)")) {
            try CalendarFile.parse("2026-01-01 holiday 元旦\n2026-02-30 holiday bad\n", timeZone: china)
        }
        #expect(throws: CalendarFile.Problem.self) { try CalendarFile.parse("2026-01-01 vacation\n", timeZone: china) }
        #expect(throws: CalendarFile.Problem.self) { try CalendarFile.parse("2026-01-01 holiday\n2026-01-01 workday\n", timeZone: china) }
    }

    @Test("a spot-check sample is reproducible from its seed and has ceil(ratio × n) members")
    func sampling() {
        let population = (1...50).map { String(format: "clip%02d", $0) }
        let a = ReviewSampler.sample(population, ratio: 0.2, seed: 42)
        #expect(a.count == 10 && Set(a).count == 10)
        #expect(a == ReviewSampler.sample(population.reversed(), ratio: 0.2, seed: 42))
        #expect(a != ReviewSampler.sample(population, ratio: 0.2, seed: 43))
        let q4 = ReviewSampler.period("2026Q4", timeZone: china)
        #expect(q4?.from == at("2026-10-01 00:00") && q4?.to == at("2027-01-01 00:00"))
    }
}
