import Foundation

/// A deadline window: hours of real elapsed time, or working days on the calendar
/// (RULES.md, "Ingest and the upload deadline": 24 hours, 3 working days, 2 working days).
public struct DeadlineWindow: Sendable, Equatable, CustomStringConvertible {
    public enum Unit: String, Sendable { case hours = "h", workingDays = "wd" }
    public var amount: Double
    public var unit: Unit

    public static func hours(_ h: Double) -> DeadlineWindow { DeadlineWindow(amount: h, unit: .hours) }
    public static func workingDays(_ d: Int) -> DeadlineWindow { DeadlineWindow(amount: Double(d), unit: .workingDays) }

    public func due(from start: Date, calendar: WorkingCalendar) -> Date {
        switch unit {
        case .hours: return start.addingTimeInterval(amount * 3600)
        case .workingDays: return calendar.adding(workingDays: Int(amount.rounded()), to: start)
        }
    }

    /// Compact form used in rule codes: `24h`, `2wd`.
    public var description: String {
        let number = amount == amount.rounded() ? String(Int(amount)) : String(amount)
        return number + unit.rawValue
    }
}

/// The deadline rules in force (RULES.md, "Ingest and the upload deadline"), all settings:
/// where the upload window starts, how long it is, the hard maximum an approved exception may
/// reach, and the windows for annotating clips and archiving closed cases.
public struct DeadlinePolicy: Sendable, Equatable {
    public var upload: DeadlineWindow = .hours(24)
    /// Off-site or continuous duty: the window starts at check-in, whatever the recording time.
    public var offsiteFromCheckin = true
    /// The longest an approved exception may extend the upload window to (e.g. 3 working days).
    public var exceptionMaximum: DeadlineWindow? = .workingDays(3)
    /// Clips are classified and described within this window after upload (石家庄 第十七条).
    public var annotation: DeadlineWindow = .workingDays(2)
    /// Case files are archived within this window after the case is closed.
    public var caseArchive: DeadlineWindow = .workingDays(30)
    /// An item due within this many hours is listed as due soon.
    public var dueSoonHours: Double = 4
    public init() {}

    /// A time before which no upload window (the normal one or an exception's maximum) that
    /// starts then can be due at or after `dueFrom`: the deadline watch skips handovers settled
    /// earlier instead of judging a year of them on every scan.
    ///
    /// Why it is safe: a window's due time never moves back when its start moves later, except
    /// within one day (working days keep the start's time of day), so once a start one day before
    /// the bound is due two days before `dueFrom`, every earlier start is due before `dueFrom`.
    public func earliestUploadStart(dueFrom: Date, calendar: WorkingCalendar) -> Date {
        let windows = [upload] + (exceptionMaximum.map { [$0] } ?? [])
        var back = 2.0
        while back < 366 * 20 {
            let start = dueFrom.addingTimeInterval(-back * 86_400)
            if windows.allSatisfy({ $0.due(from: start, calendar: calendar) < dueFrom.addingTimeInterval(-2 * 86_400) }) {
                return start
            }
            back *= 2
        }
        return .distantPast
    }

    /// Judges one clip's upload: its due time, how late it was ingested, and which rule applied.
    /// - Parameters:
    ///   - recordingEnd: the recording's end (start corrected for clock offset, plus duration); nil if unknown.
    ///   - handover: the handover the clip was matched to, if any.
    ///   - exceptionGranted: an approved exception covers the clip's handover.
    public func judgeUpload(recordingEnd: Date?, handover: Handover?, exceptionGranted: Bool,
                            ingestedAt: Date, calendar: WorkingCalendar) -> UploadJudgement {
        let window = exceptionGranted ? (exceptionMaximum ?? upload) : upload
        let prefix = exceptionGranted ? "exception:" : ""
        let start: Date
        let startName: String
        if offsiteFromCheckin, let handover, handover.offsite {
            guard let checkedIn = handover.checkedInAt else {
                return UploadJudgement(dueAt: nil, lateSeconds: 0, rule: prefix + "offsite-open")
            }
            start = checkedIn
            startName = "checkin"
        } else if let recordingEnd {
            start = recordingEnd
            startName = "recording-end"
        } else {
            return UploadJudgement(dueAt: nil, lateSeconds: 0, rule: "no-time")
        }
        let due = window.due(from: start, calendar: calendar)
        return UploadJudgement(dueAt: due, lateSeconds: max(0, ingestedAt.timeIntervalSince(due)),
                               rule: "\(prefix)\(startName)+\(window)")
    }
}

/// The verdict on one clip's upload, stored on the clip (deadlines issue, "Judging every clip").
public struct UploadJudgement: Sendable, Equatable {
    public var dueAt: Date?
    /// Seconds past the due time at ingest; 0 when on time.
    public var lateSeconds: Double
    /// Which rule applied: `recording-end+24h`, `checkin+24h`, `recording-end+2wd`,
    /// `exception:recording-end+3wd`, `offsite-open` (still out on off-site duty) or `no-time`.
    public var rule: String
    public var late: Bool { lateSeconds > 0 }
    /// The rule of a clip judged on no time at all: its recording time is implausible (flagged
    /// `time-implausible`) and waits for a clerk's correction (attribution issue, item 3).
    public static let noVerdictRule = "time-implausible"
    public init(dueAt: Date?, lateSeconds: Double, rule: String) {
        self.dueAt = dueAt; self.lateSeconds = lateSeconds; self.rule = rule
    }
}
