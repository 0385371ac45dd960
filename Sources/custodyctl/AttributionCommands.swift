import ArgumentParser
import CustodyAPI
import Foundation

extension Dumps {
    struct ClockOffset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clock-offset",
            abstract: "Set or clear a docking's camera clock offset; its clips are matched and judged again at once (audited).",
            discussion: """
                The offset is the camera's clock minus the station's (positive: the camera ran fast), e.g. +600, -90, 10m, \
                +2d3h. --clear takes the camera's clock as right. The daemon's own estimate stays visible in `dumps show`.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The dump's number (`dumps list` shows them).") var id: Int64
        @Option(help: "The offset: seconds, or a number with s, m, h or d (+2d3h, -90s).") var offset: String?
        @Flag(help: "Clear the offset: the camera's clock is taken as right.") var clear = false
        @Option(help: "Why (goes into the audit log).") var reason: String

        func validate() throws {
            guard (offset == nil) == clear else { throw ValidationError("give either --offset or --clear") }
            if let offset, Self.seconds(offset) == nil {
                throw ValidationError("--offset \(offset) is not an offset like +600, -90s, 10m or +2d3h")
            }
        }

        func run() async throws {
            try await perform {
                let request = ClockOffsetRequest(offsetSeconds: offset.flatMap(Self.seconds), clear: clear ? true : nil, reason: reason)
                let (report, raw) = try await options.client.post("/v1/dumps/\(id)/clock-offset", request, as: ClipChangeReport.self)
                if options.json { return printJSON(raw) }
                if let clock = report.dump?.clock { print(Attribution.clockLine(clock)) }
                print(L10n.text("\(report.clips) clips of dump \(id) matched again; \(report.rejudged) changed",
                                zh: "导入 \(id) 的 \(report.clips) 条录像已重新匹配，\(report.rejudged) 条有变化"))
            }
        }

        /// "+2d3h" → 183600; a bare number is seconds.
        static func seconds(_ text: String) -> Double? {
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            var sign = 1.0
            if rest.first == "+" || rest.first == "-" { sign = rest.removeFirst() == "-" ? -1 : 1 }
            guard !rest.isEmpty else { return nil }
            if let plain = Double(rest) { return plain.isFinite ? sign * plain : nil }
            var total = 0.0
            while !rest.isEmpty {
                let digits = rest.prefix { $0.isNumber || $0 == "." }
                rest = rest.dropFirst(digits.count)
                guard let value = Double(digits), let unit = rest.first,
                      let scale = ["s": 1.0, "m": 60, "h": 3600, "d": 86_400][String(unit)] else { return nil }
                rest = rest.dropFirst()
                total += value * scale
            }
            return sign * total
        }
    }
}

extension Clips {
    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a clip's device, officer or recording time, or those of every clip of a dump (an audited revision; the camera's values stay visible).",
            discussion: "Give any of --device, --officer, --recorded-at; \"-\" clears a correction made before. The clips are matched and judged again at once.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256 or a unique prefix (or --dump N for every clip of a dump).") var clip: String?
        @Option(help: "Every clip of this dump (`dumps list`).") var dump: Int64?
        @Option(help: "The device that recorded it (product serial, in the ledger).") var device: String?
        @Option(help: "The officer who recorded it (badge, in the ledger).") var officer: String?
        @Option(name: .customLong("recorded-at"), help: "When it was recorded (station time, e.g. \"2026-11-27 08:30:15\").") var recordedAt: String?
        @Option(help: "Why (goes into the audit log).") var reason: String

        func validate() throws {
            guard (clip == nil) != (dump == nil) else { throw ValidationError("name one clip or --dump N") }
            guard device != nil || officer != nil || recordedAt != nil else { throw ValidationError("give --device, --officer and/or --recorded-at") }
        }

        func run() async throws {
            try await perform {
                let request = ClipCorrectRequest(clip: clip, dump: dump, device: device, officer: officer, recordedAt: recordedAt, reason: reason)
                let (report, raw) = try await options.client.post("/v1/clips/correct", request, as: ClipChangeReport.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("\(report.clips) clip(s) corrected; \(report.rejudged) re-judged with a new officer, flag or verdict",
                                zh: "已更正 \(report.clips) 条录像；其中 \(report.rejudged) 条的警号、标记或期限判定随之改变"))
            }
        }
    }

    struct Reparse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse clips' names again with the configured [[grammar]]s (after adding one): serial, badge, time; audited, re-judged.",
            discussion: "By default the clips flagged unparsed-name; --all for every clip, --dump N for one dump. --dry-run changes nothing.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this grammar (its name in the config).") var grammar: String?
        @Option(help: "Only the clips of this dump.") var dump: Int64?
        @Flag(help: "Every clip, not only those flagged unparsed-name.") var all = false
        @Flag(name: .customLong("dry-run"), help: "Say what would change; change nothing.") var dryRun = false

        func run() async throws {
            try await perform {
                let request = ReparseRequest(dump: dump, all: all ? true : nil, grammar: grammar, dryRun: dryRun ? true : nil)
                let (r, raw) = try await options.client.post("/v1/clips/reparse", request, as: ReparseReport.self)
                if options.json { return printJSON(raw) }
                let verb = r.dryRun ? L10n.text("would be read differently", zh: "将被重新识别") : L10n.text("read differently and re-judged", zh: "已重新识别并重新判定")
                print(L10n.text("\(r.examined) clips examined; \(r.changed) \(verb); \(r.unmatched) match no grammar",
                                zh: "检查 \(r.examined) 条录像；\(r.changed) 条\(verb)；\(r.unmatched) 条不符合任何文件名规则"))
                for (name, count) in r.byGrammar.sorted(by: { $0.key < $1.key }) { print("  \(name): \(count)") }
                if r.changed == 0 && r.examined > 0 {
                    print(L10n.text("no clip is read differently: check the [[grammar]] pattern against a clip's path (clips show)",
                                    zh: "没有录像被重新识别：请对照录像路径（clips show）检查 [[grammar]] 规则"))
                }
            }
        }
    }
}

/// How attribution facts read for people.
enum Attribution {
    /// "Clock offset: +600 s (the newest file times that agree; 1 file rejected as a clock glitch)".
    static func clockLine(_ clock: DockingClockItem) -> String {
        let offset = clock.offsetSeconds.map { String(format: "%+.0f s", $0) } ?? "-"
        let basis: String
        switch clock.basis {
        case "newest-agreeing": basis = L10n.text("from the newest file times that agree", zh: "依据相互印证的最新文件时间")
        case "clock-file": basis = L10n.text("from the camera's clock file", zh: "依据设备时钟文件")
        case "clerk": basis = L10n.text("set by a clerk", zh: "由内勤设定")
        case "cleared": basis = L10n.text("cleared by a clerk", zh: "已由内勤清除")
        default: basis = L10n.text("no time claimed on the medium", zh: "介质上无时间依据")
        }
        var parts = [basis]
        if ["clerk", "cleared"].contains(clock.basis) {
            let estimate = clock.estimateSeconds.map { String(format: "%+.0f s", $0) } ?? "-"
            parts.append(L10n.text("the daemon estimated \(estimate)", zh: "系统估计 \(estimate)"))
        }
        if clock.outliers > 0 {
            parts.append(L10n.text("\(clock.outliers) file(s) rejected as a clock glitch (time-implausible)",
                                   zh: "\(clock.outliers) 个文件时间异常，已排除（time-implausible）"))
        }
        return L10n.field("Clock offset", "时钟偏差", "\(offset) (" + parts.joined(separator: L10n.text("; ", zh: "；")) + ")")
    }

    /// Which time source `clips show` used and why, with the other source when they disagree.
    static func timeLines(_ clip: ClipItem) -> [String] {
        guard let times = clip.times else { return [] }
        let why: String
        switch times.reason {
        case "container": why = L10n.text("the container's time (the file name has none)", zh: "取自文件内部时间（文件名无时间）")
        case "sources-agree": why = L10n.text("the container's time; the file name agrees", zh: "取自文件内部时间，与文件名一致")
        case "zone-shift":
            var hours = "?"
            if let container = times.container, let name = times.fileName {
                hours = String(format: "%+.2g", container.timeIntervalSince(name) / 3600)
            }
            why = L10n.text("the file name's time: the container's is \(hours) h off, local time written as UTC (flagged)",
                            zh: "取自文件名：文件内部时间相差 \(hours) 小时，系设备将本地时间当作 UTC 写入（已标记）")
        case "sources-disagree": why = L10n.text("the container's time; the file name disagrees (flagged)", zh: "取自文件内部时间，与文件名不一致（已标记）")
        case "file-name": why = L10n.text("the file name's time (the container has none)", zh: "取自文件名（文件内部无时间）")
        case "file-time": why = L10n.text("the file's modification time only (flagged)", zh: "仅有文件修改时间（已标记）")
        case "clerk": why = L10n.text("corrected by a clerk", zh: "由内勤更正")
        default: why = L10n.text("no time found", zh: "无时间信息")
        }
        var lines = [L10n.field("Time source", "时间来源", why)]
        if times.container != nil || times.fileName != nil {
            lines.append(L10n.field("  container / file name", "  文件内部 / 文件名", "\(Format.time(times.container)) / \(Format.time(times.fileName))"))
        }
        return lines
    }

    /// "Device: A7K2931 (corrected by a clerk; the camera claimed ZZZ0001)" and the revisions.
    static func correctionLines(_ detail: ClipDetail) -> [String] {
        var lines: [String] = []
        if let a = detail.clip.attribution {
            if a.clerkSerial != nil { lines.append(L10n.field("  device claimed", "  设备原值", a.claimedSerial ?? "-")) }
            if a.clerkBadge != nil { lines.append(L10n.field("  officer claimed", "  警号原值", detail.clip.claimedBadge ?? "-")) }
            if let time = a.clerkRecordedAt { lines.append(L10n.field("  recorded (corrected)", "  录制时间（已更正）", Format.time(time))) }
        }
        for r in detail.revisions ?? [] {
            let changes = r.after.keys.sorted().filter { r.after[$0] != r.before[$0] }.map { "\($0): \(r.before[$0] ?? "") → \(r.after[$0] ?? "")" }
            lines.append("  " + L10n.text(r.kind == "reparse" ? "re-parsed" : "corrected", zh: r.kind == "reparse" ? "重新识别" : "更正")
                         + " \(Format.time(r.recordedAt)) \(r.recordedBy): \(changes.joined(separator: "; ")) (\(r.reason))")
        }
        return lines
    }
}
