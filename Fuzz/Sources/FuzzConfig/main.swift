import CustodyConfigFile
import Foundation
import FuzzSupport

/// Any bytes as custodyd.toml: parsed, or refused with a ConfigError naming the key; never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ConfigLoader.parse(text, source: "fuzz", baseDirectory: "/nonexistent")
    return 0
}

@_cdecl("FuzzConfig_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzConfig)
}
