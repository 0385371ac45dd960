import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl access`: the access register (查阅登记簿): request, approve or deny, export, list.
struct Access: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Access register: requests checked against the rules for the requester kind, approved by another person, exported as BagIt.",
        subcommands: [Request.self, Approve.self, Deny.self, Export.self, Viewed.self, List.self, Show.self])

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a request (clerk role); refused with the reason when papers are missing.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Requester's name.") var name: String
        @Option(help: "Requester's unit.") var unit: String
        @Option(help: "case-handler, agency-staff, authority, party, lawyer, other-region.") var kind: String
        @Option(help: "For authority: police, procuratorate, court, state-security, discipline, justice, audit.") var body: String?
        @Option(help: "The requester's Unix user (name or uid), if they work at the station; they may not approve it.") var user: String?
        @Option(name: .customLong("doc"), help: "A document as KIND:REFERENCE[:verified], e.g. power-of-attorney:2026-委字-12:verified (repeat).")
        var documents: [String] = []
        @Option(name: .customLong("clip"), help: "A clip (SHA-256 or prefix); repeat.") var clips: [String] = []
        @Option(help: "Purpose (事由).") var purpose: String
        @Option(help: "view, copy or export.") var action: String = "view"
        @Option(help: "case-handler: the handler's badge (警号), checked against the handler recorded on each clip's case.") var badge: String?
        @Option(help: "Copies or exports asked for (default 1).") var copies: Int?
        func run() async throws {
            let docs = try documents.map { text -> AccessRequestBody.Document in
                let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count >= 2 else { throw ValidationError("--doc must be KIND:REFERENCE[:verified]") }
                return .init(kind: parts[0], reference: parts[1], verified: parts.count == 3 && parts[2] == "verified")
            }
            try await perform {
                let request = AccessRequestBody(requesterName: name, requesterUnit: unit, requesterKind: kind, authorityBody: body,
                                                stationUser: user, documents: docs, clips: clips, purpose: purpose, action: action,
                                                badge: badge, copies: copies)
                let (item, raw) = try await options.client.post("/v1/access", request, as: AccessEntryItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("access request \(item.id) registered; an approver decides it", zh: "已登记调阅申请 \(item.id)，待审批"))
            }
        }
    }

    struct Decision: ParsableArguments {
        @Argument(help: "Request number.") var id: Int64
        @Option(help: "legal-office-head or agency-head.") var title: String = "agency-head"
        @Option(help: "Note.") var note: String = ""
        @Option(help: "approve: copies or exports allowed (default: what the request asked for, else 1).") var copies: Int?
    }
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a request (approver role; not the requester nor the registering clerk).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var decision: Decision
        func run() async throws { try await Access.decide(options, decision, "approve") }
    }
    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deny a request (approver role).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var decision: Decision
        func run() async throws { try await Access.decide(options, decision, "deny") }
    }
    static func decide(_ options: GlobalOptions, _ d: Decision, _ verb: String) async throws {
        try await perform {
            let (item, raw) = try await options.client.post("/v1/access/\(d.id)/\(verb)", AccessDecisionBody(title: d.title, note: d.note, copies: d.copies), as: AccessEntryItem.self)
            if options.json { return printJSON(raw) }
            print(L10n.text("request \(item.id): \(item.decision ?? "?")", zh: "申请 \(item.id)：\(item.decision == "approved" ? "已批准" : "已驳回")"))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an approved request's clips as a BagIt bag into a folder or mounted USB drive.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Request number.") var id: Int64
        @Option(help: "Target folder (must exist).") var to: String
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/access/\(id)/export", AccessExportBody(target: to), as: AccessEntryItem.self)
                if options.json { return printJSON(raw) }
                print(item.uses.last ?? "")
            }
        }
    }

    struct Viewed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register that the requester looked at the footage (clerk role); refused when the approval is denied, missing or expired.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Request number.") var id: Int64
        @Option(help: "Who looked (default: the requester).") var viewer: String?
        @Option(help: "Note, e.g. where it was shown.") var note: String?
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/access/\(id)/viewed", AccessViewedBody(viewer: viewer, note: note), as: AccessEntryItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("request \(item.id): look registered (\(item.looks?.count ?? 0) in all)",
                                zh: "申请 \(item.id)：已登记查看（共 \(item.looks?.count ?? 0) 次）"))
            }
        }
    }

    /// `2/3` made of allowed, or `-` for a look.
    static func copies(_ e: AccessEntryItem) -> String {
        e.copiesAllowed.map { "\(e.copiesMade ?? 0)/\($0)" } ?? "-"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The register; --html or --pdf for the printable Chinese page.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var printed: PrintedOutput
        func run() async throws {
            try await perform {
                if let format = printed.format {
                    return try await printed.write(options.client, "/v1/access?format=\(format)", refusalAs: [AccessEntryItem].self)
                }
                let (items, raw) = try await options.client.get("/v1/access", as: [AccessEntryItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["编号", "申请人", "类别", "事项", "录像", "审批", "状态", "份数", "查看", "办理"]
                    : ["ID", "REQUESTER", "KIND", "ACTION", "CLIPS", "DECISION", "STATUS", "COPIES", "LOOKS", "DONE"]
                print(Format.table(headers, items.map {
                    ["\($0.id)", $0.requesterName, L10n.code(Vocabulary.requesterKinds, $0.requesterKind), L10n.code(Vocabulary.accessActions, $0.action),
                     "\($0.clips.count)", $0.decision.map { L10n.code(Vocabulary.decisions, $0) } ?? "-",
                     $0.status.map { L10n.code(Vocabulary.decisions, $0) } ?? "-", Access.copies($0), "\($0.looks?.count ?? 0)", "\($0.uses.count)"]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one request.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Request number.") var id: Int64
        func run() async throws {
            try await perform {
                let (e, raw) = try await options.client.get("/v1/access/\(id)", as: AccessEntryItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.field("Requester", "申请人", "\(e.requesterName), \(e.requesterUnit) (\(L10n.code(Vocabulary.requesterKinds, e.requesterKind)))"))
                print(L10n.field("Documents", "证件材料", e.documents.joined(separator: "; ")))
                print(L10n.field("Purpose", "事由", e.purpose))
                print(L10n.field("Action", "事项", L10n.code(Vocabulary.accessActions, e.action)))
                print(L10n.field("Decision", "审批", "\(e.decision.map { L10n.code(Vocabulary.decisions, $0) } ?? "-") \(e.decidedBy ?? "")"))
                print(L10n.field("Status", "状态", e.status.map { L10n.code(Vocabulary.decisions, $0) } ?? "-"))
                if let expiry = e.expiresAt { print(L10n.field("Approval valid until", "审批有效至", Format.time(expiry))) }
                if e.copiesAllowed != nil { print(L10n.field("Copies made/allowed", "已制作/准许份数", Access.copies(e))) }
                for look in e.looks ?? [] {
                    print(L10n.field("Look", "查看", "\(look.detail) (\(look.recordedBy) \(Format.time(look.recordedAt)))"))
                }
                for use in e.uses where !use.hasPrefix("view: ") { print("  " + use) }
            }
        }
    }
}

extension Audit {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Audit rows, filtered by clip, user, action and time.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "A clip's SHA-256 or a unique prefix of it.") var clip: String?
        @Option(help: "Rows by one account: a user name or uid (the account, whatever its name was then).") var user: String?
        @Option(help: "Action or its start, e.g. api.refused, disposal.") var action: String?
        @Option(help: "From (station time).") var from: String?
        @Option(help: "To (station time).") var to: String?
        @Option(help: "At most this many (newest).") var limit: Int = 200
        func run() async throws {
            var query = ["limit=\(limit)"]
            if let clip { query.append("clip=\(escaped(clip))") }
            if let user { query.append("user=\(escaped(user))") }
            if let action { query.append("action=\(escaped(action))") }
            if let from { query.append("from=\(escaped(from))") }
            if let to { query.append("to=\(escaped(to))") }
            try await perform {
                let (rows, raw) = try await options.client.get("/v1/audit?" + query.joined(separator: "&"), as: [AuditItem].self)
                if options.json { return printJSON(raw) }
                for r in rows { print("#\(r.seq) \(Format.time(r.at)) \(r.actor) \(r.action) \(r.object) \(Format.auditDetail(r.detail))") }
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a Merkle checkpoint (RFC 6962 tree size + root) signed with the station key and print it, to keep elsewhere (audit verify --against checks a later log against it).")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (c, raw) = try await options.client.post("/v1/audit/checkpoint", [String: String](), as: CheckpointItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("audit checkpoint: \(c.treeSize) rows, root \(c.root)", zh: "审计检查点：\(c.treeSize) 条，根哈希 \(c.root)"))
                if let head = c.signedHead { print(L10n.text("signed: ", zh: "签名：") + head) }
            }
        }
    }
}

extension Clips {
    struct Confidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Flag a clip state-secret, trade-secret or privacy (or --remove); only cleared roles then see it.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The clip's SHA-256 or a unique prefix.") var clip: String
        @Option(help: "state-secret, trade-secret or privacy.") var flag: String
        @Flag(help: "Lift the flag.") var remove = false
        func run() async throws {
            try await perform {
                let (_, raw) = try await options.client.post("/v1/clips/\(clip)/confidential", ConfidentialBody(flag: flag, remove: remove), as: ClipDetail.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("clip \(clip): \(flag) \(remove ? "lifted" : "set")", zh: "录像 \(clip)：已\(remove ? "解除" : "设置")\(flag)"))
            }
        }
    }
}
