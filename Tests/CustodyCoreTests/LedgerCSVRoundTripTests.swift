import Foundation
import Testing
@testable import CustodyCore

/// Export must be re-importable unchanged, or a clerk who downloads the
/// ledger, edits one cell and uploads it again would corrupt other rows.
@Suite("Ledger CSV round trip")
struct LedgerCSVRoundTripTests {
    typealias F = LedgerFixture

    static let officers = [
        OfficerRow(badge: "010001", name: "王伟", unit: "交警支队一大队", active: true),
        OfficerRow(badge: "A2048", name: "李\"娜\", 副中队长", unit: "巡警, 二中队", active: false),
        OfficerRow(badge: "7", name: "=HYPERLINK(\"x\")", unit: "@unit\n夜班", active: true),
    ]
    static let devices = [
        DeviceRow(serial: "DSJ-V5-0001", brand: "海康威视", model: "DSJ-V5", unit: "交警支队", keeperBadge: "010001", status: .inService),
        DeviceRow(serial: "ZF2", brand: "Brand, Inc.", model: "-X1", unit: "巡警", keeperBadge: nil, status: .repair),
        DeviceRow(serial: "OLD-9", brand: "执法通", model: "\"Pro\"", unit: "仓库", keeperBadge: "B7", status: .retired),
    ]

    static func handovers() throws -> [HandoverRow] {
        [
            HandoverRow(serial: "DSJ-V5-0001", badge: "010001", checkedOutAt: try #require(F.date(2026, 11, 27, 8, 30)),
                        checkedInAt: F.date(2026, 11, 27, 17, 5, 9), offsite: false, note: ""),
            HandoverRow(serial: "ZF2", badge: "A2048", checkedOutAt: try #require(F.date(2026, 1, 2, 0, 0, 1)),
                        checkedInAt: nil, offsite: true, note: "  连续执勤, 72小时\n第二行 \"备注\" "),
            HandoverRow(serial: "OLD-9", badge: "7", checkedOutAt: try #require(F.date(2028, 2, 29, 23, 59, 59)),
                        checkedInAt: nil, offsite: false, note: "+86 电话"),
        ]
    }

    @Test("Export then import gives the same rows for all three tables", arguments: [true, false])
    func roundTrip(chinese: Bool) throws {
        let o = LedgerCSV.parse(LedgerCSV.export(officers: Self.officers, chinese: chinese), table: .officers, timeZone: F.shanghai)
        #expect(o.errors.isEmpty)
        #expect(o.encoding == "utf-8-bom")
        #expect(o.officers == Self.officers)

        let d = LedgerCSV.parse(LedgerCSV.export(devices: Self.devices, chinese: chinese), table: .devices, timeZone: F.shanghai)
        #expect(d.errors.isEmpty)
        #expect(d.devices == Self.devices)

        let rows = try Self.handovers()
        let bytes = LedgerCSV.export(handovers: rows, timeZone: F.shanghai, chinese: chinese)
        let h = LedgerCSV.parse(bytes, table: .handovers, timeZone: F.shanghai)
        #expect(h.errors.isEmpty)
        #expect(h.handovers == rows)
    }

    @Test("Export is BOM + CRLF with headers in the chosen language and local wall-clock times")
    func exportShape() throws {
        let bytes = LedgerCSV.export(handovers: try Self.handovers(), timeZone: F.shanghai, chinese: true)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = try #require(String(validating: bytes.dropFirst(3), as: UTF8.self))
        #expect(text.hasPrefix("产品序号,警号,领用时间,归还时间,异地,备注\r\nDSJ-V5-0001,010001,2026-11-27 08:30:00,2026-11-27 17:05:09,否,\r\n"))
        #expect(text.contains("'+86 电话"), "free text that Excel would run as a formula is guarded")

        let english = try #require(String(validating: LedgerCSV.export(officers: Self.officers, chinese: false).dropFirst(3), as: UTF8.self))
        #expect(english.hasPrefix("badge,name,unit,active\r\n010001,王伟,交警支队一大队,yes\r\nA2048,\"李\"\"娜\"\", 副中队长\",\"巡警, 二中队\",no\r\n"))

        let utc = LedgerCSV.export(handovers: try Self.handovers(), timeZone: TimeZone(secondsFromGMT: 0) ?? F.shanghai, chinese: false)
        #expect(String(decoding: utc, as: UTF8.self).contains("2026-11-27 00:30:00"))
    }

    @Test("An exported file re-saved by Chinese Excel as GBK still imports the same rows")
    func gbkResave() throws {
        let text = try #require(String(validating: LedgerCSV.export(devices: Self.devices, chinese: true).dropFirst(3), as: UTF8.self))
        let gbk = try #require(F.gb18030(text))
        let result = LedgerCSV.parse(gbk, table: .devices, timeZone: F.shanghai)
        #expect(result.encoding == "gb18030")
        #expect(result.devices == Self.devices)
    }
}
