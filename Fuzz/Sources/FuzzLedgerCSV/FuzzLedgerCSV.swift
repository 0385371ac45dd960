import CustodyCore
import Foundation

/// Any bytes as a ledger CSV from Excel: the first byte picks the table.
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLedgerCSV(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let table = LedgerTable.allCases[Int(bytes[0]) % LedgerTable.allCases.count]
    _ = LedgerCSV.parse(Array(bytes.dropFirst()), table: table, timeZone: zone)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzLedgerCSV_main`; it hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzLedgerCSV_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzLedgerCSV)
}
