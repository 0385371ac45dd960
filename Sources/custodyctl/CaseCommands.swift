import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl cases`: cases (案件) that clips are filed under; closing one starts its archive deadline.
struct Cases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cases: register, list, show, close (starts the archive deadline), archive, reopen.",
        subcommands: [Add.self, List.self, Show.self, Close.self, Archive.self, Reopen.self, Confidential.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a case.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number (案件编号).") var number: String
        @Option(help: "Case name (案件名称).") var title: String
        @Option(help: "Unit; the station's unit if left out.") var unit: String?
        @Option(help: "Badge of the officer handling the case.") var handler: String?
        @Option(help: "When the case was opened (station time); now if left out.") var openedAt: String?
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/cases", CaseRequest(number: number, title: title, unit: unit,
                                                                                         handlerBadge: handler, openedAt: openedAt), as: CaseItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("case \(item.number) registered", zh: "已登记案件 \(item.number)"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases with their state and archive due time.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/cases", as: [CaseItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["案件编号", "名称", "状态", "录像", "结案", "归档期限"] : ["NUMBER", "TITLE", "STATE", "CLIPS", "CLOSED", "ARCHIVE DUE"]
                print(Format.table(headers, items.map {
                    [$0.number, $0.title, Cases.state($0.state), "\($0.clipCount)", $0.closedAt.map(Format.shortTime) ?? "-",
                     $0.archiveDueAt.map(Format.shortTime) ?? "-"]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a case: its events and clips.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number.") var number: String
        func run() async throws {
            try await perform {
                let (d, raw) = try await options.client.get("/v1/cases/\(escaped(number))", as: CaseDetail.self)
                if options.json { return printJSON(raw) }
                let c = d.legalCase
                print(L10n.field("Case", "案件编号", c.number))
                print(L10n.field("Title", "名称", c.title))
                print(L10n.field("Unit", "单位", c.unit))
                print(L10n.field("Handler", "承办人", c.handlerBadge ?? "-"))
                print(L10n.field("Opened", "立案时间", Format.time(c.openedAt)))
                print(L10n.field("State", "状态", Cases.state(c.state)))
                if let due = c.archiveDueAt { print(L10n.field("Archive due", "归档期限", Format.time(due))) }
                for e in d.events { print("  \(Format.time(e.at)) \(Cases.event(e.kind)) \(e.recordedBy) \(e.note)") }
                print(L10n.text("Clips:", zh: "录像："))
                for clip in d.clips {
                    print("  \(clip.sha256.prefix(12)) \(Format.shortTime(clip.recordedAt)) \(clip.deviceSerial ?? "-") \(clip.officerBadge ?? "-")")
                }
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a case (结案): its archive deadline starts.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number.") var number: String
        @Option(help: "When (station time); now if left out.") var at: String?
        @Option(help: "Note.") var note: String = ""
        func run() async throws { try await Cases.event(options, number, "close", at, note) }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a closed case's file was archived (归档).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number.") var number: String
        @Option(help: "When (station time); now if left out.") var at: String?
        @Option(help: "Note (where the file went).") var note: String = ""
        func run() async throws { try await Cases.event(options, number, "archive", at, note) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a closed case.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number.") var number: String
        @Option(help: "Why.") var note: String
        func run() async throws { try await Cases.event(options, number, "reopen", nil, note) }
    }

    static func event(_ options: GlobalOptions, _ number: String, _ verb: String, _ at: String?, _ note: String) async throws {
        try await perform {
            let (item, raw) = try await options.client.post("/v1/cases/\(escaped(number))/\(verb)", CaseEventRequest(at: at, note: note),
                                                            as: CaseItem.self)
            if options.json { return printJSON(raw) }
            var text = L10n.text("case \(item.number): \(item.state)", zh: "案件 \(item.number)：\(state(item.state))")
            if let due = item.archiveDueAt { text += L10n.text(", archive by \(Format.time(due))", zh: "，归档期限 \(Format.time(due))") }
            print(text)
        }
    }

    static func state(_ s: String) -> String {
        L10n.chinese ? (["open": "办理中", "closed": "已结案", "archived": "已归档"][s] ?? s) : s
    }

    static func event(_ k: String) -> String {
        L10n.chinese ? (["closed": "结案", "archived": "归档", "reopened": "重新办理"][k] ?? k) : k
    }
}

extension Cases {
    struct Confidential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Flag every clip of a case state-secret, trade-secret or privacy (or --remove).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Case number.") var number: String
        @Option(help: "state-secret, trade-secret or privacy.") var flag: String
        @Flag(help: "Lift the flag.") var remove = false
        func run() async throws {
            try await perform {
                let (_, raw) = try await options.client.post("/v1/cases/\(escaped(number))/confidential", ConfidentialBody(flag: flag, remove: remove), as: CaseItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("case \(number): \(flag) \(remove ? "lifted" : "set")", zh: "案件 \(number)：已\(remove ? "解除" : "设置")\(flag)"))
            }
        }
    }
}
