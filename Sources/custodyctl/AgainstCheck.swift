import ArgumentParser
import CustodyAPI
import Foundation

/// `audit verify --against FILE`: the signed heads in a file (an ISO, a disc's AUDIT-HEAD.txt, an
/// export bag, a report as HTML, CSV, JSON or PDF, an anchor file, `audit checkpoint --json`
/// output), each proved by the daemon to be a tree today's log extends.
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
        } else if isPDF(file) {
            texts.append(try textOfPDF(file))
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

    /// "%PDF-" at the start: a printed report, custody report or ledger as the daemon made it.
    static func isPDF(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 5)) == Data("%PDF-".utf8)
    }

    /// AUDIT-HEAD.txt out of a disc image, with xorriso (no mount needed).
    static func extractFromISO(_ file: String) throws -> String {
        try toolOutput("/usr/bin/xorriso", { ["-osirrox", "on", "-indev", file, "-extract", "/AUDIT-HEAD.txt", $0] },
                       failure: L10n.text("\(file) holds no AUDIT-HEAD.txt", zh: "光盘映像 \(file) 中没有 AUDIT-HEAD.txt"))
    }

    /// The text of a PDF (every page's foot carries the signed head), with pdftotext (poppler-utils).
    static func textOfPDF(_ file: String) throws -> String {
        try toolOutput("/usr/bin/pdftotext", { ["-enc", "UTF-8", "-raw", file, $0] },
                       failure: L10n.text("cannot read the text of the PDF \(file)", zh: "无法读取 PDF 文件 \(file) 的文字"))
    }

    /// Runs a tool that writes into the file it is given, and returns what it wrote.
    private static func toolOutput(_ tool: String, _ arguments: (String) -> [String], failure: String) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("custody-head-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments(out)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            // Polled, not waitUntilExit(): that hangs when the wall clock is stepped (see CustodyCore's Process.waitForExit).
            while process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        } catch {
            throw ClientError(description: failure + L10n.text(": \(tool): \(error)", zh: "：\(tool)：\(error)"))
        }
        guard process.terminationStatus == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            throw ClientError(description: failure + L10n.text(" (\((tool as NSString).lastPathComponent) exit \(process.terminationStatus))",
                                                               zh: "（\((tool as NSString).lastPathComponent) 退出码 \(process.terminationStatus)）"))
        }
        return text
    }
}
