import ArgumentParser
import CustodyAPI
import Foundation

/// The station key, checks of signed heads kept outside the catalog, and the admin's
/// acknowledgment of an integrity alarm (provable-catalog issue).
extension Audit {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the station's Ed25519 public key, which signs every tree head on discs, exports, reports and anchors.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (key, raw) = try await options.client.get("/v1/audit/key", as: StationKeyItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.field("Station key (Ed25519)", "本站签名公钥（Ed25519）", key.publicKey))
                print(L10n.field("Key ID", "公钥编号", key.keyID))
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge the standing integrity alarm with a reason (admin; audited): disposal and exports go on again.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "What was found and what was done about it.") var reason: String
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/audit/acknowledge", AcknowledgeRequest(reason: reason), as: IntegrityItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("integrity alarm acknowledged (\(item.problems.count) findings stand; disposal and exports go on)",
                                zh: "完整性告警已确认（\(item.problems.count) 项问题仍在；销毁和导出恢复）"))
            }
        }
    }
}

/// `custodyctl backup --to DIR` (admin): an online copy of the catalog at a signed checkpoint.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an online, consistent copy of the catalog in a new folder under DIR, with the signed checkpoint it was taken at; prints how to copy the store and how to restore.")
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("An existing folder, by absolute path, writable by custodyd (a backup drive).", valueName: "DIR")) var to: String
    func run() async throws {
        try await perform {
            let (item, raw) = try await options.client.post("/v1/backup", BackupRequest(target: to), as: BackupItem.self)
            if options.json { return printJSON(raw) }
            print(L10n.field("Backup", "备份", item.path))
            print(L10n.field("Checkpoint", "检查点", L10n.text("\(item.treeSize) audit rows, root \(item.root)", zh: "\(item.treeSize) 条审计记录，根哈希 \(item.root)")))
            print(L10n.field("Signed", "签名", item.signedHead))
            print(L10n.text("Copy the store (write-once; new files only): ", zh: "复制证据存储区（只增不改，复制新文件即可）：") + item.copyStore)
            print(L10n.text("Restore (daemon stopped): ", zh: "恢复（先停止守护进程）：")
                  + "custodyd --config <custodyd.toml> --restore-from \(item.path) --reason \"…\"")
        }
    }
}
