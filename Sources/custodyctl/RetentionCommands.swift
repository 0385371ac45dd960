import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl retain CLIP --reason …`: keep a clip long-term on disc.
struct Retain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a clip for long-term keeping on disc (reasons: coercive-measure, objection, obstruction, mass-incident, evidence, other-major).",
        subcommands: [Mark.self, Proposals.self], defaultSubcommand: Mark.self)

    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mark", abstract: "Mark a clip long-term (clerk role); audited.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256 or a unique prefix.") var clip: String
        @Option(help: "Reason from the rules.") var reason: String
        @Option(help: "Note (required for other-major).") var note: String = ""
        func run() async throws {
            try await perform {
                let (detail, raw) = try await options.client.post("/v1/clips/\(clip)/retain", RetainRequest(reason: reason, note: note), as: ClipDetail.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("clip \(detail.clip.sha256.prefix(12)) kept long-term; queued for disc",
                                zh: "录像 \(detail.clip.sha256.prefix(12)) 已转为长期保存，等待刻录光盘"))
            }
        }
    }

    struct Proposals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clips the camera marked important (IMP) that nobody has marked long-term yet.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (clips, raw) = try await options.client.get("/v1/retain/proposals", as: [ClipItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["哈希", "录制时间", "设备", "警号"] : ["SHA-256", "RECORDED", "DEVICE", "BADGE"]
                print(Format.table(headers, clips.map { [String($0.sha256.prefix(12)), Format.shortTime($0.recordedAt), $0.deviceSerial ?? "-", $0.officerBadge ?? "-"] }))
            }
        }
    }
}

/// `custodyctl hold add|remove`: legal hold on a clip or a case (approver role).
struct Hold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Legal hold: a held clip or case is never proposed for disposal.",
                                                    subcommands: [Add.self, Remove.self])
    struct Target: ParsableArguments {
        @Option(help: "A clip (SHA-256 or unique prefix).") var clip: String?
        @Option(name: .customLong("case"), help: "A case number.") var caseNumber: String?
        @Option(help: "Why.") var reason: String
    }
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Place a hold.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: Target
        func run() async throws { try await Hold.send(options, target, remove: false) }
    }
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a hold.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: Target
        func run() async throws { try await Hold.send(options, target, remove: true) }
    }
    static func send(_ options: GlobalOptions, _ target: Target, remove: Bool) async throws {
        guard (target.clip == nil) != (target.caseNumber == nil) else { throw ValidationError("give --clip or --case") }
        try await perform {
            let (answer, raw) = try await options.client.post("/v1/holds", HoldRequest(clip: target.clip, caseNumber: target.caseNumber,
                                                                                      reason: target.reason, remove: remove), as: [String: String].self)
            if options.json { return printJSON(raw) }
            print(L10n.text("\(answer["target"] ?? "") \(remove ? "released" : "on hold")", zh: "\(answer["target"] ?? "") \(remove ? "已解除冻结" : "已冻结")"))
        }
    }
}

/// `custodyctl disposal`: two people decide what is cleared after retention (admin role).
struct Disposal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disposal after retention: one admin proposes, a different admin approves; only then are store files removed.",
        subcommands: [Propose.self, List.self, Show.self, Approve.self, Tombstones.self])

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List expired, unheld, non-long-term clips as a numbered proposal (nothing is removed).")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (p, raw) = try await options.client.post("/v1/disposal/propose", [String: String](), as: DisposalItem.self)
                if options.json { return printJSON(raw) }
                Disposal.print(p)
            }
        }
    }
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List proposals.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/disposal", as: [DisposalItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["编号", "提出人", "录像", "数据量", "结果", "审批人"] : ["ID", "PROPOSED BY", "CLIPS", "BYTES", "DECISION", "BY"]
                Swift.print(Format.table(headers, items.map { ["\($0.id)", $0.proposedBy, "\($0.clips.count)", Format.bytes($0.bytes), $0.decision.map { L10n.code(Vocabulary.decisions, $0) } ?? "-", $0.decidedBy ?? "-"] }))
            }
        }
    }
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a proposal and its clips.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Proposal number.") var id: Int64
        func run() async throws {
            try await perform {
                let (p, raw) = try await options.client.get("/v1/disposal/\(id)", as: DisposalItem.self)
                if options.json { return printJSON(raw) }
                Disposal.print(p)
                guard let outcomes = p.outcomes else {
                    for hash in p.clips { Swift.print("  \(hash)") }
                    return
                }
                for o in outcomes { Swift.print(Disposal.line(o)) }
            }
        }
    }
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a proposal (a different admin from the proposer); removes the files, keeps tombstones.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Proposal number.") var id: Int64
        func run() async throws {
            try await perform {
                let (p, raw) = try await options.client.post("/v1/disposal/\(id)/approve", [String: String](), as: DisposalItem.self)
                if options.json { return printJSON(raw) }
                Disposal.print(p)
            }
        }
    }
    struct Tombstones: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What disposed clips left behind: hash, size, times, officer, device, who proposed and approved.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/tombstones", as: [TombstoneItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["哈希", "大小", "录制", "警号", "设备", "提出", "批准", "销毁时间"] : ["SHA-256", "SIZE", "RECORDED", "BADGE", "DEVICE", "PROPOSED", "APPROVED", "DISPOSED"]
                Swift.print(Format.table(headers, items.map {
                    [String($0.sha256.prefix(12)), Format.bytes($0.sizeBytes), Format.shortTime($0.recordedAt), $0.officerBadge ?? "-",
                     $0.deviceSerial ?? "-", $0.proposedBy, $0.approvedBy, Format.shortTime($0.disposedAt)]
                }))
            }
        }
    }
    /// One clip of a decided proposal: disposed or kept, what went and what stayed, and why.
    static func line(_ o: DisposalOutcomeItem) -> String {
        let part = { (code: String) in
            code == "audit-rows" ? L10n.text("\(o.auditRows) audit rows", zh: "\(o.auditRows) 条审计记录")
                : L10n.text(code.replacingOccurrences(of: "-", with: " "), zh: Vocabulary.name(Vocabulary.disposalParts, code))
        }
        let sep = L10n.text(", ", zh: "、")
        let removed = o.removed.isEmpty ? "" : L10n.text("; removed ", zh: "；删除") + o.removed.map(part).joined(separator: sep)
        return "  \(o.sha256)  " + L10n.code(Vocabulary.clipStates, o.disposed ? "disposed" : "kept") + removed
            + L10n.text("; kept ", zh: "；保留") + o.kept.map(part).joined(separator: sep)
            + L10n.text("; why: \(o.why)", zh: "；原因：\(o.whyZh)")
    }

    static func print(_ p: DisposalItem) {
        let state = p.decision.map { L10n.text("\($0) by \(p.decidedBy ?? "?")", zh: ($0 == "approved" ? "已由 \(p.decidedBy ?? "?") 批准" : "已驳回")) }
            ?? L10n.text("waiting for a second admin's approval", zh: "等待另一名管理员审批")
        Swift.print(L10n.text("disposal proposal \(p.id) by \(p.proposedBy): \(p.clips.count) clips, \(Format.bytes(p.bytes)); \(state)",
                              zh: "销毁建议 \(p.id)（\(p.proposedBy) 提出）：\(p.clips.count) 条录像，\(Format.bytes(p.bytes))；\(state)"))
    }
}
