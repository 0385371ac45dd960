import CustodyAPI
import Foundation
import Glibc
import Testing

/// Issue 19 item 7, end to end through the daemon and custodyctl: the case handler tied to the
/// case's handler, expired approvals shown and refused, copies counted, looks registered.
@Suite("The access register as the rules describe it, end to end", .serialized)
struct AccessRegisterEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// A daemon whose approver is `nobody`, two officers, one case handled by 张三 (010203) with
    /// the docked clips in it.
    static func station() throws -> (DaemonHarness, [String]) {
        let harness = try DaemonHarness(extraConfig: "[api]\napprover_users = [\"nobody\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["officers", "add", "010204", "--name", "李四", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600)))
        let clips = try harness.clips().map(\.sha256)
        try L.ok(harness, ["cases", "add", "A-2026-7", "--title", "某某违法案", "--handler", "010203"])
        for clip in clips { try L.ok(harness, ["clips", "annotate", clip, "--case", "A-2026-7", "--category", "治安"]) }
        return (harness, clips)
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test("a case-handler request is refused unless the requester is the case's handler, saying who is; the handler's look is registered and printed")
    func caseHandlerTiedToTheCase() throws {
        let (harness, clips) = try Self.station()
        defer { harness.stop() }
        let base = ["access", "request", "--kind", "case-handler", "--unit", "一中队", "--purpose", "核实案情", "--clip", clips[0]]
        let other = try harness.ctl(base + ["--name", "李四", "--badge", "010204"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(other.status == 1)
        let why = Self.text(other.stderr)
        #expect(why.contains("A-2026-7") && why.contains("张三（警号 010203）") && why.contains("本单位其他人员"), "\(why)")
        let english = Self.text(try harness.ctl(base + ["--name", "李四", "--badge", "010204"]).stderr)
        #expect(english.contains("handled by 张三 (badge 010203)") && english.contains("agency staff"), "\(english)")
        let noBadge = try harness.ctl(base + ["--name", "张三"])
        #expect(noBadge.status == 1 && Self.text(noBadge.stderr).contains("--badge"))
        let wrongName = try harness.ctl(base + ["--name", "李四", "--badge", "010203"])
        #expect(wrongName.status == 1 && Self.text(wrongName.stderr).contains("belongs to 张三"), "\(Self.text(wrongName.stderr))")
        let entry = try harness.ctlJSON(base + ["--name", "张三", "--badge", "010203"], as: AccessEntryItem.self)
        #expect(entry.status == "direct")
        // The handler's look needs no approval; the clerk registers it as done.
        let looked = try harness.ctlJSON(["access", "viewed", "\(entry.id)", "--note", "档案室一号机"], as: AccessEntryItem.self)
        #expect(looked.looks?.count == 1 && looked.looks?[0].detail.contains("查看人 张三") == true)
        #expect(looked.looks?[0].recordedBy.contains("uid:0") == true)
        let shown = Self.text(try harness.ctl(["access", "show", "\(entry.id)"], env: ["LANG": "zh_CN.UTF-8"]).stdout)
        #expect(shown.contains("查看") && shown.contains("档案室一号机") && shown.contains("无需审批"), "\(shown)")
        let register = Self.text(try harness.ctl(["access", "list", "--html"]).stdout)
        #expect(register.contains("查看：查看人 张三；档案室一号机"), "the register prints the look")
        let custody = Self.text(try harness.ctl(["clips", "custody", clips[0], "--html"]).stdout)
        #expect(custody.contains("查看（调阅申请第 \(entry.id) 号）") && custody.contains("查看人 张三"), "the clip's custody report holds the look")
        // A copy under a look-only request is refused whoever asks.
        let copy = try harness.ctl(["access", "export", "\(entry.id)", "--to", harness.drive.path])
        #expect(copy.status == 1 && Self.text(copy.stderr).contains("viewing only"))
        #expect(try harness.ctl(["audit", "verify"]).status == 0, "the look is a bound event the replay accepts")
    }

    @Test("an approval allows N copies: made/allowed shown, the (N+1)th export refused; expired approvals are shown expired and refuse every path")
    func copiesAndExpiry() throws {
        let (harness, clips) = try Self.station()
        defer { harness.stop() }
        let request = ["access", "request", "--kind", "agency-staff", "--name", "王五", "--unit", "法制科", "--purpose", "复核",
                       "--clip", clips[0], "--action", "export"]
        let twice = try harness.ctlJSON(request, as: AccessEntryItem.self)
        let bad = try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(twice.id)", "--copies", "0"])
        #expect(bad.status == 1 && Self.text(bad.stderr).contains("between 1 and"))
        #expect(try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(twice.id)", "--copies", "2"]).status == 0)
        let once = try harness.ctlJSON(request + ["--copies", "1"], as: AccessEntryItem.self)
        #expect(try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(once.id)"]).status == 0)
        for n in 1...2 {
            let usb = try harness.drive.subdirectory("usb\(n)")
            let made = try harness.ctlJSON(["access", "export", "\(twice.id)", "--to", usb.path], as: AccessEntryItem.self)
            #expect(made.copiesMade == n && made.copiesAllowed == 2)
        }
        let third = try harness.ctl(["access", "export", "\(twice.id)", "--to", harness.drive.path], env: ["LANG": "zh_CN.UTF-8"])
        #expect(third.status == 1 && Self.text(third.stderr).contains("准许复制/导出 2 份，已制作 2 份"), "\(Self.text(third.stderr))")
        let listed = Self.text(try harness.ctl(["access", "list"], env: ["LANG": "zh_CN.UTF-8"]).stdout)
        #expect(listed.contains("2/2") && listed.contains("份数已用完") && listed.contains("0/1"), "\(listed)")
        #expect(try harness.ctlJSON(["access", "show", "\(twice.id)"], as: AccessEntryItem.self).status == "used-up")
        let page = Self.text(try harness.ctl(["access", "list", "--html"]).stdout)
        #expect(page.contains("已制作 2 份 / 准许 2 份") && page.contains("已制作 0 份 / 准许 1 份"))

        // Eight days on (the daemon's clock moved; the approvals are 7 days good).
        harness.stop()
        try harness.start(environment: try ClockShift.environment(days: 8, in: harness.dir))
        let shown = try harness.ctlJSON(["access", "show", "\(once.id)"], as: AccessEntryItem.self)
        #expect(shown.status == "expired" && shown.expiresAt != nil)
        let zhList = Self.text(try harness.ctl(["access", "list"], env: ["LANG": "zh_CN.UTF-8"]).stdout)
        #expect(zhList.contains("已过期"), "\(zhList)")
        #expect(Self.text(try harness.ctl(["access", "list", "--html"]).stdout).contains("【已过期】"))
        #expect(Self.text(try harness.ctl(["access", "show", "\(once.id)"], env: ["LANG": "zh_CN.UTF-8"]).stdout).contains("已过期"))
        // Every path that uses a request meets the same gate: export, a registered look, the console's playback.
        let paths: [(String, () throws -> (refused: Bool, message: String))] = [
            ("access export", {
                let r = try harness.ctl(["access", "export", "\(once.id)", "--to", harness.drive.path], env: ["LANG": "zh_CN.UTF-8"])
                return (r.status == 1, Self.text(r.stderr))
            }),
            ("access viewed", {
                let r = try harness.ctl(["access", "viewed", "\(once.id)"], env: ["LANG": "zh_CN.UTF-8"])
                return (r.status == 1, Self.text(r.stderr))
            }),
            ("console content", {
                let r = try ConsoleRoutesEndToEndTests.get(harness, "/v1/clips/\(clips[0])/content?access=\(once.id)", range: "bytes=0-99", asNobody: false)
                return (r.status == 409, String(decoding: r.body, as: UTF8.self))
            }),
        ]
        for (path, attempt) in paths {
            let (refused, message) = try attempt()
            #expect(refused && message.contains("已过期"), "\(path): \(message)")
        }
        // Without a request the console still plays (its own audited look); nothing was registered.
        #expect(try ConsoleRoutesEndToEndTests.get(harness, "/v1/clips/\(clips[0])/content", range: "bytes=0-99", asNobody: false).status == 206)
        #expect(try harness.ctlJSON(["access", "show", "\(once.id)"], as: AccessEntryItem.self).uses.isEmpty)
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }

    @Test("the console playing a clip against an approved request registers the look once per playback, and only for the request's clips")
    func consoleLookRegistered() throws {
        let (harness, clips) = try Self.station()
        defer { harness.stop() }
        let entry = try harness.ctlJSON(["access", "request", "--kind", "agency-staff", "--name", "王五", "--unit", "法制科", "--purpose", "复核",
                                         "--clip", clips[0]], as: AccessEntryItem.self)
        let waiting = try ConsoleRoutesEndToEndTests.get(harness, "/v1/clips/\(clips[0])/content?access=\(entry.id)", range: "bytes=0-99", asNobody: false)
        #expect(waiting.status == 409, "no look before the approval")
        #expect(try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(entry.id)"]).status == 0)
        for range in ["bytes=0-99", "bytes=100-199"] {
            #expect(try ConsoleRoutesEndToEndTests.get(harness, "/v1/clips/\(clips[0])/content?access=\(entry.id)", range: range, asNobody: false).status == 206)
        }
        let other = try ConsoleRoutesEndToEndTests.get(harness, "/v1/clips/\(clips[1])/content?access=\(entry.id)", range: "bytes=0-99", asNobody: false)
        #expect(other.status == 409 && String(decoding: other.body, as: UTF8.self).contains("不在调阅申请"))
        let looks = try harness.ctlJSON(["access", "show", "\(entry.id)"], as: AccessEntryItem.self).looks ?? []
        #expect(looks.count == 1 && looks[0].detail.contains("控制台播放"), "\(looks)")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }
}

/// Moves a daemon's wall clock by whole days with tools/clockshift (the LD_PRELOAD the date
/// suites use), on top of any shift the test run itself is under.
enum ClockShift {
    static func environment(days: Int, in dir: TempDir) throws -> [String: String] {
        let library = dir.appending("clockshift.so").path
        if !FileManager.default.fileExists(atPath: library) {
            let source = DaemonHarness.packageRoot.appendingPathComponent("tools/clockshift/clockshift.c").path
            try runChecked("gcc", ["-O2", "-shared", "-fPIC", "-o", library, source, "-ldl"])
        }
        let inherited = Int(ProcessInfo.processInfo.environment["CLOCKSHIFT_SECONDS"] ?? "") ?? 0
        return ["LD_PRELOAD": library, "CLOCKSHIFT_SECONDS": String(inherited + days * 86_400)]
    }
}
