import Foundation
import Testing
@testable import CustodyCore

/// Import behaviour on the kinds of files agencies actually send.
@Suite("Ledger CSV import")
struct LedgerCSVParseTests {
    typealias F = LedgerFixture

    @Test("A GBK file of 200 officers with 3 broken lines reports exactly those 3 lines")
    func gbkOfficers() throws {
        var lines = ["警号,姓名,单位,状态"]
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
        for i in 1...200 {
            let line = i + 1
            let badge = line == 18 ? "12-34" : String(format: "%06d", 10000 + i)
            let name = line == 77 ? "" : "\(surnames[i % surnames.count])警官\(i)"
            let status = line == 150 ? "休假" : (i % 10 == 0 ? "离职" : "在职")
            lines.append("\(badge),\(name),某某市公安局交警支队第\(i % 7 + 1)大队,\(status)")
        }
        let bytes = try #require(F.gb18030(lines.joined(separator: "\r\n") + "\r\n"))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "fixture must not be valid UTF-8")

        let result = LedgerCSV.parse(bytes, table: .officers, timeZone: F.shanghai)
        #expect(result.encoding == "gb18030")
        #expect(F.places(result.errors) == ["18:警号", "77:姓名", "150:状态"])
        #expect(result.officers.count == 197)
        #expect(result.officers.first == OfficerRow(badge: "010001", name: "李警官1", unit: "某某市公安局交警支队第2大队", active: true))
        #expect(result.officers.filter { !$0.active }.count == 20)
    }

    @Test("UTF-8 with BOM and English headers in any case and spacing is read, extra columns ignored")
    func bomEnglish() {
        let text = "\u{FEFF}Badge Number, NAME ,Unit,Phone,Active\r\nA1024,Wang Wei,Traffic 1,13800000000,yes\r\nB2048,\"Li, Na\",Traffic 2,,Inactive\r\n\r\n\r\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(result.encoding == "utf-8-bom")
        #expect(result.errors.isEmpty)
        #expect(result.officers == [
            OfficerRow(badge: "A1024", name: "Wang Wei", unit: "Traffic 1", active: true),
            OfficerRow(badge: "B2048", name: "Li, Na", unit: "Traffic 2", active: false),
        ])
    }

    @Test("Excel-style 2026/11/27 8:30 times and the other accepted formats parse as Shanghai wall-clock")
    func excelTimes() throws {
        let text = """
        产品序号,领用人警号,领用时间,归还时间,异地,备注
        DSJ-001,010001,2026/11/27 8:30,2026/11/27 17:05,否,
        DSJ-002,010002,2026年11月28日 9:00,,是,连续执勤
        DSJ-003,010003,2026-11-29T08:00:00+08:00,2026-11-29 20:00:30,1,
        DSJ-004,010004,2026/11/30 8:30:15,2026-11-30T12:00:00Z,,
        """
        let result = LedgerCSV.parse(F.utf8(text), table: .handovers, timeZone: F.shanghai)
        #expect(result.encoding == "utf-8")
        #expect(result.errors.isEmpty)
        try #require(result.handovers.count == 4)
        #expect(result.handovers[0].checkedOutAt == F.date(2026, 11, 27, 8, 30))
        #expect(result.handovers[0].checkedInAt == F.date(2026, 11, 27, 17, 5))
        #expect(result.handovers[1] == HandoverRow(serial: "DSJ-002", badge: "010002", checkedOutAt: try #require(F.date(2026, 11, 28, 9, 0)),
                                                   checkedInAt: nil, offsite: true, note: "连续执勤"))
        #expect(result.handovers[2].checkedOutAt == F.date(2026, 11, 29, 8, 0))
        #expect(result.handovers[2].checkedInAt == F.date(2026, 11, 29, 20, 0, 30))
        #expect(result.handovers[3].checkedInAt == F.date(2026, 11, 30, 20, 0))
    }

    @Test("Impossible or unreadable times are refused with the column as written")
    func impossibleTimes() {
        let text = """
        serial,badge,checkout,checkin
        S1,1,2026/2/30 8:00,
        S2,2,2026/11/27 24:00,
        S3,3,2026/11/27,
        S4,4,yesterday,
        S5,5,2028/2/29 8:00,2028-02-29 09:00
        """
        let result = LedgerCSV.parse(F.utf8(text), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["2:checkout", "3:checkout", "4:checkout", "5:checkout"])
        #expect(result.handovers.map(\.serial) == ["S5"])
        #expect(result.errors.first?.reason.contains("no day 30") == true)
    }

    @Test("Quoted fields keep commas, doubled quotes and line breaks, and later line numbers stay right")
    func quotedFields() {
        let text = "序列号,警号,借出时间,备注\r\n"
            + "DSJ-9,007,2026-11-27 08:00,\"外出, 含\"\"夜班\"\"\r\n第二行\"\r\n"
            + "DSJ-10,bad badge!,2026-11-27 09:00,\"a\nb\nc\"\r\n"
            + "DSJ-11,008,2026-11-27 10:00,x\r\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["4:警号"])
        #expect(result.handovers.map(\.note) == ["外出, 含\"夜班\"\n第二行", "x"])
    }

    @Test("A badge listed twice is reported on the later line, naming the first")
    func duplicateBadge() throws {
        let text = "警号,姓名,单位\n010001,王伟,一大队\n010002,李娜,一大队\n010003,,二大队\n010001,王伟,二大队\n010003,赵强,二大队\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["4:姓名", "5:警号", "6:警号"])
        let dup = try #require(result.errors.dropFirst().first)
        #expect(dup.reason.contains("line 2"))
        #expect(result.officers.map(\.badge) == ["010001", "010002"])

        let devices = "serial,brand,model,unit\nDSJ-1,海康,DSJ-X1,一大队\ndsj-1,海康,DSJ-X1,一大队\n"
        let d = LedgerCSV.parse(F.utf8(devices), table: .devices, timeZone: F.shanghai)
        #expect(F.places(d.errors) == ["3:serial"])
    }

    @Test("A check-in earlier than the check-out is an error on the check-in column")
    func checkInBeforeCheckOut() {
        let text = "产品序号,警号,领用时间,归还时间\nDSJ-1,010001,2026/11/27 17:00,2026/11/27 8:30\nDSJ-2,010002,2026/11/27 8:00,2026/11/27 8:00\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["2:归还时间"])
        #expect(result.handovers.map(\.serial) == ["DSJ-2"])
    }

    @Test("Tab- and semicolon-separated files are read when the header has no comma")
    func otherSeparators() {
        let tabbed = "设备编号\t品牌\t型号\t所属单位\t保管人\t状态\nDSJ-1\t海康威视\tDSJ-V5, 4G\t巡警大队\t010001\t送修\nDSJ-2\t执法通\tZF-1\t巡警大队\t\t\n"
        let t = LedgerCSV.parse(F.utf8(tabbed), table: .devices, timeZone: F.shanghai)
        #expect(t.errors.isEmpty)
        #expect(t.devices == [
            DeviceRow(serial: "DSJ-1", brand: "海康威视", model: "DSJ-V5, 4G", unit: "巡警大队", keeperBadge: "010001", status: .repair),
            DeviceRow(serial: "DSJ-2", brand: "执法通", model: "ZF-1", unit: "巡警大队", keeperBadge: nil, status: .inService),
        ])
        let semi = "badge;name;unit\n1;A;U\n"
        #expect(LedgerCSV.parse(F.utf8(semi), table: .officers, timeZone: F.shanghai).officers == [OfficerRow(badge: "1", name: "A", unit: "U")])
    }

    @Test("A missing required column is reported on line 1 under its canonical name, in the file's language")
    func missingColumn() {
        let zh = LedgerCSV.parse(F.utf8("警号,单位\n010001,一大队\n"), table: .officers, timeZone: F.shanghai)
        #expect(F.places(zh.errors) == ["1:姓名"])
        #expect(zh.officers.isEmpty)
        let en = LedgerCSV.parse(F.utf8("serial,badge\nS1,1\n"), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(en.errors) == ["1:checked out"])
        #expect(en.handovers.isEmpty)
    }

    @Test("Garbage bytes are refused as a whole-file error on line 0")
    func garbage() {
        for bytes: [UInt8] in [[0xFF, 0x80, 0xFF, 0x41, 0x80], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00], [0xFF, 0xFE, 0x41, 0x00]] {
            let result = LedgerCSV.parse(bytes, table: .devices, timeZone: F.shanghai)
            #expect(result.encoding == "unknown")
            #expect(F.places(result.errors) == ["0:"])
            #expect(result.devices.isEmpty)
        }
    }
}
