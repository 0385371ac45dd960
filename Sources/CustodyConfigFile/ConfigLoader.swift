import CustodyCore
import Foundation
import TOMLKit

/// A config problem, naming the file, the key and what to do.
public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    /// The message in Chinese, where one is written (what a clerk starting the daemon under LANG=zh reads).
    public var zh: String? = nil

    /// The message for a reader whose LANG (or LC_ALL, LC_MESSAGES) says Chinese, else English.
    public func text(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let lang = [environment["LC_ALL"], environment["LC_MESSAGES"], environment["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return lang.hasPrefix("zh") ? zh ?? description : description
    }
}

/// Reads `custodyd.toml` (documented default: `etc/custody/custodyd.toml`). Unknown keys and
/// wrong types are errors, not silently ignored: a typo in a retention period must not pass.
public enum ConfigLoader {
    public static func load(path: String) throws -> CustodyConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "does not exist"
            throw ConfigError(description: "config file \(path) \(reason); pass --config with a readable TOML file (see etc/custody/custodyd.toml)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(description: "config file \(path) is not UTF-8 text")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return try parse(text, source: path, baseDirectory: (absolute as NSString).deletingLastPathComponent)
    }

    /// Parses config text. Relative paths are resolved against `baseDirectory`.
    public static func parse(_ text: String, source: String = "config", baseDirectory: String = ".") throws -> CustodyConfig {
        try refuseControlCharacters(text, source: source)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(description: "\(source): TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        let doc = Section(table: root, name: "", source: source)
        try doc.allow(["paths", "watch", "policy", "station", "ingest", "api", "ledger", "grammar", "device_profile",
                       "deadlines", "alerts", "capacity", "retention", "discs", "scrub", "limits"])
        let paths = try doc.section("paths")
        try paths.allow(["store", "catalog", "socket", "spool", "station_key"])
        let watch = try doc.section("watch")
        try watch.allow(["mount_roots", "drop_dirs", "filesystem_types", "settle_seconds"])
        let policy = try doc.section("policy")
        try policy.allow(["upload_deadline_hours", "upload_deadline_working_days", "retention_months", "retention_override_reason"])
        let station = try doc.section("station")
        try station.allow(["unit", "time_zone", "unit_order"])

        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : ((baseDirectory as NSString).appendingPathComponent(p) as NSString).standardizingPath
        }
        var config = CustodyConfig(
            paths: .init(store: resolve(try paths.string("store")), catalog: resolve(try paths.string("catalog")),
                         socket: resolve(try paths.string("socket")), spool: resolve(try paths.string("spool"))),
            watch: .init(mountRoots: try watch.strings("mount_roots").map(resolve),
                         dropDirs: try watch.strings("drop_dirs", default: []).map(resolve)),
            policy: .init(uploadDeadlineHours: try policy.number("upload_deadline_hours"),
                          retentionMonths: try policy.int("retention_months")),
            station: .init(unit: try station.string("unit"), timeZone: try station.optionalString("time_zone")))
        config.paths.stationKey = try paths.optionalString("station_key").map(resolve)
        if let types = try watch.optionalStrings("filesystem_types") { config.watch.filesystemTypes = types }
        if let order = try station.optionalStrings("unit_order") { config.station.unitOrder = order }
        config.watch.settleSeconds = try watch.number("settle_seconds", default: config.watch.settleSeconds)
        if let tz = config.station.timeZone, TimeZone(identifier: tz) == nil {
            throw ConfigError(description: "\(source): [station] time_zone \"\(tz)\" is not a known zone (e.g. Asia/Shanghai)")
        }
        if config.policy.uploadDeadlineHours <= 0 || config.policy.retentionMonths <= 0 {
            throw ConfigError(description: "\(source): [policy] upload_deadline_hours and retention_months must be positive")
        }
        try checkRetentionRange(policy, into: &config)
        if let ingest = try doc.optionalSection("ingest") {
            try ingest.allow(["reserve_mb", "changed_file_retries", "buffer_kb", "stall_seconds",
                              "group_commit_files", "group_commit_mb", "group_commit_ms", "read_back"])
            config.ingest.groupCommitFiles = try ingest.int("group_commit_files", default: config.ingest.groupCommitFiles)
            config.ingest.groupCommitBytes = UInt64(try ingest.int("group_commit_mb", default: Int(config.ingest.groupCommitBytes >> 20))) << 20
            config.ingest.groupCommitSeconds = Double(try ingest.int("group_commit_ms", default: Int(config.ingest.groupCommitSeconds * 1000))) / 1000
            if config.ingest.groupCommitFiles < 1 || config.ingest.groupCommitFiles > 4096 || config.ingest.groupCommitBytes == 0
                || config.ingest.groupCommitBytes > 1 << 30 || config.ingest.groupCommitSeconds <= 0 || config.ingest.groupCommitSeconds > 60 {
                throw ConfigError(description: "\(source): [ingest] group_commit_files must be 1…4096, group_commit_mb 1…1024, group_commit_ms 1…60000")
            }
            config.ingest.stallSeconds = try ingest.number("stall_seconds", default: config.ingest.stallSeconds)
            config.ingest.reserveBytes = UInt64(try ingest.int("reserve_mb", default: Int(config.ingest.reserveBytes >> 20))) << 20
            config.ingest.changedFileRetries = try ingest.int("changed_file_retries", default: config.ingest.changedFileRetries)
            config.ingest.bufferBytes = try ingest.int("buffer_kb", default: config.ingest.bufferBytes >> 10) << 10
            if let check = try ingest.optionalString("read_back") {
                guard let known = ReadBackCheck(rawValue: check) else {
                    let known = ReadBackCheck.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                    throw ConfigError(description: "\(source): [ingest] read_back \"\(check)\" is not a known check; use \(known)")
                }
                config.ingest.readBack = known
            }
        }
        if let api = try doc.optionalSection("api") {
            try api.allow(["socket_group", "viewer_users", "viewer_groups", "clerk_users", "clerk_groups",
                           "approver_users", "approver_groups", "admin_users", "admin_groups",
                           "auditor_users", "auditor_groups"])
            config.api.auditorUsers = try api.strings("auditor_users", default: [])
            config.api.auditorGroups = try api.strings("auditor_groups", default: [])
            config.api.adminUsers = try api.strings("admin_users", default: [])
            config.api.adminGroups = try api.strings("admin_groups", default: [])
            config.api.approverUsers = try api.strings("approver_users", default: [])
            config.api.approverGroups = try api.strings("approver_groups", default: [])
            config.api.socketGroup = try api.optionalString("socket_group")
            config.api.viewerUsers = try api.strings("viewer_users", default: [])
            config.api.viewerGroups = try api.strings("viewer_groups", default: [])
            config.api.clerkUsers = try api.strings("clerk_users", default: [])
            config.api.clerkGroups = try api.strings("clerk_groups", default: [])
        }
        if let ledger = try doc.optionalSection("ledger") {
            try ledger.allow(["clock_drift_seconds", "plausible_floor", "clock_outlier_seconds", "clock_agreement_seconds"])
            config.matching.clockDriftSeconds = try ledger.number("clock_drift_seconds", default: config.matching.clockDriftSeconds)
            config.matching.clockOutlierSeconds = try ledger.number("clock_outlier_seconds", default: config.matching.clockOutlierSeconds)
            config.matching.clockAgreementSeconds = try ledger.number("clock_agreement_seconds", default: config.matching.clockAgreementSeconds)
            if let floor = try ledger.optionalString("plausible_floor") {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = config.station.resolvedTimeZone
                let parts = floor.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
                    throw ConfigError(description: "\(source): [ledger] plausible_floor must be a date like \"2015-01-01\"")
                }
                config.matching.plausibleFloor = date
            }
        }
        if let grammars = root["grammar"] {
            guard let array = grammars.array else {
                throw ConfigError(description: "\(source): grammar must be an array of tables ([[grammar]])")
            }
            config.grammars = try array.enumerated().map { index, item in
                guard let table = item.table else {
                    throw ConfigError(description: "\(source): grammar #\(index + 1) must be a table")
                }
                let g = Section(table: table, name: "grammar #\(index + 1)", source: source)
                try g.allow(["name", "pattern", "important_folders"])
                return FileNameGrammar(name: try g.string("name"), pattern: try g.string("pattern"),
                                       importantFolders: try g.strings("important_folders", default: []))
            }
        }
        if let profiles = root["device_profile"] { config.deviceProfiles = try parseDeviceProfiles(profiles, source: source) }
        try parseDeadlines(doc, policy: policy, into: &config, resolve: resolve)
        try parseLimits(doc, into: &config)
        do {
            _ = try FileNameGrammarSet(config.grammars)
        } catch {
            throw ConfigError(description: "\(source): \(error)")
        }
        return config
    }
}

extension ConfigLoader {
    /// TOML allows no control characters but tab and line breaks, anywhere. They are refused here,
    /// before the parser sees them: toml++ (inside TOMLKit) stops the process on an assertion for
    /// some of them in a table header (found by `make fuzz`, FuzzConfig).
    static func refuseControlCharacters(_ text: String, source: String) throws {
        var line = 1
        for scalar in text.unicodeScalars {
            if scalar == "\n" { line += 1; continue }
            if (scalar.value < 0x20 && scalar != "\t" && scalar != "\r") || scalar.value == 0x7F {
                throw ConfigError(description: "\(source): line \(line) holds the control character U+\(String(format: "%04X", scalar.value)), which TOML does not allow; remove it (an editor that shows invisible characters helps)")
            }
        }
        try refuseBadHeaders(text, source: source)
    }

    /// A line starting with `[` must be a whole table header on that line: `[name]` or `[[name]]`,
    /// the name bare (A–Z a–z 0–9 _ -), quoted, or dotted of those. toml++ (inside TOMLKit) stops
    /// the process on an assertion for some malformed headers (FuzzConfig: `[#atch]`, `[[` then a
    /// line break); they are refused here first. (Custody's settings have no nested arrays, so a
    /// line starting with `[` is never a value.)
    static func refuseBadHeaders(_ text: String, source: String) throws {
        let key = #"(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"#
        let header = try! NSRegularExpression(pattern: #"^[ \t]*(\[\[|\[)[ \t]*"# + key + #"(?:[ \t]*\.[ \t]*"# + key + #")*[ \t]*(\]\]|\])[ \t]*(?:#.*)?\r?$"#)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            // Scalars, not Characters: "[" followed by a combining mark is one Character ("[ׇ").
            guard line.unicodeScalars.drop(while: { $0 == " " || $0 == "\t" }).first == "[" else { continue }
            let range = NSRange(line.startIndex..., in: line)
            guard let match = header.firstMatch(in: line, range: range),
                  (line as NSString).substring(with: match.range(at: 1)).count == (line as NSString).substring(with: match.range(at: 2)).count else {
                throw ConfigError(description: "\(source): line \(index + 1) is not a table header like [paths] or [[grammar]] (a name of letters, digits, _ or -, on one line)")
            }
        }
    }
}

/// Typed access to one TOML table with messages that name the key.
struct Section {
    let table: TOMLTable
    let name: String
    let source: String

    func fail(_ key: String, _ what: String) -> ConfigError {
        ConfigError(description: "\(source): \(name.isEmpty ? "" : "[\(name)] ")\(key) \(what)")
    }

    func allow(_ keys: [String]) throws {
        for key in table.keys where !keys.contains(key) {
            throw fail(key, "is not a known setting (known: \(keys.joined(separator: ", ")))")
        }
    }

    func optionalSection(_ key: String) throws -> Section? {
        guard let value = table[key] else { return nil }
        guard let sub = value.table else { throw fail(key, "must be a table") }
        return Section(table: sub, name: key, source: source)
    }

    func section(_ key: String) throws -> Section {
        guard let s = try optionalSection(key) else {
            throw ConfigError(description: "\(source): section [\(key)] is missing")
        }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw fail(key, "must be a string") }
        return s
    }

    func string(_ key: String) throws -> String {
        guard let s = try optionalString(key) else { throw fail(key, "is missing") }
        return s
    }

    func optionalStrings(_ key: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw fail(key, "must be an array of strings") }
        return try array.map { item in
            guard let s = item.string else { throw fail(key, "must be an array of strings") }
            return s
        }
    }

    func strings(_ key: String, default fallback: [String]? = nil) throws -> [String] {
        if let list = try optionalStrings(key) { return list }
        if let fallback { return fallback }
        throw fail(key, "is missing")
    }

    func number(_ key: String, default fallback: Double? = nil) throws -> Double {
        guard let value = table[key] else {
            if let fallback { return fallback }
            throw fail(key, "is missing")
        }
        if let d = value.double { return d }
        if let i = value.int { return Double(i) }
        throw fail(key, "must be a number")
    }

    func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let value = table[key] else {
            if let fallback { return fallback }
            throw fail(key, "is missing")
        }
        guard let i = value.int else { throw fail(key, "must be a whole number") }
        return i
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = table[key] else { return fallback }
        guard let b = value.bool else { throw fail(key, "must be true or false") }
        return b
    }
}
