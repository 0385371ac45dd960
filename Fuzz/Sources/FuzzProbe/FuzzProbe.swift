import CustodyCore
import Foundation
import FuzzSupport

/// Any bytes as a clip: the first byte picks the extension the probe is told, the rest is the file.
let extensions = ["MP4", "MOV", "JPG", "WAV", "AVI", "DAV", "AAC", "MP3", "BIN"]
let zone = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProbe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let ext = extensions[Int(bytes[0]) % extensions.count]
    _ = MediaProbe.probe(BufferReader(Array(bytes.dropFirst())), fileExtension: ext, timeZone: zone)
    return 0
}

@_cdecl("FuzzProbe_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzProbe)
}
