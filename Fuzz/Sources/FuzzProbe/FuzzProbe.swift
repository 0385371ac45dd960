import CustodyCore
import Foundation

/// Any bytes as a clip: the first byte picks the extension the probe is told, the rest is the file.
let extensions = ["MP4", "MOV", "JPG", "WAV", "AVI", "DAV", "AAC", "MP3", "BIN"]
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProbe(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let ext = extensions[Int(bytes[0]) % extensions.count]
    _ = MediaProbe.probe(BufferReader(Array(bytes.dropFirst())), fileExtension: ext, timeZone: zone)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzProbe_main`; it hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzProbe_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzProbe)
}
