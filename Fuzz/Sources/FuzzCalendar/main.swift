import CustodyCore
import Foundation
import FuzzSupport

/// Any bytes as the working-day calendar file: parsed whole or refused with a line number; a parsed
/// calendar is then used to add working days, which must terminate.
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCalendar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    if let calendar = try? CalendarFile.parse(text, timeZone: zone) {
        _ = calendar.adding(workingDays: 3, to: Date(timeIntervalSince1970: 1_790_000_000))
    }
    return 0
}

@_cdecl("FuzzCalendar_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzCalendar)
}
