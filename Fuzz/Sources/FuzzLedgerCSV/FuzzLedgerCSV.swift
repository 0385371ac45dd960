import CustodyCore
import Foundation
import FuzzSupport

/// Any bytes as a ledger CSV from Excel: the first byte picks the table.
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLedgerCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let table = LedgerTable.allCases[Int(bytes[0]) % LedgerTable.allCases.count]
    _ = LedgerCSV.parse(Array(bytes.dropFirst()), table: table, timeZone: zone)
    return 0
}

@_cdecl("FuzzLedgerCSV_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzLedgerCSV)
}
