import CustodyAPI
import Foundation
import Glibc
import Testing

/// Web console issue: the routes the console needs beyond the CLI's, through the real socket as a
/// real non-root user (`nobody`, a viewer): a clip's bytes by range for playback, who the caller
/// is, the disc label preview. The browser itself is tested by Tests/Console/console_test.py.
@Suite("Web console routes end to end", .serialized)
struct ConsoleRoutesEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// `curl -i` as `nobody` (or root): status code, headers (lower-cased names), body.
    static func get(_ harness: DaemonHarness, _ path: String, range: String? = nil, asNobody: Bool = true) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        var args = ["-s", "-i", "--unix-socket", harness.socketPath, "-H", "Accept-Language: zh-CN"]
        if let range { args += ["-H", "Range: \(range)"] }
        args.append("http://custody" + path)
        let result = asNobody ? try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "curl"] + args) : try run("curl", args)
        let bytes = [UInt8](result.stdout)
        let separator = Array("\r\n\r\n".utf8)
        guard let cut = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw TestSupportError("no HTTP head in curl's output: \(String(decoding: result.stdout, as: UTF8.self))")
        }
        let lines = String(decoding: bytes[..<cut], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, Array(bytes[(cut + 4)...]))
    }

    /// A running daemon whose socket `nobody` may use, with the viewer role.
    static func daemonWithViewer(_ extraConfig: String = "") throws -> DaemonHarness {
        let harness = try DaemonHarness(extraConfig: "[api]\nviewer_users = [\"nobody\"]\n" + extraConfig)
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        return harness
    }

    @Test("a viewer reads a clip's original by byte ranges (206, exact bytes), audited as one look; no range, a range outside the clip and a confidential clip are refused")
    func clipBytesByRange() throws {
        let harness = try Self.daemonWithViewer()
        let files = RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600))
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: files)
        let clips = try harness.clips()
        let first = try #require(clips.first { $0.sourcePath.hasSuffix(files[0].0) })
        let original = files[0].1

        let part = try Self.get(harness, "/v1/clips/\(first.sha256)/content", range: "bytes=100-4195")
        #expect(part.status == 206)
        #expect(part.headers["content-range"] == "bytes 100-4195/\(original.count)")
        #expect(part.body == Array(original[100...4195]), "the bytes are the original's, exactly")
        let tail = try Self.get(harness, "/v1/clips/\(first.sha256.prefix(12))/content", range: "bytes=-10")
        #expect(tail.status == 206 && tail.body == Array(original.suffix(10)))
        let plays = try harness.ctlJSON(["audit", "show", "--action", "clip.play"], as: [AuditItem].self)
        #expect(plays.count == 1 && plays[0].actor.contains("65534") && plays[0].object == "clip:\(first.sha256)",
                "two ranges of one playback are one audited look: \(plays)")

        let whole = try Self.get(harness, "/v1/clips/\(first.sha256)/content")
        #expect(whole.status == 400 && String(decoding: whole.body, as: UTF8.self).contains("字节范围"), "no Range: asked to read by range, in Chinese")
        let outside = try Self.get(harness, "/v1/clips/\(first.sha256)/content", range: "bytes=\(original.count)-")
        #expect(outside.status == 416 && outside.headers["content-range"] == "bytes */\(original.count)")

        let second = try #require(clips.first { $0.sha256 != first.sha256 })
        try L.ok(harness, ["clips", "confidential", second.sha256, "--flag", "privacy"])
        let refused = try Self.get(harness, "/v1/clips/\(second.sha256)/content", range: "bytes=0-99")
        #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self).contains("涉密"), "a viewer is not cleared for privacy")
        let cleared = try Self.get(harness, "/v1/clips/\(second.sha256)/content", range: "bytes=0-99", asNobody: false)
        #expect(cleared.status == 206)
        let looks = try harness.ctlJSON(["audit", "show", "--action", "clip.play"], as: [AuditItem].self)
        #expect(looks.contains { $0.object == "clip:\(second.sha256)" && $0.detail.contains("privacy") }, "a cleared look at a confidential clip names its flags")
        let audited = try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--user", "65534"], as: [AuditItem].self)
        #expect(audited.contains { $0.object.hasSuffix("/\(second.sha256)/content") })
        let fsck = try harness.ctlJSON(["fsck"], as: FsckReport.self)
        #expect(fsck.consistent && fsck.changed.isEmpty)
        harness.stop()
    }

    @Test("GET /v1/me names the caller from the kernel and the roles the config gives them")
    func whoAmI() throws {
        let harness = try Self.daemonWithViewer()
        let nobody = try APICoding.decoder().decode(CallerItem.self, from: Data(try Self.get(harness, "/v1/me").body))
        #expect(nobody.uid == 65534 && nobody.roles == ["viewer"] && nobody.timeZone == "Asia/Shanghai")
        let root = try APICoding.decoder().decode(CallerItem.self, from: Data(try Self.get(harness, "/v1/me", asNobody: false).body))
        #expect(root.uid == 0 && root.roles == ["viewer", "clerk", "approver", "admin", "auditor"] && root.unit == "测试市公安局测试分局")
        harness.stop()
    }

    @Test("a burned copy's label is previewed as SVG by a viewer; a copy never burned is refused")
    func labelPreview() throws {
        let harness = try Self.daemonWithViewer("[discs]\nmedia = \"cd\"\nmaker = \"李四\"")
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 1, start: Date().addingTimeInterval(-3600)))
        let clip = try #require(try harness.clips().first)
        try L.ok(harness, ["retain", clip.sha256, "--reason", "evidence"])
        try L.ok(harness, ["discs", "plan", "--force"])
        let set = try #require(try harness.ctlJSON(["discs", "list"], as: [DiscSetItem].self).first)
        let early = try Self.get(harness, "/v1/discs/\(set.id)/label?copy=A")
        #expect(early.status == 409 && String(decoding: early.body, as: UTF8.self).contains("尚未刻录"))
        try L.ok(harness, ["discs", "burn", set.id])
        #expect(waitUntil(timeout: 60) {
            (try? harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self))?.copies.allSatisfy { $0.state != "burning" } ?? false
        })
        for part in ["face", "sleeve"] {
            let label = try Self.get(harness, "/v1/discs/\(set.id)/label?copy=B&part=\(part)")
            #expect(label.status == 200 && label.headers["content-type"]?.hasPrefix("image/svg+xml") == true)
            #expect(String(decoding: label.body, as: UTF8.self).contains("<svg") && String(decoding: label.body, as: UTF8.self).contains(set.id))
        }
        harness.stop()
    }
}
