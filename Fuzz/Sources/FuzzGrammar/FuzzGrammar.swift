import CustodyCore
import Foundation
import FuzzSupport

/// Any bytes as a path on a camera, through the default grammars and the sn.txt reader.
let grammars = try! FileNameGrammarSet(FileNameGrammar.defaults)  // constant defaults, validated by the unit tests
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGrammar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let path = RawPath(bytes)
    _ = grammars.parse(relativePath: path.display, timeZone: zone)
    _ = SideFiles.badge(fromSNFile: bytes)
    _ = SideFiles.identity(fromFile: bytes)
    _ = StationTime.parse(String(decoding: bytes, as: UTF8.self), timeZone: zone)
    return 0
}

@_cdecl("FuzzGrammar_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzGrammar)
}
