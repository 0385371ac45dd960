import Foundation
import Testing
@testable import CustodyCore

/// Malformed rows and hand-typing habits seen in real ledgers.
@Suite("Ledger CSV edge cases")
struct LedgerCSVEdgeTests {
    typealias F = LedgerFixture

    @Test("An unterminated quote is a whole-line error at the line where its record starts")
    func unterminatedQuote() {
        let text = "警号,姓名,单位\n010001,王伟,一大队\n010002,\"李娜,一大队\n010003,赵强,一大队\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["3:"])
        #expect(result.errors.first?.reason.contains("quote") == true)
        #expect(result.officers.map(\.badge) == ["010001"])
    }

    @Test("Extra empty fields and short rows are fine; extra filled fields are a whole-line error")
    func fieldCounts() {
        let text = "警号,姓名,单位\n010001,王伟,一大队,,\n010002,李娜\n010003,赵强,一大队,多余\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["3:单位", "4:"])
        #expect(result.errors.last?.reason.hasPrefix("has 4 fields, header has 3") == true)
        #expect(result.officers.map(\.badge) == ["010001"])
    }

    @Test("Every problem in a row is reported, not just the first")
    func allErrorsInRow() {
        let text = "产品序号,品牌,型号,单位,保管人警号,状态\nDSJ 1,,X1,一大队,王伟,坏了\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .devices, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["2:产品序号", "2:品牌", "2:保管人警号", "2:状态"])
    }

    @Test("A title row above the header, blank rows and Excel's ,,,, rows are skipped")
    func titleAndBlankRows() {
        let text = "某某分局执法记录仪台账,,,\n警号,姓名,单位,状态\n010001,王伟,一大队,在岗\n,,,\n\n010002,李娜,一大队,调离\n,,,\r\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(result.errors.isEmpty)
        #expect(result.officers.map(\.active) == [true, false])
    }

    @Test("Full-width badges, Excel's =\"0123\" wrapper and padded cells are normalised")
    func handTyping() {
        let text = "警号,姓名,单位\n０１２３４５, 王伟 ,一大队\n=\"000777\",李娜,一大队\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .officers, timeZone: F.shanghai)
        #expect(result.errors.isEmpty)
        #expect(result.officers.map(\.badge) == ["012345", "000777"])
        #expect(result.officers.first?.name == "王伟")
    }

    @Test("Two headers meaning the same column are an error; an empty file is an error")
    func headerProblems() {
        let dup = LedgerCSV.parse(F.utf8("警号,警员编号,姓名,单位\n1,2,A,U\n"), table: .officers, timeZone: F.shanghai)
        #expect(F.places(dup.errors) == ["1:警员编号"])
        #expect(dup.officers.isEmpty)
        let empty = LedgerCSV.parse([], table: .officers, timeZone: F.shanghai)
        #expect(F.places(empty.errors) == ["1:"])
        #expect(empty.encoding == "utf-8")
        let headerOnly = LedgerCSV.parse(F.utf8("警号,姓名,单位\r\n"), table: .officers, timeZone: F.shanghai)
        #expect(headerOnly.errors.isEmpty && headerOnly.officers.isEmpty)
    }

    @Test("Unknown status, active and offsite words are errors that list the accepted words")
    func unknownWords() {
        let o = LedgerCSV.parse(F.utf8("badge,name,unit,status\n1,A,U,maybe\n2,B,U,TRUE\n"), table: .officers, timeZone: F.shanghai)
        #expect(F.places(o.errors) == ["2:status"])
        #expect(o.errors.first?.reason.contains("在职") == true)
        let h = LedgerCSV.parse(F.utf8("serial,badge,checked out,offsite\nS,1,2026-11-27 08:00,sometimes\n"), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(h.errors) == ["2:offsite"])
        let d = LedgerCSV.parse(F.utf8("serial,brand,model,unit,status\nS,B,M,U,In Service\n"), table: .devices, timeZone: F.shanghai)
        #expect(d.devices.first?.status == .inService)
    }

    @Test("Badges longer than 32 characters and serials with other symbols are refused")
    func identifierLimits() {
        let long = String(repeating: "9", count: 33)
        let text = "serial,badge,checked out\nS/1,\(long),2026-11-27 08:00\n"
        let result = LedgerCSV.parse(F.utf8(text), table: .handovers, timeZone: F.shanghai)
        #expect(F.places(result.errors) == ["2:serial", "2:badge"])
    }
}

