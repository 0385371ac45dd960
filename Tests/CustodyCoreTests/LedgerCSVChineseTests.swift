import Foundation
import Testing
@testable import CustodyCore

/// The clerk reads the refusals of an import in Chinese (web console, `LANG=zh_CN`): every line
/// refused by the CSV reader says why in Chinese too, naming the same cell.
@Suite("Ledger CSV refusals in Chinese")
struct LedgerCSVChineseTests {
    typealias F = LedgerFixture

    @Test("every refused line, whatever went wrong, carries a Chinese reason")
    func everyRefusalHasChinese() {
        let files: [(LedgerTable, String)] = [
            (.officers, ""),                                                        // empty file
            (.officers, "姓名,单位\n王伟,一大队\n"),                                   // required column missing
            (.officers, "警号,警员编号,姓名,单位\n010001,010001,王伟,一大队\n"),           // two columns mean the same
            (.officers, "警号,姓名,单位\n010001,\"王伟,一大队\n"),                       // unterminated quote
            (.officers, "警号,姓名,单位\n010001,王伟,一大队,多余\n"),                    // extra filled field
            (.officers, "警号,姓名,单位\n01-0001,,一大队\n010002,李娜,一大队\n010002,李娜,一大队\n"),
            (.devices, "产品序号,品牌,型号,单位,保管人警号,状态\nDSJ 1,,X1,一大队,王伟,坏了\n"),
            (.handovers, "产品序号,警号,领用时间,归还时间\nA7K2931,010203,2026/2/30 8:00,\nA7K2931,010203,2026-11-27,\n"
                + "A7K2931,010203,2026-11-27 08:00,2026-11-27 07:00\nA7K2931,010203,,\nA7K2931,010203,2026-11-27 25:00,\n"),
        ]
        var seen = 0
        for (table, text) in files {
            let result = LedgerCSV.parse(F.utf8(text), table: table, timeZone: F.shanghai)
            #expect(!result.errors.isEmpty, "\(text)")
            for error in result.errors {
                seen += 1
                let zh = error.reasonZh
                #expect(zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "no Chinese for: \(error.reason)")
            }
        }
        #expect(seen >= 12)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, 0x41]
        let undecodable = LedgerCSV.parse(bytes, table: .officers, timeZone: F.shanghai)
        #expect(undecodable.errors.first?.reasonZh.contains("UTF-8") == true)
    }
}
