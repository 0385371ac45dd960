import CustodyCore
import Foundation

extension ConfigLoader {
    /// `[policy] upload_deadline_*`, `[deadlines]`, `[alerts]` and `[capacity]` (deadlines issue).
    static func parseDeadlines(_ doc: Section, policy: Section, into config: inout CustodyConfig,
                               resolve: (String) -> String) throws {
        var rules = DeadlinePolicy()
        rules.upload = .hours(config.policy.uploadDeadlineHours)
        if let days = try policy.optionalInt("upload_deadline_working_days") {
            guard days > 0 else { throw policy.fail("upload_deadline_working_days", "must be positive") }
            rules.upload = .workingDays(days)
        }
        config.calendarFile = FileManager.default.fileExists(atPath: resolve("calendar.txt")) ? resolve("calendar.txt") : nil
        if let section = try doc.optionalSection("deadlines") {
            try section.allow(["calendar", "offsite_from_checkin", "exception_max_working_days", "annotation_working_days",
                               "case_archive_working_days", "due_soon_hours", "scan_seconds", "lookback_days"])
            if let file = try section.optionalString("calendar") { config.calendarFile = resolve(file) }
            rules.offsiteFromCheckin = try section.bool("offsite_from_checkin", default: rules.offsiteFromCheckin)
            if let days = try section.optionalInt("exception_max_working_days") {
                rules.exceptionMaximum = days > 0 ? .workingDays(days) : nil
            }
            rules.annotation = .workingDays(try section.positive("annotation_working_days", default: 2))
            rules.caseArchive = .workingDays(try section.positive("case_archive_working_days", default: 30))
            rules.dueSoonHours = try section.number("due_soon_hours", default: rules.dueSoonHours)
            config.alerts.scanSeconds = try section.number("scan_seconds", default: config.alerts.scanSeconds)
            config.alerts.lookbackDays = try section.number("lookback_days", default: config.alerts.lookbackDays)
            guard config.alerts.scanSeconds > 0 else { throw section.fail("scan_seconds", "must be positive") }
        }
        config.matching.deadlines = rules
        if let section = try doc.optionalSection("alerts") {
            try section.allow(["command", "command_timeout_seconds"])
            config.alerts.command = try section.strings("command", default: [])
            config.alerts.commandTimeoutSeconds = try section.number("command_timeout_seconds",
                                                                     default: config.alerts.commandTimeoutSeconds)
            if let program = config.alerts.command.first, !program.hasPrefix("/") {
                throw section.fail("command", "must start with an absolute program path (it runs without a shell)")
            }
        }
        config.matching.retention = RetentionPolicy(routineMonths: config.policy.retentionMonths)
        if let section = try doc.optionalSection("retention") {
            try section.allow(["evidence_years", "long_term_store_months"])
            config.matching.retention.evidenceYears = try section.optionalInt("evidence_years")
            config.matching.retention.longTermStoreMonths = try section.optionalInt("long_term_store_months")
        }
        if let section = try doc.optionalSection("discs") {
            try section.allow(["media", "burner", "maker", "max_wait_days", "auto_plan"])
            if let name = try section.optionalString("media") {
                guard let media = DiscMedia(rawValue: name) else {
                    throw section.fail("media", "must be one of \(DiscMedia.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.discs.media = media
            }
            config.discs.burner = try section.optionalString("burner") ?? config.discs.burner
            config.discs.maker = try section.optionalString("maker") ?? config.discs.maker
            config.discs.maxWaitDays = try section.number("max_wait_days", default: config.discs.maxWaitDays)
            config.discs.autoPlan = try section.bool("auto_plan", default: config.discs.autoPlan)
        }
        if let section = try doc.optionalSection("scrub") {
            try section.allow(["enabled", "rate_mb_per_s", "period_days"])
            config.scrub.enabled = try section.bool("enabled", default: true)
            config.scrub.bytesPerSecond = try section.number("rate_mb_per_s", default: config.scrub.bytesPerSecond / 1_048_576) * 1_048_576
            config.scrub.periodDays = try section.number("period_days", default: config.scrub.periodDays)
            guard config.scrub.bytesPerSecond > 0 else { throw section.fail("rate_mb_per_s", "must be positive") }
        }
        if let section = try doc.optionalSection("capacity") {
            try section.allow(["warning_free_percent", "critical_free_percent", "warning_days", "critical_days"])
            config.capacity.warningFreePercent = try section.number("warning_free_percent", default: config.capacity.warningFreePercent)
            config.capacity.criticalFreePercent = try section.number("critical_free_percent", default: config.capacity.criticalFreePercent)
            config.capacity.warningDays = try section.number("warning_days", default: config.capacity.warningDays)
            config.capacity.criticalDays = try section.number("critical_days", default: config.capacity.criticalDays)
        }
    }
}

extension Section {
    func optionalInt(_ key: String) throws -> Int? {
        guard table[key] != nil else { return nil }
        return try int(key)
    }

    func positive(_ key: String, default fallback: Int) throws -> Int {
        let value = try int(key, default: fallback)
        guard value > 0 else { throw fail(key, "must be positive") }
        return value
    }
}
