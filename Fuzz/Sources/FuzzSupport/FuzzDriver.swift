import CFuzzDriver

/// Hands an executable's entry point to libFuzzer. SwiftPM links an executable's entry as
/// `<Target>_main`, so each target defines that symbol and calls this with its test function.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
