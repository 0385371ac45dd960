import CustodyAPI
import Foundation
import Glibc
import Testing

/// The ledger issue's "must show", on the real daemon: CSV imports as agencies export them from
/// Excel, and every clip tied to who wore the camera.
@Suite("Device ledger end to end", .serialized)
struct LedgerEndToEndTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// Station wall-clock text for a date, as file names and the CLI use it.
    static func wall(_ date: Date, _ format: String = "yyyy-MM-dd HH:mm:ss") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = shanghai
        f.dateFormat = format
        return f.string(from: date)
    }

    static func gbk(_ text: String) throws -> Data {
        try run("iconv", ["-f", "UTF-8", "-t", "GB18030"], stdin: Data(text.utf8)).stdout
    }

    @discardableResult
    static func ok(_ harness: DaemonHarness, _ args: [String]) throws -> String {
        let r = try harness.ctl(args)
        guard r.status == 0 else {
            throw TestSupportError("custodyctl \(args) failed: \(String(decoding: r.stderr, as: UTF8.self))\(String(decoding: r.stdout, as: UTF8.self))")
        }
        return String(decoding: r.stdout, as: UTF8.self)
    }

    @Test("a GBK CSV from Excel with 200 officers and 60 devices and 3 broken lines is refused naming the 3 lines; fixed, it is accepted")
    func gbkImport() throws {
        let harness = try DaemonHarness()
        try harness.start()
        var officers = "警号,姓名,所属单位,状态\r\n"
        for i in 1...200 {
            let badge = i == 17 ? "01-02#" : String(format: "%06d", 100_000 + i)
            let name = i == 88 ? "" : "警员\(i)号"
            let status = i == 150 ? "出差中" : (i % 10 == 0 ? "停用" : "在职")
            officers += "\(badge),\(name),某某分局第\(i % 5 + 1)中队,\(status)\r\n"
        }
        var devices = "产品序号,品牌,型号,所属单位,保管人警号,状态\r\n"
        for i in 1...60 { devices += "D\(String(format: "%06d", i)),海康威视,DSJ-K1,某某分局,\(String(format: "%06d", 100_000 + i)),在用\r\n" }
        let officersFile = harness.dir.appending("officers.csv")
        let devicesFile = harness.dir.appending("devices.csv")
        try Self.gbk(officers).write(to: officersFile)
        try Self.gbk(devices).write(to: devicesFile)

        let refused = try harness.ctl(["officers", "import", officersFile.path])
        #expect(refused.status == 1)
        let report = try APICoding.decoder().decode(ImportReport.self, from: try harness.ctl(["officers", "import", officersFile.path, "--json"]).stdout)
        #expect(report.errors.map(\.line) == [18, 89, 151], "errors: \(report.errors)")
        #expect(report.encoding == "gb18030" && !report.accepted)
        #expect(String(decoding: refused.stdout, as: UTF8.self).contains("nothing was imported"))
        #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).isEmpty, "all or nothing")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND detail LIKE '%18, 89, 151%'") != "0")

        let fixed = officers.replacingOccurrences(of: "01-02#,", with: "100017,").replacingOccurrences(of: "出差中", with: "在职")
            .replacingOccurrences(of: "\r\n100088,,", with: "\r\n100088,警员88号,")
        try Self.gbk(fixed).write(to: officersFile)
        let dry = try APICoding.decoder().decode(ImportReport.self, from: try harness.ctl(["officers", "import", officersFile.path, "--dry-run", "--json"]).stdout)
        #expect(dry.added == 200 && dry.errors.isEmpty && dry.dryRun)
        #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).isEmpty, "a dry run changes nothing")
        try Self.ok(harness, ["officers", "import", officersFile.path])
        try Self.ok(harness, ["devices", "import", devicesFile.path])
        let listed = try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self)
        #expect(listed.count == 200)
        #expect(listed.filter { !$0.active }.count == 19, "every tenth is 停用, but line 151 was fixed to 在职")
        #expect(listed.first { $0.badge == "100003" }?.name == "警员3号")
        #expect(try harness.ctlJSON(["devices", "list"], as: [DeviceItem].self).count == 60)
        // Importing the same file again changes nothing.
        let again = try APICoding.decoder().decode(ImportReport.self, from: try harness.ctl(["officers", "import", officersFile.path, "--json"]).stdout)
        #expect(again.unchanged == 200 && again.added == 0)
        // Export round-trips through the same import.
        let exported = harness.dir.appending("export.csv")
        try Data(try Self.ok(harness, ["devices", "export", "--chinese"]).utf8).write(to: exported)
        let round = try APICoding.decoder().decode(ImportReport.self, from: try harness.ctl(["devices", "import", exported.path, "--json"]).stdout)
        #expect(round.unchanged == 60 && round.errors.isEmpty)
        harness.stop()
    }

    @Test("import errors: missing column, overlapping handovers, unknown officer, garbage bytes — each refused with its line")
    func importErrors() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try Self.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try Self.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        let file = harness.dir.appending("h.csv")
        func importing(_ text: String, table: String = "handovers") throws -> ImportReport {
            try Data(text.utf8).write(to: file)
            let r = try harness.ctl([table, "import", file.path, "--json"])
            #expect(r.status == 1, "accepted: \(text)")
            return try APICoding.decoder().decode(ImportReport.self, from: r.stdout)
        }
        let missing = try importing("serial,badge\nA7K2931,010203\n")
        #expect(missing.errors.first?.line == 1 && missing.errors.first?.column.contains("check") == true, "\(missing.errors)")
        let overlap = try importing("产品序号,警号,领用时间,归还时间\nA7K2931,010203,2026/11/27 8:00,2026/11/27 12:00\nA7K2931,010203,2026/11/27 11:00,2026/11/27 13:00\n")
        #expect(overlap.errors.map(\.line) == [3] && overlap.errors.first?.reason.contains("two officers at once") == true, "\(overlap.errors)")
        let unknown = try importing("serial,badge,checked out\nA7K2931,999999,2026-11-27 08:00\n")
        #expect(unknown.errors.map(\.line) == [2] && unknown.errors.first?.reason.contains("not in the ledger") == true)
        let backwards = try importing("serial,badge,checked out,checked in\nA7K2931,010203,2026-11-27 08:00,2026-11-27 07:00\n")
        #expect(backwards.errors.map(\.line) == [2])
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0xFF]).write(to: file)
        let garbage = try harness.ctl(["officers", "import", file.path, "--json"])
        #expect(garbage.status == 1)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM handover") == "0")
        harness.stop()
    }
}

@Suite("Matching clips to the ledger end to end", .serialized)
struct MatchingEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// Drops a camera's files into a drop folder (as a docking station would) and waits for them.
    static func dock(_ harness: DaemonHarness, folder: String, files: [(String, [UInt8])]) throws {
        let staging = harness.dir.appending("staging-\(folder)")
        for (path, bytes) in files {
            let url = staging.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let target = harness.dropRoot.appendingPathComponent(folder)
        try runChecked("cp", ["-r", staging.path, target.path])
        // Side files (sn.txt at the root, empty entries) are kept with the dump, not cataloged as clips.
        let recordings = files.filter { path, bytes in !(bytes.isEmpty || (!path.contains("/") && path.lowercased().hasSuffix(".txt"))) }
        let expected = (try harness.clips().count) + recordings.count
        try harness.waitForIngest(clips: expected)
    }

    static func name(badge: String, serial: String, at: Date, seq: Int, ext: String = "MP4") -> String {
        "DCIM/100MEDIA/\(badge)_\(serial)_\(L.wall(at, "yyyyMMddHHmmss"))_\(String(format: "%04d", seq)).\(ext)"
    }

    @Test("clips across two handovers of one device resolve to the right officer; another badge in the name is officer-mismatch; an unknown camera is ingested as unregistered-device")
    func twoHandovers() throws {
        let harness = try DaemonHarness()
        try harness.start()
        for (badge, name) in [("010203", "张三"), ("010204", "李四")] {
            try L.ok(harness, ["officers", "add", badge, "--name", name, "--unit", "一中队"])
        }
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        let now = Date()
        let t0 = now.addingTimeInterval(-6 * 3600)
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(t0)])
        try L.ok(harness, ["devices", "checkin", "A7K2931", "--at", L.wall(t0.addingTimeInterval(2 * 3600))])
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010204", "--at", L.wall(t0.addingTimeInterval(3 * 3600))])
        let files: [(String, [UInt8])] = [
            (Self.name(badge: "010203", serial: "A7K2931", at: t0.addingTimeInterval(1800), seq: 1), [1]),
            (Self.name(badge: "010203", serial: "A7K2931", at: t0.addingTimeInterval(3600), seq: 2), [2]),
            (Self.name(badge: "010204", serial: "A7K2931", at: t0.addingTimeInterval(4 * 3600), seq: 3), [3]),
            // The name claims 010203, but the ledger says 李四 had the device then.
            (Self.name(badge: "010203", serial: "A7K2931", at: t0.addingTimeInterval(5 * 3600), seq: 4), [4]),
            // Between the handovers nobody had the device.
            (Self.name(badge: "010203", serial: "A7K2931", at: t0.addingTimeInterval(2.5 * 3600), seq: 5), [5]),
            // The classic reset to 2010: not a plausible recording time.
            (Self.name(badge: "010204", serial: "A7K2931", at: Date(timeIntervalSince1970: 1_262_304_000), seq: 6), [6]),
            // A camera nobody registered.
            (Self.name(badge: "010204", serial: "ZZZ0001", at: t0.addingTimeInterval(4 * 3600), seq: 1), [7]),
        ]
        try Self.dock(harness, folder: "cam1", files: files)
        let clips = Dictionary(try harness.clips().map { ($0.sourcePath.split(separator: "/").last.map(String.init) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let byIndex = try files.map { try #require(clips[($0.0 as NSString).lastPathComponent], "\($0.0) not cataloged") }
        func clip(_ i: Int) -> ClipItem { byIndex[i] }
        let ledgerFlags: Set = ["unregistered-device", "no-handover", "officer-mismatch", "clock-drift", "time-implausible"]
        #expect(clip(0).officerBadge == "010203" && ledgerFlags.isDisjoint(with: clip(0).flags), "\(clip(0))")
        #expect(clip(1).officerBadge == "010203")
        #expect(clip(2).officerBadge == "010204" && !clip(2).flags.contains("officer-mismatch"))
        #expect(clip(3).officerBadge == "010204" && clip(3).flags.contains("officer-mismatch") && clip(3).claimedBadge == "010203")
        #expect(clip(4).flags.contains("no-handover"))
        #expect(clip(5).flags.contains("time-implausible"))
        #expect(clip(6).flags.contains("unregistered-device"))
        let placeholder = try harness.ctlJSON(["devices", "list"], as: [DeviceItem].self).first { $0.serial == "ZZZ0001" }
        #expect(placeholder?.placeholder == true)
        #expect(String(decoding: try harness.ctl(["devices", "list"]).stdout, as: UTF8.self).contains("UNREGISTERED"))

        // The ledger changes: the clerk registers the camera and records who had it; clips follow.
        try L.ok(harness, ["devices", "add", "ZZZ0001", "--brand", "大华", "--model", "DH-1"])
        try L.ok(harness, ["devices", "checkout", "ZZZ0001", "--officer", "010204", "--at", L.wall(t0)])
        let rematched = try #require(try harness.clips().first { $0.deviceSerial == "ZZZ0001" })
        #expect(rematched.officerBadge == "010204" && !rematched.flags.contains("unregistered-device") && !rematched.flags.contains("no-handover"))
        let audit = try harness.ctlJSON(["clips", "show", rematched.sha256], as: ClipDetail.self).audit.map(\.action)
        #expect(audit.contains("clip.rematch"))
        // The printed ledger shows both handovers of A7K2931 with their clips.
        let report = try harness.ctlJSON(["ledger", "--device", "A7K2931", "--from", L.wall(t0.addingTimeInterval(-3600))], as: LedgerReport.self)
        #expect(report.rows.map(\.clips) == [2, 2], "rows: \(report.rows)")
        let html = try L.ok(harness, ["ledger", "--device", "A7K2931", "--from", L.wall(t0.addingTimeInterval(-3600)), "--html"])
        #expect(html.contains("执法记录仪使用台账") && html.contains("李四") && html.contains(report.auditHead))
        try Self.clerkFilters(harness, files: byIndex, t0: t0)
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    /// The clerk's `clips list` filters on the clips above (performance issue): each gives the
    /// clips the ledger says, paging after a clip continues the list, and a wrong filter is refused
    /// naming the parameter, in Chinese for the clerk.
    static func clerkFilters(_ harness: DaemonHarness, files byIndex: [ClipItem], t0: Date) throws {
        func listed(_ args: [String]) throws -> [Int] {
            try harness.ctlJSON(["clips", "list"] + args, as: [ClipItem].self).map { clip in
                byIndex.firstIndex { $0.sha256 == clip.sha256 } ?? -1
            }.sorted()
        }
        let minute = "yyyy-MM-dd HH:mm"
        #expect(try listed(["--officer", "010203"]) == [0, 1, 4])
        #expect(try listed(["--officer", "010204", "--device", "A7K2931"]) == [2, 3, 5])
        #expect(try listed(["--device", "ZZZ0001"]) == [6])
        #expect(try listed(["--flag", "officer-mismatch"]) == [3])
        #expect(try listed(["--officer", "010203", "--flag", "no-handover"]) == [4])
        #expect(try listed(["--from", L.wall(t0, minute), "--to", L.wall(t0.addingTimeInterval(2 * 3600), minute)]) == [0, 1])
        #expect(try listed(["--from", "2010-01-01", "--to", "2010-01-01"]) == [5])
        // Nothing is late: the 2010 clip's time is implausible, so it has no verdict until corrected.
        #expect(try listed(["--late"]).isEmpty)
        #expect(byIndex[5].deadlineRule == "time-implausible" && byIndex[5].dueAt == nil)
        #expect(try listed(["--officer", "010203", "--late"]).isEmpty)
        let all = try harness.clips().map(\.sha256)
        let page = try harness.ctlJSON(["clips", "list", "--limit", "2"], as: [ClipItem].self).map(\.sha256)
        let next = try harness.ctlJSON(["clips", "list", "--limit", "3", "--after", page[1]], as: [ClipItem].self).map(\.sha256)
        #expect(page + next == Array(all.prefix(5)))
        #expect(try harness.ctlJSON(["clips", "list", "--limit", "2", "--offset", "2"], as: [ClipItem].self).map(\.sha256) == Array(all[2..<4]))
        let table = try L.ok(harness, ["clips", "list", "--officer", "010203", "--limit", "2"])
        #expect(table.contains("2 clips") && table.contains("more may follow: add --after"), "\(table)")
        for (args, named) in [(["--officer", "999999"], "officer \"999999\""), (["--device", "NOPE1"], "device \"NOPE1\""),
                              (["--flag", "bogus"], "flag \"bogus\""), (["--from", "yesterday"], "from \"yesterday\""),
                              (["--case", "A-2026-999"], "case \"A-2026-999\""), (["--limit", "0"], "limit must be")] {
            let refused = try harness.ctl(["clips", "list"] + args)
            #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains(named), "\(args)")
        }
        let zh = ["LANG": "zh_CN.UTF-8"]
        let refused = try harness.ctl(["clips", "list", "--flag", "bogus"], env: zh)
        #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("标记“bogus”不存在"))
        let zhTable = String(decoding: try harness.ctl(["clips", "list", "--officer", "010203", "--limit", "2"], env: zh).stdout, as: UTF8.self)
        #expect(zhTable.contains("共 2 条") && zhTable.contains("下一页"), "\(zhTable)")
    }

    @Test("a camera whose clock runs 10 minutes fast is flagged clock-drift with its offset, and its clips still resolve to the right handover")
    func fastClock() throws {
        let harness = try DaemonHarness()
        try harness.start()
        for badge in ["010203", "010204"] { try L.ok(harness, ["officers", "add", badge, "--name", "警员\(badge)", "--unit", "一中队"]) }
        try L.ok(harness, ["devices", "add", "A7K2931"])
        let now = Date()
        let handoverB = now.addingTimeInterval(-3600)
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(now.addingTimeInterval(-3 * 3600))])
        try L.ok(harness, ["devices", "checkin", "A7K2931", "--at", L.wall(handoverB.addingTimeInterval(-60))])
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010204", "--at", L.wall(handoverB)])
        let fast: TimeInterval = 600
        // True times: 5 minutes before B's checkout (A had it), and just now (B has it); names claim +10 min.
        let files: [(String, [UInt8])] = [
            (Self.name(badge: "010203", serial: "A7K2931", at: handoverB.addingTimeInterval(-300 + fast), seq: 1), [1]),
            (Self.name(badge: "010204", serial: "A7K2931", at: now.addingTimeInterval(-20 + fast), seq: 2), [2]),
        ]
        try Self.dock(harness, folder: "cam1", files: files)
        let clips = try harness.clips().sorted { ($0.recordedAt ?? .distantPast) < ($1.recordedAt ?? .distantPast) }
        #expect(clips.count == 2)
        #expect(clips.allSatisfy { $0.flags.contains("clock-drift") })
        #expect(clips.map(\.officerBadge) == ["010203", "010204"], "naive times would give both to 010204")
        #expect(clips.allSatisfy { !$0.flags.contains("officer-mismatch") && !$0.flags.contains("time-implausible") })
        let offset = try #require(clips.first?.clockOffsetSeconds)
        #expect(abs(offset - fast) < 60, "offset \(offset)")
        let device = try harness.ctlJSON(["devices", "show", "A7K2931"], as: DeviceDetail.self)
        #expect(device.dockings.last.flatMap(\.clockOffsetSeconds).map { abs($0 - fast) < 60 } == true)
        harness.stop()
    }
}
