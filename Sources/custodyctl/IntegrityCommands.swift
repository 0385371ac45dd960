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

/// `audit verify --against FILE`: the signed heads in a file (an ISO, a disc's AUDIT-HEAD.txt, an
/// export bag, a report, an anchor file, `audit checkpoint --json` output), each proved by the
/// daemon to be a tree today's log extends.
enum AgainstCheck {
    static let marker = "Custody-Tree-Head v1"

    static func run(_ files: [String], options: GlobalOptions) async throws {
        var results: [ConsistencyItem] = []
        for file in files {
            let heads = try headLines(in: file)
            guard !heads.isEmpty else {
                throw ClientError(description: L10n.text("no signed tree head (\(marker) …) found in \(file)",
                                                         zh: "\(file) 中没有签名审计树头（\(marker) …）"))
            }
            for head in heads {
                let path = "/v1/audit/consistency?head=\(escaped(head))&source=\(escaped(file))"
                results.append(try await options.client.get(path, as: ConsistencyItem.self).0)
            }
        }
        if options.json {
            printJSON(try APICoding.encoder().encode(results))
        } else {
            for r in results {
                if r.valid {
                    print(L10n.text("✓ \(r.message); today's log: \(r.currentSize) rows, root \(r.currentRoot.prefix(16))…"
                                    + (r.proof.isEmpty ? "" : " (RFC 6962 consistency proof of \(r.proof.count) nodes verified)"),
                                    zh: "✓ \(r.source)：今日审计日志（\(r.currentSize) 条）延续了 \(Format.time(r.headTime)) 签名的 \(r.headSize) 条树头"
                                    + (r.proof.isEmpty ? "" : "（RFC 6962 一致性证明 \(r.proof.count) 个节点已验证）")))
                } else {
                    print(L10n.text("✗ \(r.message)", zh: "✗ \(r.source)：\(Vocabulary.name(Vocabulary.anchorVerdicts, r.verdict))：\(r.message)"))
                }
            }
        }
        if results.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }

    /// Every head line in the file, once each, in order.
    static func headLines(in file: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ClientError(description: L10n.text("\(file) does not exist", zh: "\(file) 不存在"))
        }
        var texts: [String] = []
        if isDirectory.boolValue {
            // An export bag, or a disc copied or extracted into a folder: its text files at the top.
            for name in (try FileManager.default.contentsOfDirectory(atPath: file)).sorted() where name.hasSuffix(".txt") {
                texts.append(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: file + "/" + name))) ?? Data(), as: UTF8.self))
            }
        } else if isISO(file) {
            texts.append(try extractFromISO(file))
        } else {
            texts.append(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
        }
        var seen = Set<String>()
        return texts.flatMap(lines(in:)).filter { seen.insert($0).inserted }
    }

    static func lines(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            let tail = rest[range.lowerBound...]
            let end = tail.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || " =:-.".contains($0))) } ?? tail.endIndex
            out.append(String(tail[..<end]).trimmingCharacters(in: .whitespaces))
            rest = rest[range.upperBound...]
        }
        return out
    }

    /// ISO 9660: "CD001" at byte 32769 of the first volume descriptor.
    static func isISO(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else { return false }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: 32769)) != nil, let magic = try? handle.read(upToCount: 5) else { return false }
        return magic == Data("CD001".utf8)
    }

    /// AUDIT-HEAD.txt out of a disc image, with xorriso (no mount needed).
    static func extractFromISO(_ file: String) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("custody-head-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xorriso")
        process.arguments = ["-osirrox", "on", "-indev", file, "-extract", "/AUDIT-HEAD.txt", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            // Polled, not waitUntilExit(): that hangs when the wall clock is stepped (see CustodyCore's Process.waitForExit).
            while process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        } catch {
            throw ClientError(description: L10n.text("cannot read \(file) as a disc image: xorriso: \(error)", zh: "无法读取光盘映像 \(file)：\(error)"))
        }
        guard process.terminationStatus == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            throw ClientError(description: L10n.text("\(file) holds no AUDIT-HEAD.txt (xorriso exit \(process.terminationStatus))",
                                                     zh: "光盘映像 \(file) 中没有 AUDIT-HEAD.txt"))
        }
        return text
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
