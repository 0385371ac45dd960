import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl discs`: long-term clips on two verified, labelled discs (admin role for changes).
struct Discs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disc sets: queue, plan, burn copies A and B, verify, label, record where each copy is kept.",
        subcommands: [Queue.self, Plan.self, List.self, Show.self, Burn.self, Verify.self, Label.self, Locate.self])

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Long-term clips waiting for a disc.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/discs/queue", as: [DiscQueueItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["哈希", "大小", "案件", "排队时间"] : ["SHA-256", "SIZE", "CASE", "QUEUED"]
                print(Format.table(headers, items.map { [String($0.sha256.prefix(12)), Format.bytes($0.sizeBytes), $0.caseNumber ?? "-", Format.shortTime($0.queuedAt)] }))
                print(L10n.text("\(items.count) clips, \(Format.bytes(items.reduce(0) { $0 + $1.sizeBytes }))", zh: "共 \(items.count) 条，\(Format.bytes(items.reduce(0) { $0 + $1.sizeBytes }))"))
            }
        }
    }
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pack the queue into disc sets (≥ 98 % full unless --force; a case stays on one disc where it fits).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "cd, dvd, dvd-dl, bd25, bd50, bd100 (default: the configured media).") var media: String?
        @Flag(help: "Also make sets under 98 % full (the queue's last clips).") var force = false
        func run() async throws {
            try await perform {
                let (r, raw) = try await options.client.post("/v1/discs/plan", DiscPlanRequest(media: media, force: force), as: DiscPlanResponse.self)
                if options.json { return printJSON(raw) }
                for set in r.sets { print(Discs.line(set)) }
                if r.sets.isEmpty { print(L10n.text("no set planned", zh: "未编排光盘组")) }
                if r.waiting > 0 { print(L10n.text("\(r.waiting) clips wait for a fuller disc (--force plans them now)", zh: "\(r.waiting) 条录像等待凑满一张光盘（--force 立即编排）")) }
                for reason in r.refused { print(L10n.text("REFUSED: ", zh: "不能刻录：") + reason) }
                for note in r.notes { print(note) }
            }
        }
    }
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List disc sets and the state of copies A and B.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (sets, raw) = try await options.client.get("/v1/discs", as: [DiscSetItem].self)
                if options.json { return printJSON(raw) }
                for set in sets { print(Discs.line(set)) }
            }
        }
    }
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a disc set: files, copies, where they are.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Set id (DS-2026-0001).") var set: String
        func run() async throws {
            try await perform {
                let (s, raw) = try await options.client.get("/v1/discs/\(escaped(set))", as: DiscSetItem.self)
                if options.json { return printJSON(raw) }
                print(Discs.line(s))
                for copy in s.copies {
                    print("  \(copy.copy): \(L10n.code(Vocabulary.discCopyStates, copy.state))\(copy.verified ? L10n.text(" (verified)", zh: "（已校验）") : "")"
                          + (copy.location.map { L10n.text(" at \($0)", zh: "，存放于 \($0)") } ?? "") + (copy.detail.map { " — \($0)" } ?? ""))
                    for old in copy.superseded ?? [] {
                        print("    " + L10n.text("superseded \(Format.time(old.supersededAt)) by \(old.supersededBy): \(old.reason) (was \(old.lastState), maker \(old.maker)"
                                                 + (old.location.map { ", kept at \($0)" } ?? "") + ")",
                                             zh: "\(Format.time(old.supersededAt)) 由 \(old.supersededBy) 替换：\(old.reason)（原状态 \(L10n.code(Vocabulary.discCopyStates, old.lastState))，"
                                                + "制作人 \(old.maker)" + (old.location.map { "，原存放于 \($0)" } ?? "") + "）"))
                    }
                }
                for file in s.files { print("  \(file.sha256.prefix(12))  \(Format.bytes(file.sizeBytes))  \(file.discPath)") }
            }
        }
    }
    struct CopyOptions: ParsableArguments {
        @Argument(help: "Set id.") var set: String
        @Option(help: "A or B.") var copy: String?
    }
    struct Burn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Burn copies A and B (or --copy): image, write, read every file back; waits unless --no-wait.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: CopyOptions
        @Option(help: "Maker (制作人) printed on the labels.") var maker: String?
        @Flag(help: "Replace a verified, labelled or located copy (admin; needs --reason). The old copy's record is kept as superseded.")
        var replace = false
        @Option(help: "Why a stored copy is replaced (with --replace).") var reason: String?
        @Flag(help: "Return at once; `discs show` tells how it went.") var noWait = false
        func run() async throws {
            try await perform {
                let path = "/v1/discs/\(escaped(target.set))"
                _ = try await options.client.post(path + "/burn", DiscCopyRequest(copy: target.copy, maker: maker, replace: replace ? true : nil, reason: reason), as: DiscSetItem.self)
                var last = try await options.client.get(path, as: DiscSetItem.self)
                let copies = target.copy.map { [$0] } ?? ["A", "B"]
                while !noWait, last.0.copies.contains(where: { copies.contains($0.copy) && ["burning", "burned"].contains($0.state) }) {
                    try await Task.sleep(for: .milliseconds(500))
                    last = try await options.client.get(path, as: DiscSetItem.self)
                }
                if options.json { return printJSON(last.1) }
                for copy in last.0.copies where copies.contains(copy.copy) {
                    print("\(last.0.id) \(copy.copy): \(L10n.code(Vocabulary.discCopyStates, copy.state))" + (copy.detail.map { " — \($0)" } ?? ""))
                }
                if last.0.copies.contains(where: { copies.contains($0.copy) && $0.state == "failed" }) { throw ExitCode(1) }
            }
        }
    }
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read every file of a written copy back and compare with the catalog.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: CopyOptions
        func run() async throws {
            try await perform {
                let (s, raw) = try await options.client.post("/v1/discs/\(escaped(target.set))/verify", DiscCopyRequest(copy: target.copy), as: DiscSetItem.self)
                if options.json { printJSON(raw) }
                let copy = s.copies.first { $0.copy == target.copy }
                if !options.json { print("\(s.id) \(target.copy ?? ""): \(copy.map { L10n.code(Vocabulary.discCopyStates, $0.state) } ?? "?")" + (copy?.detail.map { " — \($0)" } ?? "")) }
                if copy?.state != "verified" { throw ExitCode(1) }
            }
        }
    }
    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render the disc face, sleeve and evidence sheets (SVG + PDF); --confirm once printed and attached.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: CopyOptions
        @Flag(help: "The clerk confirms the label is printed and on the disc.") var confirm = false
        func run() async throws {
            try await perform {
                let (s, raw) = try await options.client.post("/v1/discs/\(escaped(target.set))/label", DiscCopyRequest(copy: target.copy, confirm: confirm), as: DiscSetItem.self)
                if options.json { return printJSON(raw) }
                for path in s.paths { print(path) }
                if confirm { print(L10n.text("label confirmed", zh: "标签已确认")) }
            }
        }
    }
    struct Locate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record where a verified, labelled copy is kept.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: CopyOptions
        @Option(help: "Storage place, e.g. 档案室 3 号柜 第 2 层.") var location: String
        func run() async throws {
            try await perform {
                let (s, raw) = try await options.client.post("/v1/discs/\(escaped(target.set))/locate", DiscCopyRequest(copy: target.copy, location: location), as: DiscSetItem.self)
                if options.json { return printJSON(raw) }
                print(Discs.line(s))
            }
        }
    }

    static func line(_ s: DiscSetItem) -> String {
        let copies = s.copies.map { "\($0.copy)=\(L10n.code(Vocabulary.discCopyStates, $0.state))" }.joined(separator: " ")
        return "\(s.id) \(s.media) \(s.files.count) " + L10n.text("clips", zh: "条") + " \(Format.bytes(s.usedBytes)) "
            + String(format: "%.1f%%", s.fillRatio * 100) + " \(copies)" + (s.note.isEmpty ? "" : " (\(s.note))")
    }
}
