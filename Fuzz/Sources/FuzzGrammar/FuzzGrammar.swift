import CustodyCore
import Foundation

/// Any bytes as a path on a camera, through the default grammars and the sn.txt reader.
let grammars = try! FileNameGrammarSet(FileNameGrammar.defaults)  // constant defaults, validated by the unit tests
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGrammar(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let path = RawPath(bytes)
    _ = grammars.parse(relativePath: path.display, timeZone: zone)
    _ = SideFiles.badge(fromSNFile: bytes)
    _ = StationTime.parse(String(decoding: bytes, as: UTF8.self), timeZone: zone)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzGrammar_main`; it hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzGrammar_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzGrammar)
}
