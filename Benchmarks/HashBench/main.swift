import CustodyIngest
import Foundation

/// `HashBench FILE [ROUNDS]`: hashes FILE ROUNDS times (default 3) with the copier's hashing ring
/// and prints one line per round: `sha256 <hex> bytes <n> seconds <s> MiB/s <rate>`.
/// Run it on a file already in the page cache to time the hash, not the disk.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: HashBench FILE [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 3) : 3
for _ in 0..<rounds {
    let clock = ContinuousClock()
    var result: (sha256: String, bytes: UInt64) = ("", 0)
    do {
        let elapsed = try clock.measure { result = try PipelinedCopier.sha256(ofFileAt: arguments[1]) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "sha256 %@ bytes %llu seconds %.3f MiB/s %.0f", result.sha256, result.bytes,
                     seconds, Double(result.bytes) / 1_048_576 / seconds))
    } catch {
        FileHandle.standardError.write(Data("HashBench: \(error)\n".utf8))
        exit(1)
    }
}
