import ArgumentParser
import Foundation
import Glibc

/// What a command prints for paper: the format asked for, and where it goes.
struct PrintedOutput: ParsableArguments {
    @Flag(help: "A printable Chinese HTML page (A4; page numbers, 制表人, audit checkpoint).") var html = false
    @Flag(help: "A PDF (A4, Chinese) to print or file; with --output, or redirected.") var pdf = false
    @Option(help: "Write the HTML, PDF or CSV to this file instead of standard output.") var output: String?

    /// "html", "pdf" or nil for the command's own output.
    var format: String? { html ? "html" : pdf ? "pdf" : nil }

    func validate() throws {
        if html && pdf { throw ValidationError("give --html or --pdf, not both") }
        if pdf && output == nil && isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("a PDF is not for the terminal: add --output FILE or redirect standard output")
        }
    }

    /// Fetches `path` and writes the body to `--output` or standard output; a refusal is decoded as
    /// `T`'s error and thrown with its message.
    func write<T: Decodable>(_ client: SocketClient, _ path: String, refusalAs: T.Type) async throws {
        let answer = try await client.get(path)
        guard answer.status == 200 else { _ = try client.decode(answer, path: path, as: T.self); return }
        guard let output else { return FileHandle.standardOutput.write(answer.body) }
        guard FileManager.default.createFile(atPath: output, contents: answer.body) else {
            throw ClientError(description: L10n.text("cannot write \(output)", zh: "无法写入 \(output)"))
        }
        print(L10n.text("written to \(output)", zh: "已写入 \(output)"))
    }
}
