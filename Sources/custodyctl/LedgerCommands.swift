import ArgumentParser
import CustodyAPI
import Foundation

/// Percent-encodes one path segment or query value.
func escaped(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}

struct Officers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The officers in the ledger (警号, name, unit).",
        subcommands: [Add.self, List.self, Show.self, Deactivate.self, LedgerImport<OfficersTable>.self, LedgerExport<OfficersTable>.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an officer, or record a correction (a new revision).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Badge number (警号).") var badge: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Unit.") var unit: String
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/officers", OfficerRequest(badge: badge, name: name, unit: unit), as: OfficerItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("officer \(item.badge) \(item.name) recorded (revision \(item.revision))",
                                zh: "已登记警员 \(item.badge) \(item.name)（第 \(item.revision) 号记录）"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List officers.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/officers", as: [OfficerItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["警号", "姓名", "单位", "状态"] : ["BADGE", "NAME", "UNIT", "STATUS"]
                print(Format.table(headers, items.map { [$0.badge, $0.name, $0.unit, $0.active ? L10n.text("active", zh: "在职") : L10n.text("inactive", zh: "停用")] }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an officer with the record's history and handovers.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Badge number.") var badge: String
        func run() async throws {
            try await perform {
                let (detail, raw) = try await options.client.get("/v1/officers/\(escaped(badge))", as: OfficerDetail.self)
                if options.json { return printJSON(raw) }
                let o = detail.officer
                print(L10n.field("Badge", "警号", o.badge))
                print(L10n.field("Name", "姓名", o.name))
                print(L10n.field("Unit", "单位", o.unit))
                print(L10n.field("Active", "状态", o.active ? L10n.text("active", zh: "在职") : L10n.text("inactive", zh: "停用")))
                print(L10n.text("Revisions:", zh: "记录修订："))
                for r in detail.history { print("  #\(r.revision) \(Format.time(r.recordedAt)) \(r.recordedBy): \(r.name) / \(r.unit) / \(r.active)") }
                print(L10n.text("Handovers:", zh: "交接记录："))
                printHandovers(detail.handovers)
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an officer inactive (a new revision; nothing is deleted).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Badge number.") var badge: String
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/officers/\(escaped(badge))/deactivate", [String: String](), as: OfficerItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("officer \(item.badge) deactivated", zh: "警员 \(item.badge) 已停用"))
            }
        }
    }
}

func printHandovers(_ handovers: [HandoverItem]) {
    let headers = L10n.chinese ? ["编号", "设备", "警号", "领用", "归还", "异地"] : ["ID", "DEVICE", "BADGE", "OUT", "IN", "OFFSITE"]
    print(Format.table(headers, handovers.map {
        ["\($0.id)", $0.serial, $0.badge, Format.shortTime($0.checkedOutAt), $0.checkedInAt.map(Format.shortTime) ?? L10n.text("(out)", zh: "（未归还）"),
         $0.offsite ? L10n.text("yes", zh: "是") : ""]
    }))
    print(Format.zoneNote)
}
