import ArgumentParser
import CustodyAPI
import Foundation
import Glibc

struct Clips: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List and show cataloged clips.",
                                                    subcommands: [List.self, Show.self, Annotate.self, LeaveCase.self, Confidential.self, Custody.self,
                                                                  Correct.self, Reparse.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List clips in ingest order, filtered by officer, device, recording time, case, lateness or flag.",
            discussion: """
                Every filter given must hold. --from/--to take a day (2026-11-01; --to a day includes that day) or a \
                station time (2026-11-01 08:30); they filter on the recording time corrected for a fast camera clock, \
                the time reports count by. Page with --limit and --offset, or with --after the last clip of a page.
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only clips of this officer (badge number), as matched from the device ledger.") var officer: String?
        @Option(help: "Only clips of this camera (device serial).") var device: String?
        @Option(help: "Recorded at or after this day or time (station time).") var from: String?
        @Option(help: "Recorded before this time, or on or before this day (station time).") var to: String?
        @Option(name: .customLong("case"), help: "Only clips filed under this case number.") var caseNumber: String?
        @Flag(help: "Only clips uploaded after their deadline.") var late = false
        @Option(help: "Only clips with this flag, e.g. no-handover, officer-mismatch, clock-drift, important.") var flag: String?
        @Option(help: "Show at most this many clips.") var limit: Int?
        @Option(help: "Skip this many clips first.") var offset: Int = 0
        @Option(help: "Only clips after this one (SHA-256 or unique prefix) in ingest order: the next page.") var after: String?
        @Flag(help: "Include disposed clips (已销毁: bytes removed, catalog row and tombstone kept).") var disposed = false

        func run() async throws {
            try await perform {
                let (clips, raw) = try await options.client.get(path, as: [ClipItem].self)
                if options.json { return printJSON(raw) }
                let zh = L10n.chinese
                let headers = zh ? ["哈希", "大小", "录制时间", "设备", "警号", "超期", "标记"]
                                 : ["SHA-256", "SIZE", "RECORDED", "DEVICE", "BADGE", "LATE BY", "FLAGS"]
                print(Format.table(headers, clips.map { clip in
                    [String(clip.sha256.prefix(12)), Format.bytes(Int64(clip.sizeBytes)), Format.shortTime(clip.recordedAt),
                     clip.deviceSerial ?? "-", clip.officerBadge ?? "-",
                     (clip.lateSeconds ?? 0) > 0 ? Deadlines.List.duration(clip.lateSeconds ?? 0) : "-",
                     [clip.disposedAt == nil ? "" : L10n.code(Vocabulary.clipStates, "disposed"), L10n.flags(clip.flags.filter { $0 != "late" })]
                        .filter { !$0.isEmpty }.joined(separator: " ")]
                }))
                print((zh ? "共 \(clips.count) 条；" : "\(clips.count) clips; ") + Format.zoneNote)
                if let limit, clips.count == limit, let last = clips.last {
                    print(L10n.text("more may follow: add --after \(last.sha256.prefix(16))", zh: "可能还有更多：加 --after \(last.sha256.prefix(16)) 查看下一页"))
                }
            }
        }

        /// `/v1/clips?…` with the filters given.
        var path: String {
            var query = ["offset=\(offset)"]
            if let limit { query.append("limit=\(limit)") }
            for (name, value) in [("officer", officer), ("device", device), ("from", from), ("to", to), ("case", caseNumber),
                                  ("flag", flag), ("after", after)] {
                if let value { query.append("\(name)=\(escaped(value))") }
            }
            if late { query.append("late=true") }
            if disposed { query.append("disposed=true") }
            return "/v1/clips?" + query.joined(separator: "&")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one clip with its provenance and audit history.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256, or a unique prefix of at least 8 hex digits.") var clip: String

        func run() async throws {
            try await perform {
                let (detail, raw) = try await options.client.get("/v1/clips/\(clip)", as: ClipDetail.self)
                if options.json { return printJSON(raw) }
                let c = detail.clip
                var lines: [String] = ["SHA-256: \(c.sha256)"]
                lines.append(L10n.field("Size", "大小", "\(c.sizeBytes) (\(Format.bytes(Int64(c.sizeBytes))))"))
                lines.append(L10n.field("Kind", "类型", "\(L10n.code(Vocabulary.mediaKinds, c.mediaKind))/\(c.format)"))
                lines.append(L10n.field("Recorded", "录制时间", "\(Format.time(c.recordedAt)) (\(L10n.code(Vocabulary.timeSources, c.timeSource)))"))
                lines += Attribution.timeLines(c)
                let duration: String = c.durationSeconds.map { String(format: "%.1f s", $0) } ?? "-"
                lines.append(L10n.field("Duration", "时长", duration))
                lines.append(L10n.field("Device", "设备", c.deviceSerial ?? "-"))
                lines.append(L10n.field("Officer", "警号", c.officerBadge ?? "-"))
                lines.append(L10n.field("Ingested", "导入时间", Format.time(c.ingestedAt)))
                let late: String = c.late ? L10n.text(" (LATE by \(Deadlines.List.duration(c.lateSeconds ?? 0)))",
                                                      zh: "（超期 \(Deadlines.List.duration(c.lateSeconds ?? 0))）") : ""
                lines.append(L10n.field("Due", "上传期限", Format.time(c.dueAt) + late))
                lines.append(L10n.field("Deadline rule", "期限规则", Clips.rule(c.deadlineRule)))
                let annotated = c.annotatedAt.map { L10n.text("annotated \(Format.time($0))", zh: "已于 \(Format.time($0)) 标注") }
                lines.append(L10n.field("Annotation", "标注", annotated ?? L10n.text("not yet, due \(Format.time(c.annotationDueAt))",
                                                                                   zh: "未标注，期限 \(Format.time(c.annotationDueAt))")))
                if let number = c.caseNumber { lines.append(L10n.field("Case", "案件", number)) }
                if let r = detail.retention, c.disposedAt == nil {
                    lines.append(L10n.field("Kept until", "保存至", (r.retainUntil.map { Format.time($0) } ?? L10n.text("no end set", zh: "未设期限"))
                        + L10n.text(" (\(r.retentionClass))", zh: "（\(Vocabulary.name(Vocabulary.retentionClasses, r.retentionClass))）")))
                }
                if let a = detail.annotations.last {
                    lines.append(L10n.field("Category", "类别", a.category))
                    lines.append(L10n.field("Place", "地点", a.place))
                    lines.append(L10n.field("Party", "当事人", a.party))
                    lines.append(L10n.field("Description", "内容", a.description))
                }
                lines.append(L10n.field("Flags", "标记", c.flags.isEmpty ? "-" : L10n.flags(c.flags)))
                lines += Attribution.correctionLines(detail)
                lines += Clips.keepingLines(detail)
                lines.append(L10n.text("Found at:", zh: "来源："))
                lines += detail.provenance.map { "  " + L10n.text("dump", zh: "导入") + " \($0.dumpID): \($0.mountPoint)/\($0.sourcePath)" }
                lines.append(L10n.text("Audit:", zh: "审计记录："))
                lines += detail.audit.map { "  #\($0.seq) \(Format.time($0.at)) \($0.actor) \($0.action) \(Format.auditDetail($0.detail))" }
                print(lines.joined(separator: "\n"))
            }
        }
    }
}

extension Clips {
    struct Annotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Annotate a clip: case, category, place, party, description (a new audited row; earlier ones are kept).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256, or a unique prefix of at least 8 hex digits.") var clip: String
        @Option(name: .customLong("case"), help: "Case number (custodyctl cases add).") var caseNumber: String?
        @Option(help: "Category (类别), e.g. 交通违法.") var category: String
        @Option(help: "Place (地点).") var place: String = ""
        @Option(help: "Party (当事人).") var party: String = ""
        @Option(help: "Main content (主要内容).") var description: String = ""
        @Option(help: "The case the clip leaves when --case names another one (it loses that case's holds and confidentiality).")
        var leaveCase: String?
        func run() async throws {
            try await perform {
                let request = AnnotateRequest(caseNumber: caseNumber, category: category, place: place, party: party, description: description,
                                              leaveCase: leaveCase)
                let (_, raw) = try await options.client.post("/v1/clips/\(clip)/annotate", request, as: AnnotationItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("clip \(clip) annotated", zh: "已标注录像 \(clip)"))
            }
        }
    }

    struct LeaveCase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a clip out of its case: it loses the case's holds and confidentiality (clerk role, cleared for the case's flags; refused while held).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256, or a unique prefix of at least 8 hex digits.") var clip: String
        @Option(name: .customLong("case"), help: "The case it leaves (must be its case).") var caseNumber: String
        @Option(help: "Why (recorded and audited).") var reason: String
        func run() async throws {
            try await perform {
                let (_, raw) = try await options.client.post("/v1/clips/\(clip)/leave-case", LeaveCaseRequest(caseNumber: caseNumber, reason: reason),
                                                             as: ClipDetail.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("clip \(clip) left case \(caseNumber)", zh: "录像 \(clip) 已移出案件 \(caseNumber)"))
            }
        }
    }

    /// `recording-end+24h` → "24 h after the recording ends" / "录制结束后24小时".
    static func rule(_ code: String?) -> String {
        guard var code else { return "-" }
        var prefix = ""
        if code.hasPrefix("exception:") { code.removeFirst(10); prefix = L10n.text("approved exception: ", zh: "批准延期：") }
        switch code {
        case "offsite-open": return prefix + L10n.text("off-site duty, window starts at check-in", zh: "异地执勤，归还后起算")
        case "no-time": return L10n.text("no recording time", zh: "无录制时间，无法判定")
        case "time-implausible": return L10n.text("no verdict: the recording time is implausible; correct it (clips correct --recorded-at)",
                                                  zh: "不作判定：录制时间不可信，请更正（clips correct --recorded-at）")
        default: break
        }
        let parts = code.split(separator: "+", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return code }
        let start = ["recording-end": L10n.text("recording end", zh: "录制结束"), "checkin": L10n.text("check-in", zh: "归还")][parts[0]] ?? parts[0]
        let window = parts[1].hasSuffix("wd") ? L10n.text("\(parts[1].dropLast(2)) working days", zh: "\(parts[1].dropLast(2))个工作日")
                                               : L10n.text("\(parts[1].dropLast()) h", zh: "\(parts[1].dropLast())小时")
        return prefix + L10n.text("\(start) + \(window)", zh: "\(start)后\(window)")
    }
}

struct Dumps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Camera dumps and their progress.",
                                                    subcommands: [List.self, Show.self, ClockOffset.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One dump: its progress, refused files, and the side files kept with it (identity files, empty entries, camera bookkeeping).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The dump's number (`dumps list` shows them).") var id: Int64

        func run() async throws {
            try await perform {
                let (d, raw) = try await options.client.get("/v1/dumps/\(id)", as: DumpItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.field("Dump", "导入", "\(d.id)  \(Messages.state(d.state))" + (d.stateReason.map { "  (\($0))" } ?? "")))
                print(L10n.field("Mount point", "挂载点", d.mountPoint))
                print(L10n.field("Device / badge", "设备 / 警号", "\(d.deviceSerial ?? "-") / \(d.officerBadge ?? "-")"))
                print(L10n.field("Files", "文件", "\(d.filesDone)/\(d.filesTotal), \(Format.bytes(d.bytesDone))/\(Format.bytes(d.bytesTotal))"))
                if let clock = d.clock { print(Attribution.clockLine(clock)) }
                let side = d.sideFiles ?? []
                print(L10n.field("Side files (not recordings)", "附属文件（非录像）", "\(side.count)"))
                for f in side {
                    print("  \(Messages.sideFile(f.kind))  \(f.sourcePath)  \(Format.bytes(Int64(f.sizeBytes)))  \(f.sha256)")
                }
                if !d.issues.isEmpty { print(L10n.field("Refused or failed", "拒收或失败", "\(d.issues.count)")) }
                for issue in d.issues { print("  \(Messages.issue(issue.kind)): \(issue.sourcePath ?? "-")" + (L10n.chinese ? "" : ": \(issue.message)")) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dumps: files and bytes done/total, rate, errors.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await perform {
                let (dumps, raw) = try await options.client.get("/v1/dumps", as: [DumpItem].self)
                if options.json { return printJSON(raw) }
                let zh = L10n.chinese
                let headers = zh ? ["编号", "状态", "文件", "数据量", "速率", "错误", "挂载点"] : ["ID", "STATE", "FILES", "BYTES", "RATE", "ERRORS", "MOUNT"]
                print(Format.table(headers, dumps.map { d in
                    ["\(d.id)", L10n.chinese ? String(Messages.state(d.state).prefix(3)) : d.state, "\(d.filesDone)/\(d.filesTotal)",
                     "\(Format.bytes(d.bytesDone))/\(Format.bytes(d.bytesTotal))",
                     d.bytesPerSecond.map { Format.bytes(Int64($0)) + "/s" } ?? "-", "\(d.errors)", d.mountPoint]
                }))
                for d in dumps where d.state != "complete" || !d.issues.isEmpty {
                    if L10n.chinese {
                        print("导入 \(d.id)：\(Messages.state(d.state))" + (d.stateReason.map { "（\($0)）" } ?? ""))
                    } else if let reason = d.stateReason {
                        print("dump \(d.id): \(reason)")
                    }
                    for issue in d.issues { print("  \(Messages.issue(issue.kind)): \(issue.sourcePath ?? "-")" + (L10n.chinese ? "" : ": \(issue.message)")) }
                }
            }
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The hash-chained audit log.",
                                                    subcommands: [Verify.self, Show.self, Checkpoint.self, Key.self, Acknowledge.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit chain from genesis and replay it into the state it implies: every bound catalog row must agree with it.")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: ArgumentHelp("Check the signed tree heads in FILE (an ISO, a disc's AUDIT-HEAD.txt, an export bag, a report, an anchor file or `audit checkpoint --json` output) instead: today's log must extend each.", valueName: "FILE"))
        var against: [String] = []

        struct Result: Decodable {
            struct Mismatch: Decodable { var message: String }
            struct Step: Decodable { var seq: Int64; var secondsBack: Double }
            var valid: Bool; var rows: Int64; var head: String; var firstBadSeq: Int64?; var problem: String?
            var boundRowsChecked: Int?; var mismatchCount: Int?; var mismatches: [Mismatch]?
            var clockStepCount: Int?; var clockSteps: [Step]?
        }

        func run() async throws {
            try await perform {
                if !against.isEmpty { return try await AgainstCheck.run(against, options: options) }
                let (result, raw) = try await options.client.get("/v1/audit/verify", as: Result.self)
                if options.json { printJSON(raw) } else {
                    Self.show(result)
                }
                if !result.valid { throw ExitCode(1) }
            }
        }

        static func show(_ result: Result) {
            let mismatches = result.mismatches ?? []
            if result.valid {
                print(L10n.text("audit chain intact: \(result.rows) rows, head \(result.head)", zh: "审计链完整：\(result.rows) 条，链头 \(result.head)"))
                print(L10n.text("catalog agrees with the chain: \(result.boundRowsChecked ?? 0) rows replayed and compared",
                                zh: "目录与审计链一致：已重放并比对 \(result.boundRowsChecked ?? 0) 行"))
            } else if let bad = result.firstBadSeq {
                print(L10n.text("AUDIT CHAIN BROKEN at row \(bad): \(result.problem ?? "")",
                                zh: "审计链损坏，第 \(bad) 条：\(result.problem ?? "")"))
            }
            if !mismatches.isEmpty {
                print(L10n.text("CATALOG DISAGREES WITH THE AUDIT CHAIN: \(result.mismatchCount ?? mismatches.count) rows",
                                zh: "目录与审计链不一致：\(result.mismatchCount ?? mismatches.count) 行"))
                for m in mismatches { print("  " + m.message) }
            }
            for step in result.clockSteps ?? [] {
                print(L10n.text("  row \(step.seq) is dated \(Int(step.secondsBack)) s before the row it follows (the clock was set back)",
                                zh: "  第 \(step.seq) 条的时间比前一条早 \(Int(step.secondsBack)) 秒（时钟曾被调回）"))
            }
        }
    }
}

struct Fsck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-hash every stored clip and check the store against the catalog and the audit chain.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await perform {
            // Progress on stderr (terminals only) from `status` while the check runs.
            let client = options.client
            let progress = Task {
                guard isatty(STDERR_FILENO) == 1 else { return }
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if let p = try? await client.get("/v1/status", as: StatusResponse.self).0.fsckProgress, p.count == 2 {
                        FileHandle.standardError.write(Data("\r\(L10n.text("checked", zh: "已校验")) \(p[0])/\(p[1])".utf8))
                    }
                }
            }
            defer { progress.cancel() }
            let (r, raw) = try await options.client.get("/v1/fsck", as: FsckReport.self)
            progress.cancel()
            if options.json { printJSON(raw) } else {
                print(L10n.field("Clips re-hashed", "已校验", "\(r.clipsChecked) (\(Format.bytes(Int64(r.bytesChecked))))"))
                print(L10n.field("Missing files", "文件缺失", "\(r.missing.count)"))
                print(L10n.field("Changed files", "文件被改动", "\(r.changed.count)"))
                print(L10n.field("Files without a catalog row", "无目录记录的文件", "\(r.uncataloged.count)"))
                print(L10n.field("Temp files", "临时文件", "\(r.tempFiles.count)" + (r.ingestActive > 0 ? L10n.text(" (an ingest is running)", zh: "（正在导入）") : "")))
                print(L10n.field("Audit chain", "审计链", r.auditFirstBadSeq == nil ? L10n.text("intact", zh: "完整") : L10n.text("BROKEN at row \(r.auditFirstBadSeq ?? 0)", zh: "第 \(r.auditFirstBadSeq ?? 0) 条损坏")))
                print(L10n.field("Rows against the chain", "目录与审计链", (r.auditMismatchCount ?? 0) == 0
                                    ? L10n.text("\(r.boundRowsChecked ?? 0) agree", zh: "\(r.boundRowsChecked ?? 0) 行一致")
                                    : L10n.text("\(r.auditMismatchCount ?? 0) DISAGREE", zh: "\(r.auditMismatchCount ?? 0) 行不一致")))
                for message in r.auditMismatches ?? [] { print("  " + message) }
                if r.auditFirstBadSeq == nil, (r.auditMismatchCount ?? 0) == 0, !r.auditValid, let problem = r.auditProblem { print("  " + problem) }
                for hash in r.missing { print("  missing \(hash)") }
                for hash in r.changed { print("  changed \(hash)") }
                print(r.consistent ? L10n.text("store consistent", zh: "存储一致") : L10n.text("STORE INCONSISTENT", zh: "存储不一致"))
            }
            if !r.consistent { throw ExitCode(1) }
        }
    }
}
