import CustodyAPI
@testable import CustodyCatalog
import CustodyCore
import Foundation
import Testing
@testable import CustodyServer

/// Chinese on everything a clerk prints or signs (issue 19, item 5): every code the catalog can
/// hold has its Chinese name, and every audit action the daemon writes has words in a custody
/// report. New codes without words fail here, before they reach paper in English.
@Suite("Chinese words for every code and every audit action")
struct PaperWordsTests {
    static func kebab(_ text: String) -> String { CustodyEventText.kebab(text) }

    @Test("every flag, state, kind, title, class, reason, confidentiality, media kind and time source has a Chinese name")
    func everyCodeHasAName() {
        let tables: [(String, [String], [String: String])] = [
            ("flags", ClipFlag.allCases.map(\.rawValue), Vocabulary.flags),
            ("case states", ["open", "closed", "archived"], Vocabulary.caseStates),
            ("dump states", ["scanning", "copying", "paused", "complete", "interrupted", "refused"], Vocabulary.dumpStates),
            ("device status", Device.Status.allCases.map(\.rawValue), Vocabulary.deviceStatus),
            ("requester kinds", RequesterKind.allCases.map { Self.kebab($0.rawValue) }, Vocabulary.requesterKinds),
            ("access actions", AccessAction.allCases.map(\.rawValue), Vocabulary.accessActions),
            ("approver titles", ApproverTitle.allCases.map { Self.kebab($0.rawValue) }, Vocabulary.approverTitles),
            ("long-term reasons", LongTermReason.allCases.map(\.rawValue), Vocabulary.longTermReasons),
            ("interruption reasons", Interruption.Reason.allCases.map(\.rawValue), Vocabulary.interruptionReasons),
            ("confidentiality", Confidentiality.allCases.map { Self.kebab($0.rawValue) }, Vocabulary.confidentiality),
            ("disc copy states", ["none", "burning", "burned", "verified", "failed", "label-confirmed", "stored", "superseded"], Vocabulary.discCopyStates),
            ("decisions", ["approved", "denied"], Vocabulary.decisions),
            ("access standings", AccessStanding.allCases.map(\.rawValue), Vocabulary.decisions),
            ("anchor verdicts", AnchorCheck.Verdict.allCases.map(\.rawValue), Vocabulary.anchorVerdicts),
            ("integrity states", ["ok", "checking", "alarm", "acknowledged"], Vocabulary.integrityStates),
            ("deadline kinds", DeadlineItem.Kind.allCases.map(\.rawValue), Vocabulary.deadlineKinds),
            ("deadline statuses", ["due-soon", "overdue", "escalated"], Vocabulary.deadlineStatuses),
            ("alert levels", ["warning", "critical", "due-soon", "overdue", "escalated"], Vocabulary.alertLevels),
            ("capacity levels", ["ok", "warning", "critical"], Vocabulary.capacityLevels),
            ("roles", StationRole.allCases.map(\.rawValue), Vocabulary.roles),
        ]
        for (what, codes, names) in tables {
            for code in codes {
                let name = names[code] ?? ""
                #expect(!name.isEmpty && name.unicodeScalars.contains { $0.value >= 0x4E00 }, "\(what): \(code) has no Chinese name")
            }
        }
        for reason in LongTermReason.allCases { #expect(Vocabulary.longTermReasons[reason.rawValue] == reason.chinese) }
        for kind in RequesterKind.allCases { #expect(Vocabulary.requesterKinds[Self.kebab(kind.rawValue)] == kind.nameZh) }
        for flag in Confidentiality.allCases { #expect(Vocabulary.confidentiality[Self.kebab(flag.rawValue)] == flag.nameZh) }
    }

    /// The web console words codes from `GET /v1/vocabulary` (`Vocabulary.tables`): a table
    /// declared in `Vocabulary` but left out of `tables` would reach the screen as a bare code.
    @Test("GET /v1/vocabulary carries every table of Vocabulary, each code in Chinese and English")
    func vocabularyRouteCarriesEveryTable() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CustodyAPI/Vocabulary.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let declared = Set(text.matches(of: /public static let (\w+): \[String: String\]/).map { String($0.1) })
        #expect(declared.count >= 27, "found only \(declared.sorted())")
        #expect(declared == Set(Vocabulary.tables.keys), "Vocabulary.tables differs from the tables declared: \(declared.symmetricDifference(Vocabulary.tables.keys).sorted())")
        let item = APIHandlers.vocabulary()
        #expect(Set(item.zh.keys) == Set(item.en.keys) && Set(item.zh.keys) == declared.union(["accessDocuments"]))
        for (table, words) in item.zh {
            #expect(Set(words.keys) == Set(item.en[table]?.keys ?? [:].keys), "\(table): English and Chinese codes differ")
            for (code, zh) in words {
                #expect(zh.unicodeScalars.contains { $0.value >= 0x4E00 }, "\(table).\(code): \(zh)")
                let en = item.en[table]?[code] ?? ""
                #expect(!en.isEmpty && en.unicodeScalars.allSatisfy { $0.value < 0x3000 }, "\(table).\(code): \(en)")
            }
        }
        #expect(item.zh["accessDocuments"]?["letter-of-introduction"] == "介绍信" && item.en["dumpStates"]?["copying"] == "copying")
        #expect(item.zh["dumpStates"]?["copying"] == "复制中" && item.en["decisions"]?["direct"] == "no approval needed")
        for kind in AccessDocumentKind.allCases { #expect(item.zh["accessDocuments"]?[Self.kebab(kind.rawValue)] == kind.nameZh) }
        for role in StationRole.allCases { #expect(item.zh["roles"]?[role.rawValue] == role.nameZh) }
    }

    /// Every code the console words goes through `word(table, code)` with a table the daemon
    /// serves: a call without a table, or naming one the daemon lacks, would show a bare code.
    @Test("every word(…) in the web console names a table of GET /v1/vocabulary")
    func consoleWordsComeFromTheDaemon() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cockpit/custody/js")
        let served = Set(APIHandlers.vocabulary().zh.keys)
        var named = 0
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where url.pathExtension == "js" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for call in text.matches(of: /\bword\(([^,)]*)/) {
                let argument = String(call.1).trimmingCharacters(in: .whitespaces)
                if argument == "table" { continue }  // the definition itself
                #expect(argument.hasPrefix("\"") && served.contains(String(argument.dropFirst().dropLast())),
                        "\(url.lastPathComponent): word(\(argument), …) names no table of GET /v1/vocabulary")
                named += 1
            }
        }
        #expect(named >= 30, "found only \(named) calls of word(…) in the console")
    }

    /// Every audit action the sources write on a clip's trail: literals, and the dynamic forms.
    static func actionsInSources() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var actions = Set<String>()
        let prefixes = ["clip.", "dump.", "disc.", "access.", "hold.", "case.", "confidential.", "handover.", "interruption.", "scrub.", "store.",
                        "catalog.", "audit.", "integrity."]
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for piece in text.components(separatedBy: "\"").enumerated() where piece.offset % 2 == 1 {
                let literal = piece.element
                guard prefixes.contains(where: { literal.hasPrefix($0) }), literal.allSatisfy({ $0.isLowercase || $0 == "." || $0 == "-" }),
                      literal.split(separator: ".").count == 2 else { continue }
                actions.insert(literal)
            }
        }
        actions.formUnion(["dump.scanning", "dump.copying", "dump.paused", "dump.complete", "dump.interrupted", "dump.refused"])
        actions.formUnion(["disc.burning", "disc.burned", "disc.verified", "disc.failed", "disc.label-confirmed", "disc.stored", "disc.superseded"])
        actions.formUnion(["access.export", "access.copy", "access.view"])
        actions.remove("scrub.pass")  // written on the store as a whole, never on a clip's trail
        actions.remove("catalog.sqlite")  // a file name, not an action
        return actions
    }

    @Test("every audit action on a clip's trail reads in Chinese in its custody report")
    func everyActionHasWords() throws {
        let actions = try Self.actionsInSources()
        #expect(actions.count > 30 && actions.contains("clip.ingest") && actions.contains("disc.plan") && actions.contains("hold.add"))
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        for action in actions.sorted() {
            let object = action.hasPrefix("disc.") ? (action == "disc.plan" ? "disc:DS-2026-0001" : "disc:DS-2026-0001-A")
                : action.hasPrefix("dump.") ? "dump:3" : action.hasPrefix("access.") ? "access:2" : action.hasPrefix("case.") ? "case:A-1"
                : action.hasPrefix("handover.") ? "device:A7K2931" : "clip:" + String(repeating: "ab", count: 32)
            let entry = AuditEntry(seq: 1, at: Date(), actor: "uid:0(root)", action: action, object: object, detail: "{}", prevHash: "", hash: "")
            for words in CustodyEventText.words(entry, detail: [:], zone: zone) {
                #expect(words.stage != "other", "\(action) has no words of its own")
                #expect(words.title.unicodeScalars.contains { $0.value >= 0x4E00 } && !words.title.contains(action), "\(action): \(words.title)")
            }
        }
    }

    @Test("the daemon's English reasons on a dump and a disc copy read in Chinese")
    func reasonsInChinese() {
        #expect(CustodyEventText.dumpReason("41 files, 2 refused or failed") == "共 41 个文件，2 个拒收或失败")
        let verified = CustodyEventText.verified("/spool/DS-A.iso: PASSED /spool/DS-A.iso: 4 files, 246590 bytes read back\nsession MD5: Ok")
        #expect(verified.hasPrefix("自 /spool/DS-A.iso 逐个回读 4 个文件（246590 字节）"))
    }
}
