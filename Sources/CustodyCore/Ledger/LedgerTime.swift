import Foundation

/// Why a time cell was refused, worded for the clerk.
struct LedgerTimeProblem: Error, Equatable {
    var reason: String
    /// The same in Chinese.
    var zh: String
}

/// Ledger times. Parsed by hand rather than with DateFormatter because
/// DateFormatter is lenient in ways that hide typos (it rolls "2月30日" over
/// into March) and its behaviour varies with locale; every accepted time here
/// is checked to be a real calendar time.
enum LedgerTime {
    /// Gregorian calendar fixed to `timeZone`; callers build one per import.
    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }

    /// Accepts "yyyy-MM-dd HH:mm[:ss]", "yyyy/M/d H:mm[:ss]" (Excel's default),
    /// "yyyy年M月d日 H:mm[:ss]" and ISO 8601 ("2026-11-27T08:30:00+08:00",
    /// fractional seconds, "Z"). Without a zone the time is wall-clock in the
    /// calendar's zone; with one, the zone written in the cell wins.
    static func parse(_ text: String, calendar: Calendar) -> Result<Date, LedgerTimeProblem> {
        let s = Array(LedgerText.halfWidth(LedgerText.trim(text)).unicodeScalars)
        var i = 0
        let unreadable = LedgerTimeProblem(reason: "\"\(text)\" is not a time I can read; write it like 2026-11-27 08:30:00 or 2026/11/27 8:30",
                                            zh: "“\(text)”不是可识别的时间，请写成 2026-11-27 08:30:00 或 2026/11/27 8:30")

        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var value = 0, count = 0
            while i < s.count, count < maxDigits, (48...57).contains(s[i].value) {
                value = value * 10 + Int(s[i].value - 48)
                count += 1
                i += 1
            }
            return count >= minDigits ? value : nil
        }
        func take(_ c: Unicode.Scalar) -> Bool {
            if i < s.count, s[i] == c { i += 1; return true }
            return false
        }
        func skipSpaces() { while i < s.count, s[i] == " " { i += 1 } }

        guard let year = number(4, 4) else { return .failure(unreadable) }
        var month = 0, day = 0
        if i < s.count, s[i] == "-" || s[i] == "/" {
            let sep = s[i]
            i += 1
            guard let m = number(1, 2), take(sep), let d = number(1, 2) else { return .failure(unreadable) }
            (month, day) = (m, d)
        } else if take("年") {
            guard let m = number(1, 2), take("月"), let d = number(1, 2), take("日") else { return .failure(unreadable) }
            (month, day) = (m, d)
        } else {
            return .failure(unreadable)
        }
        if !take("T") && !take("t") { skipSpaces() }
        guard i < s.count else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\" has a date but no time of day; add the hour and minute, e.g. \(year)-\(month)-\(day) 08:30",
                                                zh: "“\(text)”只有日期没有时刻，请补上时和分，如 \(year)-\(month)-\(day) 08:30"))
        }
        guard let hour = number(1, 2), take(":"), let minute = number(2, 2) else { return .failure(unreadable) }
        var second = 0
        var fraction = 0.0
        if take(":") {
            guard let sec = number(2, 2) else { return .failure(unreadable) }
            second = sec
            if take(".") || take(",") {
                let start = i
                guard let f = number(1, 9) else { return .failure(unreadable) }
                fraction = Double(f) / pow(10, Double(i - start))
            }
        }
        skipSpaces()
        var zone: TimeZone?
        if take("Z") || take("z") {
            zone = TimeZone(secondsFromGMT: 0)
        } else if i < s.count, s[i] == "+" || s[i] == "-" {
            let sign = s[i] == "-" ? -1 : 1
            i += 1
            guard let zh = number(2, 2) else { return .failure(unreadable) }
            _ = take(":")
            let zm = number(2, 2) ?? 0
            guard zh <= 14, zm <= 59 else {
                return .failure(LedgerTimeProblem(reason: "\"\(text)\" has an impossible time-zone offset", zh: "“\(text)”的时区偏移不可能"))
            }
            zone = TimeZone(secondsFromGMT: sign * (zh * 3600 + zm * 60))
        }
        guard i == s.count else { return .failure(unreadable) }

        // Range checks first, so the message says exactly what is wrong.
        guard (1970...2100).contains(year) else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\": year \(year) is outside 1970–2100; check for a typo",
                                              zh: "“\(text)”：年份 \(year) 不在 1970–2100 之间，请检查是否笔误"))
        }
        guard (1...12).contains(month) else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\": there is no month \(month)", zh: "“\(text)”：没有 \(month) 月"))
        }
        guard (1...daysIn(month: month, year: year)).contains(day) else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\": \(year)-\(month < 10 ? "0" : "")\(month) has no day \(day)",
                                              zh: "“\(text)”：\(year) 年 \(month) 月没有 \(day) 日"))
        }
        guard hour <= 23, minute <= 59, second <= 59 else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\": \(hour):\(minute):\(second) is not a time of day (hours 0–23, minutes and seconds 0–59)",
                                              zh: "“\(text)”：\(hour):\(minute):\(second) 不是有效时刻（时 0–23，分、秒 0–59）"))
        }

        var cal = calendar
        if let zone { cal.timeZone = zone }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = cal.date(from: parts) else { return .failure(unreadable) }
        // A wall-clock time skipped by a daylight-saving change comes back
        // shifted; refuse it rather than silently moving it an hour.
        let back = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == year, back.month == month, back.day == day,
              back.hour == hour, back.minute == minute, back.second == second else {
            return .failure(LedgerTimeProblem(reason: "\"\(text)\" does not exist in time zone \(cal.timeZone.identifier) (the clocks skipped it)",
                                              zh: "“\(text)”在时区 \(cal.timeZone.identifier) 中不存在（夏令时跳过）"))
        }
        return .success(date.addingTimeInterval(fraction))
    }

    /// Export format "yyyy-MM-dd HH:mm:ss": sortable, unambiguous, and read by
    /// Excel as a date-time. Sub-second precision is dropped.
    static func format(_ date: Date, calendar: Calendar) -> String {
        let whole = Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        func pad(_ v: Int?, _ width: Int) -> String {
            let digits = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
